package io.github.gan4j.layers;

/**
 * Sums each channel over all positions of an image: the global pooling of SNGAN's and
 * BigGAN's ResNet discriminators (a sum, not Keras's {@code GlobalAveragePooling2D}, so the
 * output grows with the image area as in the papers' code).
 *
 * <p>Shape: {@code (h, w, c) -> (c)}. No weights.
 *
 * @param name layer name, or {@code null} for the default
 */
public record GlobalSumPooling2D(String name) implements Layer {

  /** Validates the arguments. */
  public GlobalSumPooling2D {
    Layer.validName(name);
  }

  /** This layer with a name. */
  public GlobalSumPooling2D name(String newName) {
    return new GlobalSumPooling2D(newName);
  }

  @Override
  public String kind() {
    return "global_sum_pooling2d";
  }

  @Override
  public String typeName() {
    return "GlobalSumPooling2D";
  }

  @Override
  public Shape outputShape(Shape input) {
    Convolutions.requireImage("globalSumPooling2d", input);
    return Shape.of(input.dim(2));
  }

  @Override
  public String describe() {
    return "globalSumPooling2d()";
  }
}
