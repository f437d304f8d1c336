package io.github.gan4j.layers;

/**
 * Dropout: while its network trains, zeroes each element with probability {@code rate}
 * and scales the rest by {@code 1 / (1 - rate)}; identity otherwise.
 * Shape: unchanged. No weights. The random mask is seeded from the trainer's seed and the
 * step, so training stays reproducible.
 *
 * @param rate fraction of elements dropped, in [0, 1)
 * @param name layer name, or {@code null} for the default
 */
public record Dropout(float rate, String name) implements Layer {

  /** Validates the arguments. */
  public Dropout {
    if (!(rate >= 0f && rate < 1f)) {
      throw new IllegalArgumentException("dropout rate must be in [0, 1), was " + rate);
    }
    Layer.validName(name);
  }

  /** This layer with a name. */
  public Dropout name(String name) {
    return new Dropout(rate, name);
  }

  @Override
  public String kind() {
    return "dropout";
  }

  @Override
  public String typeName() {
    return "Dropout";
  }

  @Override
  public Shape outputShape(Shape input) {
    return input;
  }

  @Override
  public String describe() {
    return "dropout(" + rate + ")";
  }
}
