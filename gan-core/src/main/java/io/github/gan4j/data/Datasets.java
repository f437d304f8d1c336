package io.github.gan4j.data;

import io.github.gan4j.layers.Shape;

/** Factories for in-memory {@link Dataset}s. */
public final class Datasets {
  private Datasets() {}

  /**
   * Images from floats in [-1, 1], NHWC, image after image. The array is not copied:
   * do not change it while training.
   *
   * @throws IllegalArgumentException if the length is not a whole number of images or a
   *     value is outside [-1, 1] or not finite (the message names the image and pixel)
   */
  public static Dataset fromFloats(float[] pixels, int height, int width, int channels) {
    return new InMemoryDataset(Shape.of(height, width, channels), pixels, null, null, "floats");
  }

  /**
   * Images from uint8 values 0..255, NHWC, image after image, mapped to [-1, 1] as
   * {@code b / 127.5 - 1} when read; holds one byte per pixel.
   */
  public static Dataset fromBytes(byte[] pixels, int height, int width, int channels) {
    return new InMemoryDataset(Shape.of(height, width, channels), null, pixels, null, "bytes");
  }

  /** As {@link #fromBytes(byte[], int, int, int)}, with one class label per image. */
  public static Dataset fromBytes(byte[] pixels, int[] labels, int height, int width, int channels) {
    return new InMemoryDataset(Shape.of(height, width, channels), null, pixels, labels.clone(), "bytes");
  }
}
