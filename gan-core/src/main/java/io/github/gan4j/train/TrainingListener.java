package io.github.gan4j.train;

/**
 * Receives every step's metrics during {@link Trainer#fit}. Listeners run on the training
 * thread between steps; keep them quick or hand work to another thread. A listener ends
 * training cleanly by calling {@link Trainer#requestStop()}: {@code fit} stops after the
 * current step (every listener still sees that step) and reports
 * {@link FitResult.Reason#STOPPED_BY_LISTENER}. An exception thrown by a listener stops
 * training too and propagates from {@code fit}.
 */
@FunctionalInterface
public interface TrainingListener {

  /** Called before the first step of a {@code fit} call. */
  default void onStart(Trainer trainer) {}

  /** Called after every step. */
  void onStep(Trainer trainer, StepMetrics metrics);

  /**
   * Called when {@code fit} ends: completed, stopped on request, or because a step or a
   * listener threw (then the exception propagates after every started listener's
   * {@code onEnd}).
   */
  default void onEnd(Trainer trainer) {}
}
