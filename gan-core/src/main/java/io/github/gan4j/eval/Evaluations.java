package io.github.gan4j.eval;

import io.github.gan4j.train.StepMetrics;
import io.github.gan4j.train.Trainer;
import io.github.gan4j.train.TrainingListener;
import java.util.Objects;
import java.util.function.ObjLongConsumer;

/** {@link TrainingListener}s that evaluate the generator while it trains. */
public final class Evaluations {
  private Evaluations() {}

  /**
   * Every {@code steps} steps, generates {@code count} images from latents drawn with
   * {@code seed} (the same latents every time, so the numbers show progress rather than noise)
   * and hands their {@link Evaluation} against {@code reference}, with the step, to
   * {@code sink}: a log, a {@code metrics.jsonl} line ({@link Evaluation#toJson()}), TensorBoard
   * scalars. It runs on the training thread between steps; 10,000 samples of a 28x28 model
   * take some seconds, so choose {@code steps} accordingly.
   *
   * <pre>{@code
   * trainer.fit(images, Steps.of(5_000), Evaluations.every(evaluator, reference, 1_000, 10_000, 1L,
   *     (e, step) -> System.out.println("step " + step + ": " + e.toJson())));
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code steps} is not positive or {@code count} is below
   *     {@code Evaluator.NEIGHBOURS + 1}
   */
  public static TrainingListener every(Evaluator evaluator, Reference reference, int steps, int count, long seed,
      ObjLongConsumer<Evaluation> sink) {
    Objects.requireNonNull(evaluator, "evaluator");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(sink, "sink");
    if (steps <= 0) {
      throw new IllegalArgumentException("steps must be positive, was " + steps);
    }
    if (count <= Evaluator.NEIGHBOURS) {
      throw new IllegalArgumentException("count must be at least " + (Evaluator.NEIGHBOURS + 1) + ", was " + count);
    }
    return new TrainingListener() {
      @Override
      public void onStep(Trainer trainer, StepMetrics metrics) {
        if (metrics.step() % steps == 0) {
          sink.accept(evaluator.evaluate(reference, trainer, count, seed), metrics.step());
        }
      }
    };
  }
}
