package io.github.gan4j.layers;

/**
 * A stand-alone activation, as Keras's {@code Activation} layer: {@code relu()},
 * {@code tanh()}, {@code sigmoid()}. Shape: unchanged. No weights.
 *
 * @param activation the function applied element-wise
 * @param name layer name, or {@code null} for the default
 */
public record ActivationLayer(Activation activation, String name) implements Layer {

  /** Validates the arguments. */
  public ActivationLayer {
    if (activation == null) {
      throw new IllegalArgumentException("activation must not be null");
    }
    Layer.validName(name);
  }

  /** This layer with a name. */
  public ActivationLayer name(String name) {
    return new ActivationLayer(activation, name);
  }

  @Override
  public String kind() {
    return "activation";
  }

  @Override
  public String typeName() {
    return "Activation";
  }

  @Override
  public Shape outputShape(Shape input) {
    return input;
  }

  @Override
  public String describe() {
    return activation.kerasName() + "()";
  }
}
