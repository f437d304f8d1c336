package io.github.gan4j.eval;

import java.nio.file.Path;

/**
 * A saved evaluator that cannot be used: missing, damaged (a file whose SHA-256 differs from
 * its manifest's), incomplete, altered, of an unknown format, or made for other data than it
 * is asked to evaluate. The message names the directory and the file, says what is wrong and
 * what to do; it is thrown before TensorFlow reads anything.
 */
public final class EvaluatorException extends IllegalArgumentException {
  private final Path directory;

  EvaluatorException(Path directory, String message) {
    super(message);
    this.directory = directory;
  }

  /** The evaluator's directory. */
  public Path directory() {
    return directory;
  }
}
