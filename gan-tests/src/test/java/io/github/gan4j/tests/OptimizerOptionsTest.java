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
import io.github.gan4j.layers.Initializer;
import io.github.gan4j.recipe.GanLoss;
import io.github.gan4j.recipe.LearningRateSchedule;
import io.github.gan4j.recipe.Optimizer;
import io.github.gan4j.train.CheckpointException;
import io.github.gan4j.train.RestoreOption;
import io.github.gan4j.train.StepMetrics;
import io.github.gan4j.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Learning-rate schedules, weight clipping, weight initializers and restoring into another configuration. */
class OptimizerOptionsTest {
  final Dataset data = Fixtures.squares();

  @Nested
  class Schedules {
    static Stream<Arguments> schedules() {
      // steps checked: start, last warm-up step, warm-up end, mid-decay, decay end, beyond
      return Stream.of(
          Arguments.of(LearningRateSchedule.cosine(40, 0.1f).withWarmup(10), new long[] {0, 9, 10, 30, 50, 70}),
          Arguments.of(LearningRateSchedule.linearDecay(40, 0.25f).withWarmup(5), new long[] {0, 4, 5, 25, 45, 70}),
          Arguments.of(LearningRateSchedule.stepDecay(15, 0.5f), new long[] {0, 14, 15, 31, 45, 70}),
          Arguments.of(LearningRateSchedule.constant().withWarmup(8), new long[] {0, 7, 8, 30, 70}),
          Arguments.of(LearningRateSchedule.constant(), new long[] {0, 70}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedules")
    void learningRates_inGraph_matchTheDoublePrecisionReference(LearningRateSchedule schedule, long[] steps) {
      float dRate = 2e-4f;
      float gRate = 1e-3f;
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(8).seed(3)
          .discriminatorOptimizer(Optimizer.adam().learningRate(dRate))
          .generatorOptimizer(Optimizer.rmsProp().learningRate(gRate))
          .learningRateSchedule(schedule).build()) {
        for (long step : steps) {
          while (t.stepCount() < step) {
            t.generatorStep();
          }
          Trainer.LearningRates rates = t.learningRates();
          double m = schedule.multiplier(step);
          assertThat((double) rates.discriminator()).as("D at step %d", step).isCloseTo(dRate * m, within(2e-6 * dRate));
          assertThat((double) rates.generator()).as("G at step %d", step).isCloseTo(gRate * m, within(2e-6 * gRate));
        }
      }
    }

    @Test
    void perNetworkSchedules_applyToTheirNetworkOnly() {
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(8)
          .discriminatorSchedule(LearningRateSchedule.stepDecay(1, 0.5f))
          .generatorSchedule(LearningRateSchedule.constant()).build()) {
        t.generatorStep();
        t.generatorStep();
        assertThat(t.learningRates()).isEqualTo(new Trainer.LearningRates(0.001f * 0.25f, 0.001f));
      }
    }

    @Test
    void sgdUpdate_usesTheScheduledRate() {
      // warm-up of 4 steps: the multiplier at step 0 is 1/4, so SGD(0.1) moves G as SGD(0.025) does
      Map<String, float[]> scheduled;
      Map<String, float[]> plain;
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(8).seed(4).optimizer(Optimizer.sgd().learningRate(0.1f))
          .learningRateSchedule(LearningRateSchedule.constant().withWarmup(4)).build()) {
        t.generatorStep();
        scheduled = t.variables();
      }
      Map<String, float[]> initial;
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(8).seed(4)
          .optimizer(Optimizer.sgd().learningRate(0.025f)).build()) {
        initial = t.variables();
        t.generatorStep();
        plain = t.variables();
      }
      int moved = 0;
      for (String name : plain.keySet()) {
        if (!name.startsWith("generator/") || name.contains("moving_")) {
          continue;
        }
        float[] a = scheduled.get(name);
        float[] b = plain.get(name);
        float[] w0 = initial.get(name);
        for (int i = 0; i < b.length; i++) {
          double step = Math.abs(b[i] - w0[i]);
          assertThat((double) a[i]).as("%s[%d]", name, i).isCloseTo(b[i], within(1e-6 + 1e-5 * step));
          moved += b[i] != w0[i] ? 1 : 0;
        }
      }
      assertThat(moved).as("G weights moved by the update").isPositive();
    }

