package io.github.gan4j.layers;

/**
 * Nearest-neighbour upsampling of images: each pixel is repeated {@code size x size} times.
 * Shape: {@code (h, w, c) -> (h * size, w * size, c)}. No weights.
 *
 * @param size upsampling factor in both spatial dimensions (Keras default 2)
 * @param name layer name, or {@code null} for the default
 */
public record UpSampling2D(int size, String name) implements Layer {

  /** Validates the arguments. */
  public UpSampling2D {
    Layer.positive("upSampling2d size", size);
    Layer.validName(name);
  }

  /** This layer with a name. */
  public UpSampling2D name(String name) {
    return new UpSampling2D(size, name);
  }

  @Override
  public String kind() {
    return "up_sampling2d";
  }

  @Override
  public String typeName() {
    return "UpSampling2D";
  }

  @Override
  public Shape outputShape(Shape input) {
    Convolutions.requireImage("upSampling2d", input);
    return Shape.of(input.dim(0) * size, input.dim(1) * size, input.dim(2));
  }

  @Override
  public String describe() {
    return "upSampling2d(" + size + ")";
  }
}
