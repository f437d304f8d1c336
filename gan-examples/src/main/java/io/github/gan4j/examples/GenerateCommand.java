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

  @Option(names = "--grid", description = "write one square grid image")
  boolean grid;

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
      float[] images = generateInChunks(g, count, seed);
      if (target.toAbsolutePath().getParent() != null) {
        Files.createDirectories(target.toAbsolutePath().getParent());
      }
      if (npy) {
        Npy.writeFloat32(target, images, count, shape.dim(0), shape.dim(1), shape.dim(2));
        out.println("wrote " + count + " samples " + shape + " to " + target);
      } else if (grid) {
        int side = (int) Math.ceil(Math.sqrt(count));
        float[] padded = Arrays.copyOf(images, side * side * (int) shape.size());
        Arrays.fill(padded, images.length, padded.length, 1f);
        ImageGrid.writePng(padded, shape, side, side, Math.max(1, 128 / shape.dim(0)), target);
        out.println("wrote a " + side + "x" + side + " grid of " + count + " samples to " + target);
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

  /** Generates in batches of at most 256 so memory stays bounded. */
  private static float[] generateInChunks(TrainedGenerator g, int count, long seed) {
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
      float[] chunk = g.generate(Arrays.copyOfRange(z, from * g.latentDim(), (from + n) * g.latentDim()));
      System.arraycopy(chunk, 0, all, from * size, chunk.length);
    }
    return all;
  }
}
