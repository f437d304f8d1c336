package io.github.gan4j;

import io.github.gan4j.internal.Digests;
import io.github.gan4j.layers.Shape;
import java.util.Optional;

/**
 * A validated GAN: the image shape, the latent size, and the generator and discriminator
 * with every shape inferred. Immutable and reusable: one {@code Gan} can configure any
 * number of trainers. Built by {@link GanBuilder}.
 */
public final class Gan {
  private final Shape imageShape;
  private final int latentDim;
  private final Network generator;
  private final Network discriminator;
  private final Optional<Conditioning> conditioning;

  Gan(Shape imageShape, int latentDim, Network generator, Network discriminator, Optional<Conditioning> conditioning) {
    this.conditioning = conditioning;
    this.imageShape = imageShape;
    this.latentDim = latentDim;
    this.generator = generator;
    this.discriminator = discriminator;
  }

  /** Shape of one image, {@code (height, width, channels)}. */
  public Shape imageShape() {
    return imageShape;
  }

  /** Size of the latent vector the generator takes. */
  public int latentDim() {
    return latentDim;
  }

  /**
   * The class labels the GAN is conditioned on ({@link GanBuilder#conditional(int)}), or empty
   * for an unconditional GAN.
   */
  public Optional<Conditioning> conditioning() {
    return conditioning;
  }

  /** The number of classes of a conditional GAN, or 0 for an unconditional one. */
  public int numClasses() {
    return conditioning.map(Conditioning::numClasses).orElse(0);
  }

  /**
   * The generator: {@code (latentDim) -> imageShape}; with a label embedding, its first layer
   * receives {@code (latentDim + embeddingDim)}.
   */
  public Network generator() {
    return generator;
  }

  /**
   * The discriminator: {@code imageShape -> (1)}, one logit per image; with label maps, its first
   * layer receives the image's channels plus one per class.
   */
  public Network discriminator() {
    return discriminator;
  }

  /**
   * Multiply-adds of one training step per image for the frozen-discriminator procedure
   * with one discriminator update: G forward for D's update; D forward and backward on the
   * real and on the fake batch; then G forward, D forward and backward to its input, and
   * G backward. A backward pass costs two forward passes (gradients of the inputs and of
   * the weights), except where only input gradients are needed (D during G's update) or
   * only weight gradients (the first layer of each network). Twice this is the FLOP count.
   */
  public long trainingMultiplyAddsPerImage() {
    long g = generator.multiplyAdds();
    long d = discriminator.multiplyAdds();
    long dFirst = discriminator.layers().isEmpty() ? 0 : discriminator.layers().get(0).multiplyAdds();
    long gFirst = generator.layers().isEmpty() ? 0 : generator.layers().get(0).multiplyAdds();
    long dUpdate = g + 2 * (d + (2 * d - dFirst));   // G fwd, D fwd+bwd (weights, inputs past layer 0) x2
    long gUpdate = g + d + d + (2 * g - gFirst);     // G fwd, D fwd, D bwd to input, G bwd
    return dUpdate + gUpdate;
  }

  /**
   * A stable fingerprint of the architecture (shapes, layers, names): checkpoints record it
   * so that a checkpoint of another model is refused.
   */
  public String fingerprint() {
    return Digests.sha256(describeArchitecture()).substring(0, 16);
  }

  private String describeArchitecture() {
    StringBuilder sb = new StringBuilder().append(imageShape).append(';').append(latentDim);
    conditioning.ifPresent(c -> sb.append(";conditional=").append(c.describe()).append(",embeddingDim=")
        .append(c.embeddingDim()));
    for (Network n : new Network[] {generator, discriminator}) {
      sb.append('|').append(n.name());
      for (NetworkLayer l : n.layers()) {
        sb.append(';').append(l.name()).append('=').append(l.layer().describe()).append("->").append(l.output());
      }
    }
    return sb.toString();
  }

  /** Keras-like tables of both networks. */
  public String summary() {
    return conditioning.map(c -> "Conditional on " + c.numClasses() + " classes: " + c.describe() + "\n").orElse("")
        + generator.summary() + "\n" + discriminator.summary()
        + String.format("%nTraining step: %.3f GFLOP per image (%,d multiply-adds)%n",
            2.0 * trainingMultiplyAddsPerImage() / 1e9, trainingMultiplyAddsPerImage());
  }

  @Override
  public String toString() {
    return "Gan[image=" + imageShape + ", latent=" + latentDim
        + conditioning.map(c -> ", classes=" + c.numClasses()).orElse("") + ", generator=" + generator.params()
        + " params, discriminator=" + discriminator.params() + " params]";
  }
}
