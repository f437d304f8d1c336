package io.github.gan4j.layers;

import java.util.ArrayList;
import java.util.List;

/**
 * Spectral normalization (Miyato et al., 2018) of a {@link Dense}, {@link Conv2D} or
 * {@link Conv2DTranspose}: the wrapped layer computes with {@code W / sigma(W)}, where
 * {@code sigma(W)} is the largest singular value of its kernel, estimated by power iteration.
 * Created with {@link Layers#spectralNorm(Layer)}:
 *
 * <pre>{@code
 * spectralNorm(conv2d(64, 3).strides(2).padding(SAME)), leakyRelu(0.2f)
 * }</pre>
 *
 * <p>The kernel is read as a matrix {@code Wm} of {@code kernel.shape[-1]} columns: {@code (n, units)}
 * for dense, {@code (k * k * c, filters)} for conv2d, and {@code (k * k * filters, c)} for
 * conv2dTranspose, whose kernel is stored {@code (k, k, filters, c)} (the matrix of the convolution
 * it is the transpose of; both have the same singular values). One power iteration per pass, from
 * the stored estimate {@code u} of its leading right singular vector:
 * {@code v = normalize(u Wm^T)}, {@code u' = normalize(v Wm)}, {@code sigma = v Wm u'^T}, where
 * {@code normalize(x) = x / (|x| + epsilon)}; {@code u} and {@code v} are constants to the gradient,
 * which flows through {@code Wm} in {@code sigma}, as in the paper.
 *
 * <p>When {@code u} moves: once per update of the network that owns the layer, by the first
 * training pass of that update (the discriminator's passes on real and fake images and a
 * gradient penalty's pass share the normalized kernel of their update; with separate real and
 * fake updates the fake one uses the {@code u} the real one left, without moving it again).
 * Passes that do not update the network (the discriminator in the generator's update, the
 * generator in the discriminator's, generation and an exported generator) run the same
 * iteration from the stored {@code u} without storing the result.
 *
 * <p>Shape, trainable parameters and multiply-adds: those of the wrapped layer. Weights: the
 * wrapped layer's ({@code kernel}, {@code bias}), plus {@code u} of shape
 * {@code (1, kernel.shape[-1])}, not trainable, starting as N(0, 1). The layer's default name is the
 * wrapped layer's kind, so variables read {@code discriminator/conv2d/kernel},
 * {@code discriminator/conv2d/u}; a checkpoint holds {@code u}, so a resumed run continues exactly.
 *
 * @param layer the wrapped layer: a {@link Dense}, {@link Conv2D} or {@link Conv2DTranspose}
 * @param powerIterations power iterations per pass, positive (default 1, as in the paper)
 * @param epsilon added to norms before dividing, positive and finite (default {@code 1e-12})
 */
public record SpectralNorm(Layer layer, int powerIterations, float epsilon) implements Layer {

  /** The default of {@link #epsilon}: {@code 1e-12}, as in the paper's code. */
  public static final float DEFAULT_EPSILON = 1e-12f;

  /** Validates the arguments. */
  public SpectralNorm {
    if (!(layer instanceof Dense || layer instanceof Conv2D || layer instanceof Conv2DTranspose)) {
      throw new IllegalArgumentException("spectralNorm wraps a dense, conv2d or conv2dTranspose layer, not "
          + (layer == null ? "null" : layer.describe())
          + "; apply it to the weight layers only, e.g. spectralNorm(conv2d(64, 3)), leakyRelu(0.2f)");
    }
    Layer.positive("spectralNorm powerIterations", powerIterations);
    if (!(epsilon > 0f) || Float.isInfinite(epsilon)) {
      throw new IllegalArgumentException("spectralNorm epsilon must be positive and finite, was " + epsilon);
    }
  }

  /** This layer with {@code n} power iterations per pass. */
  public SpectralNorm powerIterations(int n) {
    return new SpectralNorm(layer, n, epsilon);
  }

  /** This layer with another epsilon. */
  public SpectralNorm epsilon(float epsilon) {
    return new SpectralNorm(layer, powerIterations, epsilon);
  }

  /** This layer with the wrapped layer named {@code name} (its variables are {@code <network>/<name>/...}). */
  public SpectralNorm name(String name) {
    Layer renamed = layer instanceof Dense d ? d.name(name)
        : layer instanceof Conv2D c ? c.name(name)
        : ((Conv2DTranspose) layer).name(name);
    return new SpectralNorm(renamed, powerIterations, epsilon);
  }

  /** The wrapped layer's kind ({@code dense}, {@code conv2d}, {@code conv2d_transpose}). */
  @Override
  public String kind() {
    return layer.kind();
  }

  /** The wrapped layer's name. */
  @Override
  public String name() {
    return layer.name();
  }

  /** {@code SpectralNorm(Conv2D)} and so on. */
  @Override
  public String typeName() {
    return "SpectralNorm(" + layer.typeName() + ")";
  }

  @Override
  public Shape outputShape(Shape input) {
    return layer.outputShape(input);
  }

  @Override
  public List<WeightSpec> weights(Shape input) {
    List<WeightSpec> w = new ArrayList<>(layer.weights(input));
    w.add(new WeightSpec("u", Shape.of(1, w.get(0).shape().last()), false, Initializer.normal(1f)));
    return w;
  }

  @Override
  public long multiplyAdds(Shape input) {
    return layer.multiplyAdds(input);
  }

  /** E.g. {@code spectralNorm(conv2d(filters=64, kernelSize=3, strides=2))}, with non-default settings after it. */
  @Override
  public String describe() {
    StringBuilder sb = new StringBuilder("spectralNorm(").append(layer.describe());
    if (powerIterations != 1) {
      sb.append(", powerIterations=").append(powerIterations);
    }
    if (epsilon != DEFAULT_EPSILON) {
      sb.append(", epsilon=").append(epsilon);
    }
    return sb.append(')').toString();
  }
}
