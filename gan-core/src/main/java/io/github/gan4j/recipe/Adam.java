package io.github.gan4j.recipe;

/**
 * Adam (Kingma and Ba), updated as Keras does: with {@code t} the update count from 1,
 * {@code lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)}, {@code m = beta1 m + (1 - beta1) g},
 * {@code v = beta2 v + (1 - beta2) g^2}, {@code w -= lr_t m / (sqrt(v) + epsilon)}.
 *
 * @param learningRate positive
 * @param beta1 decay of the first moment, in [0, 1)
 * @param beta2 decay of the second moment, in [0, 1)
 * @param epsilon positive
 * @param clipWeights bound of the weights after each update ([-c, c]), or 0 for none
 */
public record Adam(float learningRate, float beta1, float beta2, float epsilon, float clipWeights)
    implements Optimizer {

  /** Validates the arguments. */
  public Adam {
    Optimizer.positive("Adam learningRate", learningRate);
    Optimizer.unitInterval("Adam beta1", beta1);
    Optimizer.unitInterval("Adam beta2", beta2);
    Optimizer.positive("Adam epsilon", epsilon);
    Optimizer.clipBound("Adam", clipWeights);
  }

  /** Adam without weight clipping. */
  public Adam(float learningRate, float beta1, float beta2, float epsilon) {
    this(learningRate, beta1, beta2, epsilon, 0f);
  }

  /** This optimizer with another learning rate. */
  public Adam learningRate(float learningRate) {
    return new Adam(learningRate, beta1, beta2, epsilon, clipWeights);
  }

  /** This optimizer with another beta1 (0.5 is common for GANs). */
  public Adam beta1(float beta1) {
    return new Adam(learningRate, beta1, beta2, epsilon, clipWeights);
  }

  /** This optimizer with another beta2. */
  public Adam beta2(float beta2) {
    return new Adam(learningRate, beta1, beta2, epsilon, clipWeights);
  }

  /** This optimizer with another epsilon. */
  public Adam epsilon(float epsilon) {
    return new Adam(learningRate, beta1, beta2, epsilon, clipWeights);
  }

  /**
   * This optimizer, clipping every trainable weight of its network to [-c, c] after each update.
   *
   * @param c positive and finite
   */
  public Adam clipWeights(float c) {
    return new Adam(learningRate, beta1, beta2, epsilon, Optimizer.positive("Adam clipWeights", c));
  }

  @Override
  public String kind() {
    return "adam";
  }

  @Override
  public String describe() {
    return "adam(learningRate=" + learningRate + ", beta1=" + beta1 + ", beta2=" + beta2 + ", epsilon=" + epsilon
        + Optimizer.describeClip(clipWeights) + ")";
  }
}
