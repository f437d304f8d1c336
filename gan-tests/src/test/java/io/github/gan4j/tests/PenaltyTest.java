package io.github.gan4j.tests;

import static io.github.gan4j.layers.Activation.RELU;
import static io.github.gan4j.layers.Activation.TANH;
import static io.github.gan4j.layers.Layers.batchNorm;
import static io.github.gan4j.layers.Layers.conv2d;
import static io.github.gan4j.layers.Layers.conv2dTranspose;
import static io.github.gan4j.layers.Layers.dense;
import static io.github.gan4j.layers.Layers.flatten;
import static io.github.gan4j.layers.Layers.leakyRelu;
import static io.github.gan4j.layers.Layers.reshape;
import static io.github.gan4j.layers.Padding.SAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gan4j.Gan;
import io.github.gan4j.GanBuilder;
import io.github.gan4j.data.Dataset;
import io.github.gan4j.recipe.DiscriminatorUpdate;
import io.github.gan4j.recipe.GanLoss;
import io.github.gan4j.recipe.GradientPenalty;
import io.github.gan4j.recipe.LearningRateSchedule;
import io.github.gan4j.recipe.Optimizer;
import io.github.gan4j.train.StepMetrics;
import io.github.gan4j.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Losses and gradient penalties through the public API: training, determinism, checkpoints, errors. */
class PenaltyTest {

  /** A small DCGAN for 28x28x1 (no BatchNorm in D, so every penalty applies). */
  static Gan smallFashion() {
    return GanBuilder.forImages(28, 28, 1).latentDim(32)
        .generator(dense(7 * 7 * 32).activation(RELU), reshape(7, 7, 32), batchNorm().momentum(0.8f),
            conv2dTranspose(16, 4).strides(2).padding(SAME), leakyRelu(0.2f), batchNorm().momentum(0.8f),
            conv2dTranspose(1, 4).strides(2).padding(SAME).activation(TANH))
        .discriminator(conv2d(16, 3).strides(2).padding(SAME), leakyRelu(0.2f),
            conv2d(32, 3).strides(2).padding(SAME), leakyRelu(0.2f), flatten(), dense(1))
        .build();
  }

  static final Optimizer WGAN_GP_ADAM = Optimizer.adam().learningRate(1e-4f).beta1(0f).beta2(0.9f);

