package io.github.gan4j.train;

import io.github.gan4j.recipe.GanLoss;
import io.github.gan4j.sample.ImageGrid;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/** Ready-made {@link TrainingListener}s. */
public final class Listeners {
  private Listeners() {}

  /** Rows of a sample grid {@code side} wide: {@code side}, or one per class of a conditional GAN. */
  static int gridRows(Trainer trainer, int side) {
    return trainer.gan().numClasses() > 0 ? trainer.gan().numClasses() : side;
  }

  /** The samples of a grid {@code side} wide from fixed latents (seed 0), row by row. */
  static float[] gridSamples(Trainer trainer, int side) {
    int classes = trainer.gan().numClasses();
    return classes > 0 ? trainer.generate(classes * side, 0L, ClassLabels.rows(classes, side))
        : trainer.generate(side * side, 0L);
  }

  /**
   * Every {@code every} steps, writes a 5x5 grid of samples from 25 fixed latent vectors
   * (the same ones all run long, so the grids show progress) to
   * {@code dir/step-NNNNNN.png}, each image scaled up to be easy to see. In a cluster, only the
   * chief writes ({@link Trainer#isChief()}). A conditional GAN's grid has one row of 5 per
   * class instead (row {@code c} of class {@code c}).
   */
  public static TrainingListener sampleGrid(Path dir, int every) {
    return sampleGrid(dir, every, 5);
  }

  /** As {@link #sampleGrid(Path, int)} with a {@code side x side} grid. */
  public static TrainingListener sampleGrid(Path dir, int every, int side) {
    if (every <= 0 || side <= 0) {
      throw new IllegalArgumentException("every and side must be positive, were " + every + ", " + side);
    }
    return (trainer, m) -> {
      if (m.step() % every == 0 && trainer.isChief()) {
        writeGrid(trainer, dir.resolve(String.format(Locale.ROOT, "step-%06d.png", m.step())), side);
      }
    };
  }

