package io.github.gan4j.train;

/**
 * What one training step measured.
 *
 * @param step the step number, counting from 1 (the step just finished)
 * @param dLoss discriminator loss: mean of its cross-entropy on the real and the generated batch
 *     (NaN after a generator-only step)
 * @param gLoss generator loss (NaN after a discriminator-only step)
 * @param dReal mean D(x) on the real batch, as a probability (before D's update)
 * @param dFake mean D(G(z)) on the generated batch, as a probability (before D's update)
 * @param stepNanos wall-clock time of the step, feeding and fetching included
 * @param weightsFinite whether every weight of both networks is a finite number after the step
 */
public record StepMetrics(long step, float dLoss, float gLoss, float dReal, float dFake, long stepNanos,
    boolean weightsFinite) {

  /**
   * Whether the step is sound: every weight finite after it, no loss infinite, and at least
   * one loss a number. (A half-step reports the loss it did not compute as NaN; a NaN in a
   * loss it did compute reaches the weights through the gradients.)
   */
  public boolean finite() {
    return weightsFinite && !Float.isInfinite(dLoss) && !Float.isInfinite(gLoss)
        && !(Float.isNaN(dLoss) && Float.isNaN(gLoss));
  }

  /** Steps per second this step would sustain. */
  public double stepsPerSecond() {
    return stepNanos <= 0 ? Double.POSITIVE_INFINITY : 1e9 / stepNanos;
  }
}
