package io.github.gan4j.examples;

import io.github.gan4j.layers.Shape;
import io.github.gan4j.sample.ImageGrid;
import io.github.gan4j.train.TrainedGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code generate}: samples from a run's exported generator as .npy, PNG files, or one grid. */
@Command(name = "generate", sortOptions = false, sortSynopsis = false,
    description = "Samples from a trained run's generator: one .npy array, PNG files or a grid.")
final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--run", paramLabel = "RUN_DIR", required = true,
      description = "a finished training run (its generator/ folder)")
  Path run;

  @Option(names = "--out", paramLabel = "PATH", required = true,
      description = {"PATH.npy: one float32 array (N, H, W, C) in [-1, 1]; --grid: one PNG file;"
          + " otherwise a folder of sample-NNNNN.png"})
  Path target;

  @Option(names = "--count", paramLabel = "N", defaultValue = "25", converter = OptionTypes.PositiveInt.class,
      description = "number of samples (default ${DEFAULT-VALUE}, at most 100000)")
  int count;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0", converter = OptionTypes.WholeNumber.class,
      description = "seed of the latent vectors (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--grid", description = {"write one square grid image (a conditional generator's:",
      "one row per class, without --class)"})
  boolean grid;

  @Option(names = "--class", paramLabel = "C", converter = OptionTypes.NonNegativeInt.class,
      description = {"a conditional generator's class of every sample (default: the classes",
          "in turn, 0, 1, ..., or one row each with --grid)"})
  Integer label;

  @Mixin
  Main.HelpOption help;

  private final PrintStream out;

  GenerateCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws IOException {
    boolean npy = target.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy");
    if (grid && npy) {
      throw new UsageException("--grid writes a PNG; give --out a .png path");
    }
    Path generatorDir = run.resolve("generator");
    if (!Files.isRegularFile(generatorDir.resolve("saved_model.pb"))) {
      throw new UsageException(run + " has no exported generator (generator/saved_model.pb); finish the run with"
          + " train --resume first");
    }
    if (count > 100_000) {
      throw new UsageException("option --count is at most 100000 per call, got " + count);
    }
    try (TrainedGenerator g = TrainedGenerator.load(generatorDir)) {
      Shape shape = g.imageShape();
      int classes = g.numClasses();
      if (label != null && classes == 0) {
        throw new UsageException("--class needs a conditional generator; " + run + " was trained without"
            + " --conditional");
      }
      if (label != null && label >= classes) {
        throw new UsageException("option --class must be below the generator's " + classes + " classes, got " + label);
      }
      // a conditional grid without --class: one row per class, ceil(count / classes) wide
      int perRow = classes > 0 && grid && label == null ? (count + classes - 1) / classes : 0;
      int[] labels = null;
      if (classes > 0) {
        labels = new int[count];
        for (int i = 0; i < count; i++) {
          labels[i] = label != null ? label : perRow > 0 ? i / perRow : i % classes;
        }
      }
      float[] images = generateInChunks(g, count, seed, labels);
      if (target.toAbsolutePath().getParent() != null) {
        Files.createDirectories(target.toAbsolutePath().getParent());
      }
      if (npy) {
        Npy.writeFloat32(target, images, count, shape.dim(0), shape.dim(1), shape.dim(2));
        out.println("wrote " + count + " samples " + shape + " to " + target);
      } else if (grid) {
        int side = (int) Math.ceil(Math.sqrt(count));
        int cols = perRow > 0 ? perRow : side;
        int rows = perRow > 0 ? classes : side;
        GridCommand.writePadded(images, count, shape, rows, cols, Math.max(1, 128 / shape.dim(0)), target);
        out.println("wrote a " + rows + "x" + cols + " grid of " + count + " samples" + (perRow > 0
            ? ", one row per class," : "") + " to " + target);
      } else {
        Files.createDirectories(target);
        int size = (int) shape.size();
        for (int i = 0; i < count; i++) {
          float[] one = Arrays.copyOfRange(images, i * size, (i + 1) * size);
          ImageGrid.writePng(one, shape, 1, 1, 1, target.resolve(String.format(Locale.ROOT, "sample-%05d.png", i)));
        }
        out.println("wrote " + count + " PNG files to " + target);
      }
    }
    return 0;
  }

  /** Generates in batches of at most 256 so memory stays bounded; {@code labels} for a conditional generator, else null. */
  private static float[] generateInChunks(TrainedGenerator g, int count, long seed, int[] labels) {
    int size = (int) g.imageShape().size();
    float[] all = new float[Math.multiplyExact(count, size)];
    float[] z = new float[count * g.latentDim()];
    // the sampler the generator was trained with, as its export records it
    io.github.gan4j.sample.Sampler sampler = g.sampler().orElseThrow(() -> new IllegalStateException(
        "the generator was trained with a custom sampler, which its export cannot record; generate with the"
        + " library's TrainedGenerator.generate(latents)"));
    sampler.sample(seed, 0, z);
    for (int from = 0; from < count; from += 256) {
      int n = Math.min(256, count - from);
      float[] latents = Arrays.copyOfRange(z, from * g.latentDim(), (from + n) * g.latentDim());
      float[] chunk = labels == null ? g.generate(latents)
          : g.generate(latents, Arrays.copyOfRange(labels, from, from + n));
      System.arraycopy(chunk, 0, all, from * size, chunk.length);
    }
    return all;
  }
}
