package io.github.gan4j.train;

/**
 * What one training step measured.
 *
 * @param step the step number, counting from 1 (the step just finished)
 * @param dLoss discriminator loss: mean of its cross-entropy on the real and the generated batch
 * @param gLoss generator loss
 * @param dReal mean D(x) on the real batch, as a probability (before D's update)
 * @param dFake mean D(G(z)) on the generated batch, as a probability (before D's update)
 * @param stepNanos wall-clock time of the step, feeding and fetching included
 */
public record StepMetrics(long step, float dLoss, float gLoss, float dReal, float dFake, long stepNanos) {

  /** Whether both losses are finite numbers. */
  public boolean finite() {
    return Float.isFinite(dLoss) && Float.isFinite(gLoss);
  }

  /** Steps per second this step would sustain. */
  public double stepsPerSecond() {
    return stepNanos <= 0 ? Double.POSITIVE_INFINITY : 1e9 / stepNanos;
  }
}
