package io.github.gan4j.examples;

import io.github.gan4j.train.Checkpoints;
import io.github.gan4j.train.Listeners;
import io.github.gan4j.train.StepMetrics;
import io.github.gan4j.train.Trainer;
import io.github.gan4j.train.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The {@code train} command's own listeners: the progress bar or log lines, the failure
 * warnings printed and recorded in {@code metrics.jsonl}, the sample grids, and the
 * divergence watch that stops {@link Trainer#fit} at the first step that is not finite.
 * The generally useful ones (checkpoints, metrics lines) come from {@link Listeners}.
 */
final class RunListeners {
  private RunListeners() {}

  /**
   * A progress bar with steps/s and ETA on a terminal; otherwise a line every {@code logEvery}
   * steps and at the end. With a training-time budget, the bar and the ETA follow whichever of
   * the steps and the budget ends first.
   */
  static final class Progress implements TrainingListener {
    private final PrintStream out;
    private final boolean bar;
    private final long total;
    private final int logEvery;
    private final java.time.Duration budget;
    private long start;
    private double rate = Double.NaN;
    private long lastDraw;
    private boolean drawn;

    Progress(PrintStream out, boolean bar, long total, int logEvery) {
      this(out, bar, total, logEvery, null);
    }

    /** @param budget the run's training-time budget, or null */
    Progress(PrintStream out, boolean bar, long total, int logEvery, java.time.Duration budget) {
      this.out = out;
      this.bar = bar;
      this.total = total;
      this.logEvery = logEvery;
      this.budget = budget;
    }

    /** The fraction done and the seconds left: by steps, or by the budget if that ends first. */
    private double[] left(Trainer trainer, StepMetrics m) {
      double fraction = (double) m.step() / Math.max(1, total);
      double seconds = (total - m.step()) / rate;
      if (budget != null && trainer != null) {
        double spent = trainer.trainingTime().toNanos() / 1e9;
        double budgetSeconds = budget.toNanos() / 1e9;
        if (budgetSeconds - spent < seconds || !Double.isFinite(seconds)) {
          fraction = Math.min(1, spent / budgetSeconds);
          seconds = Math.max(0, budgetSeconds - spent);
        }
      }
      return new double[] {fraction, seconds};
    }

    @Override
    public void onStart(Trainer trainer) {
      start = trainer.stepCount();
      rate = Double.NaN;
    }

    @Override
    public void onStep(Trainer trainer, StepMetrics m) {
      double r = m.stepsPerSecond();
      rate = Double.isNaN(rate) || m.step() - start < 3 ? r : 0.95 * rate + 0.05 * r;
      long now = System.nanoTime();
      if (bar && (now - lastDraw > 200_000_000L || m.step() == total)) {
        lastDraw = now;
        drawn = true;
        int width = 30;
        double[] left = left(trainer, m);
        int filled = (int) Math.min(width, Math.max(0, Math.round(width * left[0])));
        String of = budget != null && total == Long.MAX_VALUE ? "" : "/" + total;
        out.print(String.format(Locale.ROOT, "\r[%s%s] %d%s  %.2f steps/s  d_loss %.3f  g_loss %.3f  ETA %s ",
            "#".repeat(filled), ".".repeat(width - filled), m.step(), of, rate, m.dLoss(), m.gLoss(),
            eta(left[1])));
        out.flush();
      }
      if (!bar && m.finite() && (m.step() % logEvery == 0 || m.step() == total)) {
        out.println(Listeners.format(m).replaceFirst("[0-9.]+ steps/s$",
            String.format(Locale.ROOT, "%.2f steps/s  ETA %s", rate, eta(left(trainer, m)[1]))));
      }
    }

    @Override
    public void onEnd(Trainer trainer) {
      endLine();
    }

    /** Ends the bar's line so that a message can follow. */
    void endLine() {
      if (bar && drawn) {
        out.println();
        drawn = false;
      }
    }

    static String eta(double seconds) {
      if (!Double.isFinite(seconds)) {
        return "--:--:--";
      }
      long s = Math.round(seconds);
      return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
  }

  /**
   * Stops {@code fit} at the first step whose losses or weights are not finite numbers, and
   * says so with the step, the losses and the newest checkpoint. Other listeners skip that
   * step's work themselves (checkpoints and sample grids are not made of a diverged state).
   */
  static final class Divergence implements TrainingListener {
    private final PrintStream err;
    private final Progress progress;
    private final RunDirectory run;
    private long divergedAt = -1;

    Divergence(PrintStream err, Progress progress, RunDirectory run) {
      this.err = err;
      this.progress = progress;
      this.run = run;
    }

    @Override
    public void onStep(Trainer trainer, StepMetrics m) {
      if (m.finite()) {
        return;
      }
      divergedAt = m.step();
      List<java.nio.file.Path> saved = Checkpoints.list(run.checkpoints());
      long lastCheckpoint = saved.isEmpty() ? 0 : Checkpoints.stepOf(saved.get(saved.size() - 1));
      progress.endLine();
      err.println("gan4j: training diverged at step " + m.step() + " (d_loss " + m.dLoss() + ", g_loss "
          + m.gLoss() + (m.weightsFinite() ? "" : ", a weight is no longer a finite number") + "); "
          + (lastCheckpoint > 0 ? "the last checkpoint is step " + lastCheckpoint : "no checkpoint yet") + ".");
      trainer.requestStop();
    }

    /** The step at which training diverged, if it did. */
    OptionalLong divergedAt() {
      return divergedAt < 0 ? OptionalLong.empty() : OptionalLong.of(divergedAt);
    }
  }

  /**
   * {@link Listeners#failureWarnings} on finite steps, each warning printed to {@code err} and
   * recorded in the metrics file as {@code {"step":N,"warning":"..."}}.
   */
  static TrainingListener warnings(PrintStream err, Writer metrics, Progress progress, int patience, int every) {
    List<String> found = new ArrayList<>();
    TrainingListener watch = Listeners.failureWarnings(found::add, patience, every);
    return (trainer, m) -> {
      if (!m.finite()) {
        return;
      }
      watch.onStep(trainer, m);
      for (String w : found) {
        progress.endLine();
        err.println("gan4j: warning: " + w);
        line(metrics, String.format(Locale.ROOT, "{\"step\":%d,\"warning\":\"%s\"}", m.step(),
            w.replace("\\", "\\\\").replace("\"", "\\\"")));
      }
      found.clear();
    };
  }

  /** A 5x5 sample grid every {@code every} steps and at the run's last step, of finite steps only. */
  static TrainingListener samples(RunDirectory run, int every, long total) {
    return (trainer, m) -> {
      if (m.finite() && (m.step() % every == 0 || m.step() == total)) {
        Listeners.writeGrid(trainer, run.sample(m.step()), 5);
      }
    };
  }

  /** Writes one line to the metrics file. */
  static void line(Writer metrics, String line) {
    try {
      metrics.write(line);
      metrics.write(System.lineSeparator());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to " + RunDirectory.METRICS, e);
    }
  }
}
