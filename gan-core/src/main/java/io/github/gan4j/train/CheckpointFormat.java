package io.github.gan4j.train;

import io.github.gan4j.internal.ManifestFiles;
import io.github.gan4j.internal.Digests;
import io.github.gan4j.Gan;
import io.github.gan4j.data.Directories;
import io.github.gan4j.recipe.LearningRateSchedule;
import io.github.gan4j.recipe.Optimizer;
import io.github.gan4j.recipe.Sgd;
import io.github.gan4j.recipe.TrainingRecipe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The one owner of gan4j's checkpoint format: a directory with TensorFlow's variable files
 * ({@code variables.index}, {@code variables.data-*}) and the manifest {@value #MANIFEST}
 * (format version, model fingerprint, step, batch size, seed, each network's optimizer and
 * learning-rate schedule, and the SHA-256 of every variable file). Written atomically (a
 * temporary sibling, fsynced, renamed into place) and verified before anything is restored;
 * a trainer configured differently from the manifest gets a warning, or a refusal when an
 * optimizer's state cannot be restored ({@link #compare}).
 */
final class CheckpointFormat {
  /** Name of the manifest file in a checkpoint directory. */
  static final String MANIFEST = "gan4j-checkpoint.properties";
  /** The format version written and read. */
  static final int VERSION = 1;

  private static final String SHA = "sha256.";
  private static final String[] NETWORKS = {"discriminator", "generator"};
  private static final System.Logger LOG = System.getLogger("io.github.gan4j");

  /** Writes TensorFlow's variable files into a directory. */
  @FunctionalInterface
  interface VariableWriter {
    void write(Path dir) throws IOException;
  }

  private CheckpointFormat() {}

  /**
   * Writes a checkpoint of a run of {@code recipe} at {@code step} to {@code dir}: variables,
   * manifest, fsync, then an atomic rename (an existing checkpoint in {@code dir} is replaced).
   *
   * @throws UncheckedIOException if the directory cannot be written
   */
  static void write(Path dir, TrainingRecipe recipe, long step, long trainingNanos, VariableWriter variables) {
    Path target = dir.toAbsolutePath();
    String pid = String.valueOf(ProcessHandle.current().pid());
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp-" + pid);
    try {
      Directories.deleteRecursively(tmp);
      variables.write(tmp);
      Properties p = new Properties();
      p.setProperty("format", String.valueOf(VERSION));
      p.setProperty("model.fingerprint", recipe.gan().fingerprint());
      p.setProperty("step", String.valueOf(step));
      // wall-clock metadata for time budgets (Steps.orTrainingTime); not part of the training state
      p.setProperty("training.nanos", String.valueOf(trainingNanos));
      recipe.generatorEma().ifPresent(e -> p.setProperty("generator.ema", e.describe()));
      if (recipe.augment().isOn()) {
        p.setProperty("augment", recipe.augment().describe());
      }
      p.setProperty("batch.size", String.valueOf(recipe.batchSize()));
      p.setProperty("seed", String.valueOf(recipe.seed()));
      if (recipe.gan().numClasses() > 0) {
        p.setProperty("fake.labels", recipe.fakeLabels().name());
      }
      for (String network : NETWORKS) {
        Optimizer o = optimizer(recipe, network);
        p.setProperty("optimizer." + network, o.describe());
        p.setProperty("optimizer." + network + ".kind", o.kind());
        p.setProperty("optimizer." + network + ".state", state(o));
        p.setProperty("schedule." + network, schedule(recipe, network).describe());
      }
      for (Path file : dataFiles(tmp)) {
        p.setProperty(SHA + file.getFileName(), sha256(file));
      }
      try (var out = Files.newBufferedWriter(tmp.resolve(MANIFEST), StandardCharsets.UTF_8)) {
        p.store(out, "gan4j checkpoint");
      }
      ManifestFiles.fsync(tmp);
      if (Files.exists(target)) {
        Path old = target.resolveSibling(target.getFileName() + ".old-" + pid);
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        Directories.deleteRecursively(old);
      } else {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save checkpoint to " + dir, e);
    } finally {
      try {
        Directories.deleteRecursively(tmp);
      } catch (IOException ignored) {
        // best effort: a leftover .tmp directory is never taken for a checkpoint
      }
    }
  }

  /**
   * Whether {@code fileName} is what another process left behind while writing a checkpoint
   * directory named {@code step-NNNNNN} (never a checkpoint itself).
   */
  static boolean isLeftoverOfOtherProcess(String fileName) {
    return fileName.matches("step-\\d{6,}\\.(tmp|old)-\\d+") && !fileName.endsWith("-" + ProcessHandle.current().pid());
  }

  /**
   * Checks a checkpoint before anything is restored: the manifest is present and readable,
   * of this format and model, and every file listed has its recorded SHA-256.
   *
   * @return the manifest
   * @throws CheckpointException naming what is wrong
   */
  /** Whether the checkpoint holds a moving average of the generator's weights. */
  static boolean hasGeneratorEma(Properties manifest) {
    return manifest.getProperty("generator.ema") != null;
  }

  /** The run's training time recorded in a verified manifest; 0 for checkpoints written before it was. */
  static long trainingNanos(Properties manifest) {
    try {
      return Math.max(0, Long.parseLong(manifest.getProperty("training.nanos", "0")));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static Properties verify(Path dir, Gan gan) {
    Path manifest = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(manifest)) {
      throw new CheckpointException(dir, "no gan4j checkpoint in " + dir + " (" + MANIFEST + " is missing)");
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException | IllegalArgumentException e) {
      throw new CheckpointException(dir, "checkpoint " + dir + " has an unreadable manifest (" + e.getMessage()
          + "); it is damaged");
    }
    if (!String.valueOf(VERSION).equals(p.getProperty("format"))) {
      throw new CheckpointException(dir, "checkpoint " + dir + " has format " + p.getProperty("format")
          + "; this version of gan4j reads format " + VERSION);
    }
    String fingerprint = p.getProperty("model.fingerprint");
    if (!gan.fingerprint().equals(fingerprint)) {
      throw new CheckpointException(dir, "checkpoint " + dir + " is of another model (fingerprint " + fingerprint
          + ", this model " + gan.fingerprint() + "); build the trainer from the Gan the checkpoint was trained with");
    }
    List<String> listed = p.stringPropertyNames().stream().filter(k -> k.startsWith(SHA)).sorted().toList();
    if (listed.isEmpty() || p.getProperty(SHA + "variables.index") == null) {
      throw new CheckpointException(dir, "checkpoint " + dir + " lists no variable files in its manifest; it is damaged");
    }
    try {
      List<Path> present = dataFiles(dir);
      if (present.size() != listed.size()) {
        throw new CheckpointException(dir, "checkpoint " + dir + " holds " + present.size() + " variable files but its"
            + " manifest lists " + listed.size() + "; it is damaged");
      }
      for (String key : listed) {
        Path file = dir.resolve(key.substring(SHA.length()));
        if (!Files.isRegularFile(file)) {
          throw new CheckpointException(dir, "checkpoint " + dir + " is missing " + file.getFileName());
        }
        String actual = sha256(file);
        if (!actual.equals(p.getProperty(key))) {
          throw new CheckpointException(dir, "checkpoint file " + file + " is damaged: SHA-256 " + actual
              + ", the manifest says " + p.getProperty(key));
        }
      }
    } catch (IOException e) {
      throw new CheckpointException(dir, "cannot read checkpoint " + dir + ": " + e.getMessage());
    }
    return p;
  }

  /**
   * Compares a verified checkpoint's manifest with the trainer that restores it. A different
   * batch size, seed, optimizer setting (learning rate, betas, ...) or schedule is logged as a
   * warning (logger {@code io.github.gan4j}, one line naming both values) and restored anyway.
   * An optimizer of another kind (whose state differs) is refused unless
   * {@code allowOptimizerChange}. Manifests written before optimizers were recorded are not
   * compared.
   *
   * @return the networks ({@code discriminator}, {@code generator}) whose optimizer state must
   *     not be restored but start fresh
   * @throws CheckpointException if an optimizer's kind differs and that is not allowed
   */
  static Set<String> compare(Path dir, Properties p, TrainingRecipe recipe, boolean allowOptimizerChange) {
    Set<String> fresh = new LinkedHashSet<>();
    differs(dir, "batch size", p.getProperty("batch.size"), String.valueOf(recipe.batchSize()),
        "the batches differ from the original run's");
    differs(dir, "seed", p.getProperty("seed"), String.valueOf(recipe.seed()),
        "the data order and noise differ from the original run's");
    if (recipe.gan().numClasses() > 0) {
      differs(dir, "fake labels", p.getProperty("fake.labels"), recipe.fakeLabels().name(),
          "the fakes' classes are drawn as this trainer says from now on");
    }
    for (String network : NETWORKS) {
      Optimizer o = optimizer(recipe, network);
      String kind = p.getProperty("optimizer." + network + ".kind");
      String described = p.getProperty("optimizer." + network);
      if (kind == null || described == null) {
        continue;
      }
      if (!kind.equals(o.kind())) {
        if (!allowOptimizerChange) {
          throw new CheckpointException(dir, "checkpoint " + dir + " was trained with " + described + " for the "
              + network + ", this trainer has " + o.describe() + "; " + kind + " and " + o.kind()
              + " keep different state. Configure the " + network + " with the checkpoint's optimizer kind, or"
              + " restore with RestoreOption.ALLOW_OPTIMIZER_CHANGE to keep the weights and start the new"
              + " optimizer from fresh state");
        }
        LOG.log(System.Logger.Level.WARNING, "checkpoint " + dir + ": " + network + " optimizer changed from "
            + described + " to " + o.describe() + "; the weights are restored, the new optimizer starts from fresh"
            + " state");
        fresh.add(network);
        continue;
      }
      differs(dir, network + " optimizer", described, o.describe(), "continuing with this trainer's");
      if (!state(o).equals(p.getProperty("optimizer." + network + ".state", state(o)))) {
        fresh.add(network);   // SGD that gained momentum: there is no accumulator to restore
      }
    }
    for (String network : NETWORKS) {
      String saved = p.getProperty("schedule." + network);
      if (saved != null) {
        differs(dir, network + " learning-rate schedule", saved, schedule(recipe, network).describe(),
            "continuing with this trainer's at the restored step");
      }
    }
    String ema = p.getProperty("generator.ema");
    String emaNow = recipe.generatorEma().map(e -> e.describe()).orElse(null);
    if (ema == null && emaNow != null) {
      LOG.log(System.Logger.Level.WARNING, "checkpoint " + dir + " has no moving average of the generator's weights;"
          + " this trainer's " + emaNow + " starts as a copy of the restored weights");
    } else if (ema != null && emaNow == null) {
      LOG.log(System.Logger.Level.WARNING, "checkpoint " + dir + " holds a generator " + ema + " that this trainer"
          + " does not keep; samples and exports come from the trained weights");
    } else {
      differs(dir, "generator moving average", ema, emaNow, "continuing with this trainer's");
    }
    differs(dir, "augmentation", p.getProperty("augment", "none"), recipe.augment().describe(),
        "continuing with this trainer's");
    return fresh;
  }

  private static void differs(Path dir, String what, String saved, String now, String consequence) {
    if (saved != null && !saved.equals(now)) {
      LOG.log(System.Logger.Level.WARNING, "checkpoint " + dir + " was saved with " + what + " " + saved
          + ", this trainer has " + now + "; " + consequence);
    }
  }

  private static Optimizer optimizer(TrainingRecipe recipe, String network) {
    return network.equals("generator") ? recipe.generatorOptimizer() : recipe.discriminatorOptimizer();
  }

  private static LearningRateSchedule schedule(TrainingRecipe recipe, String network) {
    return network.equals("generator") ? recipe.generatorSchedule() : recipe.discriminatorSchedule();
  }

  /** What an optimizer's checkpointed state consists of: its kind, and whether SGD keeps momentum. */
  private static String state(Optimizer o) {
    return o instanceof Sgd sgd && sgd.momentum() > 0f ? "sgd+momentum" : o.kind();
  }

  /** The variable files TensorFlow wrote in a checkpoint directory. */
  private static List<Path> dataFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(f -> f.getFileName().toString().startsWith("variables.")).sorted().toList();
    }
  }

  /** The SHA-256 of a file's content, in lower-case hex; shared by checkpoints and exports. */
  static String sha256(Path file) throws IOException {
    return Digests.sha256(file);
  }
}
