package io.github.gan4j.layers;

/**
 * Average pooling of images over non-overlapping {@code poolSize x poolSize} windows (Keras's
 * {@code AveragePooling2D(pool_size)} with its default strides, equal to the pool size, and
 * padding "valid"). SNGAN's discriminator blocks down-sample with {@code averagePooling2d(2)}.
 *
 * <p>Shape: {@code (h, w, c) -> (floor(h / poolSize), floor(w / poolSize), c)}; rows and
 * columns beyond the last whole window are dropped, as in Keras. No weights.
 *
 * @param poolSize height and width of the window and the step between windows, positive
 *     (Keras default 2)
 * @param name layer name, or {@code null} for the default
 */
public record AveragePooling2D(int poolSize, String name) implements Layer {

  /** Validates the arguments. */
  public AveragePooling2D {
    Layer.positive("averagePooling2d poolSize", poolSize);
    Layer.validName(name);
  }

  /** This layer with a name. */
  public AveragePooling2D name(String name) {
    return new AveragePooling2D(poolSize, name);
  }

  @Override
  public String kind() {
    return "average_pooling2d";
  }

  @Override
  public String typeName() {
    return "AveragePooling2D";
  }

  @Override
  public Shape outputShape(Shape input) {
    Convolutions.requireImage("averagePooling2d", input);
    if (input.dim(0) < poolSize || input.dim(1) < poolSize) {
      throw new LayerShapeException("averagePooling2d(" + poolSize + ") needs height and width of at least "
          + poolSize + " but received " + input + ": " + Math.min(input.dim(0), input.dim(1)) + " / " + poolSize
          + " < 1.", "pool a larger image, or use a smaller poolSize.");
    }
    return Shape.of(input.dim(0) / poolSize, input.dim(1) / poolSize, input.dim(2));
  }

  @Override
  public String describe() {
    return "averagePooling2d(" + poolSize + ")";
  }
}