  static Stream<Arguments> fashionRecipes() {
    return Stream.of(
        Arguments.of("lsgan", (Supplier<Trainer.Builder>) () -> Trainer.of(smallFashion())
            .loss(GanLoss.leastSquares())),
        Arguments.of("hinge", (Supplier<Trainer.Builder>) () -> Trainer.of(smallFashion())
            .loss(GanLoss.hinge()).optimizer(Optimizer.adam().learningRate(2e-4f).beta1(0f).beta2(0.9f))),
        Arguments.of("wasserstein + wganGp", (Supplier<Trainer.Builder>) () -> Trainer.of(smallFashion())
            .loss(GanLoss.wasserstein()).penalty(GradientPenalty.wganGp()).optimizer(WGAN_GP_ADAM)),
        Arguments.of("nonSaturating + r1", (Supplier<Trainer.Builder>) () -> Trainer.of(smallFashion())
            .loss(GanLoss.nonSaturating()).penalty(GradientPenalty.r1(1f))),
        Arguments.of("nonSaturating, realLabel 0.9", (Supplier<Trainer.Builder>) () -> Trainer.of(smallFashion())
            .loss(GanLoss.nonSaturating().realLabel(0.9f))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fashionRecipes")
  void threeHundredFashionMnistSteps_stayFinite(String name, Supplier<Trainer.Builder> config) {
    Dataset fashion = Fixtures.fashionMnist();
    try (Trainer t = config.get().batchSize(16).seed(7).build()) {
      boolean penalised = !t.recipe().penalties().isEmpty();
      StepMetrics last = null;
      for (int i = 0; i < 300; i++) {
        last = t.step(fashion);
        assertThat(last.finite()).as("%s: %s", name, last).isTrue();
        assertThat(Float.isFinite(last.dLoss()) && Float.isFinite(last.gLoss())).as("%s: %s", name, last).isTrue();
        assertThat(Float.isNaN(last.penalty())).as("penalty reported iff configured: %s", last).isEqualTo(!penalised);
        if (penalised) {
          assertThat(last.penalty()).as("%s", last).isGreaterThanOrEqualTo(0f).isLessThan(1e4f);
        }
      }
      System.out.printf("%s: %s%n", name, last);
      t.variables().forEach((var, values) -> {
        for (float v : values) {
          assertThat(Float.isFinite(v)).as("%s: %s", name, var).isTrue();
        }
      });
    }
  }

  static Stream<Arguments> penaltyRecipes() {
    return Stream.of(
        Arguments.of("wasserstein + wganGp, dropout in D, 2 D steps",
            (Supplier<Trainer.Builder>) () -> Trainer.of(Fixtures.tinyWithDropout()).loss(GanLoss.wasserstein())
                .penalty(GradientPenalty.wganGp()).discriminatorSteps(2).optimizer(WGAN_GP_ADAM)),
        Arguments.of("lazy r1 every 4 + r2",
            (Supplier<Trainer.Builder>) () -> Trainer.of(Fixtures.tiny())
                .penalty(GradientPenalty.r1(10f).every(4), GradientPenalty.r2(1f))),
        Arguments.of("hinge + wganGp + lazy r1, combined batch",
            (Supplier<Trainer.Builder>) () -> Trainer.of(Fixtures.tinyWithDropout()).loss(GanLoss.hinge())
                .discriminatorUpdate(DiscriminatorUpdate.COMBINED_BATCH)
                .penalty(GradientPenalty.wganGp(), GradientPenalty.r1(1f).every(4))),
        // the losses, schedules and clipping without penalties keep the contract too
        Arguments.of("nonSaturating realLabel 0.9, step-decay schedule with warm-up",
            (Supplier<Trainer.Builder>) () -> Trainer.of(Fixtures.tiny())
                .loss(GanLoss.nonSaturating().realLabel(0.9f))
                .learningRateSchedule(LearningRateSchedule.stepDecay(4, 0.5f).withWarmup(3))),
        Arguments.of("minimax, cosine schedule for G only",
            (Supplier<Trainer.Builder>) () -> Trainer.of(Fixtures.tiny()).loss(GanLoss.minimax())
                .generatorSchedule(LearningRateSchedule.cosine(10, 0.1f))),
        Arguments.of("lsgan -1/1/0, linear decay",
            (Supplier<Trainer.Builder>) () -> Trainer.of(Fixtures.tinyWithDropout())
                .loss(GanLoss.leastSquares().labels(-1f, 1f, 0f))
                .learningRateSchedule(LearningRateSchedule.linearDecay(8, 0.2f))),
        Arguments.of("hinge, combined batch",
            (Supplier<Trainer.Builder>) () -> Trainer.of(Fixtures.tiny()).loss(GanLoss.hinge())
                .discriminatorUpdate(DiscriminatorUpdate.COMBINED_BATCH)),
        Arguments.of("wasserstein with weight clipping, 3 D steps",
            (Supplier<Trainer.Builder>) () -> Trainer.of(Fixtures.tiny()).loss(GanLoss.wasserstein())
                .discriminatorSteps(3)
                .discriminatorOptimizer(Optimizer.rmsProp().learningRate(5e-5f).clipWeights(0.01f))
                .generatorOptimizer(Optimizer.rmsProp().learningRate(5e-5f))));
  }

  /**
   * For every recipe above (penalties, and each loss, schedule and clipping without them):
   * same seed: bit-identical; save at step 6 (not a multiple of 4, so a lazy penalty's next
   * application lies after the restore), restore into a fresh trainer and continue to 12:
   * bit-identical to never having stopped.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("penaltyRecipes")
  void sameSeed_andRestoreAndContinue_areBitIdentical(String name, Supplier<Trainer.Builder> config,
      @TempDir Path dir) {
    Dataset data = Fixtures.squares();
    List<StepMetrics> uninterrupted = new ArrayList<>();
    Map<String, float[]> expected;
    try (Trainer t = config.get().batchSize(16).seed(9).build()) {
      for (int i = 0; i < 12; i++) {
        uninterrupted.add(t.step(data));
      }
      expected = t.variables();
    }
    try (Trainer t = config.get().batchSize(16).seed(9).build()) {
      for (int i = 0; i < 6; i++) {
        assertThat(TrainerContractTest.losses(t.step(data))).as("step %d", i + 1)
            .containsExactly(TrainerContractTest.losses(uninterrupted.get(i)));
      }
      t.save(dir);
    }
    try (Trainer t = config.get().batchSize(16).seed(9).build()) {
      t.restore(dir);
      for (int i = 6; i < 12; i++) {
        StepMetrics m = t.step(data);
        StepMetrics u = uninterrupted.get(i);
        assertThat(m.step()).isEqualTo(u.step());
        assertThat(TrainerContractTest.losses(m)).as("step %d", m.step()).containsExactly(TrainerContractTest.losses(u));
        // bits, so that NaN (no penalty on this step) equals NaN
        assertThat(Float.floatToIntBits(m.penalty())).as("penalty at step %d", m.step())
            .isEqualTo(Float.floatToIntBits(u.penalty()));
      }
      TrainerContractTest.assertBitIdentical(expected, t.variables());
    }
  }

  @Test
  void lazyPenalty_appliesOnStepsWhoseNumberBeforeTheStepIsAMultipleOfItsInterval() {
    Dataset data = Fixtures.squares();
    try (Trainer t = Trainer.of(Fixtures.tiny()).penalty(GradientPenalty.r1(10f).every(4)).batchSize(16).build()) {
      for (int i = 0; i < 9; i++) {
        StepMetrics m = t.step(data);
        boolean applied = (m.step() - 1) % 4 == 0;
        assertThat(Float.isNaN(m.penalty())).as("step %d: %s", m.step(), m).isEqualTo(!applied);
        if (applied) {
          assertThat(m.penalty()).isGreaterThan(0f);
        }
      }
      assertThat(Float.isNaN(t.generatorStep().penalty())).as("a generator-only step applies no penalty").isTrue();
    }
  }

  @Test
  void discriminatorOnlySteps_applyThePenaltyToo_andLeaveTheGeneratorAlone() {
    Dataset data = Fixtures.squares();
    try (Trainer t = Trainer.of(Fixtures.tiny()).loss(GanLoss.wasserstein()).penalty(GradientPenalty.wganGp())
        .batchSize(16).build()) {
      t.step(data);
      Map<String, float[]> before = t.variables();
      StepMetrics m = t.discriminatorStep(data);
      assertThat(m.penalty()).isGreaterThan(0f);
      TrainerContractTest.assertBitIdentical(Fixtures.only(before, "generator/"),
          Fixtures.only(t.variables(), "generator/"));
    }
  }

  @Nested
  class Configuration {
    @Test
    void theSameKindTwice_isRefusedAtOnce_namingBoth() {
      assertThatThrownBy(() -> Trainer.of(Fixtures.tiny()).penalty(GradientPenalty.r1(1f), GradientPenalty.r1(2f)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("r1(gamma=1.0)").hasMessageContaining("r1(gamma=2.0)");
    }

    @Test
    void penaltiesAreRecorded_andReplacedBySetting() {
      Trainer.Builder b = Trainer.of(Fixtures.tiny()).penalty(GradientPenalty.wganGp(), GradientPenalty.r2(1f));
      assertThat(b.recipe().penalties()).containsExactly(GradientPenalty.wganGp(), GradientPenalty.r2(1f));
      assertThat(b.penalties(List.of()).recipe().penalties()).isEmpty();
    }

    @Test
    void discriminatorWithBatchNorm_isRefusedAtBuild_namingTheLayerAndTheFix() {
      Gan withBatchNorm = GanBuilder.forImages(8, 8, 1).latentDim(4)
          .generator(dense(64).activation(TANH), reshape(8, 8, 1))
          .discriminator(conv2d(4, 3).strides(2).padding(SAME), batchNorm(), leakyRelu(0.2f), flatten(), dense(1))
          .build();
      assertThatThrownBy(() -> Trainer.of(withBatchNorm).penalty(GradientPenalty.r1(1f)).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("r1(gamma=1.0)")
          .hasMessageContaining("FusedBatchNormGradV3")
          .hasMessageContaining("discriminator[1] batchNorm")
          .hasMessageContaining("Fix:");
    }
  }
}
