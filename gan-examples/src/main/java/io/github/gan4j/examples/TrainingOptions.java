package io.github.gan4j.examples;

import io.github.gan4j.Gan;
import io.github.gan4j.recipe.DiffAugment;
import io.github.gan4j.recipe.GanLoss;
import io.github.gan4j.recipe.GradientPenalty;
import io.github.gan4j.recipe.Optimizer;
import io.github.gan4j.train.Trainer;
import java.util.List;

/**
 * The README's "Training options" code for losses and gradient penalties and for DiffAugment,
 * compiled here so it cannot rot (ReadmeTest checks that the README shows it character for character).
 */
public final class TrainingOptions {
  private TrainingOptions() {}

  /** Trainer configurations with each loss and penalty, for {@code gan}. */
  public static List<Trainer.Builder> lossesAndPenalties(Gan gan) {
    // BEGIN README LOSSES
    Trainer.Builder wganGp = Trainer.of(gan)
        .loss(GanLoss.wasserstein())
        .penalty(GradientPenalty.wganGp())              // lambda 10 on real/fake interpolations
        .optimizer(Optimizer.adam().learningRate(1e-4f).beta1(0f).beta2(0.9f))
        .discriminatorSteps(5);
    Trainer.Builder r1 = Trainer.of(gan)
        .loss(GanLoss.nonSaturating().realLabel(0.9f))  // one-sided label smoothing
        .penalty(GradientPenalty.r1(10f).every(16));    // lazy: every 16 steps, scaled by 16
    Trainer.Builder hinge = Trainer.of(gan).loss(GanLoss.hinge());
    Trainer.Builder lsgan = Trainer.of(gan).loss(GanLoss.leastSquares());
    // END README LOSSES
    return List.of(wganGp, r1, hinge, lsgan);
  }

  /** A trainer configuration with DiffAugment's three policies, for {@code gan}. */
  public static Trainer.Builder diffAugment(Gan gan) {
    // BEGIN README AUGMENT
    Trainer.Builder dataEfficient = Trainer.of(gan)
        .augment(DiffAugment.parse("color,translation,cutout"));  // = DiffAugment.of(COLOR, TRANSLATION, CUTOUT)
    // END README AUGMENT
    return dataEfficient;
  }
}
