package io.github.gan4j.recipe;

/**
 * Stochastic gradient descent, optionally with momentum:
 * {@code a = momentum a + g; w -= learningRate a} (plain {@code w -= learningRate g} at 0).
 *
 * @param learningRate positive
 * @param momentum in [0, 1)
 * @param clipWeights bound of the weights after each update ([-c, c]), or 0 for none
 */
public record Sgd(float learningRate, float momentum, float clipWeights) implements Optimizer {

  /** Validates the arguments. */
  public Sgd {
    Optimizer.positive("SGD learningRate", learningRate);
    Optimizer.unitInterval("SGD momentum", momentum);
    Optimizer.clipBound("SGD", clipWeights);
  }

  /** SGD without weight clipping. */
  public Sgd(float learningRate, float momentum) {
    this(learningRate, momentum, 0f);
  }

  /** This optimizer with another learning rate. */
  public Sgd learningRate(float learningRate) {
    return new Sgd(learningRate, momentum, clipWeights);
  }

  /** This optimizer with another momentum. */
  public Sgd momentum(float momentum) {
    return new Sgd(learningRate, momentum, clipWeights);
  }

  /**
   * This optimizer, clipping every trainable weight of its network to [-c, c] after each update.
   *
   * @param c positive and finite
   */
  public Sgd clipWeights(float c) {
    return new Sgd(learningRate, momentum, Optimizer.positive("SGD clipWeights", c));
  }

  @Override
  public String kind() {
    return "sgd";
  }

  @Override
  public String describe() {
    return "sgd(learningRate=" + learningRate + ", momentum=" + momentum + Optimizer.describeClip(clipWeights) + ")";
  }
}
