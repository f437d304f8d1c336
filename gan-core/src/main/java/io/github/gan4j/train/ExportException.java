package io.github.gan4j.train;

import java.nio.file.Path;

/**
 * An exported generator that cannot be loaded: missing, damaged, incomplete, written before
 * exports carried a manifest, or of an unknown format. The message names the export and the
 * file, says what is wrong and what to do; it is thrown before TensorFlow reads anything.
 */
public final class ExportException extends IllegalArgumentException {
  private final Path export;

  ExportException(Path export, String message) {
    super(message);
    this.export = export;
  }

  /** The export directory. */
  public Path export() {
    return export;
  }
}
