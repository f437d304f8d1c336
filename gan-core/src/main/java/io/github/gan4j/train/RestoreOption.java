package io.github.gan4j.train;

import java.nio.file.Path;

/** Options of {@link Trainer#restore(Path, RestoreOption...)}. */
public enum RestoreOption {
  /**
   * Restore a checkpoint whose optimizer is of another kind than this trainer's (for example
   * Adam in the checkpoint, RMSprop now). The weights, BatchNorm statistics and step are
   * restored; the optimizer whose kind changed starts from fresh state (zero moments, update
   * count 0), since one kind's state means nothing to another. Without this option such a
   * restore is refused with a {@link CheckpointException}.
   */
  ALLOW_OPTIMIZER_CHANGE
}