    @Test
    void cosineSchedule_restoreAndContinue_isBitIdenticalToNeverHavingStopped(@TempDir Path dir) {
      LearningRateSchedule cosine = LearningRateSchedule.cosine(10, 0.1f).withWarmup(3);
      List<StepMetrics> uninterrupted = new ArrayList<>();
      Map<String, float[]> expected;
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).seed(21).learningRateSchedule(cosine).build()) {
        for (int i = 0; i < 5; i++) {
          t.step(data);
        }
        t.save(dir);
        for (int i = 0; i < 8; i++) {
          uninterrupted.add(t.step(data));
        }
        expected = t.variables();
      }
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).seed(21).learningRateSchedule(cosine).build()) {
        t.restore(dir);
        assertThat(t.stepCount()).isEqualTo(5);
        assertThat((double) t.learningRates().generator()).isCloseTo(0.001 * cosine.multiplier(5), within(1e-9));
        for (int i = 0; i < 8; i++) {
          StepMetrics m = t.step(data);
          assertThat(TrainerContractTest.losses(m)).as("step %d", m.step())
              .containsExactly(TrainerContractTest.losses(uninterrupted.get(i)));
        }
        TrainerContractTest.assertBitIdentical(expected, t.variables());
      }
    }
  }

  @Nested
  class WeightClipping {
    @Test
    void clipWeights_afterEveryStep_everyDiscriminatorWeightIsWithinTheBound_generatorsAreNot() {
      float c = 0.01f;
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(8).seed(9).loss(GanLoss.wasserstein())
          .discriminatorOptimizer(Optimizer.rmsProp().learningRate(5e-5f).clipWeights(c))
          .generatorOptimizer(Optimizer.rmsProp().learningRate(5e-5f)).discriminatorSteps(2).build()) {
        for (int s = 0; s < 3; s++) {
          StepMetrics m = t.step(data);
          assertThat(m.finite()).isTrue();
          Map<String, float[]> vars = t.variables();
          float dMax = 0;
          float gMax = 0;
          for (var e : vars.entrySet()) {
            float max = 0;
            for (float v : e.getValue()) {
              max = Math.max(max, Math.abs(v));
            }
            if (e.getKey().startsWith("discriminator/")) {
              dMax = Math.max(dMax, max);
            } else if (e.getKey().startsWith("generator/") && e.getKey().endsWith("kernel")) {
              gMax = Math.max(gMax, max);
            }
          }
          assertThat(dMax).as("largest |D weight| after step %d", s).isLessThanOrEqualTo(c).isPositive();
          assertThat(gMax).as("largest |G kernel weight| after step %d", s).isGreaterThan(0.1f);
        }
      }
    }

    @Test
    void clipWeights_isValidatedAndDescribed() {
      assertThatThrownBy(() -> Optimizer.rmsProp().clipWeights(0f))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("RMSprop clipWeights must be positive and finite, was 0.0");
      assertThatThrownBy(() -> Optimizer.adam().clipWeights(-1f)).hasMessageContaining("Adam clipWeights");
      assertThat(Optimizer.rmsProp().learningRate(5e-5f).clipWeights(0.01f).describe())
          .isEqualTo("rmsProp(learningRate=5.0E-5, rho=0.9, momentum=0.0, epsilon=1.0E-7, clipWeights=0.01)");
      assertThat(Optimizer.sgd().clipWeights(0.5f).learningRate(0.1f).clipWeights()).isEqualTo(0.5f);
      assertThat(Optimizer.adam().describe()).doesNotContain("clip");
    }
  }

  @Nested
  class Initializers {
    /** Big kernels so that sample statistics are tight. */
    Gan model() {
      return GanBuilder.forImages(8, 8, 1).latentDim(64)
          .generator(dense(8 * 8 * 64).kernelInitializer(Initializer.normal(0.02f)), reshape(8, 8, 64),
              conv2dTranspose(32, 5).padding(SAME).kernelInitializer(Initializer.heNormal()), leakyRelu(0.2f),
              conv2d(1, 3).padding(SAME).activation(TANH))
          .discriminator(conv2d(64, 5).strides(2).padding(SAME).kernelInitializer(Initializer.heNormal()),
              leakyRelu(0.2f), flatten(), dense(1))
          .build();
    }

    @Test
    void initialWeights_haveTheInitializersStatistics() {
      try (Trainer t = Trainer.of(model()).batchSize(8).seed(5).build()) {
        Map<String, float[]> v = t.variables();
        // normal(0.02): 64 x 4096 values
        assertStats(v.get("generator/dense/kernel"), 0, 0.02, 0.0002);
        // He normal, conv2dTranspose kernel (5, 5, 32, 64): fanIn = 32 * 25 as Keras computes it
        float[] he = v.get("generator/conv2d_transpose/kernel");
        assertStats(he, 0, Math.sqrt(2.0 / (32 * 25)), 0.0015);
        double bound = 2 * Math.sqrt(2.0 / (32 * 25)) / 0.87962566103423978;
        for (float x : he) {
          assertThat((double) Math.abs(x)).isLessThanOrEqualTo(bound * 1.0001);
        }
        // He normal, conv2d kernel (5, 5, 1, 64): fanIn = 25
        assertStats(v.get("discriminator/conv2d/kernel"), 0, Math.sqrt(2.0 / 25), 0.02);
        // default Glorot uniform, conv2d kernel (3, 3, 32, 1): U(-l, l), l = sqrt(6 / (288 + 9))
        double limit = Math.sqrt(6.0 / (288 + 9));
        float[] glorot = v.get("generator/conv2d/kernel");
        double max = 0;
        for (float x : glorot) {
          max = Math.max(max, Math.abs(x));
        }
        assertThat(max).isLessThanOrEqualTo(limit).isGreaterThan(0.95 * limit);
        assertThat(v.get("generator/dense/bias")).containsOnly(0f);
      }
    }

    @Test
    void initialWeights_dependOnTheSeedAndTheVariableName_notThePosition() {
      Gan extraLayer = GanBuilder.forImages(8, 8, 1).latentDim(64)
          .generator(dense(8 * 8 * 64).kernelInitializer(Initializer.normal(0.02f)), reshape(8, 8, 64),
              conv2dTranspose(32, 5).padding(SAME).kernelInitializer(Initializer.heNormal()), leakyRelu(0.2f),
              conv2d(1, 3).padding(SAME).activation(TANH))
          .discriminator(conv2d(64, 5).strides(2).padding(SAME).kernelInitializer(Initializer.heNormal()),
              leakyRelu(0.2f), conv2d(8, 1), flatten(), dense(1))
          .build();
      try (Trainer a = Trainer.of(model()).seed(5).build(); Trainer b = Trainer.of(extraLayer).seed(5).build();
          Trainer c = Trainer.of(model()).seed(6).build()) {
        Map<String, float[]> va = a.variables();
        Map<String, float[]> vb = b.variables();
        for (String name : List.of("generator/dense/kernel", "generator/conv2d_transpose/kernel",
            "discriminator/conv2d/kernel")) {
          assertThat(vb.get(name)).as(name).containsExactly(va.get(name));
        }
        assertThat(c.variables().get("generator/dense/kernel")).isNotEqualTo(va.get("generator/dense/kernel"));
      }
    }

    @Test
    void defaultInitializer_isUnchanged_andOthersCountInTheFingerprint() {
      assertThat(dense(4).kernelInitializer(Initializer.glorotUniform())).isEqualTo(dense(4));
      assertThat(dense(4).kernelInitializer(Initializer.glorotUniform()).describe()).isEqualTo("dense(units=4)");
      assertThat(conv2d(8, 3).kernelInitializer(Initializer.normal(0.02f)).describe())
          .isEqualTo("conv2d(filters=8, kernelSize=3, kernelInitializer=normal(stddev=0.02))");
      // the fingerprint of the tiny model before initializers existed
      assertThat(Fixtures.tiny().fingerprint()).isEqualTo(TINY_FINGERPRINT);
      Gan dcgan = GanBuilder.forImages(8, 8, 1).latentDim(8)
          .generator(dense(64).kernelInitializer(Initializer.normal(0.02f)), reshape(8, 8, 1))
          .discriminator(flatten(), dense(1)).build();
      Gan keras = GanBuilder.forImages(8, 8, 1).latentDim(8)
          .generator(dense(64), reshape(8, 8, 1)).discriminator(flatten(), dense(1)).build();
      assertThat(dcgan.fingerprint()).isNotEqualTo(keras.fingerprint());
      // Glorot uniform as before: the same first weights for the same seed
      try (Trainer t = Trainer.of(Fixtures.tiny()).seed(7).build()) {
        float[] k = t.variables().get("generator/dense/kernel");
        assertThat(new float[] {k[0], k[1], k[2]}).containsExactly(TINY_SEED7_DENSE_KERNEL);
      }
    }
  }

  /** {@link Fixtures#tiny()}'s fingerprint and first weights with seed 7, as computed by main before initializers. */
  static final String TINY_FINGERPRINT = "3e641cd9310b7ecd";
  static final float[] TINY_SEED7_DENSE_KERNEL = {0.094857514f, 0.22370034f, 0.049599946f};

  static void assertStats(float[] values, double mean, double std, double tolerance) {
    double sum = 0;
    double sq = 0;
    for (float x : values) {
      sum += x;
      sq += (double) x * x;
    }
    double m = sum / values.length;
    double s = Math.sqrt(sq / values.length - m * m);
    assertThat(m).as("mean of %d values", values.length).isCloseTo(mean, within(tolerance));
    assertThat(s).as("standard deviation of %d values", values.length).isCloseTo(std, within(tolerance));
  }

  @Nested
  class RestoreIntoAnotherConfiguration {
    List<String> warnings = new ArrayList<>();
    final Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
          warnings.add(r.getMessage());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };

    List<String> capturingWarnings(Runnable r) {
      Logger log = Logger.getLogger("io.github.gan4j");
      log.addHandler(capture);
      try {
        r.run();
      } finally {
        log.removeHandler(capture);
      }
      return warnings;
    }

    void saveTwoSteps(Trainer.Builder config, Path dir) {
      try (Trainer t = config.build()) {
        t.step(data);
        t.step(data);
        t.save(dir);
      }
    }

    @Test
    void sameConfiguration_restoresWithoutWarnings(@TempDir Path dir) {
      saveTwoSteps(Trainer.of(Fixtures.tiny()).batchSize(16).seed(21), dir);
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).seed(21).build()) {
        assertThat(capturingWarnings(() -> t.restore(dir))).isEmpty();
      }
    }

    @Test
    void otherBatchSizeSeedLearningRateOrSchedule_warnsNamingBothValues_andRestores(@TempDir Path dir) {
      saveTwoSteps(Trainer.of(Fixtures.tiny()).batchSize(16).seed(21)
          .optimizer(Optimizer.adam().learningRate(2e-4f).beta1(0.5f)), dir);
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(8).seed(22)
          .discriminatorOptimizer(Optimizer.adam().learningRate(1e-4f).beta1(0.5f))
          .generatorOptimizer(Optimizer.adam().learningRate(2e-4f).beta1(0.5f))
          .generatorSchedule(LearningRateSchedule.cosine(100, 0f)).build()) {
        List<String> w = capturingWarnings(() -> t.restore(dir));
        assertThat(w).hasSize(4).allMatch(line -> !line.contains("\n"));
        assertThat(w.get(0)).contains("batch size 16, this trainer has 8");
        assertThat(w.get(1)).contains("seed 21, this trainer has 22");
        assertThat(w.get(2)).contains("discriminator optimizer adam(learningRate=2.0E-4, beta1=0.5")
            .contains("this trainer has adam(learningRate=1.0E-4, beta1=0.5");
        assertThat(w.get(3)).contains("generator learning-rate schedule constant(), this trainer has"
            + " cosine(decaySteps=100, floor=0.0)");
        assertThat(t.stepCount()).isEqualTo(2);
        assertThat(t.step(data).finite()).isTrue();
      }
    }

    @Test
    void otherOptimizerKind_isRefused_sayingWhatToDo(@TempDir Path dir) {
      saveTwoSteps(Trainer.of(Fixtures.tiny()).batchSize(16), dir);
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16)
          .discriminatorOptimizer(Optimizer.rmsProp().learningRate(5e-5f)).build()) {
        assertThatThrownBy(() -> t.restore(dir)).isInstanceOf(CheckpointException.class)
            .hasMessageContaining("was trained with adam(learningRate=0.001")
            .hasMessageContaining("for the discriminator, this trainer has rmsProp(learningRate=5.0E-5")
            .hasMessageContaining("RestoreOption.ALLOW_OPTIMIZER_CHANGE");
        assertThat(t.stepCount()).isZero();
      }
    }

    @Test
    void otherOptimizerKind_whenAllowed_restoresTheWeights_andStartsThatOptimizerFresh(@TempDir Path dir) {
      Map<String, float[]> saved;
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).build()) {
        t.step(data);
        t.step(data);
        t.save(dir);
        saved = t.variables();
      }
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16)
          .discriminatorOptimizer(Optimizer.rmsProp().learningRate(5e-5f)).build()) {
        t.step(data);   // state to be overwritten: restore must not keep any of it
        List<String> w = capturingWarnings(() -> t.restore(dir, RestoreOption.ALLOW_OPTIMIZER_CHANGE));
        assertThat(w).singleElement().asString().contains("discriminator optimizer changed from adam(")
            .contains("to rmsProp(").contains("fresh state");
        assertThat(t.stepCount()).isEqualTo(2);
        Map<String, float[]> now = t.variables();
        for (var e : saved.entrySet()) {
          if (!e.getKey().startsWith("optimizer/discriminator/")) {
            assertThat(now.get(e.getKey())).as(e.getKey()).containsExactly(e.getValue());
          }
        }
        now.forEach((name, v) -> {
          if (name.startsWith("optimizer/discriminator/")) {
            assertThat(v).as(name).containsOnly(0f);
          }
        });
        assertThat(now).containsKey("optimizer/discriminator/iterations");
        assertThat(t.step(data).finite()).isTrue();
      }
    }

    @Test
    void sgdGainingMomentum_warns_andStartsTheMomentumAtZero(@TempDir Path dir) {
      saveTwoSteps(Trainer.of(Fixtures.tiny()).batchSize(16).optimizer(Optimizer.sgd()), dir);
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).optimizer(Optimizer.sgd().momentum(0.9f)).build()) {
        List<String> w = capturingWarnings(() -> t.restore(dir));
        assertThat(w).hasSize(2).allMatch(line -> line.contains("sgd(learningRate=0.01, momentum=0.0)"));
        assertThat(t.stepCount()).isEqualTo(2);
        assertThat(t.step(data).finite()).isTrue();
      }
    }
  }

  @Nested
  class ReadmeSnippet {
    @Test
    void readmeTrainingOptions_isThisCompiledCode(@TempDir Path checkpoint) throws java.io.IOException {
      for (String part : List.of("OPTIMIZER OPTIONS", "RESTORE OPTIONS")) {
        ReadmeTest.assertReadmeShows("gan-tests/src/test/java/io/github/gan4j/tests/OptimizerOptionsTest.java", part, 6);
      }
      Dataset data = Fixtures.squares();
      // BEGIN README OPTIMIZER OPTIONS
      Gan gan = GanBuilder.forImages(8, 8, 1).latentDim(16)
          .generator(
              dense(4 * 4 * 32).kernelInitializer(Initializer.normal(0.02f)), reshape(4, 4, 32), leakyRelu(0.2f),
              conv2dTranspose(1, 4).strides(2).padding(SAME).activation(TANH)
                  .kernelInitializer(Initializer.normal(0.02f)))
          .discriminator(
              conv2d(32, 4).strides(2).padding(SAME).kernelInitializer(Initializer.heNormal()), leakyRelu(0.2f),
              flatten(), dense(1))
          .build();
      try (Trainer trainer = Trainer.of(gan)
          .loss(GanLoss.wasserstein())
          .discriminatorSteps(5)
          .discriminatorOptimizer(Optimizer.rmsProp().learningRate(5e-5f).clipWeights(0.01f))
          .generatorOptimizer(Optimizer.rmsProp().learningRate(5e-5f))
          .learningRateSchedule(LearningRateSchedule.cosine(10_000, 0.1f).withWarmup(500))
          .build()) {
        trainer.step(data);
        Trainer.LearningRates rates = trainer.learningRates();   // 5e-5 * 2/500 each, at step 1
        trainer.save(checkpoint);
      }
      // END README OPTIMIZER OPTIONS
      // BEGIN README RESTORE OPTIONS
      try (Trainer slower = Trainer.of(gan).loss(GanLoss.wasserstein()).discriminatorSteps(5)
          .optimizer(Optimizer.rmsProp().learningRate(1e-5f)).build()) {
        slower.restore(checkpoint);   // warns: learning rates, schedules and clipping differ; continues
      }
      try (Trainer adam = Trainer.of(gan).loss(GanLoss.wasserstein()).discriminatorSteps(5)
          .optimizer(Optimizer.adam().learningRate(1e-4f).beta1(0.5f)).build()) {
        adam.restore(checkpoint, RestoreOption.ALLOW_OPTIMIZER_CHANGE);   // weights kept, Adam starts fresh
      }
      // END README RESTORE OPTIONS
    }
  }
}
