package io.github.gan4j.examples;

import io.github.gan4j.data.Dataset;
import io.github.gan4j.data.Idx;
import io.github.gan4j.eval.Evaluation;
import io.github.gan4j.eval.Evaluator;
import io.github.gan4j.eval.Reference;
import io.github.gan4j.layers.Shape;
import io.github.gan4j.train.TrainedGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Calibrates an {@link Evaluator} (a measurement, not a command of the command line): the
 * metrics of real training images against the test split (the floor: as good as samples can
 * get) and of the same images damaged in known ways (Gaussian noise, Gaussian blur, pure
 * uniform noise, one image repeated, one class only), so that a generator's numbers can be
 * read against them. Prints a Markdown table; README's "Measuring quality" shows its output.
 *
 * <pre>java -cp gan-examples/target/gan-examples.jar io.github.gan4j.examples.Calibration \
 *     [FASHION_MNIST_DIR=/usr/share/datasets/fashion-mnist] [COUNT=10000] [GENERATOR_DIR]</pre>
 *
 * <p>With a generator export (e.g. a run's {@code generator/} folder), one more row measures
 * {@code COUNT} of its samples, and the time that takes.
 */
public final class Calibration {
  private Calibration() {}

  /**
   * One row of the table.
   *
   * @param condition what was measured, e.g. {@code Gaussian noise sigma 0.3}
   * @param evaluation its evaluation against the reference
   */
  public record Row(String condition, Evaluation evaluation) {}

  /** Runs the calibration and prints the table and the times. */
  public static void main(String[] args) throws IOException {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s %5$s%6$s%n");
    }
    Path dir = Path.of(args.length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist");
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    Path generatorDir = args.length > 2 ? Path.of(args[2]) : null;
    Dataset train = Idx.read(dir.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte.gz"));
    Dataset test = Idx.read(dir.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte.gz"));
    long start = System.nanoTime();
    try (Evaluator evaluator = Evaluator.classifier("fashion-mnist", train, test).build()) {
      System.out.printf(Locale.ROOT, "evaluator %s: test accuracy %.2f%%, %s in %.1f s%n", evaluator.id(),
          100 * evaluator.accuracy(), evaluator.cached() ? "loaded from the cache" : "trained", seconds(start));
      long t = System.nanoTime();
      Reference reference = evaluator.reference(test, test.size(), 0);
      System.out.printf(Locale.ROOT, "reference: %d test images in %.1f s%n", reference.count(), seconds(t));
      List<Row> rows = new ArrayList<>(run(evaluator, reference, train, count, 1));
      if (generatorDir != null) {
        try (TrainedGenerator generator = TrainedGenerator.load(generatorDir)) {
          rows.add(new Row("generator " + generatorDir, evaluator.evaluate(reference, generator, count, 1)));
        }
      }
      System.out.println();
      System.out.print(table(rows));
      System.out.println();
      for (Row row : rows) {
        System.out.printf(Locale.ROOT, "%-36s %.1f s%n", row.condition(), row.evaluation().elapsed().toNanos() / 1e9);
      }
      System.out.printf(Locale.ROOT, "total %.1f s%n", seconds(start));
    }
  }

  /**
   * Evaluates the calibration conditions with {@code count} images each: real training images
   * (the floor), with Gaussian noise of sigma 0.1, 0.3 and 0.6, with Gaussian blur of sigma 1 and
   * 2 pixels, pure uniform noise, one training image repeated, and the images of one class
   * (class 0). Noise sigmas are in gan4j's pixel scale [-1, 1], results clipped to it.
   */
  public static List<Row> run(Evaluator evaluator, Reference reference, Dataset train, int count, long seed) {
    Shape shape = train.imageShape();
    float[] real = sample(train, count, seed);
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("real training images (floor)", evaluator.evaluate(reference, real)));
    for (float sigma : new float[] {0.1f, 0.3f, 0.6f}) {
      rows.add(new Row("Gaussian noise sigma " + sigma, evaluator.evaluate(reference, gaussianNoise(real, sigma, seed))));
    }
    for (double sigma : new double[] {1, 2}) {
      rows.add(new Row("Gaussian blur sigma " + (int) sigma, evaluator.evaluate(reference, gaussianBlur(real, shape,
          sigma))));
    }
    rows.add(new Row("uniform noise", evaluator.evaluate(reference, uniformNoise(count, shape, seed))));
    rows.add(new Row(String.format(Locale.ROOT, "%,d copies of one image", count),
        evaluator.evaluate(reference, repeated(real, shape, count))));
    rows.add(new Row("one class only (class 0)", evaluator.evaluate(reference, oneClass(train, 0, count, seed))));
    return rows;
  }

  /** {@code count} distinct images of {@code data} chosen with {@code seed} (all when {@code count} is its size). */
  public static float[] sample(Dataset data, int count, long seed) {
    if (count > data.size()) {
      throw new IllegalArgumentException("cannot choose " + count + " of the " + data.size() + " images of " + data.name());
    }
    int[] index = permutation(data.size(), seed);
    int size = (int) data.imageShape().size();
    float[] out = new float[count * size];
    for (int i = 0; i < count; i++) {
      data.copyImage(index[i], out, i * size);
    }
    return out;
  }

  /** The images plus Gaussian noise of {@code sigma} (in the [-1, 1] pixel scale), clipped to [-1, 1]. */
  public static float[] gaussianNoise(float[] images, float sigma, long seed) {
    SplittableRandom random = new SplittableRandom(seed ^ 0x6E6F697365L);
    float[] out = new float[images.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = clip(images[i] + (float) (sigma * random.nextGaussian()));
    }
    return out;
  }

  /**
   * The images blurred with a Gaussian of {@code sigma} pixels, separably, the kernel cut at
   * {@code 3 sigma} and the edges repeated.
   */
  public static float[] gaussianBlur(float[] images, Shape shape, double sigma) {
    int h = shape.dim(0);
    int w = shape.dim(1);
    int c = shape.dim(2);
    int radius = (int) Math.ceil(3 * sigma);
    double[] kernel = new double[2 * radius + 1];
    double sum = 0;
    for (int i = -radius; i <= radius; i++) {
      kernel[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
      sum += kernel[i + radius];
    }
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] /= sum;
    }
    int size = h * w * c;
    float[] out = new float[images.length];
    double[] rows = new double[size];
    for (int n = 0; n < images.length / size; n++) {
      int base = n * size;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int ch = 0; ch < c; ch++) {
            double v = 0;
            for (int k = -radius; k <= radius; k++) {
              int xx = Math.min(w - 1, Math.max(0, x + k));
              v += kernel[k + radius] * images[base + (y * w + xx) * c + ch];
            }
            rows[(y * w + x) * c + ch] = v;
          }
        }
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int ch = 0; ch < c; ch++) {
            double v = 0;
            for (int k = -radius; k <= radius; k++) {
              int yy = Math.min(h - 1, Math.max(0, y + k));
              v += kernel[k + radius] * rows[(yy * w + x) * c + ch];
            }
            out[base + (y * w + x) * c + ch] = clip((float) v);
          }
        }
      }
    }
    return out;
  }

  /** {@code count} images of independent uniform noise in [-1, 1]. */
  public static float[] uniformNoise(int count, Shape shape, long seed) {
    SplittableRandom random = new SplittableRandom(seed ^ 0x756E69666F726DL);
    float[] out = new float[count * (int) shape.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) random.nextDouble(-1, 1);
    }
    return out;
  }

  /** The first of {@code images}, {@code count} times. */
  public static float[] repeated(float[] images, Shape shape, int count) {
    int size = (int) shape.size();
    float[] out = new float[count * size];
    for (int i = 0; i < count; i++) {
      System.arraycopy(images, 0, out, i * size, size);
    }
    return out;
  }

  /** {@code count} images of class {@code label} (repeating them in a seeded order when the class has fewer). */
  public static float[] oneClass(Dataset data, int label, int count, long seed) {
    List<Integer> members = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      if (data.label(i) == label) {
        members.add(i);
      }
    }
    if (members.isEmpty()) {
      throw new IllegalArgumentException(data.name() + " has no image of class " + label);
    }
    int[] order = permutation(members.size(), seed);
    int size = (int) data.imageShape().size();
    float[] out = new float[count * size];
    for (int i = 0; i < count; i++) {
      data.copyImage(members.get(order[i % order.length]), out, i * size);
    }
    return out;
  }

  /** The rows as a Markdown table, one column per metric. */
  public static String table(List<Row> rows) {
    StringBuilder b = new StringBuilder();
    b.append("| condition | FD | KID | precision | recall | classifier score | class entropy (bits) | class coverage |\n");
    b.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Row row : rows) {
      Evaluation e = row.evaluation();
      b.append(String.format(Locale.ROOT, "| %s | %.3f | %.4f | %.3f | %.3f | %.2f | %.3f | %.1f |%n", row.condition(),
          e.frechetDistance(), e.kidMean(), e.precision(), e.recall(), e.classifierScore(), e.classEntropy(),
          e.classCoverage()));
    }
    return b.toString();
  }

  private static int[] permutation(int n, long seed) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  private static float clip(float v) {
    return Math.max(-1f, Math.min(1f, v));
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
