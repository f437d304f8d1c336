package io.github.gan4j.tests;

import static io.github.gan4j.layers.Activation.TANH;
import static io.github.gan4j.layers.Layers.conv2d;
import static io.github.gan4j.layers.Layers.conv2dTranspose;
import static io.github.gan4j.layers.Layers.dense;
import static io.github.gan4j.layers.Layers.flatten;
import static io.github.gan4j.layers.Layers.leakyRelu;
import static io.github.gan4j.layers.Layers.reshape;
import static io.github.gan4j.layers.Padding.SAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.gan4j.Gan;
import io.github.gan4j.GanBuilder;
import io.github.gan4j.data.Dataset;
import io.github.gan4j.eval.Evaluation;
import io.github.gan4j.eval.Evaluations;
import io.github.gan4j.eval.Evaluator;
import io.github.gan4j.eval.EvaluatorException;
import io.github.gan4j.eval.Reference;
import io.github.gan4j.examples.Calibration;
import io.github.gan4j.train.Steps;
import io.github.gan4j.train.TrainedGenerator;
import io.github.gan4j.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The evaluator end to end on Fashion-MNIST: the classifier gan4j trains reaches 90% test
 * accuracy, is cached and verified, evaluates generators, trainers and images alike, holds
 * its memory, and a user's SavedModel works through a named feature output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvaluatorTest {
  private Dataset train;
  private Dataset test;
  private Evaluator evaluator;
  private Reference reference;

  @BeforeAll
  void buildTheEvaluator() {
    train = Fixtures.fashionMnistTrain();
    test = Fixtures.fashionMnist();
    long start = System.nanoTime();
    evaluator = Fixtures.fashionEvaluator(train, test);
    System.out.printf(Locale.ROOT, "[EvaluatorTest] %s, %s in %.1f s%n", evaluator,
        evaluator.cached() ? "loaded from the cache" : "trained", (System.nanoTime() - start) / 1e9);
    start = System.nanoTime();
    reference = evaluator.reference(test, 2_000, 0);
    System.out.printf(Locale.ROOT, "[EvaluatorTest] reference of 2,000 test images in %.1f s%n",
        (System.nanoTime() - start) / 1e9);
  }

  @AfterAll
  void close() {
    if (evaluator != null) {
      evaluator.close();
    }
  }

  @Nested
  class Classifier {
    @Test
    void reachesNinetyPercentTestAccuracyOnFashionMnist() {
      assertThat(evaluator.accuracy()).isGreaterThanOrEqualTo(0.90);
      assertThat(evaluator.id()).matches("fashion-mnist-[0-9a-f]{12}");
      assertThat(evaluator.directory()).isEqualTo(Fixtures.EVALUATORS.resolve(evaluator.id()));
      assertThat(evaluator.featureLayer()).startsWith("classifier/features (dense 128");
      assertThat(evaluator.directory().resolve("gan4j-evaluator.properties")).isRegularFile();
    }

    @Test
    void secondBuild_loadsFromTheCacheWithoutTraining() throws IOException {
      Path model = evaluator.directory().resolve("saved_model.pb");
      FileTime written = Files.getLastModifiedTime(model);
      long start = System.nanoTime();
      try (Evaluator again = Fixtures.fashionEvaluator(train, test)) {
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(again.cached()).isTrue();
        assertThat(again.id()).isEqualTo(evaluator.id());
        assertThat(again.accuracy()).isEqualTo(evaluator.accuracy());
        assertThat(Files.getLastModifiedTime(model)).isEqualTo(written);
        assertThat(seconds).as("a cache hit fingerprints the data and loads; it does not train").isLessThan(20);
      }
    }

    @Test
    void otherDataOrSettings_areAnotherEvaluator() {
      var same = Evaluator.classifier("fashion-mnist", train, test);
      assertThat(same.id()).isEqualTo(evaluator.id());
      assertThat(Evaluator.classifier("fashion-mnist", train, test).seed(1).id()).isNotEqualTo(evaluator.id());
      assertThat(Evaluator.classifier("fashion-mnist", train, test).epochs(4).id()).isNotEqualTo(evaluator.id());
      // the test split in another order is other data
      Dataset reversed = new Dataset() {
        public io.github.gan4j.layers.Shape imageShape() {
          return test.imageShape();
        }

        public int size() {
          return test.size();
        }

        public void copyImage(int index, float[] dst, int offset) {
          test.copyImage(size() - 1 - index, dst, offset);
        }

        public boolean hasLabels() {
          return true;
        }

        public int label(int index) {
          return test.label(size() - 1 - index);
        }
      };
      assertThat(Evaluator.classifier("fashion-mnist", train, reversed).id()).isNotEqualTo(evaluator.id())
          .startsWith("fashion-mnist-");
    }
  }

  @Nested
  class SavedEvaluators {
    @Test
    void damagedFile_isRefusedByNameBeforeTensorFlowReadsIt(@TempDir Path tmp) throws IOException {
      Path copy = copy(evaluator.directory(), tmp.resolve("copy"));
      Path data;
      try (Stream<Path> files = Files.list(copy.resolve("variables"))) {
        data = files.filter(f -> f.getFileName().toString().startsWith("variables.data")).findFirst().orElseThrow();
      }
      byte[] bytes = Files.readAllBytes(data);
      bytes[bytes.length / 2] ^= 1;
      Files.write(data, bytes);
      assertThatThrownBy(() -> Evaluator.load(copy)).isInstanceOf(EvaluatorException.class)
          .hasMessageContaining("saved evaluator file " + data + " is damaged: SHA-256")
          .hasMessageContaining("delete " + copy);
    }

    @Test
    void missingManifest_andExtraFile_areRefused(@TempDir Path tmp) throws IOException {
      Path extra = copy(evaluator.directory(), tmp.resolve("extra"));
      Files.writeString(extra.resolve("variables/notes.txt"), "hello");
      assertThatThrownBy(() -> Evaluator.load(extra)).isInstanceOf(EvaluatorException.class)
          .hasMessageContaining("notes.txt, which gan4j-evaluator.properties does not list");
      Path unfinished = copy(evaluator.directory(), tmp.resolve("unfinished"));
      Files.delete(unfinished.resolve("gan4j-evaluator.properties"));
      assertThatThrownBy(() -> Evaluator.load(unfinished)).isInstanceOf(EvaluatorException.class)
          .hasMessageContaining("holds a SavedModel but no gan4j-evaluator.properties")
          .hasMessageContaining("Evaluator.fromSavedModel(dir, featureOutput)");
      assertThatThrownBy(() -> Evaluator.load(tmp.resolve("nothing"))).isInstanceOf(EvaluatorException.class)
          .hasMessageContaining("the directory does not exist");
    }

    @Test
    void damagedCacheEntry_failsTheBuildAndSaysToDeleteIt(@TempDir Path tmp) throws IOException {
      Path entry = copy(evaluator.directory(), tmp.resolve(evaluator.id()));
      Files.write(entry.resolve("saved_model.pb"), new byte[] {1, 2, 3});
      assertThatThrownBy(() -> Evaluator.classifier("fashion-mnist", train, test).cacheDirectory(tmp).build())
          .isInstanceOf(EvaluatorException.class)
          .hasMessageContaining(entry.resolve("saved_model.pb") + " is damaged")
          .hasMessageContaining("delete " + entry);
    }

    @Test
    void loaded_givesTheSameNumbersAsTheBuiltOne() {
      float[] images = Calibration.sample(train, 300, 5);
      try (Evaluator loaded = Evaluator.load(evaluator.directory())) {
        Reference ref = loaded.reference(test, 300, 0);
        Evaluation a = loaded.evaluate(ref, images);
        Evaluation b = evaluator.evaluate(evaluator.reference(test, 300, 0), images);
        assertThat(a.frechetDistance()).isEqualTo(b.frechetDistance());
        assertThat(a.kidMean()).isEqualTo(b.kidMean());
      }
    }
  }

  @Nested
  class Evaluating {
    @Test
    void generatorTrainerAndImages_giveIdenticalNumbers(@TempDir Path tmp) {
      try (Trainer trainer = Trainer.of(tiny28()).batchSize(16).seed(3).build()) {
        trainer.fit(train, Steps.of(3));
        trainer.exportGenerator(tmp.resolve("generator"));
        Evaluation fromTrainer = evaluator.evaluate(reference, trainer, 700, 9);
        Evaluation fromImages = evaluator.evaluate(reference, trainer.generate(700, 9));
        try (TrainedGenerator generator = TrainedGenerator.load(tmp.resolve("generator"))) {
          Evaluation fromExport = evaluator.evaluate(reference, generator, 700, 9);
          for (Evaluation e : List.of(fromImages, fromExport)) {
            assertThat(e.frechetDistance()).isEqualTo(fromTrainer.frechetDistance());
            assertThat(e.kidMean()).isEqualTo(fromTrainer.kidMean());
            assertThat(e.precision()).isEqualTo(fromTrainer.precision());
            assertThat(e.recall()).isEqualTo(fromTrainer.recall());
            assertThat(e.classifierScore()).isEqualTo(fromTrainer.classifierScore());
          }
        }
        assertThat(fromTrainer.protocol().seed()).hasValue(9);
        assertThat(fromImages.protocol().seed()).isEmpty();
        assertThat(fromTrainer.protocol().samples()).isEqualTo(700);
        assertThat(fromTrainer.protocol().reference()).isEqualTo(test.name());
        assertThat(fromTrainer.protocol().evaluatorAccuracy()).isEqualTo(evaluator.accuracy());
        // three steps of training are far from real clothes
        Evaluation floor = evaluator.evaluate(reference, Calibration.sample(train, 700, 9));
        assertThat(fromTrainer.frechetDistance()).isGreaterThan(10 * floor.frechetDistance());
      }
    }

    @Test
    void listener_evaluatesEveryNSteps() {
      List<Long> steps = new ArrayList<>();
      List<Evaluation> seen = new ArrayList<>();
      try (Trainer trainer = Trainer.of(tiny28()).batchSize(8).seed(1).build()) {
        trainer.fit(train, Steps.of(5), Evaluations.every(evaluator, reference, 2, 100, 4, (e, step) -> {
          steps.add(step);
          seen.add(e);
        }));
      }
      assertThat(steps).containsExactly(2L, 4L);
      assertThat(seen).allSatisfy(e -> assertThat(e.protocol().samples()).isEqualTo(100));
      assertThat(seen.get(0).toJson()).startsWith("{\"fd\":").contains("\"seed\":4");
    }

    @Test
    void referenceOfAnotherEvaluator_isRefused(@TempDir Path tmp) throws Exception {
      Path model = exportRandomConvNet(tmp.resolve("model"));
      try (Evaluator other = Evaluator.fromSavedModel(model, "pool")) {
        Reference theirs = other.reference(test, 50, 0);
        assertThatThrownBy(() -> evaluator.evaluate(theirs, new float[50 * 784]))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("the reference was made by evaluator " + other.id());
      }
    }

    @Test
    void badImages_areRefusedWithWhatAndWhere() {
      float[] images = Calibration.sample(train, 10, 0);
      images[3 * 784 + 17] = Float.NaN;
      assertThatThrownBy(() -> evaluator.evaluate(reference, images)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("image 3 has the value NaN at pixel 17");
      assertThatThrownBy(() -> evaluator.evaluate(reference, new float[785]))
          .hasMessageContaining("not a whole number of (28, 28, 1) images");
      assertThatThrownBy(() -> evaluator.evaluate(reference, new float[3 * 784]))
          .hasMessageContaining("need at least 4 images");
    }

    @Test
    void repeatedEvaluations_doNotGrowNativeMemory(@TempDir Path tmp) throws Exception {
      // a child JVM with a fixed, pre-touched heap: its resident set grows only with native memory
      String out = Fixtures.runChildJvm(tmp, List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"), List.of(),
          EvaluatorMemoryProbe.class, List.of(TestData.fashionMnist().toString(),
              Fixtures.EVALUATORS.toAbsolutePath().toString()), null, 5);
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("grown=(-?[0-9.]+)").matcher(out);
      assertThat(m.find()).as(out).isTrue();
      double grown = Double.parseDouble(m.group(1));
      System.out.printf(Locale.ROOT, "[EvaluatorTest] 60 evaluations of 500 images: resident set grew %.1f MB%n", grown);
      // a leaked input tensor alone would be 1.5 MB per call, 90 MB in all
      assertThat(grown).isLessThan(15);
    }
  }

  @Nested
  class UserSavedModel {
    @Test
    void namedFeatureOutput_evaluatesWithResizedRgbInput(@TempDir Path tmp) throws Exception {
      Path model = exportRandomConvNet(tmp.resolve("random-net"));
      try (Evaluator user = Evaluator.fromSavedModel(model, "pool", "scores")) {
        assertThat(user.id()).matches("savedmodel-random-net-[0-9a-f]{12}");
        assertThat(user.accuracy()).isNaN();
        assertThat(user.cached()).isFalse();
        Reference ref = user.reference(test, 1_000, 0);   // 28x28 grey images into a 32x32 RGB model
        Evaluation real = user.evaluate(ref, Calibration.sample(train, 1_000, 1));
        Evaluation noise = user.evaluate(ref, Calibration.uniformNoise(1_000, train.imageShape(), 1));
        assertThat(real.protocol().featureLayer()).isEqualTo("pool");
        assertThat(real.protocol().featureSize()).isEqualTo(24);
        assertThat(real.protocol().classes()).isEqualTo(5);
        assertThat(real.protocol().evaluator()).isEqualTo(user.id());
        assertThat(real.protocol().evaluatorAccuracy()).isNaN();
        assertThat(real.frechetDistance()).isLessThan(noise.frechetDistance() / 10);
        assertThat(real.kidMean()).isLessThan(noise.kidMean());
        assertThat(real.classifierScore()).isGreaterThanOrEqualTo(1.0);
        assertThat(noise.toJson()).contains("\"evaluator_accuracy\":null");
      }
    }

    @Test
    void otherWeightsInTheSameFolder_areAnotherEvaluator(@TempDir Path tmp) throws Exception {
      String first;
      try (Evaluator user = Evaluator.fromSavedModel(exportRandomConvNet(tmp.resolve("a/net"), 1), "pool")) {
        first = user.id();
      }
      try (Evaluator user = Evaluator.fromSavedModel(exportRandomConvNet(tmp.resolve("b/net"), 2), "pool")) {
        assertThat(user.id()).startsWith("savedmodel-net-").isNotEqualTo(first);
      }
      try (Evaluator user = Evaluator.fromSavedModel(tmp.resolve("a/net"), "pool")) {
        assertThat(user.id()).isEqualTo(first);   // the same files (a re-export is not byte-identical)
      }
    }

    @Test
    void withoutLogits_classStatisticsAreNaN(@TempDir Path tmp) throws Exception {
      Path model = exportRandomConvNet(tmp.resolve("net"));
      try (Evaluator user = Evaluator.fromSavedModel(model, "pool")) {
        Reference ref = user.reference(test, 200, 0);
        Evaluation e = user.evaluate(ref, Calibration.sample(train, 200, 1));
        assertThat(e.frechetDistance()).isFinite();
        assertThat(e.classifierScore()).isNaN();
        assertThat(e.classEntropy()).isNaN();
        assertThat(e.classCoverage()).isNaN();
        assertThat(e.protocol().classes()).isZero();
      }
    }

    @Test
    void unknownOutput_namesTheOutputsTheModelHas(@TempDir Path tmp) throws Exception {
      Path model = exportRandomConvNet(tmp.resolve("net"));
      assertThatThrownBy(() -> Evaluator.fromSavedModel(model, "pool_3")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("has no output 'pool_3' in signature 'serving_default'")
          .hasMessageContaining("pool=DT_FLOAT [-1, 24]")
          .hasMessageContaining("scores=DT_FLOAT [-1, 5]");
    }
  }

  /** A 28x28x1 generator small enough to build and run in a second. */
  static Gan tiny28() {
    return GanBuilder.forImages(28, 28, 1).latentDim(16)
        .generator(dense(7 * 7 * 16), reshape(7, 7, 16), leakyRelu(0.2f),
            conv2dTranspose(8, 4).strides(2).padding(SAME), leakyRelu(0.2f),
            conv2dTranspose(1, 4).strides(2).padding(SAME).activation(TANH))
        .discriminator(conv2d(8, 3).strides(2).padding(SAME), leakyRelu(0.2f), flatten(), dense(1))
        .build();
  }

  /**
   * Exports a SavedModel as a user would bring one: signature {@code serving_default} with input
   * {@code x} (batch, 32, 32, 3) and outputs {@code pool} (24 features: two random-weight
   * convolutions, ReLU, global average pooling) and {@code scores} (5 logits), built with
   * TensorFlow Java's raw ops.
   */
  static Path exportRandomConvNet(Path dir) throws IOException {
    return exportRandomConvNet(dir, 42);
  }

  /** As {@link #exportRandomConvNet(Path)}, with weights drawn from {@code seed}. */
  static Path exportRandomConvNet(Path dir, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class,
          Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, 32, 32, 3)));
      var k1 = tf.withName("k1").variable(constant(tf, random, 3, 3, 3, 12));
      var k2 = tf.withName("k2").variable(constant(tf, random, 3, 3, 12, 24));
      var w = tf.withName("w").variable(constant(tf, random, 24, 5));
      Operand<TFloat32> h = tf.nn.relu(tf.nn.conv2d(x, k1, List.of(1L, 2L, 2L, 1L), "SAME"));
      h = tf.nn.relu(tf.nn.conv2d(h, k2, List.of(1L, 2L, 2L, 1L), "SAME"));
      Operand<TFloat32> pool = tf.withName("pool").math.mean(h, tf.constant(new int[] {1, 2}));
      Operand<TFloat32> scores = tf.withName("scores").linalg.matMul(pool, w);
      try (Session s = new Session(g)) {
        s.initialize();
        Signature signature = Signature.builder().key(Signature.DEFAULT_KEY).input("x", x).output("pool", pool)
            .output("scores", scores).build();
        SavedModelBundle.exporter(dir.toString()).withFunction(SessionFunction.create(signature, s)).export();
      }
    }
    return dir;
  }

  private static Operand<TFloat32> constant(Ops tf, SplittableRandom random, long... shape) {
    long size = 1;
    for (long d : shape) {
      size *= d;
    }
    float[] values = new float[(int) size];
    double scale = Math.sqrt(2.0 / (size / shape[shape.length - 1]));
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextGaussian() * scale);
    }
    return tf.constant(org.tensorflow.ndarray.Shape.of(shape), DataBuffers.of(values, true, false));
  }

  private static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.sorted(Comparator.naturalOrder()).toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return to;
  }
}
