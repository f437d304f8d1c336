package io.github.gan4j.eval;

import java.util.stream.IntStream;

/**
 * The Frechet distance between two Gaussians (Dowson and Landau 1982), the "FID" of Heusel
 * et al. 2017 when the Gaussians are fitted to Inception-v3 features:
 *
 * <pre>  d^2 = |mu1 - mu2|^2 + tr(S1) + tr(S2) - 2 tr((S1^(1/2) S2 S1^(1/2))^(1/2))</pre>
 *
 * <p>computed in float64. Both square roots come from symmetric eigendecompositions
 * ({@link SymmetricEigen}): {@code S1^(1/2) = V diag(sqrt(max(lambda, 0))) V^T}, then the
 * trace of the square root of the symmetric positive semi-definite
 * {@code S1^(1/2) S2 S1^(1/2)} is the sum of the square roots of its (clamped) eigenvalues.
 * That matrix is similar to {@code S1 S2}, so this is the usual formula's
 * {@code tr((S1 S2)^(1/2))} without the complex-valued detour of {@code scipy.linalg.sqrtm}.
 * Negative eigenvalues (rounding of singular covariances) are clamped to 0.
 */
final class FrechetDistance {
  private FrechetDistance() {}

  /** The symmetric square root {@code S^(1/2)} of a covariance matrix ({@code d x d}, row-major). */
  static double[] sqrt(double[] covariance, int d) {
    return SymmetricEigen.decompose(covariance, d, true).apply(v -> Math.sqrt(Math.max(v, 0)));
  }

  /** The squared Frechet distance between the Gaussians of {@code a} and {@code b}. */
  static double between(Gaussian a, Gaussian b) {
    return between(a, sqrt(a.covariance(), a.dim()), b);
  }

  /**
   * As {@link #between(Gaussian, Gaussian)}, with {@code a}'s covariance square root already
   * computed (a reference set evaluated against many sample sets computes it once).
   */
  static double between(Gaussian a, double[] sqrtA, Gaussian b) {
    int d = a.dim();
    if (b.dim() != d) {
      throw new IllegalArgumentException("feature sizes differ: " + d + " and " + b.dim());
    }
    double meanTerm = 0;
    for (int i = 0; i < d; i++) {
      double diff = a.mean()[i] - b.mean()[i];
      meanTerm += diff * diff;
    }
    double traces = 0;
    for (int i = 0; i < d; i++) {
      traces += a.covariance()[i * d + i] + b.covariance()[i * d + i];
    }
    double[] m = multiply(multiply(sqrtA, b.covariance(), d), sqrtA, d);
    double[] eigenvalues = SymmetricEigen.decompose(m, d, false).values();
    double traceSqrt = 0;
    for (double v : eigenvalues) {
      traceSqrt += Math.sqrt(Math.max(v, 0));
    }
    return meanTerm + traces - 2 * traceSqrt;
  }

  /**
   * {@code A B} for {@code d x d} row-major matrices: rows in parallel, and blocks of
   * {@code B}'s rows reused from cache across them; each entry sums its products in order of k.
   */
  static double[] multiply(double[] a, double[] b, int d) {
    double[] c = new double[d * d];
    int block = 64;
    for (int start = 0; start < d; start += block) {
      int k0 = start;
      int k1 = Math.min(d, start + block);
      IntStream rows = IntStream.range(0, d);
      (d >= 256 ? rows.parallel() : rows).forEach(i -> {
        int ci = i * d;
        for (int k = k0; k < k1; k++) {
          double aik = a[ci + k];
          if (aik == 0) {
            continue;
          }
          int bk = k * d;
          for (int j = 0; j < d; j++) {
            c[ci + j] += aik * b[bk + j];
          }
        }
      });
    }
    return c;
  }
}
