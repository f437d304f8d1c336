package io.github.gan4j.layers;

import java.util.Arrays;

/**
 * The shape of one example as it flows through a network, without the batch dimension:
 * {@code (100)} for a latent vector, {@code (32, 32, 3)} for an NHWC image.
 *
 * <p>Immutable. Every dimension is positive.
 */
public final class Shape {
  private final int[] dims;

  private Shape(int[] dims) {
    this.dims = dims;
  }

  /**
   * Returns the shape with these dimensions.
   *
   * @throws IllegalArgumentException if no dimension is given or one is not positive
   */
  public static Shape of(int... dims) {
    if (dims == null || dims.length == 0) {
      throw new IllegalArgumentException("a shape needs at least one dimension");
    }
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] <= 0) {
        throw new IllegalArgumentException(
            "dimension " + i + " of shape " + Arrays.toString(dims) + " is " + dims[i]
                + "; every dimension must be positive");
      }
    }
    return new Shape(dims.clone());
  }

  /** Number of dimensions. */
  public int rank() {
    return dims.length;
  }

  /** Dimension {@code i} (0-based). */
  public int dim(int i) {
    return dims[i];
  }

  /** The last dimension: channels for an image, units for a vector. */
  public int last() {
    return dims[dims.length - 1];
  }

  /** Number of elements, the product of all dimensions. */
  public long size() {
    long n = 1;
    for (int d : dims) {
      n *= d;
    }
    return n;
  }

  /** A copy of the dimensions. */
  public int[] dims() {
    return dims.clone();
  }

  /** The dimensions as longs with a leading batch dimension, as TensorFlow wants them. */
  public long[] withBatch(long batch) {
    long[] out = new long[dims.length + 1];
    out[0] = batch;
    for (int i = 0; i < dims.length; i++) {
      out[i + 1] = dims[i];
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  /** Keras's notation: {@code (8, 8, 256)}, {@code (100)}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < dims.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(dims[i]);
    }
    return sb.append(')').toString();
  }
}
