package io.github.gan4j.train;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How long {@link Trainer#fit} trains: a number of further steps, until a total step count,
 * or a number of further epochs of the dataset; optionally also limited by the run's training
 * time ({@link #orTrainingTime}), whichever ends first.
 */
public final class Steps {
  private final long count;
  private final boolean total;
  private final boolean epochs;
  private final Duration trainingTime;

  private Steps(long count, boolean total, boolean epochs) {
    this(count, total, epochs, null);
  }

  private Steps(long count, boolean total, boolean epochs, Duration trainingTime) {
    if (count < 0) {
      throw new IllegalArgumentException("step or epoch count must not be negative, was " + count);
    }
    this.count = count;
    this.total = total;
    this.epochs = epochs;
    this.trainingTime = trainingTime;
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

  /**
   * These steps, but stop earlier once the run's training time ({@link Trainer#trainingTime()}:
   * the steps' own wall-clock time, without listeners, sample grids, evaluations, checkpoints
   * or start-up) reaches {@code total}; {@link Trainer#fit} then reports
   * {@link FitResult.Reason#TRAINING_TIME_REACHED}. The time is the run's total, which a
   * checkpoint records, so the same call finishes the same run after a restore. Which step
   * the budget ends on depends on the machine's speed; each step itself stays reproducible.
   *
   * <pre>{@code
   * trainer.fit(data, Steps.until(1_000_000).orTrainingTime(Duration.ofMinutes(15)), listeners);
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code total} is not positive
   */
  public Steps orTrainingTime(Duration total) {
    Objects.requireNonNull(total, "total");
    if (total.isNegative() || total.isZero()) {
      throw new IllegalArgumentException("the training time budget must be positive, was " + total);
    }
    return new Steps(count, this.total, epochs, total);
  }

  /** The training time budget, if any. */
  public Optional<Duration> trainingTime() {
    return Optional.ofNullable(trainingTime);
  }

  /** The budget in nanoseconds ({@link Long#MAX_VALUE} without one). */
  long trainingTimeNanos() {
    if (trainingTime == null) {
      return Long.MAX_VALUE;
    }
    try {
      return trainingTime.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
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
    String steps = epochs ? count + " epochs" : total ? "until step " + count : count + " steps";
    return trainingTime == null ? steps : steps + " or " + trainingTime + " of training time";
  }
}
