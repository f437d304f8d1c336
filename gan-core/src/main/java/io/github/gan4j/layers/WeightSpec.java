package io.github.gan4j.layers;

import java.util.Objects;

/**
 * One variable a layer owns, as Keras would create it.
 *
 * @param name short name inside the layer ({@code kernel}, {@code bias}, {@code gamma},
 *     {@code beta}, {@code moving_mean}, {@code moving_variance})
 * @param shape full shape of the variable
 * @param trainable whether an optimizer updates it (BatchNorm moving statistics are not
 *     trainable: they are updated by the layer itself during the owning network's step)
 * @param initializer how it is initialized
 */
public record WeightSpec(String name, Shape shape, boolean trainable, Initializer initializer) {

  /** Validates the arguments. */
  public WeightSpec {
    Objects.requireNonNull(name, "weight name");
    Objects.requireNonNull(shape, "weight shape");
    Objects.requireNonNull(initializer, "weight initializer");
  }

  /** Number of scalar parameters. */
  public long size() {
    return shape.size();
  }
}
