package io.github.gan4j.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.gan4j.data.Dataset;
import io.github.gan4j.examples.ReferenceModels;
import io.github.gan4j.recipe.GanLoss;
import io.github.gan4j.train.StepMetrics;
import io.github.gan4j.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * Which D(G(z)) a step reports: {@code dFake} is D's score for the fakes of the generator's
 * update (the scores G's loss is made of), {@code dFakeInDUpdate} its score for the fakes it
 * trained on. Both are checked against the generator's loss, computed by a separate path.
 */
class FakeScoresTest {

  @Test
  void wasserstein_dFakeIsMinusTheGeneratorsLoss() {
    // G's Wasserstein loss is -mean D(G(z)) on exactly the batch dFake must describe
    try (Trainer t = Trainer.of(Fixtures.tiny()).loss(GanLoss.wasserstein()).batchSize(16).seed(3).build()) {
      boolean differ = false;
      for (int i = 0; i < 5; i++) {
        StepMetrics m = t.step(Fixtures.squares());
        assertThat(m.dFake()).as("step %d", m.step()).isCloseTo(-m.gLoss(), within(1e-5f));
        assertThat(m.dFakeInDUpdate()).as("step %d", m.step()).isFinite();
        differ |= m.dFake() != m.dFakeInDUpdate();
      }
      assertThat(differ).as("the two scores describe different batches and different D").isTrue();
    }
  }

  @Test
  void crossEntropy_dFakeIsAtLeastTheGeometricMeanTheGeneratorsLossGives() {
    // non-saturating G loss = -mean log sigmoid(D(G(z))): exp(-loss) is the geometric mean of
    // the probabilities whose arithmetic mean dFake is, so dFake >= exp(-gLoss). The reference
    // model's BatchNorm (momentum 0.8) makes the inference-mode fakes of D's update score far
    // lower early on, which is what used to be reported.
    Dataset fashion = Fixtures.fashionMnist();
    try (Trainer t = Trainer.of(ReferenceModels.mnist()).batchSize(32).seed(1).build()) {
      for (int i = 0; i < 20; i++) {
        StepMetrics m = t.step(fashion);
        assertThat(m.dFake()).as("step %d: %s", m.step(), m).isBetween(0f, 1f)
            .isGreaterThanOrEqualTo((float) Math.exp(-m.gLoss()) - 1e-4f);
        assertThat(m.dFakeInDUpdate()).as("step %d", m.step()).isBetween(0f, 1f);
      }
    }
  }

  @Test
  void halfSteps_reportTheScoreOfTheUpdateTheyRan() {
    try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).seed(5).build()) {
      StepMetrics d = t.discriminatorStep(Fixtures.squares());
      assertThat(d.dFakeInDUpdate()).isBetween(0f, 1f);
      assertThat(d.dFake()).as("no generator update").isNaN();
      StepMetrics g = t.generatorStep();
      assertThat(g.dFake()).isBetween(0f, 1f).isGreaterThanOrEqualTo((float) Math.exp(-g.gLoss()) - 1e-4f);
      assertThat(g.dFakeInDUpdate()).as("no discriminator update").isNaN();
    }
  }
}
