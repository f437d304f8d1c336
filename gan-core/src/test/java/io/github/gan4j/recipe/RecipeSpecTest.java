package io.github.gan4j.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Golden values of losses, penalties and schedules against hand-computed formulas; no native code. */
class RecipeSpecTest {
  static final double LN2 = Math.log(2);
  /** softplus(-2) = ln(1 + e^-2) and softplus(2) = 2 + softplus(-2). */
  static final double SP_MINUS_2 = 0.12692801104297263;
  static final double SP_2 = 2.1269280110429727;

  @Nested
  class Losses {
    @Test
    void crossEntropyLosses_areLn2AtZeroLogits() {
      double[] zeros = {0, 0, 0};
      assertThat(GanLoss.nonSaturating().discriminatorLoss(zeros, zeros)).isCloseTo(LN2, within(1e-12));
      assertThat(GanLoss.nonSaturating().realTerm(zeros)).isCloseTo(LN2, within(1e-12));
      assertThat(GanLoss.nonSaturating().generatorLoss(zeros)).isCloseTo(LN2, within(1e-12));
      assertThat(GanLoss.minimax().discriminatorLoss(zeros, zeros)).isCloseTo(LN2, within(1e-12));
      assertThat(GanLoss.minimax().generatorLoss(zeros)).isCloseTo(-LN2, within(1e-12));
    }

    @Test
    void labelSmoothing_mixesBothCrossEntropyTerms() {
      GanLoss.NonSaturating smoothed = GanLoss.nonSaturating().realLabel(0.9f);
      // 0.9 * softplus(-2) + 0.1 * softplus(2); float 0.9 is 0.89999997615814...
      double l = 0.9f;
      assertThat(smoothed.realTerm(new double[] {2})).isCloseTo(l * SP_MINUS_2 + (1 - l) * SP_2, within(1e-12));
      assertThat(smoothed.realTerm(new double[] {2})).isCloseTo(0.326928, within(1e-6));
      assertThat(smoothed.fakeTerm(new double[] {2})).isCloseTo(SP_2, within(1e-12));
      assertThat(smoothed.describe()).isEqualTo("nonSaturating(realLabel=0.9)");
    }

    @Test
    void leastSquares_defaultLabels() {
      GanLoss lsgan = GanLoss.leastSquares();
      double[] real = {1, 3};
      double[] fake = {0, 2};
      assertThat(lsgan.realTerm(real)).isEqualTo(2.0);        // ((1-1)^2 + (3-1)^2) / 2
      assertThat(lsgan.fakeTerm(fake)).isEqualTo(2.0);        // ((0-0)^2 + (2-0)^2) / 2
      assertThat(lsgan.discriminatorLoss(real, fake)).isEqualTo(2.0);
      assertThat(lsgan.generatorLoss(fake)).isEqualTo(0.5);   // ((0-1)^2 + (2-1)^2) / 2 / 2
      assertThat(GanLoss.leastSquares().labels(-1, 1, 0).generatorLoss(fake)).isEqualTo(1.0);
    }

    @Test
    void hinge_hasMarginsAtPlusAndMinusOne() {
      GanLoss hinge = GanLoss.hinge();
      double[] real = {0.5, 2};
      double[] fake = {-2, 0.5};
      assertThat(hinge.realTerm(real)).isEqualTo(0.25);
      assertThat(hinge.fakeTerm(fake)).isEqualTo(0.75);
      assertThat(hinge.discriminatorLoss(real, fake)).isEqualTo(1.0);
      assertThat(hinge.generatorLoss(fake)).isEqualTo(0.75);
    }

    @Test
    void wasserstein_isTheDifferenceOfMeans() {
      GanLoss w = GanLoss.wasserstein();
      assertThat(w.discriminatorLoss(new double[] {1, 3}, new double[] {0, 2})).isEqualTo(-1.0);
      assertThat(w.generatorLoss(new double[] {0, 2})).isEqualTo(-1.0);
      assertThat(w.outputs()).isEqualTo(GanLoss.Outputs.SCORES);
      assertThat(GanLoss.nonSaturating().outputs()).isEqualTo(GanLoss.Outputs.PROBABILITY_LOGITS);
    }

    @Test
    void parse_acceptsTheCommandLineNames_andListsThemOtherwise() {
      assertThat(GanLoss.parse("non-saturating")).isEqualTo(GanLoss.nonSaturating());
      assertThat(GanLoss.parse("minimax")).isEqualTo(GanLoss.minimax());
      assertThat(GanLoss.parse("lsgan")).isEqualTo(GanLoss.leastSquares());
      assertThat(GanLoss.parse("hinge")).isEqualTo(GanLoss.hinge());
      assertThat(GanLoss.parse("wasserstein")).isEqualTo(GanLoss.wasserstein());
      assertThatThrownBy(() -> GanLoss.parse("bce")).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("unknown loss 'bce'; expected one of non-saturating, minimax, lsgan, hinge, wasserstein");
    }

    @Test
    void badLabels_failAtOnce() {
      assertThatThrownBy(() -> GanLoss.nonSaturating().realLabel(1.1f)).hasMessageContaining("(0, 1]");
      assertThatThrownBy(() -> GanLoss.nonSaturating().realLabel(0f)).hasMessageContaining("was 0.0");
      assertThatThrownBy(() -> GanLoss.leastSquares().labels(1, 1, 1)).hasMessageContaining("must differ");
      assertThatThrownBy(() -> GanLoss.leastSquares().labels(Float.NaN, 1, 1)).hasMessageContaining("finite");
    }
  }

