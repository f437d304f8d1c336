package io.github.gan4j.tests;

import static io.github.gan4j.layers.Activation.RELU;
import static io.github.gan4j.layers.Activation.TANH;
import static io.github.gan4j.layers.Layers.batchNorm;
import static io.github.gan4j.layers.Layers.conv2d;
import static io.github.gan4j.layers.Layers.conv2dTranspose;
import static io.github.gan4j.layers.Layers.dense;
import static io.github.gan4j.layers.Layers.dropout;
import static io.github.gan4j.layers.Layers.flatten;
import static io.github.gan4j.layers.Layers.globalSumPooling2d;
import static io.github.gan4j.layers.Layers.leakyRelu;
import static io.github.gan4j.layers.Layers.relu;
import static io.github.gan4j.layers.Layers.resBlock;
import static io.github.gan4j.layers.Layers.resBlockDown;
import static io.github.gan4j.layers.Layers.resBlockDownOptimized;
import static io.github.gan4j.layers.Layers.resBlockUp;
import static io.github.gan4j.layers.Layers.reshape;
import static io.github.gan4j.layers.Padding.SAME;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.gan4j.Gan;
import io.github.gan4j.GanBuilder;
import io.github.gan4j.data.Dataset;
import io.github.gan4j.data.Datasets;
import io.github.gan4j.data.Idx;
import io.github.gan4j.eval.Evaluator;
import io.github.gan4j.layers.ResidualBlock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/** Small models and data that keep the native tests fast. */
final class Fixtures {
  private Fixtures() {}

  /** A DCGAN-shaped model for 8x8x1 images with every kind of stateful layer. */
  static Gan tiny() {
    return GanBuilder.forImages(8, 8, 1).latentDim(8)
        .generator(dense(2 * 2 * 16).activation(RELU), reshape(2, 2, 16), batchNorm().momentum(0.8f),
            conv2dTranspose(8, 4).strides(2).padding(SAME), leakyRelu(0.2f), batchNorm().momentum(0.8f),
            conv2dTranspose(1, 4).strides(2).padding(SAME).activation(TANH))
        .discriminator(conv2d(8, 3).strides(2).padding(SAME), leakyRelu(0.2f),
            conv2d(16, 3).strides(2).padding(SAME), leakyRelu(0.2f), flatten(), dense(1))
        .build();
  }

  /**
   * A GAN for 8x8x1 images built of residual blocks: BatchNorm in G's, spectral norm in D's, and
   * SNGAN's head in D.
   */
  static Gan tinyResNet() {
    return GanBuilder.forImages(8, 8, 1).latentDim(8)
        .generator(dense(2 * 2 * 16), reshape(2, 2, 16), resBlockUp(16), resBlockUp(8),
            ResidualBlock.SNGAN_BATCH_NORM, relu(), conv2d(1, 3).padding(SAME).activation(TANH))
        .discriminator(resBlockDownOptimized(8).spectralNorm(), resBlockDown(16).spectralNorm(),
            resBlock(16).spectralNorm(), relu(), globalSumPooling2d(), dense(1))
        .build();
  }

  /** As {@link #tiny()} with dropout in the discriminator (random masks every step). */
  static Gan tinyWithDropout() {
    return GanBuilder.forImages(8, 8, 1).latentDim(8)
        .generator(dense(2 * 2 * 16).activation(RELU), reshape(2, 2, 16), batchNorm().momentum(0.8f),
            conv2dTranspose(8, 4).strides(2).padding(SAME), leakyRelu(0.2f), batchNorm().momentum(0.8f),
            conv2dTranspose(1, 4).strides(2).padding(SAME).activation(TANH))
        .discriminator(conv2d(8, 3).strides(2).padding(SAME), leakyRelu(0.2f), dropout(0.3f), flatten(), dense(1))
        .build();
  }

  /** 256 random 8x8x1 images of bright squares on a dark background. */
  static Dataset squares() {
    SplittableRandom r = new SplittableRandom(5);
    int n = 256;
    float[] px = new float[n * 64];
    for (int i = 0; i < n; i++) {
      int x0 = r.nextInt(5);
      int y0 = r.nextInt(5);
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          boolean in = x >= x0 && x < x0 + 3 && y >= y0 && y < y0 + 3;
          px[i * 64 + y * 8 + x] = in ? 0.9f : -0.9f;
        }
      }
    }
    return Datasets.fromFloats(px, 8, 8, 1);
  }

  /** Fashion-MNIST's test images (see {@link TestData#fashionMnist()}: skipped when unavailable outside CI). */
  static Dataset fashionMnist() {
    Path dir = TestData.fashionMnist();
    try {
      return Idx.read(dir.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte.gz"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Fashion-MNIST's training images (skipped like {@link #fashionMnist()}). */
  static Dataset fashionMnistTrain() {
    Path dir = TestData.fashionMnist();
    try {
      return Idx.read(dir.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte.gz"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The evaluator of Fashion-MNIST with default settings, cached under {@code target/evaluators}
   * so that the test classes that need it train it once per build (about a minute) and load it
   * afterwards.
   */
  static Evaluator fashionEvaluator(Dataset train, Dataset test) {
    return Evaluator.classifier("fashion-mnist", train, test).cacheDirectory(EVALUATORS).build();
  }

  /** Where the tests cache evaluators: inside the build directory, never the user's ~/.gan4j. */
  static final Path EVALUATORS = Path.of("target", "evaluators");

  static Map<String, float[]> only(Map<String, float[]> vars, String prefix) {
    Map<String, float[]> out = new java.util.TreeMap<>();
    vars.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k, v);
      }
    });
    return out;
  }

  /**
   * Runs {@code main} in a child JVM on this test class path (optionally under {@code wrapper},
   * e.g. an emulator), with gan4j's one-line log format, {@code TF_CPP_MIN_LOG_LEVEL=2} and
   * {@code TF_ENABLE_ONEDNN_OPTS} set to {@code oneDnnVariable} (unset when null); asserts exit
   * code 0 and returns everything it printed.
   */
  static String runChildJvm(Path dir, List<String> wrapper, Class<?> main, List<String> args, String oneDnnVariable,
      int timeoutMinutes) throws IOException, InterruptedException {
    return runChildJvm(dir, List.of("-Xmx512m"), wrapper, main, args, oneDnnVariable, timeoutMinutes);
  }

  /** As {@link #runChildJvm(Path, List, Class, List, String, int)} with these JVM options instead of {@code -Xmx512m}. */
  static String runChildJvm(Path dir, List<String> jvmOptions, List<String> wrapper, Class<?> main, List<String> args,
      String oneDnnVariable, int timeoutMinutes) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(wrapper);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-Djava.util.logging.SimpleFormatter.format=%4$s %5$s%6$s%n",
        "-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Path log = Files.createTempFile(dir, "probe", ".txt");
    pb.redirectOutput(log.toFile());
    pb.environment().remove("TF_ENABLE_ONEDNN_OPTS");
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    if (oneDnnVariable != null) {
      pb.environment().put("TF_ENABLE_ONEDNN_OPTS", oneDnnVariable);
    }
    Process p = pb.start();
    if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("probe did not finish in " + timeoutMinutes + " minutes: " + cmd);
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("probe exit code; output:%n%s", out).isZero();
    return out;
  }
}
