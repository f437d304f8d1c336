package io.github.gan4j.layers;

/** Padding of a convolution, with Keras's meaning. */
public enum Padding {
  /** Pads so that {@code out = ceil(in / strides)} (convolution) or {@code out = in * strides} (transposed). */
  SAME,
  /** No padding: {@code out = floor((in - kernel) / strides) + 1} (convolution). */
  VALID;

  String kerasName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
