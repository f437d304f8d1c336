package io.github.gan4j.layers;

import java.util.ArrayList;
import java.util.List;

/**
 * Transposed 2-D convolution (sometimes called deconvolution) over NHWC images: the
 * upsampling layer of DCGAN generators.
 *
 * <p>Shape: {@code (h, w, c) -> (h', w', filters)} with, per spatial dimension,
 * {@code h' = h * strides + max(kernelSize - strides, 0)} for {@link Padding#VALID} (the
 * default; Keras's formula) and {@code h' = h * strides} for {@link Padding#SAME}.
 * Weights: kernel {@code (k, k, filters, c)} ({@link #kernelInitializer}, Glorot uniform
 * by default), bias {@code (filters)} (zeros).
 * Parameters: {@code k * k * c * filters + filters}.
 *
 * @param filters number of output channels, positive
 * @param kernelSize height and width of the kernel, positive
 * @param strides upsampling factor in both spatial dimensions (default 1)
 * @param padding {@link Padding#VALID} (default, as in Keras) or {@link Padding#SAME}, which
 *     DCGAN-style stacks write: {@code conv2dTranspose(128, 4).strides(2).padding(SAME)}
 * @param activation activation of the output (default {@link Activation#LINEAR})
 * @param useBias whether a bias is added (default {@code true})
 * @param name layer name, or {@code null} for the default
 * @param kernelInitializer how the kernel starts (default {@link Initializer#glorotUniform()})
 */
public record Conv2DTranspose(
    int filters, int kernelSize, int strides, Padding padding, Activation activation,
    boolean useBias, String name, Initializer kernelInitializer) implements Layer {

  /** Validates the arguments. */
  public Conv2DTranspose {
    Layer.positive("conv2dTranspose filters", filters);
    Layer.positive("conv2dTranspose kernelSize", kernelSize);
    Layer.positive("conv2dTranspose strides", strides);
    if (padding == null || activation == null) {
      throw new IllegalArgumentException("conv2dTranspose padding and activation must not be null");
    }
    Layer.validName(name);
    if (kernelInitializer == null) {
      throw new IllegalArgumentException("conv2dTranspose kernelInitializer must not be null;"
          + " the default is Initializer.glorotUniform()");
    }
  }

  /** This layer with Keras's default kernel initializer, Glorot uniform. */
  public Conv2DTranspose(int filters, int kernelSize, int strides, Padding padding, Activation activation,
      boolean useBias, String name) {
    this(filters, kernelSize, strides, padding, activation, useBias, name, Initializer.glorotUniform());
  }

  /** This layer with other strides. */
  public Conv2DTranspose strides(int strides) {
    return new Conv2DTranspose(filters, kernelSize, strides, padding, activation, useBias, name,
        kernelInitializer);
  }

  /** This layer with another padding. */
  public Conv2DTranspose padding(Padding padding) {
    return new Conv2DTranspose(filters, kernelSize, strides, padding, activation, useBias, name,
        kernelInitializer);
  }

  /** This layer with another activation. */
  public Conv2DTranspose activation(Activation activation) {
    return new Conv2DTranspose(filters, kernelSize, strides, padding, activation, useBias, name,
        kernelInitializer);
  }

  /** This layer with or without a bias. */
  public Conv2DTranspose useBias(boolean useBias) {
    return new Conv2DTranspose(filters, kernelSize, strides, padding, activation, useBias, name,
        kernelInitializer);
  }

  /** This layer with a name. */
  public Conv2DTranspose name(String name) {
    return new Conv2DTranspose(filters, kernelSize, strides, padding, activation, useBias, name,
        kernelInitializer);
  }

  /**
   * This layer with another kernel initializer, e.g. {@code Initializer.normal(0.02f)} (DCGAN) or
   * {@code Initializer.heNormal()}; the bias starts at zeros.
   */
  public Conv2DTranspose kernelInitializer(Initializer kernelInitializer) {
    return new Conv2DTranspose(filters, kernelSize, strides, padding, activation, useBias, name,
        kernelInitializer);
  }

  @Override
  public String kind() {
    return "conv2d_transpose";
  }

  @Override
  public String typeName() {
    return "Conv2DTranspose";
  }

  @Override
  public Shape outputShape(Shape input) {
    Convolutions.requireImage("conv2dTranspose", input);
    return Shape.of(outSize(input.dim(0)), outSize(input.dim(1)), filters);
  }

  private int outSize(int in) {
    long out = padding == Padding.SAME
        ? (long) in * strides
        : (long) in * strides + Math.max(kernelSize - strides, 0);
    if (out > Integer.MAX_VALUE) {
      throw new LayerShapeException("conv2dTranspose output size " + out + " overflows.", "use smaller strides.");
    }
    return (int) out;
  }

  @Override
  public List<WeightSpec> weights(Shape input) {
    List<WeightSpec> w = new ArrayList<>();
    w.add(new WeightSpec("kernel", Shape.of(kernelSize, kernelSize, filters, input.last()), true,
        kernelInitializer));
    if (useBias) {
      w.add(new WeightSpec("bias", Shape.of(filters), true, Initializer.zeros()));
    }
    return w;
  }

  @Override
  public long multiplyAdds(Shape input) {
    // every input pixel scatters a k x k x filters patch for each input channel
    return (long) input.dim(0) * input.dim(1) * input.last() * kernelSize * kernelSize * filters;
  }

  @Override
  public String describe() {
    return Convolutions.describe("conv2dTranspose", filters, kernelSize, strides, padding, activation, useBias,
        kernelInitializer);
  }
}
