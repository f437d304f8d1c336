package io.github.gan4j.layers;

import java.util.ArrayList;
import java.util.List;

/**
 * Self-attention over the positions of an image (SAGAN, Zhang et al. 2019, as BigGAN uses it):
 * every position attends to every other, and the result is added to the input, scaled by a
 * learned {@code gamma} that starts at 0 (so the layer starts as the identity).
 *
 * <p>With {@code N = h * w} positions and {@code c' = max(1, c / 8)}: the 1x1 convolutions
 * {@code query}, {@code key} and {@code value} ({@code c -> c'}, no bias) give
 * {@code q, k, v} of shape {@code (N, c')}; {@code beta = softmax(q k^T)} over each row;
 * {@code o = output(beta v)} with the 1x1 convolution {@code output} ({@code c' -> c}, no bias);
 * {@code y = x + gamma * o}.
 *
 * <p>Shape: unchanged, {@code (h, w, c) -> (h, w, c)}. Weights: {@code query/kernel},
 * {@code key/kernel}, {@code value/kernel} {@code (1, 1, c, c')}, {@code output/kernel}
 * {@code (1, 1, c', c)} (Glorot uniform) and {@code gamma} {@code (1)} (zeros). Parameters:
 * {@code 4 * c * c' + 1}. Multiply-adds: {@code 4 * N * c * c' + 2 * N * N * c'}; the
 * {@code N x N} attention matrix makes it costly on large images, so it usually sits at 32x32
 * or below. Its projections are ordinary {@link Conv2D} specs ({@link #projections(Shape)}), so
 * their variables read {@code <network>/<layer>/query/kernel}.
 *
 * @param spectralNormalized whether the four projections are wrapped in {@link Layers#spectralNorm(Layer)}
 *     (as in SAGAN and BigGAN; default {@code false})
 * @param name layer name, or {@code null} for the default
 */
public record SelfAttention(boolean spectralNormalized, String name) implements Layer {

  /** Validates the arguments. */
  public SelfAttention {
    Layer.validName(name);
  }

  /** This layer with a name. */
  public SelfAttention name(String newName) {
    return new SelfAttention(spectralNormalized, newName);
  }

  /** This layer with spectral normalization of its four projections. */
  public SelfAttention spectralNorm() {
    return new SelfAttention(true, name);
  }

  /** Channels of the query, key and value for an input of {@code channels}: {@code max(1, channels / 8)}. */
  public static int reducedChannels(int channels) {
    return Math.max(1, channels / 8);
  }

  /**
   * The four 1x1 convolutions for an input of shape {@code input}, in the order query, key,
   * value (each on the input) and output (on the attended values).
   */
  public List<Layer> projections(Shape input) {
    int c = input.last();
    int reduced = reducedChannels(c);
    return List.of(conv(reduced, "query"), conv(reduced, "key"), conv(reduced, "value"), conv(c, "output"));
  }

  private Layer conv(int filters, String name) {
    Conv2D conv = new Conv2D(filters, 1, 1, Padding.VALID, Activation.LINEAR, false, name);
    return spectralNormalized ? Layers.spectralNorm(conv) : conv;
  }

  @Override
  public String kind() {
    return "self_attention";
  }

  @Override
  public String typeName() {
    return "SelfAttention";
  }

  @Override
  public Shape outputShape(Shape input) {
    Convolutions.requireImage("selfAttention", input);
    return input;
  }

  /** The projections' kernels, named {@code query/kernel} and so on, then {@code gamma}. */
  @Override
  public List<WeightSpec> weights(Shape input) {
    List<WeightSpec> all = new ArrayList<>();
    List<Layer> p = projections(input);
    Shape attended = Shape.of(input.dim(0), input.dim(1), reducedChannels(input.last()));
    for (int i = 0; i < p.size(); i++) {
      Layer conv = p.get(i);
      for (WeightSpec w : conv.weights(i < 3 ? input : attended)) {
        all.add(new WeightSpec(conv.name() + "/" + w.name(), w.shape(), w.trainable(), w.initializer()));
      }
    }
    all.add(new WeightSpec("gamma", Shape.of(1), true, Initializer.zeros()));
    return all;
  }

  @Override
  public long multiplyAdds(Shape input) {
    long n = (long) input.dim(0) * input.dim(1);
    long c = input.last();
    long reduced = reducedChannels(input.last());
    return 4 * n * c * reduced + 2 * n * n * reduced;
  }

  @Override
  public String describe() {
    return spectralNormalized ? "selfAttention().spectralNorm()" : "selfAttention()";
  }

}
