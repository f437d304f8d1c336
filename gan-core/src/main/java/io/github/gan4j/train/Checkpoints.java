package io.github.gan4j.train;

import io.github.gan4j.Gan;
import io.github.gan4j.data.Directories;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A directory of numbered checkpoints ({@code step-NNNNNN/}, each written by
 * {@link Trainer#save}): saving with a bounded history, and finding the newest one that
 * verifies, falling back past damaged ones.
 */
public final class Checkpoints {
  private Checkpoints() {}

  /** The checkpoint directory for {@code step} under {@code root}. */
  public static Path forStep(Path root, long step) {
    return root.resolve(String.format(Locale.ROOT, "step-%06d", step));
  }

  /**
   * Saves {@code trainer} as {@code root/step-NNNNNN} (atomically) and deletes all but the
   * newest {@code keep} checkpoints.
   */
  public static Path save(Trainer trainer, Path root, int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be at least 1, was " + keep);
    }
    Path target = forStep(root, trainer.step());
    trainer.save(target);
    List<Path> all = list(root);
    try {
      // leftovers of processes killed while saving are never checkpoints: remove them
      String mine = "-" + ProcessHandle.current().pid();
      try (Stream<Path> s = Files.list(root)) {
        for (Path p : s.toList()) {
          String n = p.getFileName().toString();
          if (n.matches("step-\\d{6,}\\.(tmp|old)-\\d+") && !n.endsWith(mine)) {
            deleteRecursively(p);
          }
        }
      }
      for (int i = 0; i < all.size() - keep; i++) {
        deleteRecursively(all.get(i));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete old checkpoints in " + root, e);
    }
    return target;
  }

  /** Checkpoint directories under {@code root} by name ({@code step-NNNNNN}), oldest first, verified or not. */
  public static List<Path> list(Path root) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(p -> p.getFileName().toString().matches("step-\\d{6,}") && Files.isDirectory(p))
          .sorted(Comparator.comparingLong(Checkpoints::stepOf))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list checkpoints in " + root, e);
    }
  }

  /** The step in a checkpoint directory's name. */
  public static long stepOf(Path checkpoint) {
    return Long.parseLong(checkpoint.getFileName().toString().substring("step-".length()));
  }

  /**
   * The newest checkpoint under {@code root} that verifies for {@code gan}; every newer one
   * that does not is reported to {@code skipped} with the reason.
   */
  public static Optional<Path> latestValid(Path root, Gan gan, Consumer<CheckpointException> skipped) {
    List<Path> all = new ArrayList<>(list(root));
    for (int i = all.size() - 1; i >= 0; i--) {
      try {
        verify(all.get(i), gan);
        return Optional.of(all.get(i));
      } catch (CheckpointException e) {
        skipped.accept(e);
      }
    }
    return Optional.empty();
  }

  /**
   * Checks a checkpoint before anything is restored: the manifest is present and readable,
   * of this format and model, and every file listed has its recorded SHA-256.
   *
   * @throws CheckpointException naming what is wrong
   */
  public static Properties verify(Path dir, Gan gan) {
    Path manifest = dir.resolve(Trainer.MANIFEST);
    if (!Files.isRegularFile(manifest)) {
      throw new CheckpointException(dir, "no gan4j checkpoint in " + dir + " (" + Trainer.MANIFEST + " is missing)");
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException | IllegalArgumentException e) {
      throw new CheckpointException(dir, "checkpoint " + dir + " has an unreadable manifest (" + e.getMessage()
          + "); it is damaged");
    }
    if (!String.valueOf(Trainer.FORMAT).equals(p.getProperty("format"))) {
      throw new CheckpointException(dir, "checkpoint " + dir + " has format " + p.getProperty("format")
          + "; this version of gan4j reads format " + Trainer.FORMAT);
    }
    String fingerprint = p.getProperty("model.fingerprint");
    if (!gan.fingerprint().equals(fingerprint)) {
      throw new CheckpointException(dir, "checkpoint " + dir + " is of another model (fingerprint " + fingerprint
          + ", this model " + gan.fingerprint() + "); build the trainer from the Gan the checkpoint was trained with");
    }
    List<String> listed = p.stringPropertyNames().stream().filter(k -> k.startsWith("sha256.")).sorted().toList();
    if (listed.isEmpty() || p.getProperty("sha256.variables.index") == null) {
      throw new CheckpointException(dir, "checkpoint " + dir + " lists no variable files in its manifest; it is damaged");
    }
    try {
      List<Path> present = dataFiles(dir);
      if (present.size() != listed.size()) {
        throw new CheckpointException(dir, "checkpoint " + dir + " holds " + present.size() + " variable files but its"
            + " manifest lists " + listed.size() + "; it is damaged");
      }
      for (String key : listed) {
        Path file = dir.resolve(key.substring("sha256.".length()));
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

  /** The variable files TensorFlow wrote in a checkpoint directory. */
  static List<Path> dataFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(f -> f.getFileName().toString().startsWith("variables.")).sorted().toList();
    }
  }

  static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        md.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** Forces the files of {@code dir} to disk, so that a rename after it publishes complete data. */
  static void fsync(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.toList()) {
        try (FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE)) {
          c.force(true);
        }
      }
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    Directories.deleteRecursively(dir);
  }

}
