package io.github.gan4j.examples;

import io.github.gan4j.data.Dataset;
import io.github.gan4j.data.Idx;
import io.github.gan4j.eval.Evaluation;
import io.github.gan4j.eval.Evaluations;
import io.github.gan4j.eval.Evaluator;
import io.github.gan4j.eval.Reference;
import io.github.gan4j.train.Steps;
import io.github.gan4j.train.TrainedGenerator;
import io.github.gan4j.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * README's "Measuring quality", compiled with every build (a test checks that the README shows
 * it unchanged): evaluating a trained generator, and evaluating while training.
 */
public final class MeasuringQuality {
  private MeasuringQuality() {}

  /** Prints the evaluation of 10,000 samples of the generator exported into {@code run/generator}, against Fashion-MNIST's test split. */
  public static void measure(Path fashion, Path run) throws IOException {
    // BEGIN README EVALUATE
    Dataset train = Idx.read(fashion.resolve("train-images-idx3-ubyte.gz"),
        fashion.resolve("train-labels-idx1-ubyte.gz"));
    Dataset test = Idx.read(fashion.resolve("t10k-images-idx3-ubyte.gz"),
        fashion.resolve("t10k-labels-idx1-ubyte.gz"));

    try (Evaluator evaluator = Evaluator.classifier("fashion-mnist", train, test).build();  // trained once, then cached
        TrainedGenerator generator = TrainedGenerator.load(run.resolve("generator"))) {
      Reference reference = evaluator.reference(test, 10_000, 0);      // the real side, computed once
      Evaluation evaluation = evaluator.evaluate(reference, generator, 10_000, 1);
      System.out.print(evaluation.format());                            // or evaluation.toJson(): one line
    }
    // END README EVALUATE
  }

  /** Trains for 5,000 steps on {@code train}, evaluating 10,000 samples every 1,000 steps. */
  public static void trainAndEvaluate(Trainer trainer, Dataset train, Evaluator evaluator, Reference reference) {
    // BEGIN README EVALUATE WHILE TRAINING
    trainer.fit(train, Steps.of(5_000), Evaluations.every(evaluator, reference, 1_000, 10_000, 1L,
        (evaluation, step) -> System.out.println("step " + step + " " + evaluation.toJson())));
    // END README EVALUATE WHILE TRAINING
  }
}
