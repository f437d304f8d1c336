package io.github.gan4j.data;

import io.github.gan4j.layers.Shape;
import java.util.Objects;

/**
 * Images held in memory, either as floats in [-1, 1] or as uint8 bytes (0..255, mapped
 * to [-1, 1] as {@code b / 127.5 - 1}, a quarter of the memory). Created by
 * {@link Datasets}; values are validated once, at creation.
 */
final class InMemoryDataset implements Dataset {
  private final Shape shape;
  private final int imageSize;
  private final int count;
  private final float[] floats;
  private final byte[] bytes;
  private final int[] labels;
  private final String name;

  InMemoryDataset(Shape shape, float[] floats, byte[] bytes, int[] labels, String name) {
    this.shape = Objects.requireNonNull(shape, "shape");
    if (shape.rank() != 3) {
      throw new IllegalArgumentException("images must have shape (height, width, channels), got " + shape);
    }
    this.imageSize = (int) shape.size();
    this.floats = floats;
    this.bytes = bytes;
    long length = floats != null ? floats.length : bytes.length;
    if (length == 0 || length % imageSize != 0) {
      throw new IllegalArgumentException("pixel array of length " + length + " is not a whole, non-zero number of "
          + shape + " images (" + imageSize + " values each)");
    }
    this.count = (int) (length / imageSize);
    if (labels != null && labels.length != count) {
      throw new IllegalArgumentException("got " + labels.length + " labels for " + count + " images");
    }
    this.labels = labels;
    this.name = name;
    if (floats != null) {
      for (int i = 0; i < floats.length; i++) {
        float v = floats[i];
        if (!(v >= -1f && v <= 1f)) {
          throw new IllegalArgumentException("pixel " + (i % imageSize) + " of image " + (i / imageSize)
              + " is " + v + "; pixels must be finite and in [-1, 1]. Scale 0..255 values with v / 127.5 - 1,"
              + " or use Datasets.fromBytes for uint8 data.");
        }
      }
    }
  }

  @Override
  public Shape imageShape() {
    return shape;
  }

  @Override
  public int size() {
    return count;
  }

  @Override
  public void copyImage(int index, float[] dst, int offset) {
    Objects.checkIndex(index, count);
    int from = index * imageSize;
    if (floats != null) {
      System.arraycopy(floats, from, dst, offset, imageSize);
    } else {
      for (int i = 0; i < imageSize; i++) {
        dst[offset + i] = (bytes[from + i] & 0xff) / 127.5f - 1f;
      }
    }
  }

  @Override
  public boolean hasLabels() {
    return labels != null;
  }

  @Override
  public int label(int index) {
    if (labels == null) {
      return Dataset.super.label(index);
    }
    return labels[Objects.checkIndex(index, count)];
  }

  @Override
  public String name() {
    return name + shape + " x " + count;
  }
}
