package io.github.gan4j.train;

/**
 * How long {@link Trainer#fit} trains: a number of further steps, until a total step count,
 * or a number of further epochs of the dataset.
 */
public final class Steps {
  private final long count;
  private final boolean total;
  private final boolean epochs;

  private Steps(long count, boolean total, boolean epochs) {
    if (count < 0) {
      throw new IllegalArgumentException("step or epoch count must not be negative, was " + count);
    }
    this.count = count;
    this.total = total;
    this.epochs = epochs;
  }

  /** Train {@code n} more steps. */
  public static Steps of(long n) {
    return new Steps(n, false, false);
  }

  /**
   * Train until the trainer's step counter reaches {@code n} (nothing if it already has):
   * the same call finishes the same run after a restore.
   */
  public static Steps until(long n) {
    return new Steps(n, true, false);
  }

  /** Train {@code n} more epochs: {@code n * (datasetSize / (batchSize * discriminatorSteps))} steps. */
  public static Steps epochs(long n) {
    return new Steps(n, false, true);
  }

  /** Steps to run from {@code currentStep} with {@code stepsPerEpoch} full steps per epoch. */
  long remaining(long currentStep, long stepsPerEpoch) {
    if (epochs) {
      return Math.multiplyExact(count, stepsPerEpoch);
    }
    return total ? Math.max(0, count - currentStep) : count;
  }

  @Override
  public String toString() {
    return epochs ? count + " epochs" : total ? "until step " + count : count + " steps";
  }
}
