package io.github.gan4j;

import io.github.gan4j.layers.Shape;
import io.github.gan4j.layers.WeightSpec;
import java.util.List;
import java.util.Objects;

/**
 * How one network of a conditional GAN takes the class label, as {@link GanBuilder#build()}
 * placed it: a row of the network's summary and the variables it owns
 * ({@code <network>/<name>/<weight>}, e.g. {@code generator/label_embedding/embeddings}).
 * Conditional BatchNorm's entry ({@code conditional_batch_norm}) owns no variables and has no
 * summary row: its {@code class_gamma} and {@code class_beta} belong to the BatchNorm layers.
 *
 * @param conditioning the GAN's conditioning
 * @param name the variables' scope and the summary's layer name, e.g. {@code label_embedding}
 * @param typeName the summary's type, e.g. {@code Embedding}
 * @param output shape of one example of what it produces: the embedding (generator), the
 *     projection's term (1), or the label maps (height, width, numClasses)
 * @param weights the variables it owns, in creation order
 */
public record LabelInput(Conditioning conditioning, String name, String typeName, Shape output,
    List<WeightSpec> weights) {

  /** Scope and summary name of the generator's label embedding ({@code EMBEDDING_CONCAT}). */
  public static final String EMBEDDING = "label_embedding";
  /** Scope and summary name of the projection discriminator's label embedding. */
  public static final String PROJECTION = "label_projection";
  /** Name of the generator's label input with conditional BatchNorm (no variables, no summary row). */
  public static final String CONDITIONAL_BATCH_NORM = "conditional_batch_norm";
  /** Summary name of the discriminator's label maps. */
  public static final String LABEL_MAPS = "label_maps";
  /** Conditional BatchNorm's per-class scale of a BatchNorm layer, {@code numClasses x channels}, initially 1. */
  public static final String CLASS_GAMMA = "class_gamma";
  /** Conditional BatchNorm's per-class offset of a BatchNorm layer, {@code numClasses x channels}, initially 0. */
  public static final String CLASS_BETA = "class_beta";

  /** Validates and copies. */
  public LabelInput {
    Objects.requireNonNull(conditioning, "conditioning");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(typeName, "typeName");
    Objects.requireNonNull(output, "output");
    weights = List.copyOf(weights);
  }

  /** Parameters of its weights (all trainable). */
  public long params() {
    return weights.stream().mapToLong(WeightSpec::size).sum();
  }
}
