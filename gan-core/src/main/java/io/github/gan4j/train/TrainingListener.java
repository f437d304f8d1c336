package io.github.gan4j.train;

/**
 * Receives every step's metrics during {@link Trainer#fit}. Listeners run on the training
 * thread between steps; keep them quick or hand work to another thread. An exception thrown
 * by a listener stops training and propagates from {@code fit}.
 */
@FunctionalInterface
public interface TrainingListener {

  /** Called before the first step of a {@code fit} call. */
  default void onStart(Trainer trainer) {}

  /** Called after every step. */
  void onStep(Trainer trainer, StepMetrics metrics);

  /**
   * Called when {@code fit} ends, normally or because a step or a listener threw (then the
   * exception propagates after every started listener's {@code onEnd}).
   */
  default void onEnd(Trainer trainer) {}
}
