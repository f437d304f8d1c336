package io.github.gan4j.eval;

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
    // upper triangle of sum (x - mean)(x - mean)^T, one rank-1 update per vector
    double[] cov = new double[d * d];
    double[] x = new double[d];
    for (int i = 0; i < n; i++) {
      int row = i * d;
      for (int j = 0; j < d; j++) {
        x[j] = features[row + j] - mean[j];
      }
      for (int a = 0; a < d; a++) {
        double xa = x[a];
        if (xa == 0) {
          continue;
        }
        int ca = a * d;
        for (int b = a; b < d; b++) {
          cov[ca + b] += xa * x[b];
        }
      }
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
