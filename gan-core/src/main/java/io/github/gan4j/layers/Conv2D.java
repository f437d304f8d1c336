package io.github.gan4j.layers;

import java.util.ArrayList;
import java.util.List;

/**
 * 2-D convolution over NHWC images, with square kernels and strides.
 *
 * <p>Shape: {@code (h, w, c) -> (h', w', filters)} with, per spatial dimension,
 * {@code h' = floor((h - kernelSize) / strides) + 1} for {@link Padding#VALID} (the default)
 * and {@code h' = ceil(h / strides)} for {@link Padding#SAME}.
 * Weights: kernel {@code (k, k, c, filters)} ({@link #kernelInitializer}, Glorot uniform
 * by default), bias {@code (filters)} (zeros).
 * Parameters: {@code k * k * c * filters + filters}.
 *
 * @param filters number of output channels, positive
 * @param kernelSize height and width of the kernel, positive
 * @param strides step in both spatial dimensions (default 1)
 * @param padding {@link Padding#VALID} (default, as in Keras) or {@link Padding#SAME}, which
 *     DCGAN-style stacks write: {@code conv2d(64, 3).strides(2).padding(SAME)}
 * @param activation activation of the output (default {@link Activation#LINEAR})
 * @param useBias whether a bias is added (default {@code true})
 * @param name layer name, or {@code null} for the default
 * @param kernelInitializer how the kernel starts (default {@link Initializer#glorotUniform()})
 */
public record Conv2D(
    int filters, int kernelSize, int strides, Padding padding, Activation activation,
    boolean useBias, String name, Initializer kernelInitializer) implements Layer {

  /** Validates the arguments. */
  public Conv2D {
    Layer.positive("conv2d filters", filters);
    Layer.positive("conv2d kernelSize", kernelSize);
    Layer.positive("conv2d strides", strides);
    if (padding == null || activation == null) {
      throw new IllegalArgumentException("conv2d padding and activation must not be null");
    }
    Layer.validName(name);
    if (kernelInitializer == null) {
      throw new IllegalArgumentException("conv2d kernelInitializer must not be null;"
          + " the default is Initializer.glorotUniform()");
    }
  }

  /** This layer with Keras's default kernel initializer, Glorot uniform. */
  public Conv2D(int filters, int kernelSize, int strides, Padding padding, Activation activation,
      boolean useBias, String name) {
    this(filters, kernelSize, strides, padding, activation, useBias, name, Initializer.glorotUniform());
  }

  /** This layer with other strides. */
  public Conv2D strides(int strides) {
    return new Conv2D(filters, kernelSize, strides, padding, activation, useBias, name, kernelInitializer);
  }

  /** This layer with another padding. */
  public Conv2D padding(Padding padding) {
    return new Conv2D(filters, kernelSize, strides, padding, activation, useBias, name, kernelInitializer);
  }

  /** This layer with another activation. */
  public Conv2D activation(Activation activation) {
    return new Conv2D(filters, kernelSize, strides, padding, activation, useBias, name, kernelInitializer);
  }

  /** This layer with or without a bias. */
  public Conv2D useBias(boolean useBias) {
    return new Conv2D(filters, kernelSize, strides, padding, activation, useBias, name, kernelInitializer);
  }

  /** This layer with a name. */
  public Conv2D name(String name) {
    return new Conv2D(filters, kernelSize, strides, padding, activation, useBias, name, kernelInitializer);
  }

  /**
   * This layer with another kernel initializer, e.g. {@code Initializer.normal(0.02f)} (DCGAN) or
   * {@code Initializer.heNormal()}; the bias starts at zeros.
   */
  public Conv2D kernelInitializer(Initializer kernelInitializer) {
    return new Conv2D(filters, kernelSize, strides, padding, activation, useBias, name, kernelInitializer);
  }

  @Override
  public String kind() {
    return "conv2d";
  }

  @Override
  public String typeName() {
    return "Conv2D";
  }

  @Override
  public Shape outputShape(Shape input) {
    Convolutions.requireImage("conv2d", input);
    int h = Convolutions.convOut(input.dim(0), kernelSize, strides, padding, "height");
    int w = Convolutions.convOut(input.dim(1), kernelSize, strides, padding, "width");
    return Shape.of(h, w, filters);
  }

  @Override
  public List<WeightSpec> weights(Shape input) {
    List<WeightSpec> w = new ArrayList<>();
    w.add(new WeightSpec("kernel", Shape.of(kernelSize, kernelSize, input.last(), filters), true,
        kernelInitializer));
    if (useBias) {
      w.add(new WeightSpec("bias", Shape.of(filters), true, Initializer.zeros()));
    }
    return w;
  }

  @Override
  public long multiplyAdds(Shape input) {
    Shape out = outputShape(input);
    return (long) out.dim(0) * out.dim(1) * filters * kernelSize * kernelSize * input.last();
  }

  @Override
  public String describe() {
    return Convolutions.describe("conv2d", filters, kernelSize, strides, padding, activation, useBias,
        kernelInitializer);
  }
}
