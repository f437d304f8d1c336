package io.github.gan4j.train;

import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link Trainer#fit} call ended: why it stopped, how many steps it ran and the
 * metrics of its last step.
 *
 * <pre>{@code
 * FitResult r = trainer.fit(data, Steps.until(10_000), listeners);
 * if (r.reason() == FitResult.Reason.STOP_REQUESTED) {
 *   // Ctrl-C or another thread called trainer.requestStop(): save and exit
 * }
 * }</pre>
 *
 * @param reason why {@code fit} returned
 * @param steps the steps this call ran
 * @param lastStep the metrics of the last step this call ran; empty if it ran none
 */
public record FitResult(Reason reason, long steps, Optional<StepMetrics> lastStep) {

  /** Why {@link Trainer#fit} returned. */
  public enum Reason {
    /** Every step of the {@link Steps} given to {@code fit} ran and nobody asked to stop. */
    COMPLETED,
    /** {@link Trainer#requestStop()} was called from outside the listeners, for example by a shutdown hook. */
    STOP_REQUESTED,
    /**
     * A listener called {@link Trainer#requestStop()} from its {@code onStart} or {@code onStep}
     * (reported even when that was after the last planned step).
     */
    STOPPED_BY_LISTENER,
    /**
     * The run's {@link Trainer#trainingTime()} reached the budget of
     * {@link Steps#orTrainingTime} before every planned step ran.
     */
    TRAINING_TIME_REACHED
  }

  /** Checks the fields: no nulls, no negative step count, a last step whenever a step ran. */
  public FitResult {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(lastStep, "lastStep");
    if (steps < 0) {
      throw new IllegalArgumentException("steps must not be negative, was " + steps);
    }
    if ((steps > 0) != lastStep.isPresent()) {
      throw new IllegalArgumentException("a last step is present exactly when steps ran, got " + steps
          + " steps and " + lastStep);
    }
  }

  /** Whether every planned step ran (a time budget that ended training earlier does not count). */
  public boolean completed() {
    return reason == Reason.COMPLETED;
  }
}
