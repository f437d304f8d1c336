package io.github.gan4j.tests;

import io.github.gan4j.data.Dataset;
import io.github.gan4j.data.Idx;
import io.github.gan4j.eval.Evaluator;
import io.github.gan4j.eval.Reference;
import io.github.gan4j.examples.Calibration;
import io.github.gan4j.examples.Soak;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Run in a child JVM with a fixed, pre-touched heap by {@link EvaluatorTest}, so that its
 * resident set size changes only with native memory: loads the cached Fashion-MNIST evaluator
 * (arguments: the Fashion-MNIST folder and the cache directory), evaluates 500 images 25 times
 * to let TensorFlow's and malloc's caches settle, then 60 more times, and prints
 * {@code grown=<MB>} between the two.
 */
public final class EvaluatorMemoryProbe {
  private EvaluatorMemoryProbe() {}

  public static void main(String[] args) throws Exception {
    Path fashion = Path.of(args[0]);
    Dataset train = Idx.read(fashion.resolve("train-images-idx3-ubyte.gz"), fashion.resolve("train-labels-idx1-ubyte.gz"));
    Dataset test = Idx.read(fashion.resolve("t10k-images-idx3-ubyte.gz"), fashion.resolve("t10k-labels-idx1-ubyte.gz"));
    try (Evaluator evaluator = Evaluator.classifier("fashion-mnist", train, test).cacheDirectory(Path.of(args[1]))
        .build()) {
      Reference reference = evaluator.reference(test, 2_000, 0);
      float[] images = Calibration.sample(train, 500, 2);
      for (int i = 0; i < 25; i++) {
        evaluator.evaluate(reference, images);
      }
      double before = Soak.rssMb();
      for (int i = 0; i < 60; i++) {
        evaluator.evaluate(reference, images);
      }
      System.out.printf(Locale.ROOT, "grown=%.1f rss=%.1f%n", Soak.rssMb() - before, Soak.rssMb());
    }
  }
}
