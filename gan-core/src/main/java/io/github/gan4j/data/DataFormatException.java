package io.github.gan4j.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file (a dataset's, or a TensorBoard event file read by
 * {@code io.github.gan4j.train.EventFiles}) is not in the expected format: names the file, the
 * byte offset, what was expected vs found, and what to do.
 */
public final class DataFormatException extends IOException {
  private final Path file;
  private final long offset;

  /** Creates the exception. */
  public DataFormatException(Path file, long offset, String problem, String fix) {
    super(file + " at byte " + offset + ": " + problem + ". " + fix + ".");
    this.file = file;
    this.offset = offset;
  }

  /** The damaged file. */
  public Path file() {
    return file;
  }

  /** Byte offset (in the decompressed stream for gzipped files) where the problem is. */
  public long offset() {
    return offset;
  }
}
