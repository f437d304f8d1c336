package io.github.gan4j.examples;

import io.github.gan4j.train.StepMetrics;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The files of one training run: {@code config.properties}, {@code metrics.jsonl},
 * {@code samples/step-NNNNNN.png}, {@code checkpoints/step-NNNNNN/} and {@code generator/}.
 */
final class RunDirectory {
  static final String CONFIG = "config.properties";
  static final String METRICS = "metrics.jsonl";

  private final Path root;

  RunDirectory(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  Path samples() {
    return root.resolve("samples");
  }

  Path checkpoints() {
    return root.resolve("checkpoints");
  }

  Path generator() {
    return root.resolve("generator");
  }

  Path sample(long step) {
    return samples().resolve(String.format(Locale.ROOT, "step-%06d.png", step));
  }

  boolean hasConfig() {
    return Files.isRegularFile(root.resolve(CONFIG));
  }

  Properties readConfig() throws IOException {
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(root.resolve(CONFIG), StandardCharsets.UTF_8)) {
      p.load(in);
    }
    return p;
  }

  void writeConfig(Properties p) throws IOException {
    Files.createDirectories(root);
    Path tmp = root.resolve(CONFIG + ".tmp");
    try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(out, "gan4j training run: the configuration used");
    }
    Files.move(tmp, root.resolve(CONFIG), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Appends metrics lines; on resume, first drops lines past the restored step. */
  BufferedWriter openMetrics(long keepUpToStep) throws IOException {
    Files.createDirectories(root);
    Path file = root.resolve(METRICS);
    if (Files.exists(file)) {
      List<String> kept = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int at = line.indexOf("\"step\":");
        if (at >= 0) {
          String num = line.substring(at + 7).split("[,}]")[0].trim();
          try {
            if (Long.parseLong(num) <= keepUpToStep) {
              kept.add(line);
            }
          } catch (NumberFormatException ignored) {
            // a torn last line from a crash: drop it
          }
        }
      }
      Files.write(file, kept, StandardCharsets.UTF_8);
    }
    return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  static String json(StepMetrics m, double stepsPerSecond) {
    return String.format(Locale.ROOT,
        "{\"step\":%d,\"d_loss\":%s,\"g_loss\":%s,\"d_x\":%s,\"d_g_z\":%s,\"penalty\":%s,\"steps_per_s\":%.3f}",
        m.step(), num(m.dLoss()), num(m.gLoss()), num(m.dReal()), num(m.dFake()), num(m.penalty()), stepsPerSecond);
  }

  private static String num(float f) {
    return Float.isFinite(f) ? Float.toString(f) : "null";
  }

  static void deleteRecursively(Path dir) throws IOException {
    io.github.gan4j.data.Directories.deleteRecursively(dir);
  }

}
