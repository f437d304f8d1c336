package io.github.gan4j.examples;

import io.github.gan4j.data.Dataset;
import io.github.gan4j.data.Idx;
import io.github.gan4j.train.Listeners;
import io.github.gan4j.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A memory soak (a measurement, not a test): trains the 28x28x1 reference model on
 * Fashion-MNIST and prints the process's resident set size and the Java heap every
 * {@code every} steps, sampling a grid through the generator each time, so that native
 * leaks in the step, the sampling and the fetches show as growth.
 *
 * <pre>java -cp ... io.github.gan4j.examples.Soak [steps=2000] [every=100]</pre>
 */
public final class Soak {
  private Soak() {}

  /** Runs the soak. */
  public static void main(String[] args) throws IOException {
    long steps = args.length > 0 ? Long.parseLong(args[0]) : 2000;
    int every = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    Path fashion = Path.of("/usr/share/datasets/fashion-mnist");
    Dataset data = Idx.read(fashion.resolve("train-images-idx3-ubyte.gz"), fashion.resolve("train-labels-idx1-ubyte.gz"));
    Path grids = Files.createTempDirectory("gan4j-soak");
    try (Trainer trainer = Trainer.of(ReferenceModels.mnist()).batchSize(32).seed(1).build()) {
      System.out.println("step,rss_mb,heap_used_mb,d_loss,g_loss");
      long start = System.nanoTime();
      for (long s = 1; s <= steps; s++) {
        var m = trainer.step(data);
        if (s % every == 0 || s == 1) {
          Listeners.writeGrid(trainer, grids.resolve("grid.png"), 5);
          Runtime rt = Runtime.getRuntime();
          System.out.printf(Locale.ROOT, "%d,%.1f,%.1f,%.4f,%.4f%n", s, rssMb(),
              (rt.totalMemory() - rt.freeMemory()) / 1048576.0, m.dLoss(), m.gLoss());
        }
      }
      System.out.printf(Locale.ROOT, "# %d steps in %.1f s%n", steps, (System.nanoTime() - start) / 1e9);
    }
  }

  /** Resident set size of this process in MiB, from /proc/self/status (Linux), or NaN. */
  public static double rssMb() {
    return statusMb("VmRSS:");
  }

  /** Peak resident set size of this process in MiB (VmHWM), or NaN off Linux. */
  static double peakRssMb() {
    return statusMb("VmHWM:");
  }

  private static double statusMb(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }
}
