package io.github.gan4j.layers;

import java.util.ArrayList;
import java.util.List;

/**
 * Fully connected layer: {@code y = activation(x W + b)}.
 *
 * <p>Shape: {@code (n) -> (units)}. The input must be a vector; put {@link Flatten} before
 * it for images. Weights: kernel {@code (n, units)} ({@link #kernelInitializer}, Glorot uniform by
 * default), bias {@code (units)} (zeros). Parameters: {@code n * units + units}.
 *
 * @param units output size, positive
 * @param activation activation applied to the output ({@link Activation#LINEAR} by default)
 * @param useBias whether the layer adds a bias (default {@code true})
 * @param name layer name, or {@code null} for Keras's default ({@code dense}, {@code dense_1}, ...)
 * @param kernelInitializer how the kernel starts (default {@link Initializer#glorotUniform()})
 */
public record Dense(int units, Activation activation, boolean useBias, String name, Initializer kernelInitializer)
    implements Layer {

  /** Validates the arguments. */
  public Dense {
    Layer.positive("dense units", units);
    if (activation == null) {
      throw new IllegalArgumentException("dense activation must not be null; use Activation.LINEAR");
    }
    Layer.validName(name);
    if (kernelInitializer == null) {
      throw new IllegalArgumentException("dense kernelInitializer must not be null;"
          + " the default is Initializer.glorotUniform()");
    }
  }

  /** This layer with Keras's default kernel initializer, Glorot uniform. */
  public Dense(int units, Activation activation, boolean useBias, String name) {
    this(units, activation, useBias, name, Initializer.glorotUniform());
  }

  /** This layer with another activation. */
  public Dense activation(Activation activation) {
    return new Dense(units, activation, useBias, name, kernelInitializer);
  }

  /** This layer with or without a bias. */
  public Dense useBias(boolean useBias) {
    return new Dense(units, activation, useBias, name, kernelInitializer);
  }

  /** This layer with a name. */
  public Dense name(String name) {
    return new Dense(units, activation, useBias, name, kernelInitializer);
  }

  /**
   * This layer with another kernel initializer, e.g. {@code Initializer.normal(0.02f)} (DCGAN) or
   * {@code Initializer.heNormal()}; the bias starts at zeros.
   */
  public Dense kernelInitializer(Initializer kernelInitializer) {
    return new Dense(units, activation, useBias, name, kernelInitializer);
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
    w.add(new WeightSpec("kernel", Shape.of(input.last(), units), true, kernelInitializer));
    if (useBias) {
      w.add(new WeightSpec("bias", Shape.of(units), true, Initializer.zeros()));
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
    return Convolutions.withInitializer(sb, kernelInitializer).append(')').toString();
  }
}
