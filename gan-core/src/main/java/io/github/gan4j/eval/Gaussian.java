package io.github.gan4j.eval;

import java.util.stream.IntStream;

/**
 * The mean and covariance of a set of feature vectors, in float64: what the Frechet distance
 * compares. The covariance is the unbiased one (divided by {@code n - 1}), as
 * {@code numpy.cov} and the reference FID implementations compute it.
 *
 * @param dim the feature size {@code d}
 * @param count the number of vectors {@code n}
 * @param mean {@code d} values
 * @param covariance {@code d x d} values, row-major, symmetric
 */
record Gaussian(int dim, int count, double[] mean, double[] covariance) {
  /** Vectors added to the covariance per pass over it. */
  private static final int BLOCK = 32;

  /**
   * The statistics of {@code n} feature vectors of size {@code d} stored one after another.
   *
   * @throws IllegalArgumentException if there are fewer than 2 vectors or the length is not {@code n * d}
   */
  static Gaussian of(float[] features, int n, int d) {
    if (d <= 0 || n < 2 || (long) n * d != features.length) {
      throw new IllegalArgumentException("need at least 2 feature vectors of size " + d + ", got " + features.length
          + " values for " + n + " vectors");
    }
    double[] mean = new double[d];
    for (int i = 0; i < n; i++) {
      int row = i * d;
      for (int j = 0; j < d; j++) {
        mean[j] += features[row + j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= n;
    }
    // upper triangle of sum (x - mean)(x - mean)^T, a block of centred vectors at a time so that
    // a row of the matrix stays in cache while the block is added to it; rows in parallel when
    // there are many (each entry sums the vectors in order, whatever the thread schedule)
    double[] cov = new double[d * d];
    double[] block = new double[BLOCK * d];
    for (int first = 0; first < n; first += BLOCK) {
      int rows = Math.min(BLOCK, n - first);
      for (int r = 0; r < rows; r++) {
        int row = (first + r) * d;
        for (int j = 0; j < d; j++) {
          block[r * d + j] = features[row + j] - mean[j];
        }
      }
      IntStream range = IntStream.range(0, d);
      (d >= 256 ? range.parallel() : range).forEach(a -> {
        int ca = a * d;
        for (int r = 0; r < rows; r++) {
          double xa = block[r * d + a];
          if (xa == 0) {
            continue;
          }
          int br = r * d;
          for (int b = a; b < d; b++) {
            cov[ca + b] += xa * block[br + b];
          }
        }
      });
    }
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++) {
        double v = cov[a * d + b] / (n - 1);
        cov[a * d + b] = v;
        cov[b * d + a] = v;
      }
    }
    return new Gaussian(d, n, mean, cov);
  }
}