  /**
   * Writes a {@code side x side} grid of samples from fixed latents (seed 0) to {@code file};
   * for a conditional GAN, {@code numClasses} rows of {@code side}, row {@code c} of class {@code c}.
   */
  public static void writeGrid(Trainer trainer, Path file, int side) {
    float[] images = gridSamples(trainer, side);
    int h = trainer.gan().imageShape().dim(0);
    int scale = Math.max(1, 128 / h);
    try {
      ImageGrid.writePng(images, trainer.gan().imageShape(), gridRows(trainer, side), side, scale, file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write sample grid " + file, e);
    }
  }

  /**
   * Writes TensorBoard event files into {@code dir}: losses, D's outputs or critic scores,
   * penalties, learning rates and steps/s every step, the sample grid and histograms of weights
   * and gradients every 1000 steps ({@link TensorBoard.Options#defaults()}); see
   * {@link TensorBoard} for the tags. A resumed run continues the directory's event stream. View
   * with {@code tensorboard --logdir DIR_OR_PARENT}. The listener opens its writer at each
   * {@code fit}'s start and closes it at the end; to add scalars of your own (an evaluator's
   * metrics), use a {@link TensorBoard} and its {@link TensorBoard#listener()} instead.
   */
  public static TrainingListener tensorBoard(Path dir) {
    return tensorBoard(dir, TensorBoard.Options.defaults());
  }

  /** As {@link #tensorBoard(Path)}, writing as often as {@code options} says. */
  public static TrainingListener tensorBoard(Path dir, TensorBoard.Options options) {
    return TensorBoard.ownedListener(dir, options);
  }

  /** Every {@code every} steps, prints one line of metrics to {@code out}. */
  public static TrainingListener log(PrintStream out, int every) {
    if (every <= 0) {
      throw new IllegalArgumentException("every must be positive, was " + every);
    }
    return (trainer, m) -> {
      if (m.step() % every == 0) {
        out.println(format(m));
      }
    };
  }

  /**
   * One line: step, losses, D(x), D(G(z)) (on the generator's update, then in parentheses on
   * the discriminator's when the step had one; see {@link StepMetrics}), the gradient penalty
   * when the step applied one, steps/s.
   */
  public static String format(StepMetrics m) {
    String penalty = Float.isNaN(m.penalty()) ? "" : String.format(Locale.ROOT, "  penalty %.4f", m.penalty());
    String inD = Float.isNaN(m.dFakeInDUpdate()) ? ""
        : String.format(Locale.ROOT, " (D's update %.3f)", m.dFakeInDUpdate());
    return String.format(Locale.ROOT, "step %d  d_loss %.4f  g_loss %.4f  D(x) %.3f  D(G(z)) %.3f%s%s  %.2f steps/s",
        m.step(), m.dLoss(), m.gLoss(), m.dReal(), m.dFake(), inD, penalty, m.stepsPerSecond());
  }

  /**
   * Saves a checkpoint with {@link Checkpoints#save} into {@code root/step-NNNNNN} every
   * {@code every} steps, keeping the newest {@code keep}, and once more when {@code fit} ends
   * (completed, stopped or failed) if its last step is not saved yet. A state whose weights or
   * losses are not finite numbers ({@link StepMetrics#finite()}) is never saved, so the newest
   * checkpoint is always one to go back to. In a cluster, only the chief writes
   * ({@link Trainer#isChief()}); the others hold the same weights and restore from its checkpoints.
   */
  public static TrainingListener checkpoints(Path root, int every, int keep) {
    if (every <= 0 || keep <= 0) {
      throw new IllegalArgumentException("every and keep must be positive, were " + every + ", " + keep);
    }
    return new TrainingListener() {
      private long saved;
      private StepMetrics last;

      @Override
      public void onStart(Trainer trainer) {
        saved = trainer.stepCount();   // restored from a checkpoint, or the untrained start
        last = null;
      }

      @Override
      public void onStep(Trainer trainer, StepMetrics m) {
        last = m;
        if (m.finite() && m.step() % every == 0) {
          save(trainer);
        }
      }

      @Override
      public void onEnd(Trainer trainer) {
        // not after a failed fit: its last step may have stopped with some updates applied
        if (last != null && last.finite() && last.step() == trainer.stepCount() && saved != trainer.stepCount()
            && !trainer.fitFailed()) {
          save(trainer);
        }
      }

      private void save(Trainer trainer) {
        if (!trainer.isChief()) {
          return;   // in a cluster the chief writes; every replica holds its weights
        }
        Checkpoints.save(trainer, root, keep);
        saved = trainer.stepCount();
      }
    };
  }

  /**
   * Writes one JSON object per line to {@code out}, flushed, every {@code every} steps, at
   * every step that is not finite, and for the last step of {@code fit}:
   * <pre>{"step":6,"d_loss":1.2,"g_loss":0.8,"d_x":0.6,"d_g_z":0.4,"d_g_z_d_update":0.3,"penalty":null,"steps_per_s":3.512}</pre>
   * {@code d_x}, {@code d_g_z} and {@code d_g_z_d_update} are {@link StepMetrics#dReal()},
   * {@link StepMetrics#dFake()} (D on the fakes of the generator's update) and
   * {@link StepMetrics#dFakeInDUpdate()} (D on the fakes of its own updates),
   * {@code penalty} is {@link StepMetrics#penalty()} (null on steps that apply none);
   * a value that is not a finite number is {@code null}; {@code steps_per_s} is a moving
   * average (weight 0.05 per step, the first three steps of a {@code fit} taken as they are).
   * The writer stays open: the caller owns it and may write its own lines in between.
   *
   * @throws UncheckedIOException from {@code fit} if the writer fails
   */
  public static TrainingListener jsonLines(Writer out, int every) {
    Objects.requireNonNull(out, "out");
    if (every <= 0) {
      throw new IllegalArgumentException("every must be positive, was " + every);
    }
    return new TrainingListener() {
      private final StepRate rate = new StepRate();
      private StepMetrics unwritten;

      @Override
      public void onStart(Trainer trainer) {
        rate.start(trainer.stepCount());
        unwritten = null;
      }

      @Override
      public void onStep(Trainer trainer, StepMetrics m) {
        rate.add(m);
        unwritten = m;
        if (m.step() % every == 0 || !m.finite()) {
          write(m);
        }
      }

      @Override
      public void onEnd(Trainer trainer) {
        if (unwritten != null) {
          write(unwritten);
        }
      }

      private void write(StepMetrics m) {
        try {
          out.write(json(m, rate.stepsPerSecond()));
          out.write(System.lineSeparator());
          out.flush();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write metrics of step " + m.step(), e);
        }
        unwritten = null;
      }
    };
  }

  /** One metrics line as {@link #jsonLines} writes it, with the given step rate. */
  public static String json(StepMetrics m, double stepsPerSecond) {
    return String.format(Locale.ROOT,
        "{\"step\":%d,\"d_loss\":%s,\"g_loss\":%s,\"d_x\":%s,\"d_g_z\":%s,\"d_g_z_d_update\":%s,\"penalty\":%s,"
            + "\"steps_per_s\":%.3f}",
        m.step(), number(m.dLoss()), number(m.gLoss()), number(m.dReal()), number(m.dFake()),
        number(m.dFakeInDUpdate()), number(m.penalty()),
        stepsPerSecond);
  }

  private static String number(float f) {
    return Float.isFinite(f) ? Float.toString(f) : "null";
  }

  /** The moving average of {@link #jsonLines} (and of {@link TensorBoard}'s {@code speed/steps_per_s}). */
  static final class StepRate {
    private long start;
    private double rate = Double.NaN;

    void start(long step) {
      start = step;
      rate = Double.NaN;
    }

    void add(StepMetrics m) {
      double r = m.stepsPerSecond();
      rate = Double.isNaN(rate) || m.step() - start < 3 ? r : 0.95 * rate + 0.05 * r;
    }

    double stepsPerSecond() {
      return rate;
    }
  }

  /**
   * Warns (through {@code sink}) about the classic failure modes, once per episode:
   * <ul>
   *   <li>the discriminator wins outright (cross-entropy losses, whose D(G(z)) is a probability):
   *       mean D(G(z)) below 0.01 for {@code patience}
   *       consecutive steps, so the generator gets almost no gradient;
   *   <li>mode collapse: every {@code every} steps from step {@code patience} on, 32 samples from fixed latents
   *       (drawn with seed 12345 from the trainer's sampler) are generated and their {@link io.github.gan4j.sample.ImageStats#spread} is below
   *       {@code 0.05} (pixels in [-1, 1]): the samples are nearly identical.
   * </ul>
   */
  public static TrainingListener failureWarnings(java.util.function.Consumer<String> sink, int patience, int every) {
    if (patience <= 0 || every <= 0) {
      throw new IllegalArgumentException("patience and every must be positive, were " + patience + ", " + every);
    }
    return new TrainingListener() {
      private long dWinsSince = -1;
      private boolean dWinsReported;
      private boolean collapseReported;

      @Override
      public void onStep(Trainer trainer, StepMetrics m) {
        // D(G(z)) is a probability only for the cross-entropy losses; other losses report raw scores
        boolean probabilities = trainer == null
            || trainer.recipe().loss().outputs() == GanLoss.Outputs.PROBABILITY_LOGITS;
        if (probabilities && !Float.isNaN(m.dFake()) && m.dFake() < 0.01f) {
          if (dWinsSince < 0) {
            dWinsSince = m.step();
          }
          if (!dWinsReported && m.step() - dWinsSince + 1 >= patience) {
            dWinsReported = true;
            sink.accept(String.format(Locale.ROOT, "step %d: the discriminator wins outright: mean D(G(z)) has been"
                + " below 0.01 since step %d, so the generator learns almost nothing. Lower the discriminator's"
                + " learning rate or use the non-saturating loss.", m.step(), dWinsSince));
          }
        } else if (probabilities && !Float.isNaN(m.dFake())) {
          dWinsSince = -1;
          dWinsReported = false;
        }
        // an untrained generator's samples are alike: judge diversity only after the warm-up
        if (trainer != null && m.step() % every == 0 && m.step() >= patience) {
          // latents from the trainer's own sampler: what the generator was trained on
          double spread = io.github.gan4j.sample.ImageStats.spread(trainer.generate(32, 12345L),
              trainer.gan().imageShape());
          if (spread < 0.05) {
            if (!collapseReported) {
              collapseReported = true;
              sink.accept(String.format(Locale.ROOT, "step %d: mode collapse: 32 samples from different latents are"
                  + " nearly identical (spread %.4f, pixels in [-1, 1]). Restart from an earlier checkpoint with a"
                  + " lower learning rate, or change the seed.", m.step(), spread));
            }
          } else {
            collapseReported = false;
          }
        }
      }
    };
  }

  /**
   * Stops training with an {@link IllegalStateException} naming the step and the losses as
   * soon as a loss is not a finite number.
   */
  public static TrainingListener stopOnNonFinite() {
    return (trainer, m) -> {
      if (!m.finite()) {
        throw new IllegalStateException("training diverged at step " + m.step() + ": d_loss " + m.dLoss()
            + ", g_loss " + m.gLoss() + ". Lower the learning rates, or restore the last checkpoint.");
      }
    };
  }
}