  @Nested
  class Penalties {
    @Test
    void wganGp_penalisesDistanceOfTheNormFromOne() {
      double[] norms = {1, 2, 0};
      assertThat(GradientPenalty.wganGp().value(norms)).isCloseTo(10 * 2 / 3.0, within(1e-12));
      assertThat(GradientPenalty.wganGp(5f).value(norms)).isCloseTo(5 * 2 / 3.0, within(1e-12));
    }

    @Test
    void r1AndR2_areHalfGammaTimesTheMeanSquaredNorm() {
      double[] norms = {1, 2};
      assertThat(GradientPenalty.r1(10f).value(norms)).isEqualTo(12.5);
      assertThat(GradientPenalty.r2(0.5f).value(norms)).isEqualTo(0.625);
    }

    @Test
    void lazyPenalty_appliesEveryNSteps_scaledByN() {
      GradientPenalty lazy = GradientPenalty.r1(10f).every(16);
      assertThat(lazy.value(new double[] {1, 2})).isEqualTo(16 * 12.5);
      assertThat(lazy.appliesAt(0)).isTrue();
      assertThat(lazy.appliesAt(15)).isFalse();
      assertThat(lazy.appliesAt(32)).isTrue();
      assertThat(lazy.describe()).isEqualTo("r1(gamma=10.0, every=16)");
      assertThat(GradientPenalty.wganGp().describe()).isEqualTo("wganGp(lambda=10.0)");
    }

    @Test
    void badValues_failAtOnce() {
      assertThatThrownBy(() -> GradientPenalty.wganGp(0f)).hasMessage("WGAN-GP lambda must be positive and finite, was 0.0");
      assertThatThrownBy(() -> GradientPenalty.r1(-1f)).hasMessageContaining("R1 gamma");
      assertThatThrownBy(() -> GradientPenalty.r2(1f).every(0)).hasMessageContaining("at least 1 step");
    }
  }

  @Nested
  class Schedules {
    @Test
    void constant_isOne() {
      assertThat(LearningRateSchedule.constant().multiplier(0)).isEqualTo(1.0);
      assertThat(LearningRateSchedule.constant().multiplier(1_000_000)).isEqualTo(1.0);
    }

    @Test
    void linearDecay_reachesTheFloorAndStays() {
      LearningRateSchedule s = LearningRateSchedule.linearDecay(100, 0.1f);
      assertThat(s.multiplier(0)).isEqualTo(1.0);
      assertThat(s.multiplier(50)).isCloseTo(0.55, within(1e-7));
      assertThat(s.multiplier(100)).isCloseTo(0.1, within(1e-7));
      assertThat(s.multiplier(200)).isCloseTo(0.1, within(1e-7));
    }

    @Test
    void cosine_isHalfWayAtHalfTime() {
      LearningRateSchedule s = LearningRateSchedule.cosine(100, 0f);
      assertThat(s.multiplier(0)).isEqualTo(1.0);
      assertThat(s.multiplier(50)).isCloseTo(0.5, within(1e-12));
      assertThat(s.multiplier(100)).isCloseTo(0.0, within(1e-12));
      assertThat(LearningRateSchedule.cosine(100, 0.2f).multiplier(100)).isCloseTo(0.2, within(1e-7));
    }

    @Test
    void stepDecay_multipliesEveryInterval() {
      LearningRateSchedule s = LearningRateSchedule.stepDecay(10, 0.5f);
      assertThat(s.multiplier(9)).isEqualTo(1.0);
      assertThat(s.multiplier(10)).isEqualTo(0.5);
      assertThat(s.multiplier(25)).isEqualTo(0.25);
    }

    @Test
    void warmup_rampsLinearlyThenRunsTheScheduleFromItsStart() {
      LearningRateSchedule s = LearningRateSchedule.constant().withWarmup(4);
      assertThat(new double[] {s.multiplier(0), s.multiplier(1), s.multiplier(2), s.multiplier(3), s.multiplier(4)})
          .containsExactly(0.25, 0.5, 0.75, 1.0, 1.0);
      LearningRateSchedule decay = LearningRateSchedule.linearDecay(100, 0f).withWarmup(10);
      assertThat(decay.multiplier(10)).isEqualTo(1.0);
      assertThat(decay.multiplier(60)).isCloseTo(0.5, within(1e-12));
      assertThat(decay.describe()).isEqualTo("linearDecay(decaySteps=100, floor=0.0).withWarmup(10)");
    }

    @Test
    void parse_readsEveryFormAndExplainsMistakes() {
      assertThat(LearningRateSchedule.parse("constant")).isEqualTo(LearningRateSchedule.constant());
      assertThat(LearningRateSchedule.parse("linear:1000:0.1")).isEqualTo(LearningRateSchedule.linearDecay(1000, 0.1f));
      assertThat(LearningRateSchedule.parse("cosine:500")).isEqualTo(LearningRateSchedule.cosine(500, 0f));
      assertThat(LearningRateSchedule.parse("step:100:0.5,warmup:10"))
          .isEqualTo(LearningRateSchedule.stepDecay(100, 0.5f).withWarmup(10));
      assertThatThrownBy(() -> LearningRateSchedule.parse("linear"))
          .hasMessageStartingWith("bad learning-rate schedule 'linear'; expected constant, linear:DECAY_STEPS");
      assertThatThrownBy(() -> LearningRateSchedule.parse("cosine:x")).hasMessageStartingWith("bad number");
      assertThatThrownBy(() -> LearningRateSchedule.parse("linear:0")).hasMessage("linear decay steps must be positive, was 0");
      assertThatThrownBy(() -> LearningRateSchedule.parse("cosine:10:2")).hasMessageContaining("floor must be in [0, 1]");
      assertThatThrownBy(() -> LearningRateSchedule.parse("constant,cooldown:3")).hasMessageStartingWith("bad learning-rate");
    }
  }
}
