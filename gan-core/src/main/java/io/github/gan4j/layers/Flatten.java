package io.github.gan4j.layers;

/**
 * Flattens each example into a vector. Shape: {@code (d1, ..., dn) -> (d1 * ... * dn)}.
 * No weights.
 *
 * @param name layer name, or {@code null} for the default
 */
public record Flatten(String name) implements Layer {

  /** Validates the arguments. */
  public Flatten {
    Layer.validName(name);
  }

  /** This layer with a name. */
  public Flatten name(String newName) {
    return new Flatten(newName);
  }

  @Override
  public String kind() {
    return "flatten";
  }

  @Override
  public String typeName() {
    return "Flatten";
  }

  @Override
  public Shape outputShape(Shape input) {
    if (input.size() > Integer.MAX_VALUE) {
      throw new LayerShapeException("flatten of " + input + " has " + input.size() + " elements, too many.",
          "downsample the input first.");
    }
    return Shape.of((int) input.size());
  }

  @Override
  public String describe() {
    return "flatten()";
  }
}
