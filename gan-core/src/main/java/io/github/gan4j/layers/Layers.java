package io.github.gan4j.layers;

/**
 * Static factories for every layer, with Keras's required arguments; optional arguments are
 * set with each layer's withers. Import them statically:
 *
 * <pre>{@code
 * import static io.github.gan4j.layers.Layers.*;
 * import static io.github.gan4j.layers.Padding.SAME;
 *
 * conv2dTranspose(128, 4).strides(2).padding(SAME), leakyRelu(0.2f), batchNorm().momentum(0.8f)
 * }</pre>
 *
 * <p>Convolutions default to padding {@link Padding#VALID}, as in Keras; DCGAN-style stacks
 * write {@code .padding(SAME)}.
 */
public final class Layers {
  private Layers() {}

  /** {@link Dense} with {@code units} outputs, no activation, with bias. */
  public static Dense dense(int units) {
    return new Dense(units, Activation.LINEAR, true, null);
  }

  /** {@link Conv2D} with Keras's defaults: strides 1, padding "valid", no activation, with bias. */
  public static Conv2D conv2d(int filters, int kernelSize) {
    return new Conv2D(filters, kernelSize, 1, Padding.VALID, Activation.LINEAR, true, null);
  }

  /** {@link Conv2DTranspose} with Keras's defaults: strides 1, padding "valid", no activation, with bias. */
  public static Conv2DTranspose conv2dTranspose(int filters, int kernelSize) {
    return new Conv2DTranspose(filters, kernelSize, 1, Padding.VALID, Activation.LINEAR, true, null);
  }

  /** {@link BatchNorm} with Keras's defaults: momentum 0.99, epsilon 0.001. */
  public static BatchNorm batchNorm() {
    return new BatchNorm(0.99f, 0.001f, null);
  }

  /** {@link LeakyRelu} with the given negative slope. */
  public static LeakyRelu leakyRelu(float alpha) {
    return new LeakyRelu(alpha, null);
  }

  /** {@link LeakyRelu} with Keras's default slope 0.3. */
  public static LeakyRelu leakyRelu() {
    return leakyRelu(0.3f);
  }

  /** A stand-alone ReLU. */
  public static ActivationLayer relu() {
    return new ActivationLayer(Activation.RELU, null);
  }

  /** A stand-alone tanh. */
  public static ActivationLayer tanh() {
    return new ActivationLayer(Activation.TANH, null);
  }

  /** A stand-alone sigmoid. Not for the end of a discriminator, which must output a logit. */
  public static ActivationLayer sigmoid() {
    return new ActivationLayer(Activation.SIGMOID, null);
  }

  /**
   * {@link Reshape} to the given dimensions.
   *
   * @throws IllegalArgumentException if a dimension is not positive
   */
  public static Reshape reshape(int... dims) {
    return new Reshape(Shape.of(dims), null);
  }

  /** {@link Flatten}. */
  public static Flatten flatten() {
    return new Flatten(null);
  }

  /** {@link Dropout} dropping the fraction {@code rate}. */
  public static Dropout dropout(float rate) {
    return new Dropout(rate, null);
  }

  /** {@link UpSampling2D} by {@code size}. */
  public static UpSampling2D upSampling2d(int size) {
    return new UpSampling2D(size, null);
  }

  /** {@link UpSampling2D} by Keras's default 2. */
  public static UpSampling2D upSampling2d() {
    return upSampling2d(2);
  }

  /**
   * {@link SpectralNorm} of a dense, conv2d or conv2dTranspose layer: it computes with its kernel
   * divided by the kernel's largest singular value, estimated with one power iteration per
   * update; e.g. {@code spectralNorm(conv2d(64, 3).strides(2))}.
   *
   * @throws IllegalArgumentException if {@code layer} is not a dense, conv2d or conv2dTranspose layer
   */
  public static SpectralNorm spectralNorm(Layer layer) {
    return new SpectralNorm(layer, 1, SpectralNorm.DEFAULT_EPSILON);
  }
}
