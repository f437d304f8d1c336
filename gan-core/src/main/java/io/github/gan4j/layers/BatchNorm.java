package io.github.gan4j.layers;

import java.util.List;

/**
 * Batch normalization over the last axis (channels), as Keras's {@code BatchNormalization}.
 *
 * <p>Shape: unchanged. During the owning network's training step it normalizes with the
 * batch statistics and updates {@code moving = moving * momentum + batch * (1 - momentum)};
 * when the network runs in inference mode it uses the moving statistics.
 * Weights: gamma (ones) and beta (zeros), trainable; moving_mean (zeros) and
 * moving_variance (ones), not trainable. Parameters: {@code 4 * channels}, of which
 * {@code 2 * channels} non-trainable.
 *
 * @param momentum momentum of the moving statistics, in [0, 1) (Keras default 0.99)
 * @param epsilon added to the variance, positive (Keras default 0.001)
 * @param name layer name, or {@code null} for the default
 */
public record BatchNorm(float momentum, float epsilon, String name) implements Layer {

  /** Validates the arguments. */
  public BatchNorm {
    if (!(momentum >= 0f && momentum < 1f)) {
      throw new IllegalArgumentException("batchNorm momentum must be in [0, 1), was " + momentum);
    }
    if (!(epsilon > 0f) || Float.isInfinite(epsilon)) {
      throw new IllegalArgumentException("batchNorm epsilon must be positive and finite, was " + epsilon);
    }
    Layer.validName(name);
  }

  /** This layer with another momentum. */
  public BatchNorm momentum(float momentum) {
    return new BatchNorm(momentum, epsilon, name);
  }

  /** This layer with another epsilon. */
  public BatchNorm epsilon(float epsilon) {
    return new BatchNorm(momentum, epsilon, name);
  }

  /** This layer with a name. */
  public BatchNorm name(String name) {
    return new BatchNorm(momentum, epsilon, name);
  }

  @Override
  public String kind() {
    return "batch_normalization";
  }

  @Override
  public String typeName() {
    return "BatchNormalization";
  }

  @Override
  public Shape outputShape(Shape input) {
    if (input.rank() != 3 && input.rank() != 1) {
      throw new LayerShapeException(
          "batchNorm normalizes vectors (n) or images (h, w, c) but received " + input + ".",
          "reshape the input to an image or a vector first.");
    }
    return input;
  }

  @Override
  public List<WeightSpec> weights(Shape input) {
    Shape c = Shape.of(input.last());
    return List.of(
        new WeightSpec("gamma", c, true, Initializer.ones()),
        new WeightSpec("beta", c, true, Initializer.zeros()),
        new WeightSpec("moving_mean", c, false, Initializer.zeros()),
        new WeightSpec("moving_variance", c, false, Initializer.ones()));
  }

  @Override
  public String describe() {
    StringBuilder sb = new StringBuilder("batchNorm(");
    String sep = "";
    if (momentum != 0.99f) {
      sb.append("momentum=").append(momentum);
      sep = ", ";
    }
    if (epsilon != 0.001f) {
      sb.append(sep).append("epsilon=").append(epsilon);
    }
    return sb.append(')').toString();
  }
}
