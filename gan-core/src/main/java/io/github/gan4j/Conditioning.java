package io.github.gan4j;

import io.github.gan4j.layers.Layer;
import java.util.Objects;

/**
 * How a conditional GAN takes class labels: the number of classes, how the generator and the
 * discriminator are fed the label, and the size of the generator's label embedding. Declared
 * with {@link GanBuilder#conditional(int)} (the defaults) or {@link GanBuilder#conditional(Conditioning)}:
 *
 * <pre>{@code
 * GanBuilder.forImages(28, 28, 1).latentDim(64)
 *     .conditional(Conditioning.of(10).generator(CONDITIONAL_BATCH_NORM).discriminator(LABEL_MAPS))
 * }</pre>
 *
 * <p>Immutable; the withers return a new value.
 *
 * @param numClasses labels are the integers {@code [0, numClasses)}
 * @param generator how the generator takes the label
 * @param discriminator how the discriminator takes the label
 * @param embeddingDim size of the generator's label embedding with
 *     {@link GeneratorInput#EMBEDDING_CONCAT} (unused otherwise)
 */
public record Conditioning(int numClasses, GeneratorInput generator, DiscriminatorInput discriminator,
    int embeddingDim) {

  /** Default size of the generator's label embedding. */
  public static final int DEFAULT_EMBEDDING_DIM = 50;

  /** How the generator takes the label. */
  public enum GeneratorInput {
    /**
     * A learned embedding of the label ({@code generator/label_embedding/embeddings},
     * {@code numClasses x embeddingDim}) is concatenated to the latent vector: the generator's
     * first layer receives {@code (latentDim + embeddingDim)}. The default.
     */
    EMBEDDING_CONCAT,
    /**
     * Conditional BatchNorm (de Vries et al. 2017; Miyato and Koyama 2018): every BatchNorm of
     * the generator normalizes as usual, then scales and shifts by its class's row of
     * {@code class_gamma} and {@code class_beta} ({@code numClasses x channels} each, initialized
     * to 1 and 0), which replace its {@code gamma} and {@code beta}. The generator must have at
     * least one BatchNorm.
     */
    CONDITIONAL_BATCH_NORM
  }

  /** How the discriminator takes the label. */
  public enum DiscriminatorInput {
    /**
     * Projection (Miyato and Koyama 2018): with {@code h} the input of the discriminator's last
     * layer, which must be {@code dense(1)}, the output is {@code dense(h) + <embed(y), h>},
     * where {@code embed} is {@code discriminator/label_projection/embeddings}
     * ({@code numClasses x size(h)}). The default.
     */
    PROJECTION,
    /**
     * One-hot label maps: {@code numClasses} channels, 1 in the label's channel and 0
     * elsewhere, concatenated to the image's channels at the discriminator's input, which then
     * receives {@code (height, width, channels + numClasses)}.
     */
    LABEL_MAPS
  }

  /** Validates the values. */
  public Conditioning {
    if (numClasses < 2) {
      throw new IllegalArgumentException("a conditional GAN needs at least 2 classes, was numClasses=" + numClasses);
    }
    Objects.requireNonNull(generator, "generator input");
    Objects.requireNonNull(discriminator, "discriminator input");
    Layer.positive("embeddingDim", embeddingDim);
  }

  /**
   * {@code numClasses} classes with the defaults: an embedding of size
   * {@value #DEFAULT_EMBEDDING_DIM} concatenated to the generator's latent vector, and a
   * projection discriminator.
   *
   * @throws IllegalArgumentException if {@code numClasses < 2}
   */
  public static Conditioning of(int numClasses) {
    return new Conditioning(numClasses, GeneratorInput.EMBEDDING_CONCAT, DiscriminatorInput.PROJECTION,
        DEFAULT_EMBEDDING_DIM);
  }

  /** This conditioning with the generator fed by {@code input}. */
  public Conditioning generator(GeneratorInput input) {
    return new Conditioning(numClasses, input, discriminator, embeddingDim);
  }

  /** This conditioning with the discriminator fed by {@code input}. */
  public Conditioning discriminator(DiscriminatorInput input) {
    return new Conditioning(numClasses, generator, input, embeddingDim);
  }

  /**
   * This conditioning with a generator label embedding of {@code embeddingDim} (used by
   * {@link GeneratorInput#EMBEDDING_CONCAT}).
   *
   * @throws IllegalArgumentException if not positive
   */
  public Conditioning embeddingDim(int embeddingDim) {
    return new Conditioning(numClasses, generator, discriminator, embeddingDim);
  }

  /** As written in code, e.g. {@code Conditioning.of(10).generator(CONDITIONAL_BATCH_NORM)}. */
  public String describe() {
    StringBuilder sb = new StringBuilder("Conditioning.of(").append(numClasses).append(')');
    if (generator != GeneratorInput.EMBEDDING_CONCAT) {
      sb.append(".generator(").append(generator).append(')');
    }
    if (discriminator != DiscriminatorInput.PROJECTION) {
      sb.append(".discriminator(").append(discriminator).append(')');
    }
    if (generator == GeneratorInput.EMBEDDING_CONCAT && embeddingDim != DEFAULT_EMBEDDING_DIM) {
      sb.append(".embeddingDim(").append(embeddingDim).append(')');
    }
    return sb.toString();
  }
}
