package io.github.gan4j.recipe;

/**
 * RMSprop: {@code ms = rho ms + (1 - rho) g^2}, {@code mom = momentum mom + lr g / sqrt(ms + epsilon)},
 * {@code w -= mom}. With {@link #clipWeights(float)} it is the original Wasserstein GAN's critic
 * optimizer: {@code Optimizer.rmsProp().learningRate(5e-5f).clipWeights(0.01f)}.
 *
 * @param learningRate positive
 * @param rho decay of the mean square, in [0, 1)
 * @param momentum in [0, 1)
 * @param epsilon positive
 * @param clipWeights bound of the weights after each update ([-c, c]), or 0 for none
 */
public record RmsProp(float learningRate, float rho, float momentum, float epsilon, float clipWeights)
    implements Optimizer {

  /** Validates the arguments. */
  public RmsProp {
    Optimizer.positive("RMSprop learningRate", learningRate);
    Optimizer.unitInterval("RMSprop rho", rho);
    Optimizer.unitInterval("RMSprop momentum", momentum);
    Optimizer.positive("RMSprop epsilon", epsilon);
    Optimizer.clipBound("RMSprop", clipWeights);
  }

  /** RMSprop without weight clipping. */
  public RmsProp(float learningRate, float rho, float momentum, float epsilon) {
    this(learningRate, rho, momentum, epsilon, 0f);
  }

  /** This optimizer with another learning rate. */
  public RmsProp learningRate(float learningRate) {
    return new RmsProp(learningRate, rho, momentum, epsilon, clipWeights);
  }

  /** This optimizer with another rho. */
  public RmsProp rho(float rho) {
    return new RmsProp(learningRate, rho, momentum, epsilon, clipWeights);
  }

  /** This optimizer with another momentum. */
  public RmsProp momentum(float momentum) {
    return new RmsProp(learningRate, rho, momentum, epsilon, clipWeights);
  }

  /** This optimizer with another epsilon. */
  public RmsProp epsilon(float epsilon) {
    return new RmsProp(learningRate, rho, momentum, epsilon, clipWeights);
  }

  /**
   * This optimizer, clipping every trainable weight of its network to [-c, c] after each update.
   *
   * @param c positive and finite (WGAN: 0.01)
   */
  public RmsProp clipWeights(float c) {
    return new RmsProp(learningRate, rho, momentum, epsilon, Optimizer.positive("RMSprop clipWeights", c));
  }

  @Override
  public String kind() {
    return "rmsProp";
  }

  @Override
  public String describe() {
    return "rmsProp(learningRate=" + learningRate + ", rho=" + rho + ", momentum=" + momentum + ", epsilon=" + epsilon
        + Optimizer.describeClip(clipWeights) + ")";
  }
}
