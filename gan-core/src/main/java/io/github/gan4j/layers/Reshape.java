package io.github.gan4j.layers;

/**
 * Reshapes each example to {@code targetShape}; the element count must not change.
 * Shape: {@code (d1, ..., dn) -> targetShape}. No weights.
 *
 * @param targetShape the new shape, without the batch dimension
 * @param name layer name, or {@code null} for the default
 */
public record Reshape(Shape targetShape, String name) implements Layer {

  /** Validates the arguments. */
  public Reshape {
    if (targetShape == null) {
      throw new IllegalArgumentException("reshape target shape must not be null");
    }
    Layer.validName(name);
  }

  /** This layer with a name. */
  public Reshape name(String name) {
    return new Reshape(targetShape, name);
  }

  @Override
  public String kind() {
    return "reshape";
  }

  @Override
  public String typeName() {
    return "Reshape";
  }

  @Override
  public Shape outputShape(Shape input) {
    if (input.size() != targetShape.size()) {
      throw new LayerShapeException(
          "reshape to " + targetShape + " needs " + product(targetShape) + " = " + targetShape.size()
              + " elements but received " + input + " with " + input.size() + " elements.",
          "make the previous layer produce " + targetShape.size() + " elements (e.g. dense("
              + targetShape.size() + ")), or reshape to a shape of " + input.size() + " elements.");
    }
    return targetShape;
  }

  private static String product(Shape s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.rank(); i++) {
      sb.append(i == 0 ? "" : " * ").append(s.dim(i));
    }
    return sb.toString();
  }

  @Override
  public String describe() {
    String dims = targetShape.toString();
    return "reshape" + dims;
  }
}
