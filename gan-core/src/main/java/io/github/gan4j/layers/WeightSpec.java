package io.github.gan4j.layers;

/**
 * One variable a layer owns, as Keras would create it.
 *
 * @param name short name inside the layer ({@code kernel}, {@code bias}, {@code gamma},
 *     {@code beta}, {@code moving_mean}, {@code moving_variance})
 * @param shape full shape of the variable
 * @param trainable whether an optimizer updates it (BatchNorm moving statistics are not
 *     trainable: they are updated by the layer itself during the owning network's step)
 * @param init how it is initialized
 */
public record WeightSpec(String name, Shape shape, boolean trainable, Init init) {

  /** Initializers, with Keras's defaults for each kind of weight. */
  public enum Init {
    /** Glorot (Xavier) uniform: U(-l, l) with {@code l = sqrt(6 / (fanIn + fanOut))}. */
    GLOROT_UNIFORM,
    /** All zeros. */
    ZEROS,
    /** All ones. */
    ONES
  }

  /** Number of scalar parameters. */
  public long size() {
    return shape.size();
  }
}
