package io.github.gan4j.recipe;

/**
 * How one network's weights are updated from their gradients. Each network gets its own
 * optimizer instance and state, so the discriminator's optimizer state is never touched by
 * the generator's update. Defaults are Keras's.
 */
public sealed interface Optimizer permits Adam, Sgd, RmsProp {

  /** Learning rate (step size). */
  float learningRate();

  /** A short description for logs and saved configurations. */
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
}
