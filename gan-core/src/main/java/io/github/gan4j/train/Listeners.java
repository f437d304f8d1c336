package io.github.gan4j.train;

import io.github.gan4j.sample.ImageGrid;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;

/** Ready-made {@link TrainingListener}s. */
public final class Listeners {
  private Listeners() {}

  /**
   * Every {@code every} steps, writes a 5x5 grid of samples from 25 fixed latent vectors
   * (the same ones all run long, so the grids show progress) to
   * {@code dir/step-NNNNNN.png}, each image scaled up to be easy to see.
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
      if (m.step() % every == 0) {
        writeGrid(trainer, dir.resolve(String.format(Locale.ROOT, "step-%06d.png", m.step())), side);
      }
    };
  }

  /** Writes a {@code side x side} grid of samples from fixed latents (seed 0) to {@code file}. */
  public static void writeGrid(Trainer trainer, Path file, int side) {
    float[] images = trainer.generate(side * side, 0L);
    int h = trainer.gan().imageShape().dim(0);
    int scale = Math.max(1, 128 / h);
    try {
      ImageGrid.writePng(images, trainer.gan().imageShape(), side, side, scale, file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write sample grid " + file, e);
    }
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

  /** One line: step, losses, D(x), D(G(z)), the gradient penalty when the step applied one, steps/s. */
  public static String format(StepMetrics m) {
    String penalty = Float.isNaN(m.penalty()) ? "" : String.format(Locale.ROOT, "  penalty %.4f", m.penalty());
    return String.format(Locale.ROOT, "step %d  d_loss %.4f  g_loss %.4f  D(x) %.3f  D(G(z)) %.3f%s  %.2f steps/s",
        m.step(), m.dLoss(), m.gLoss(), m.dReal(), m.dFake(), penalty, m.stepsPerSecond());
  }

  /**
   * Warns (through {@code sink}) about the classic failure modes, once per episode:
   * <ul>
   *   <li>the discriminator wins outright: mean D(G(z)) below 0.01 for {@code patience}
   *       consecutive steps, so the generator gets almost no gradient;
   *   <li>mode collapse: every {@code every} steps from step {@code patience} on, 32 samples from fixed latents are
   *       generated and their {@link io.github.gan4j.sample.ImageStats#spread} is below
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
        if (!Float.isNaN(m.dFake()) && m.dFake() < 0.01f) {
          if (dWinsSince < 0) {
            dWinsSince = m.step();
          }
          if (!dWinsReported && m.step() - dWinsSince + 1 >= patience) {
            dWinsReported = true;
            sink.accept(String.format(Locale.ROOT, "step %d: the discriminator wins outright: mean D(G(z)) has been"
                + " below 0.01 since step %d, so the generator learns almost nothing. Lower the discriminator's"
                + " learning rate or use the non-saturating loss.", m.step(), dWinsSince));
          }
        } else if (!Float.isNaN(m.dFake())) {
          dWinsSince = -1;
          dWinsReported = false;
        }
        // an untrained generator's samples are alike: judge diversity only after the warm-up
        if (trainer != null && m.step() % every == 0 && m.step() >= patience) {
          float[] z = new float[32 * trainer.gan().latentDim()];
          io.github.gan4j.sample.Sampler.normal().sample(12345, 0, z);
          double spread = io.github.gan4j.sample.ImageStats.spread(trainer.generate(z), trainer.gan().imageShape());
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
