package io.github.gan4j.layers;

/**
 * Padding of a convolution, with Keras's meaning. {@link Layers#conv2d} and
 * {@link Layers#conv2dTranspose} default to {@link #VALID}, as Keras does; DCGAN-style stacks
 * write {@code .padding(SAME)} (with {@code import static io.github.gan4j.layers.Padding.SAME}).
 */
public enum Padding {
  /** Pads so that {@code out = ceil(in / strides)} (convolution) or {@code out = in * strides} (transposed). */
  SAME,
  /**
   * No padding, the default: {@code out = floor((in - kernel) / strides) + 1} (convolution) or
   * {@code out = in * strides + max(kernel - strides, 0)} (transposed).
   */
  VALID;

  String kerasName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
