package io.github.gan4j.layers;

import java.util.ArrayList;
import java.util.List;

/**
 * Fully connected layer: {@code y = activation(x W + b)}.
 *
 * <p>Shape: {@code (n) -> (units)}. The input must be a vector; put {@link Flatten} before
 * it for images. Weights: kernel {@code (n, units)} (Glorot uniform), bias {@code (units)}
 * (zeros). Parameters: {@code n * units + units}.
 *
 * @param units output size, positive
 * @param activation activation applied to the output ({@link Activation#LINEAR} by default)
 * @param useBias whether the layer adds a bias (default {@code true})
 * @param name layer name, or {@code null} for Keras's default ({@code dense}, {@code dense_1}, ...)
 */
public record Dense(int units, Activation activation, boolean useBias, String name) implements Layer {

  /** Validates the arguments. */
  public Dense {
    Layer.positive("dense units", units);
    if (activation == null) {
      throw new IllegalArgumentException("dense activation must not be null; use Activation.LINEAR");
    }
    Layer.validName(name);
  }

  /** This layer with another activation. */
  public Dense activation(Activation activation) {
    return new Dense(units, activation, useBias, name);
  }

  /** This layer with or without a bias. */
  public Dense useBias(boolean useBias) {
    return new Dense(units, activation, useBias, name);
  }

  /** This layer with a name. */
  public Dense name(String name) {
    return new Dense(units, activation, useBias, name);
  }

  @Override
  public String kind() {
    return "dense";
  }

  @Override
  public String typeName() {
    return "Dense";
  }

  @Override
  public Shape outputShape(Shape input) {
    if (input.rank() != 1) {
      throw new LayerShapeException(
          "dense needs a vector (n) but received " + input + ", a rank-" + input.rank() + " input.",
          "put flatten() before it to turn " + input + " into (" + input.size() + ")"
              + (input.rank() == 3 ? ", or use conv2d for image-shaped data." : "."));
    }
    return Shape.of(units);
  }

  @Override
  public List<WeightSpec> weights(Shape input) {
    List<WeightSpec> w = new ArrayList<>();
    w.add(new WeightSpec("kernel", Shape.of(input.last(), units), true, WeightSpec.Init.GLOROT_UNIFORM));
    if (useBias) {
      w.add(new WeightSpec("bias", Shape.of(units), true, WeightSpec.Init.ZEROS));
    }
    return w;
  }

  @Override
  public long multiplyAdds(Shape input) {
    return (long) input.last() * units;
  }

  @Override
  public String describe() {
    StringBuilder sb = new StringBuilder("dense(units=").append(units);
    if (activation != Activation.LINEAR) {
      sb.append(", activation=").append(activation.kerasName());
    }
    if (!useBias) {
      sb.append(", useBias=false");
    }
    return sb.append(')').toString();
  }
}
