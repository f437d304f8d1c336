package io.github.gan4j.sample;

import io.github.gan4j.layers.Shape;

/** Statistics of a batch of images, for spotting failure modes. */
public final class ImageStats {
  private ImageStats() {}

  /**
   * How different the images of a batch are: the standard deviation across the batch of
   * each value, averaged over all values. 0 for identical images; natural image batches
   * scaled to [-1, 1] are typically 0.3 to 0.6.
   *
   * @throws IllegalArgumentException if fewer than two images are given
   */
  public static double spread(float[] images, Shape shape) {
    int size = (int) shape.size();
    int n = images.length / size;
    if (n < 2) {
      throw new IllegalArgumentException("spread needs at least two images, got " + n);
    }
    double total = 0;
    for (int v = 0; v < size; v++) {
      double mean = 0;
      for (int i = 0; i < n; i++) {
        mean += images[i * size + v];
      }
      mean /= n;
      double var = 0;
      for (int i = 0; i < n; i++) {
        double d = images[i * size + v] - mean;
        var += d * d;
      }
      total += Math.sqrt(var / n);
    }
    return total / size;
  }
}
