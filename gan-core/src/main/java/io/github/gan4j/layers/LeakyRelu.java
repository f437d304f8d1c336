package io.github.gan4j.layers;

/**
 * Leaky ReLU: {@code f(x) = x} for {@code x >= 0}, {@code alpha * x} otherwise.
 * Shape: unchanged. No weights.
 *
 * @param alpha slope for negative inputs, in [0, 1) (Keras default 0.3; DCGANs use 0.2)
 * @param name layer name, or {@code null} for the default
 */
public record LeakyRelu(float alpha, String name) implements Layer {

  /** Validates the arguments. */
  public LeakyRelu {
    if (!(alpha >= 0f && alpha < 1f)) {
      throw new IllegalArgumentException("leakyRelu alpha must be in [0, 1), was " + alpha);
    }
    Layer.validName(name);
  }

  /** This layer with a name. */
  public LeakyRelu name(String name) {
    return new LeakyRelu(alpha, name);
  }

  @Override
  public String kind() {
    return "leaky_re_lu";
  }

  @Override
  public String typeName() {
    return "LeakyReLU";
  }

  @Override
  public Shape outputShape(Shape input) {
    return input;
  }

  @Override
  public String describe() {
    return "leakyRelu(" + alpha + ")";
  }
}
