package io.github.gan4j.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gan4j.data.Dataset;
import io.github.gan4j.data.Datasets;
import io.github.gan4j.recipe.FakeBatches;
import io.github.gan4j.train.StepMetrics;
import io.github.gan4j.train.Steps;
import io.github.gan4j.train.Trainer;
import io.github.gan4j.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The frozen-discriminator contracts, on the real native library. */
class TrainerContractTest {
  final Dataset data = Fixtures.squares();

  @Nested
  class Freezing {
    @ParameterizedTest
    @EnumSource(FakeBatches.class)
    void discriminatorStep_leavesEveryGeneratorVariableBitIdentical(FakeBatches mode) {
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).seed(3).fakeBatches(mode).build()) {
        t.step(data);   // so that optimizer state and BatchNorm statistics are not at their initial values
        Map<String, float[]> before = t.variables();
        t.discriminatorStep(data);
        Map<String, float[]> after = t.variables();
        assertBitIdentical(Fixtures.only(before, "generator/"), Fixtures.only(after, "generator/"));
        assertBitIdentical(Fixtures.only(before, "optimizer/generator/"), Fixtures.only(after, "optimizer/generator/"));
        assertAllChanged(Fixtures.only(before, "discriminator/"), Fixtures.only(after, "discriminator/"));
        assertAllChanged(Fixtures.only(before, "optimizer/discriminator/"),
            Fixtures.only(after, "optimizer/discriminator/"));
      }
    }

    @Test
    void generatorStep_leavesEveryDiscriminatorVariableAndItsOptimizerBitIdentical() {
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).seed(3).build()) {
        t.step(data);
        Map<String, float[]> before = t.variables();
        t.generatorStep();
        Map<String, float[]> after = t.variables();
        assertBitIdentical(Fixtures.only(before, "discriminator/"), Fixtures.only(after, "discriminator/"));
        assertBitIdentical(Fixtures.only(before, "optimizer/discriminator/"),
            Fixtures.only(after, "optimizer/discriminator/"));
        // every generator variable moves, the BatchNorm moving statistics included
        assertAllChanged(Fixtures.only(before, "generator/"), Fixtures.only(after, "generator/"));
        assertThat(Fixtures.only(after, "generator/")).containsKey("generator/batch_normalization/moving_mean");
      }
    }

    @Test
    void fullStep_updatesBothNetworks_andCountsOptimizerIterations() {
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).seed(3).build()) {
        Map<String, float[]> before = t.variables();
        t.step(data);
        t.step(data);
        Map<String, float[]> after = t.variables();
        assertAllChanged(Fixtures.only(before, "generator/"), Fixtures.only(after, "generator/"));
        assertAllChanged(Fixtures.only(before, "discriminator/"), Fixtures.only(after, "discriminator/"));
        // the reference procedure: two D updates (real, then fake) and one G update per step
        assertThat(after.get("optimizer/discriminator/iterations")).containsExactly(4f);
        assertThat(after.get("optimizer/generator/iterations")).containsExactly(2f);
        assertThat(after.get("step")).containsExactly(2f);
      }
    }

    @Test
    void firstGeneratorUpdate_movesEachWeightByAboutTheLearningRate() {
      // Adam's first update is lr * m / (sqrt(v) + eps) with m, v bias-corrected: about lr * sign(g)
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).seed(3).build()) {
        Map<String, float[]> before = t.variables();
        t.generatorStep();
        Map<String, float[]> after = t.variables();
        float[] k0 = before.get("generator/conv2d_transpose/kernel");
        float[] k1 = after.get("generator/conv2d_transpose/kernel");
        int nearLr = 0;
        for (int i = 0; i < k0.length; i++) {
          double d = Math.abs((double) k1[i] - k0[i]);
          assertThat(d).isLessThanOrEqualTo(0.001 * 1.001 + 1e-7);
          if (d > 0.0009) {
            nearLr++;
          }
        }
        assertThat(nearLr).isGreaterThan(k0.length * 9 / 10);
      }
    }
  }

  @Nested
  class Determinism {
    @Test
    void sameSeed_givesBitIdenticalLossesAndWeights() {
      List<StepMetrics> a = new ArrayList<>();
      List<StepMetrics> b = new ArrayList<>();
      Map<String, float[]> wa;
      Map<String, float[]> wb;
      try (Trainer t = Trainer.of(Fixtures.tinyWithDropout()).batchSize(16).seed(11).build()) {
        for (int i = 0; i < 8; i++) {
          a.add(t.step(data));
        }
        wa = t.variables();
      }
      try (Trainer t = Trainer.of(Fixtures.tinyWithDropout()).batchSize(16).seed(11).build()) {
        for (int i = 0; i < 8; i++) {
          b.add(t.step(data));
        }
        wb = t.variables();
      }
      for (int i = 0; i < a.size(); i++) {
        assertThat(losses(a.get(i))).as("step %d", i + 1).containsExactly(losses(b.get(i)));
      }
      assertBitIdentical(wa, wb);
    }

    @Test
    void anotherSeed_givesOtherLosses() {
      try (Trainer t1 = Trainer.of(Fixtures.tiny()).batchSize(16).seed(1).build();
          Trainer t2 = Trainer.of(Fixtures.tiny()).batchSize(16).seed(2).build()) {
        assertThat(losses(t1.step(data))).isNotEqualTo(losses(t2.step(data)));
      }
    }
  }

  @Nested
  class Learning {
    @Test
    void onFashionMnist_lossesStayFinite_andTheDiscriminatorLearnsToTellRealFromFake() {
      Dataset fashion = Fixtures.fashionMnist();
      try (Trainer t = Trainer.of(io.github.gan4j.examples.ReferenceModels.mnist()).batchSize(32).seed(1).build()) {
        StepMetrics first = t.discriminatorStep(fashion);
        StepMetrics last = first;
        for (int i = 0; i < 15; i++) {
          last = t.discriminatorStep(fashion);
          assertThat(Float.isFinite(last.dLoss())).as("d_loss at %s", last).isTrue();
        }
        assertThat(first.dReal()).isBetween(0.3f, 0.7f);   // untrained: no opinion
        assertThat(last.dReal()).isGreaterThan(0.9f);       // real images recognised
        assertThat(last.dFakeInDUpdate()).isLessThan(0.1f); // fakes rejected
        assertThat(last.dFake()).as("no generator update in a D-only step").isNaN();
        assertThat(last.dLoss()).isLessThan(first.dLoss() / 4);
        for (int i = 0; i < 10; i++) {
          StepMetrics m = t.step(fashion);
          assertThat(m.finite()).as("step %d: %s", m.step(), m).isTrue();
        }
      }
    }
  }

  @Nested
  class Lifecycle {
    @Test
    void closedTrainer_refusesUse_andCloseIsIdempotent() {
      Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).build();
      t.close();
      t.close();
      assertThatThrownBy(() -> t.step(data)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }

    @Test
    void datasetOfAnotherShape_isRefusedWithBothShapes() {
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).build()) {
        Dataset rgb = Datasets.fromFloats(new float[32 * 8 * 8 * 3], 8, 8, 3);
        assertThatThrownBy(() -> t.step(rgb)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("(8, 8, 3)").hasMessageContaining("expects (8, 8, 1)");
      }
    }

    @Test
    void datasetSmallerThanABatch_isRefused() {
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(64).build()) {
        Dataset few = Datasets.fromFloats(new float[10 * 64], 8, 8, 1);
        assertThatThrownBy(() -> t.step(few)).hasMessageContaining("fewer than one batch of 64");
      }
    }

    @Test
    void fit_callsOnEndOfEveryStartedListener_whenAListenerThrows() {
      List<String> calls = new ArrayList<>();
      TrainingListener recorder = new TrainingListener() {
        @Override
        public void onStep(Trainer trainer, StepMetrics metrics) {
          calls.add("step " + metrics.step());
        }

        @Override
        public void onEnd(Trainer trainer) {
          calls.add("end");
        }
      };
      TrainingListener failing = (trainer, metrics) -> {
        throw new IllegalStateException("listener failed at step " + metrics.step());
      };
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).build()) {
        assertThatThrownBy(() -> t.fit(data, Steps.of(3), recorder, failing))
            .isInstanceOf(IllegalStateException.class).hasMessage("listener failed at step 1");
      }
      assertThat(calls).containsExactly("step 1", "end");
    }
  }

  static float[] losses(StepMetrics m) {
    return new float[] {m.dLoss(), m.gLoss(), m.dReal(), m.dFake(), m.dFakeInDUpdate()};
  }

  static void assertBitIdentical(Map<String, float[]> a, Map<String, float[]> b) {
    assertThat(b.keySet()).isEqualTo(a.keySet());
    a.forEach((name, v) -> assertThat(b.get(name)).as(name).containsExactly(v));
  }

  static void assertAllChanged(Map<String, float[]> a, Map<String, float[]> b) {
    assertThat(a).isNotEmpty();
    a.forEach((name, v) -> assertThat(java.util.Arrays.equals(v, b.get(name))).as(name + " changed").isFalse());
  }
}
