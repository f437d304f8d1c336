package io.github.gan4j.examples;

import static io.github.gan4j.layers.Activation.RELU;
import static io.github.gan4j.layers.Activation.TANH;
import static io.github.gan4j.layers.Layers.batchNorm;
import static io.github.gan4j.layers.Layers.conv2d;
import static io.github.gan4j.layers.Layers.conv2dTranspose;
import static io.github.gan4j.layers.Layers.dense;
import static io.github.gan4j.layers.Layers.flatten;
import static io.github.gan4j.layers.Layers.leakyRelu;
import static io.github.gan4j.layers.Layers.reshape;
import static io.github.gan4j.layers.Layers.spectralNorm;
import static io.github.gan4j.layers.Padding.SAME;

import io.github.gan4j.Gan;
import io.github.gan4j.GanBuilder;
import io.github.gan4j.recipe.GanLoss;
import io.github.gan4j.recipe.GradientPenalty;
import io.github.gan4j.recipe.Optimizer;
import io.github.gan4j.train.Trainer;
import java.util.List;

/**
 * The README's "Training options" code for losses and gradient penalties and for spectral
 * normalization, compiled here so it cannot rot (ReadmeTest checks that the README shows it
 * character for character).
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

  /** A discriminator with spectral normalization, trained as in the SNGAN paper (hinge loss, 5 D updates per step). */
  public static Trainer.Builder spectralNormalization() {
    // BEGIN README SPECTRAL NORM
    Gan gan = GanBuilder.forImages(32, 32, 3)
        .latentDim(128)
        .generator(
            dense(4 * 4 * 256).activation(RELU), reshape(4, 4, 256), batchNorm(),
            conv2dTranspose(128, 4).strides(2).padding(SAME), leakyRelu(0.2f), batchNorm(),
            conv2dTranspose(64, 4).strides(2).padding(SAME), leakyRelu(0.2f), batchNorm(),
            conv2dTranspose(3, 4).strides(2).padding(SAME).activation(TANH))
        .discriminator(
            spectralNorm(conv2d(64, 3).strides(2).padding(SAME)), leakyRelu(0.1f),
            spectralNorm(conv2d(128, 3).strides(2).padding(SAME)), leakyRelu(0.1f),
            spectralNorm(conv2d(256, 3).strides(2).padding(SAME)), leakyRelu(0.1f),
            flatten(), spectralNorm(dense(1)))
        .build();
    Trainer.Builder sngan = Trainer.of(gan)
        .loss(GanLoss.hinge())
        .optimizer(Optimizer.adam().learningRate(2e-4f).beta1(0f).beta2(0.9f))
        .discriminatorSteps(5);
    // END README SPECTRAL NORM
    return sngan;
  }
}
