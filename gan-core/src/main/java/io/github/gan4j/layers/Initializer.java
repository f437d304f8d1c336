package io.github.gan4j.layers;

import java.util.Locale;

/**
 * How a weight gets its starting value, with Keras's names and formulas. Kernels of
 * {@link Dense}, {@link Conv2D} and {@link Conv2DTranspose} default to
 * {@link #glorotUniform()}; another is chosen per layer:
 *
 * <pre>{@code
 * conv2d(64, 4).strides(2).kernelInitializer(Initializer.normal(0.02f))   // the DCGAN paper's
 * }</pre>
 *
 * <p>With a kernel of shape {@code (..., fanIn-part, fanOut-part)} as Keras computes the fans
 * ({@code fanIn = shape[-2] * receptive field}, {@code fanOut = shape[-1] * receptive field},
 * where the receptive field is the product of the leading dimensions, 1 for a dense kernel):
 *
 * <table>
 * <caption>Initializers</caption>
 * <tr><th>initializer</th><th>values</th></tr>
 * <tr><td>{@link #glorotUniform()} (default)</td><td>U(-l, l), {@code l = sqrt(6 / (fanIn + fanOut))}</td></tr>
 * <tr><td>{@link #normal(float)}</td><td>N(0, stddev&sup2;)</td></tr>
 * <tr><td>{@link #heNormal()}</td><td>normal truncated at 2 standard deviations, scaled so that
 *     the standard deviation is {@code sqrt(2 / fanIn)} (Keras's {@code HeNormal})</td></tr>
 * <tr><td>{@link #zeros()}, {@link #ones()}</td><td>0, 1 (biases, BatchNorm)</td></tr>
 * </table>
 *
 * <p>Random values are drawn from a stream keyed by the trainer's seed and the variable's name
 * (not its position), so the same seed gives the same starting weights, and adding a layer
 * does not change the others'. An initializer other than the default is part of the layer's
 * {@code describe()} and therefore of the model's fingerprint.
 */
public sealed interface Initializer
    permits Initializer.GlorotUniform, Initializer.Normal, Initializer.HeNormal, Initializer.Zeros,
        Initializer.Ones {

  /** The initializer as written in code, e.g. {@code normal(stddev=0.02)}. */
  String describe();

  /** Keras's default for kernels: Glorot (Xavier) uniform. */
  static GlorotUniform glorotUniform() {
    return new GlorotUniform();
  }

  /**
   * Normal with mean 0 and the given standard deviation (the DCGAN paper: 0.02).
   *
   * @param stddev positive and finite
   */
  static Normal normal(float stddev) {
    return new Normal(stddev);
  }

  /** He (Kaiming) normal, for ReLU-family networks: standard deviation {@code sqrt(2 / fanIn)}. */
  static HeNormal heNormal() {
    return new HeNormal();
  }

  /** All zeros (biases, BatchNorm beta and moving mean). */
  static Zeros zeros() {
    return new Zeros();
  }

  /** All ones (BatchNorm gamma and moving variance). */
  static Ones ones() {
    return new Ones();
  }

  /** Glorot (Xavier) uniform: U(-l, l) with {@code l = sqrt(6 / (fanIn + fanOut))}. */
  record GlorotUniform() implements Initializer {
    @Override
    public String describe() {
      return "glorotUniform()";
    }
  }

  /**
   * Normal with mean 0.
   *
   * @param stddev the standard deviation, positive and finite
   */
  record Normal(float stddev) implements Initializer {
    /** Validates the standard deviation. */
    public Normal {
      if (!(stddev > 0f) || Float.isInfinite(stddev)) {
        throw new IllegalArgumentException("normal initializer stddev must be positive and finite, was " + stddev);
      }
    }

    @Override
    public String describe() {
      return "normal(stddev=" + String.format(Locale.ROOT, "%s", stddev) + ")";
    }
  }

  /** He normal: truncated normal with standard deviation {@code sqrt(2 / fanIn)}. */
  record HeNormal() implements Initializer {
    @Override
    public String describe() {
      return "heNormal()";
    }
  }

  /** All zeros. */
  record Zeros() implements Initializer {
    @Override
    public String describe() {
      return "zeros()";
    }
  }

  /** All ones. */
  record Ones() implements Initializer {
    @Override
    public String describe() {
      return "ones()";
    }
  }
}
