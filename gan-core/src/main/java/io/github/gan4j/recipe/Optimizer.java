package io.github.gan4j.recipe;

/**
 * How one network's weights are updated from their gradients. Each network gets its own
 * optimizer instance and state, so the discriminator's optimizer state is never touched by
 * the generator's update. Defaults are Keras's.
 *
 * <p>Every optimizer can clip the weights of its network after each update
 * ({@code clipWeights(c)}: every trainable weight to [-c, c]), as the original Wasserstein GAN
 * does with its critic:
 * {@code Optimizer.rmsProp().learningRate(5e-5f).clipWeights(0.01f)}.
 */
public sealed interface Optimizer permits Adam, Sgd, RmsProp {

  /** Learning rate (step size), before any {@link LearningRateSchedule}. */
  float learningRate();

  /**
   * The bound {@code c} every trainable weight of the network is clipped to ([-c, c]) after
   * each update, or 0 for no clipping (the default).
   */
  float clipWeights();

  /**
   * The kind of optimizer, as its factory is named: {@code adam}, {@code sgd} or {@code rmsProp}.
   * Optimizers of different kinds keep different state, so a checkpoint's optimizer state is
   * only restored into an optimizer of the same kind.
   */
  String kind();

  /** A short description for logs and saved configurations, as the optimizer is written in code. */
  String describe();

  /** Adam with Keras's defaults: learning rate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7. */
  static Adam adam() {
    return new Adam(0.001f, 0.9f, 0.999f, 1e-7f);
  }

  /** Plain stochastic gradient descent with Keras's default learning rate 0.01, no momentum. */
  static Sgd sgd() {
    return new Sgd(0.01f, 0f);
  }

  /** RMSprop with Keras's defaults: learning rate 0.001, rho 0.9, no momentum, epsilon 1e-7. */
  static RmsProp rmsProp() {
    return new RmsProp(0.001f, 0.9f, 0f, 1e-7f);
  }

  /** Checks a positive, finite value. */
  static float positive(String what, float v) {
    if (!(v > 0f) || Float.isInfinite(v)) {
      throw new IllegalArgumentException(what + " must be positive and finite, was " + v);
    }
    return v;
  }

  /** Checks a value in [0, 1). */
  static float unitInterval(String what, float v) {
    if (!(v >= 0f && v < 1f)) {
      throw new IllegalArgumentException(what + " must be in [0, 1), was " + v);
    }
    return v;
  }

  /** Checks a clipping bound of a record: 0 (no clipping) or positive and finite. */
  static float clipBound(String what, float c) {
    if (c != 0f) {
      positive(what + " clipWeights", c);
    }
    return c;
  }

  /** The {@code , clipWeights=c} part of a description, empty without clipping. */
  static String describeClip(float c) {
    return c > 0f ? ", clipWeights=" + c : "";
  }
}
