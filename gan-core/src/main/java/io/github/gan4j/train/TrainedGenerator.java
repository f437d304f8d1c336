package io.github.gan4j.train;

import io.github.gan4j.layers.Shape;
import io.github.gan4j.sample.Sampler;
import io.github.gan4j.tf.GeneratorExport;
import io.github.gan4j.tf.OneDnn;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A generator exported by {@link Trainer#exportGenerator}, loaded without the training
 * graph. Thread-safe: concurrent {@code generate} calls share one TensorFlow session.
 *
 * <pre>{@code
 * try (TrainedGenerator g = TrainedGenerator.load(Path.of("run/generator"))) {
 *   float[] images = g.generate(25, 7L);   // 25 images, NHWC floats in [-1, 1]
 * }
 * }</pre>
 */
public final class TrainedGenerator implements AutoCloseable {
  private static final String INPUT = GeneratorExport.INPUT;
  private static final String OUTPUT = GeneratorExport.OUTPUT;
  private static final String LABELS = GeneratorExport.LABELS;

  private final SavedModelBundle bundle;
  private final SessionFunction function;
  private final int latentDim;
  private final Shape imageShape;
  private final Optional<Sampler> sampler;
  private final String samplerDescription;
  private final int numClasses;
  /** generate calls share the read lock; close takes the write lock, so it never frees a session in use */
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  private TrainedGenerator(Path dir, SavedModelBundle bundle, ExportFormat.Manifest manifest) {
    this.bundle = bundle;
    this.function = bundle.function(Signature.DEFAULT_KEY);
    Signature s = function.signature();
    long[] in = s.getInputs().get(INPUT).shape.asArray();
    long[] out = s.getOutputs().get(OUTPUT).shape.asArray();
    this.latentDim = (int) in[1];
    this.imageShape = Shape.of((int) out[1], (int) out[2], (int) out[3]);
    if (latentDim != manifest.latentDim() || !imageShape.equals(manifest.imageShape())) {
      throw new ExportException(dir, "exported generator " + dir + ": saved_model.pb takes latents of size "
          + latentDim + " and gives images of shape " + imageShape + ", but " + ExportFormat.MANIFEST + " says "
          + manifest.latentDim() + " and " + manifest.imageShape() + "; the export was altered, re-export it");
    }
    this.numClasses = manifest.numClasses();
    boolean takesLabels = s.getInputs().containsKey(LABELS);
    if (takesLabels != (numClasses > 0)) {
      throw new ExportException(dir, "exported generator " + dir + ": saved_model.pb " + (takesLabels
          ? "takes class labels, but " + ExportFormat.MANIFEST + " records no classes"
          : "takes no class labels, but " + ExportFormat.MANIFEST + " says the model is conditional on "
              + numClasses + " classes") + "; the export was altered, re-export it");
    }
    this.sampler = manifest.sampler();
    this.samplerDescription = manifest.samplerDescription();
  }

  /**
   * Loads a generator exported by {@link Trainer#exportGenerator}. The export's manifest is
   * verified first (format, and the SHA-256 of every file), before TensorFlow reads anything.
   *
   * @throws ExportException if {@code dir} holds no export, or a damaged or incomplete one, or
   *     one exported before exports carried a manifest (re-export it); the message names the
   *     file and what is wrong
   */
  public static TrainedGenerator load(Path dir) {
    ExportFormat.Manifest manifest = ExportFormat.verify(dir);
    OneDnn.prepare();
    SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG);
    OneDnn.warnIfOff();
    try {
      return new TrainedGenerator(dir, bundle, manifest);
    } catch (ExportException e) {
      bundle.close();
      throw e;
    } catch (RuntimeException e) {
      bundle.close();
      throw new ExportException(dir, "the SavedModel in " + dir + " is not a gan4j generator"
          + " (expected signature '" + Signature.DEFAULT_KEY + "' with input '" + INPUT + "' and output '"
          + OUTPUT + "'): " + e);
    }
  }

  /** Size of one latent vector. */
  public int latentDim() {
    return latentDim;
  }

  /** The number of classes of a conditional generator (its images' labels are in [0, numClasses)), or 0. */
  public int numClasses() {
    return numClasses;
  }

  /** Shape of one generated image. */
  public Shape imageShape() {
    return imageShape;
  }

  /**
   * Generates one image per latent vector ({@code latents.length / latentDim} images). A
   * conditional generator's images get the classes {@code 0, 1, ..., numClasses - 1, 0, 1, ...}
   * in turn, as the trainer's {@link Trainer#generate(float[])}.
   *
   * @return NHWC floats, normally in [-1, 1]
   */
  public float[] generate(float[] latents) {
    int count = latentCount(latents);
    return generate(latents, numClasses > 0 ? ClassLabels.cycle(count, numClasses) : null);
  }

  private int latentCount(float[] latents) {
    if (latents.length == 0 || latents.length % latentDim != 0) {
      throw new IllegalArgumentException("got " + latents.length + " latent values; expected a positive multiple of "
          + "latentDim " + latentDim);
    }
    return latents.length / latentDim;
  }

  /**
   * Generates one image of class {@code labels[i]} from latent vector {@code i}, for a
   * conditional generator ({@link #numClasses()} &gt; 0).
   *
   * @throws IllegalArgumentException if the generator is not conditional, or {@code labels}
   *     does not hold one label in [0, numClasses) per latent vector
   */
  public float[] generate(float[] latents, int[] labels) {
    int count = latentCount(latents);
    if (labels != null || numClasses > 0) {
      ClassLabels.check(labels, count, numClasses);
    }
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the generator is closed");
      }
      try (TFloat32 z = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(count, latentDim),
              DataBuffers.of(latents, true, false));
          TInt32 y = labels == null ? null : TInt32.tensorOf(org.tensorflow.ndarray.Shape.of(count),
              DataBuffers.of(labels, true, false));
          Result r = function.call(y == null ? Map.of(INPUT, z) : Map.of(INPUT, z, LABELS, y))) {
        TFloat32 images = (TFloat32) r.get(OUTPUT).orElseThrow();
        float[] out = new float[(int) images.size()];
        images.copyTo(DataBuffers.of(out, false, false));
        return out;
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The sampler the generator was trained with, as its export records it; empty for a custom
   * {@link Sampler} (any but {@link Sampler#normal()}, {@link Sampler#uniform(float, float)}
   * and {@link Sampler#truncatedNormal()} with their parameters), whose code an export cannot
   * record.
   */
  public Optional<Sampler> sampler() {
    return sampler;
  }

  /**
   * Generates {@code count} images from latents drawn with {@code seed} from the sampler the
   * generator was trained with: the same images as the trainer's
   * {@link Trainer#generate(int, long)} at export.
   *
   * @throws IllegalStateException if the generator was trained with a custom sampler (see
   *     {@link #sampler()}); draw the latents with it and call {@link #generate(float[])} or
   *     {@link #generate(int, long, Sampler)}
   */
  public float[] generate(int count, long seed) {
    Sampler s = sampler.orElseThrow(() -> new IllegalStateException("this generator was trained with the custom"
        + " sampler " + samplerDescription + ", which an export cannot record; pass it explicitly with"
        + " generate(count, seed, sampler), or draw latents yourself and call generate(latents)"));
    return generate(count, seed, s);
  }

  /** Generates {@code count} images from latents drawn from {@code sampler} with {@code seed}. */
  public float[] generate(int count, long seed, Sampler sampler) {
    return generate(latents(count, seed, sampler));
  }

  /**
   * Generates {@code count} images of a conditional generator, image {@code i} of class
   * {@code labels[i]}, from latents drawn with {@code seed} from the sampler it was trained
   * with: the same images as the trainer's {@link Trainer#generate(int, long, int[])} at export.
   *
   * @throws IllegalStateException if the generator was trained with a custom sampler (see {@link #sampler()})
   * @throws IllegalArgumentException if the generator is not conditional, or {@code labels}
   *     does not hold {@code count} labels in [0, numClasses)
   */
  public float[] generate(int count, long seed, int[] labels) {
    Sampler s = sampler.orElseThrow(() -> new IllegalStateException("this generator was trained with the custom"
        + " sampler " + samplerDescription + ", which an export cannot record; draw latents with it and call"
        + " generate(latents, labels)"));
    return generate(latents(count, seed, s), labels);
  }

  private float[] latents(int count, long seed, Sampler sampler) {
    if (count <= 0) {
      throw new IllegalArgumentException("count must be positive, was " + count);
    }
    float[] z = new float[count * latentDim];
    sampler.sample(seed, 0, z);
    return z;
  }

  /** Releases the native session; idempotent. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        bundle.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
