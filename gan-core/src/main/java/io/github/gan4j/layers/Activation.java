package io.github.gan4j.layers;

/** Element-wise activation applied by {@link Dense}, {@link Conv2D} and {@link Conv2DTranspose}. */
public enum Activation {
  /** {@code f(x) = x}: no activation (Keras's {@code None}/"linear"). */
  LINEAR,
  /** {@code f(x) = max(0, x)}. */
  RELU,
  /** {@code f(x) = tanh(x)}, the usual generator output for images in [-1, 1]. */
  TANH,
  /** {@code f(x) = 1 / (1 + exp(-x))}. */
  SIGMOID;

  /** Lower-case Keras name, as used in layer descriptions. */
  public String kerasName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
