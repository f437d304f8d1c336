package io.github.gan4j.examples;

/** A mistake in the command line: reported in one line with the usage, exit code 2. */
final class UsageException extends RuntimeException {
  UsageException(String message) {
    super(message);
  }
}
