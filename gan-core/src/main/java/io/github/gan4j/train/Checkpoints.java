package io.github.gan4j.train;

import io.github.gan4j.Gan;
import io.github.gan4j.data.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
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
    Path target = forStep(root, trainer.stepCount());
    trainer.save(target);
    List<Path> all = list(root);
    try {
      // leftovers of processes killed while saving are never checkpoints: remove them
      try (Stream<Path> s = Files.list(root)) {
        for (Path p : s.toList()) {
          if (CheckpointFormat.isLeftoverOfOtherProcess(p.getFileName().toString())) {
            Directories.deleteRecursively(p);
          }
        }
      }
      for (int i = 0; i < all.size() - keep; i++) {
        Directories.deleteRecursively(all.get(i));
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
   * @return the manifest
   * @throws CheckpointException naming what is wrong
   */
  public static Properties verify(Path dir, Gan gan) {
    return CheckpointFormat.verify(dir, gan);
  }
}
