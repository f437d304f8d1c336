package io.github.gan4j.recipe;

/**
 * RMSprop: {@code ms = rho ms + (1 - rho) g^2}, {@code mom = momentum mom + lr g / sqrt(ms + epsilon)},
 * {@code w -= mom}.
 *
 * @param learningRate positive
 * @param rho decay of the mean square, in [0, 1)
 * @param momentum in [0, 1)
 * @param epsilon positive
 */
public record RmsProp(float learningRate, float rho, float momentum, float epsilon) implements Optimizer {

  /** Validates the arguments. */
  public RmsProp {
    Optimizer.positive("RMSprop learningRate", learningRate);
    Optimizer.unitInterval("RMSprop rho", rho);
    Optimizer.unitInterval("RMSprop momentum", momentum);
    Optimizer.positive("RMSprop epsilon", epsilon);
  }

  /** This optimizer with another learning rate. */
  public RmsProp learningRate(float learningRate) {
    return new RmsProp(learningRate, rho, momentum, epsilon);
  }

  @Override
  public String describe() {
    return "rmsProp(learningRate=" + learningRate + ", rho=" + rho + ", momentum=" + momentum + ", epsilon=" + epsilon + ")";
  }
}
