package io.github.gan4j.examples;

import io.github.gan4j.Gan;
import io.github.gan4j.data.Dataset;
import io.github.gan4j.data.Datasets;
import io.github.gan4j.train.EventFiles;
import io.github.gan4j.train.StepMetrics;
import io.github.gan4j.train.Steps;
import io.github.gan4j.train.TensorBoard;
import io.github.gan4j.train.Trainer;
import io.github.gan4j.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What TensorBoard logging costs per step, on the reference DCGAN with synthetic data: the time
 * of the {@link TensorBoard} listener's {@code onStep} (scalars every step; the sample grid, or
 * the weight and gradient histograms, every {@code EVERY} steps) and how much longer the steps
 * are that fetch their gradients for the histograms. A measurement, not a test; its last line is
 * one JSON object.
 *
 * <pre>java -cp gan-examples/target/gan-examples.jar io.github.gan4j.examples.TensorBoardCost [cifar10|mnist] [STEPS] [EVERY]</pre>
 */
public final class TensorBoardCost {
  private TensorBoardCost() {}

  /** Times every {@code onStep} of a listener and records the step times. */
  static final class Timed implements TrainingListener {
    final TrainingListener inner;
    final List<long[]> calls = new ArrayList<>();   // {step, listener nanos, step nanos}

    Timed(TrainingListener inner) {
      this.inner = inner;
    }

    @Override
    public void onStart(Trainer trainer) {
      inner.onStart(trainer);
    }

    @Override
    public void onStep(Trainer trainer, StepMetrics m) {
      long t0 = System.nanoTime();
      inner.onStep(trainer, m);
      calls.add(new long[] {m.step(), System.nanoTime() - t0, m.stepNanos()});
    }

    @Override
    public void onEnd(Trainer trainer) {
      inner.onEnd(trainer);
    }

    /** Median of column {@code col} over the calls whose step {@code every} divides (or not). */
    double medianMillis(int col, int every, boolean onMultiples) {
      List<Long> v = new ArrayList<>();
      for (long[] c : calls) {
        if (every > 0 && (c[0] % every == 0) == onMultiples) {
          v.add(c[col]);
        }
      }
      v.sort(null);
      return v.isEmpty() ? Double.NaN : v.get(v.size() / 2) / 1e6;
    }
  }

  public static void main(String[] args) throws IOException {
    String model = args.length > 0 ? args[0] : "cifar10";
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int every = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    Gan gan = model.equals("mnist") ? ReferenceModels.mnist() : ReferenceModels.cifar10();
    Dataset data = synthetic(gan, 1024);
    Path root = Files.createTempDirectory("gan4j-tensorboard-cost");
    System.out.printf(Locale.ROOT, "model %s (%,d + %,d parameters), batch 32, %d steps per configuration%n", model,
        gan.generator().params(), gan.discriminator().params(), steps);
    try (Trainer trainer = Trainer.of(gan).batchSize(32).seed(1).build()) {
      trainer.fit(data, Steps.of(5));   // warm-up: graph optimization, first allocations

      TensorBoard.Options none = TensorBoard.Options.defaults().imagesEvery(0).histogramsEvery(0);
      Timed scalars = run(trainer, data, root.resolve("scalars"), none, steps);
      Timed images = run(trainer, data, root.resolve("images"), none.imagesEvery(every), steps);
      Timed histograms = run(trainer, data, root.resolve("histograms"), none.histogramsEvery(every), steps);

      double step = scalars.medianMillis(2, 1, true);
      double scalarMs = scalars.medianMillis(1, 1, true);
      double imageMs = images.medianMillis(1, every, true) - images.medianMillis(1, every, false);
      double histogramMs = histograms.medianMillis(1, every, true) - histograms.medianMillis(1, every, false);
      double fetchMs = histograms.medianMillis(2, every, true) - histograms.medianMillis(2, every, false);
      long files = 0;
      for (String d : List.of("scalars", "images", "histograms")) {
        for (Path f : EventFiles.list(root.resolve(d))) {
          files += Files.size(f);
        }
      }
      System.out.printf(Locale.ROOT, "training step (median)                %8.2f ms%n", step);
      System.out.printf(Locale.ROOT, "scalars, every step                   %8.3f ms  (%.2f%% of a step)%n", scalarMs,
          100 * scalarMs / step);
      System.out.printf(Locale.ROOT, "sample grid, on its steps             %8.2f ms  (every %d steps: %.3f%%)%n", imageMs,
          every, 100 * imageMs / every / step);
      System.out.printf(Locale.ROOT, "histograms (%d), on their steps       %8.2f ms  (every %d steps: %.3f%%)%n",
          countHistograms(root.resolve("histograms")), histogramMs, every, 100 * histogramMs / every / step);
      System.out.printf(Locale.ROOT, "gradient fetch, in the step           %8.2f ms%n", fetchMs);
      System.out.printf(Locale.ROOT, "event files: %.1f MB for %d steps x 3 configurations%n", files / 1e6, steps);
      System.out.printf(Locale.ROOT, "{\"model\":\"%s\",\"step_ms\":%.2f,\"scalars_ms\":%.3f,\"image_ms\":%.2f,"
          + "\"histograms_ms\":%.2f,\"gradient_fetch_ms\":%.2f,\"every\":%d,\"rss_mb\":%.1f}%n", model, step, scalarMs,
          imageMs, histogramMs, fetchMs, every, Soak.rssMb());
    } finally {
      io.github.gan4j.data.Directories.deleteRecursively(root);
    }
  }

  private static Timed run(Trainer trainer, Dataset data, Path dir, TensorBoard.Options options, int steps) {
    try (TensorBoard board = TensorBoard.open(dir, options)) {
      Timed timed = new Timed(board.listener());
      trainer.fit(data, Steps.of(steps), timed);
      return timed;
    }
  }

  private static long countHistograms(Path dir) throws IOException {
    return EventFiles.read(dir).stream().filter(e -> e instanceof EventFiles.Histogram)
        .map(EventFiles.Entry::tag).distinct().count();
  }

  /** Random uint8 images held as CIFAR-10 is, so feeding costs what it costs in real use. */
  private static Dataset synthetic(Gan gan, int count) {
    SplittableRandom r = new SplittableRandom(7);
    byte[] px = new byte[Math.toIntExact(count * gan.imageShape().size())];
    r.nextBytes(px);
    var s = gan.imageShape();
    return Datasets.fromBytes(px, s.dim(0), s.dim(1), s.dim(2));
  }
}
