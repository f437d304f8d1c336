package io.github.gan4j.data;

import io.github.gan4j.layers.Shape;

/**
 * A source of real images for training: a fixed number of NHWC images with pixels in
 * [-1, 1], addressed by index. The trainer decides the order ({@link BatchSchedule}), so
 * shuffling and epochs are reproducible from the seed alone and a restored run reads the
 * same batches as an uninterrupted one.
 *
 * <p>Implementations may keep images in any form (floats, uint8 bytes, files) and convert
 * in {@link #copyImage}. They must be safe to read from one thread at a time, and must
 * return the same pixels for the same index every time.
 */
public interface Dataset {

  /** Shape of one image, {@code (height, width, channels)}. */
  Shape imageShape();

  /** Number of images. */
  int size();

  /**
   * Writes image {@code index} into {@code dst} starting at {@code offset}, in NHWC order
   * (row by row, channels interleaved), as floats in [-1, 1].
   *
   * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, size())}
   */
  void copyImage(int index, float[] dst, int offset);

  /** Whether images carry class labels ({@link #label(int)}). */
  default boolean hasLabels() {
    return false;
  }

  /**
   * The class label of image {@code index}.
   *
   * @throws UnsupportedOperationException if {@link #hasLabels()} is false
   */
  default int label(int index) {
    throw new UnsupportedOperationException(name() + " has no labels");
  }

  /** A short description for messages and logs. */
  default String name() {
    return getClass().getSimpleName() + imageShape() + " x " + size();
  }
}
