package io.github.gan4j.train;

import java.nio.file.Path;

/**
 * A checkpoint that cannot be restored: missing, incomplete, damaged, or of another model.
 * The message says which and what to do.
 */
public final class CheckpointException extends IllegalArgumentException {
  private final Path checkpoint;

  CheckpointException(Path checkpoint, String message) {
    super(message);
    this.checkpoint = checkpoint;
  }

  /** The checkpoint directory. */
  public Path checkpoint() {
    return checkpoint;
  }
}
