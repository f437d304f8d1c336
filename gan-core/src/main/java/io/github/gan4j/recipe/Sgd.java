package io.github.gan4j.recipe;

/**
 * Stochastic gradient descent, optionally with momentum:
 * {@code a = momentum a + g; w -= learningRate a} (plain {@code w -= learningRate g} at 0).
 *
 * @param learningRate positive
 * @param momentum in [0, 1)
 */
public record Sgd(float learningRate, float momentum) implements Optimizer {

  /** Validates the arguments. */
  public Sgd {
    Optimizer.positive("SGD learningRate", learningRate);
    Optimizer.unitInterval("SGD momentum", momentum);
  }

  /** This optimizer with another learning rate. */
  public Sgd learningRate(float learningRate) {
    return new Sgd(learningRate, momentum);
  }

  /** This optimizer with another momentum. */
  public Sgd momentum(float momentum) {
    return new Sgd(learningRate, momentum);
  }

  @Override
  public String describe() {
    return "sgd(learningRate=" + learningRate + ", momentum=" + momentum + ")";
  }
}
