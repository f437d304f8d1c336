package io.github.gan4j.train;

import java.util.List;

/**
 * A worker of a distributed run ({@link Trainer.Builder#cluster}) cannot go on: another worker
 * did not start, died or stopped answering, or the workers disagree on where training stands
 * (they restored different checkpoints). The message names the workers and says what to do;
 * the run resumes from the newest checkpoint once every worker is started again.
 */
public final class ClusterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<Integer> unreachable;

  ClusterException(String message, List<Integer> unreachable, Throwable cause) {
    super(message, cause);
    this.unreachable = List.copyOf(unreachable);
  }

  /** The tasks of the workers that could not be reached when the failure was examined (may be empty). */
  public List<Integer> unreachableWorkers() {
    return unreachable;
  }
}
