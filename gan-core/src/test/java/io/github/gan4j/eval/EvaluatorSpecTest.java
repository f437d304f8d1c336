package io.github.gan4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gan4j.data.Dataset;
import io.github.gan4j.data.Datasets;
import io.github.gan4j.layers.Shape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What the evaluator refuses before loading any native code, and what its results look like. */
class EvaluatorSpecTest {
  private static final Dataset LABELLED = Datasets.fromBytes(new byte[4 * 16], new int[] {0, 1, 0, 1}, 4, 4, 1);
  private static final Dataset UNLABELLED = Datasets.fromBytes(new byte[4 * 16], 4, 4, 1);

  @Nested
  class Classifier {
    @Test
    void unlabelledData_namesBothWaysToProceed() {
      assertThatThrownBy(() -> Evaluator.classifier("faces", UNLABELLED, LABELLED))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("has no class labels")
          .hasMessageContaining("labelled images (Idx.read(images, labels), Cifar10")
          .hasMessageContaining("Evaluator.fromSavedModel(dir, featureOutput)")
          .hasMessageContaining("held-out part");
      assertThatThrownBy(() -> Evaluator.classifier("faces", LABELLED, UNLABELLED))
          .hasMessageContaining("has no class labels");
    }

    @Test
    void splitsOfDifferentShapes_areRefused() {
      Dataset other = Datasets.fromBytes(new byte[2 * 9], new int[] {0, 1}, 3, 3, 1);
      assertThatThrownBy(() -> Evaluator.classifier("x", LABELLED, other))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(4, 4, 1)").hasMessageContaining("(3, 3, 1)");
    }

    @Test
    void datasetName_mustBeAFolderName() {
      assertThatThrownBy(() -> Evaluator.classifier("../x", LABELLED, LABELLED))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names the cache directory");
    }

    @Test
    void badSettings_failAtOnce() {
      var builder = Evaluator.classifier("x", LABELLED, LABELLED);
      assertThatThrownBy(() -> builder.epochs(0)).hasMessage("epochs must be positive, was 0");
      assertThatThrownBy(() -> builder.batchSize(-1)).hasMessage("batch size must be positive, was -1");
    }
  }

  @Nested
  class CacheDirectory {
    @Test
    void systemProperty_overridesTheHomeDirectory() {
      String old = System.getProperty("gan4j.evaluators.dir");
      try {
        System.setProperty("gan4j.evaluators.dir", "/tmp/elsewhere");
        assertThat(Evaluator.defaultDirectory()).isEqualTo(Path.of("/tmp/elsewhere"));
        System.clearProperty("gan4j.evaluators.dir");
        if (System.getenv("GAN4J_EVALUATORS_DIR") == null) {
          assertThat(Evaluator.defaultDirectory())
              .isEqualTo(Path.of(System.getProperty("user.home"), ".gan4j", "evaluators"));
        }
      } finally {
        if (old != null) {
          System.setProperty("gan4j.evaluators.dir", old);
        }
      }
    }
  }

  @Nested
  class Results {
    private final Evaluation.Protocol protocol = new Evaluation.Protocol("fashion-mnist-0123456789ab", 0.9123,
        "classifier/features", 128, 10, 10_000, OptionalLong.of(7), "t10k \"test\"", 10_000, 0, 100, 1000, 3);

    @Test
    void json_isOneLineWithNaNAsNull() {
      Evaluation e = new Evaluation(1.5, 0.01, 0.002, 0.7, 0.6, Double.NaN, Double.NaN, Double.NaN, protocol,
          Duration.ofMillis(12_345));
      assertThat(e.toJson()).isEqualTo("{\"fd\":1.5,\"kid_mean\":0.01,\"kid_std\":0.002,\"precision\":0.7,"
          + "\"recall\":0.6,\"classifier_score\":null,\"class_entropy\":null,\"class_coverage\":null,"
          + "\"evaluator\":\"fashion-mnist-0123456789ab\",\"evaluator_accuracy\":0.9123,"
          + "\"feature_layer\":\"classifier/features\",\"feature_size\":128,\"classes\":10,\"samples\":10000,"
          + "\"seed\":7,\"reference\":\"t10k \\\"test\\\"\",\"reference_count\":10000,\"reference_seed\":0,"
          + "\"kid_subsets\":100,\"kid_subset_size\":1000,\"k\":3,\"elapsed_s\":12.345}");
    }

    @Test
    void table_showsEveryMetricAndTheProtocol() {
      Evaluation e = new Evaluation(1.5, 0.01, 0.002, 0.7, 0.6, 8.1, 3.3, 1.0, protocol, Duration.ofSeconds(3));
      assertThat(e.format())
          .contains("Frechet distance   1.5000")
          .contains("KID                0.01000 +- 0.00200")
          .contains("precision          0.7000")
          .contains("class entropy      3.300 bits")
          .contains("max 3.322")
          .contains("10000 samples (seed 7) vs 10000 images of t10k \"test\" (seed 0)")
          .contains("(test accuracy 91.23%)");
    }
  }

  @Nested
  class ModelInputs {
    @Test
    void greyImages_areRepeatedIntoRgbAndResized() {
      ModelInput adapt = ModelInput.of(Shape.of(2, 2, 1), new long[] {-1, 4, 4, 3}, "model");
      float[] out = adapt.adapt(new float[] {0, 1, 2, 3}, 0, 1);
      assertThat(out).hasSize(48);
      // half-pixel centres: output (0, 0) sits on input (0, 0); output (1, 1) at (0.25, 0.25)
      assertThat(out[0]).isEqualTo(0f);
      assertThat(out[1]).isEqualTo(0f);
      assertThat(out[(1 * 4 + 1) * 3]).isEqualTo(0.75f);   // 0.25 * 1 (right) + 0.25 * 2 (down)
      assertThat(out[(3 * 4 + 3) * 3 + 2]).isEqualTo(3f);
    }

    @Test
    void sameShape_passesUnchanged() {
      assertThat(ModelInput.of(Shape.of(28, 28, 1), new long[] {-1, -1, -1, 1}, "m").identity()).isTrue();
      assertThat(ModelInput.of(Shape.of(28, 28, 1), new long[] {-1, 28, 28, 1}, "m").identity()).isTrue();
    }

    @Test
    void rgbImagesForAGreyModel_areRefusedWithTheFix() {
      assertThatThrownBy(() -> ModelInput.of(Shape.of(32, 32, 3), new long[] {-1, 32, 32, 1}, "the SavedModel in m"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the SavedModel in m takes images with 1 channels, these have 3");
    }
  }
}
