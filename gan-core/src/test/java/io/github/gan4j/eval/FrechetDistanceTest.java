package io.github.gan4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The Frechet distance against answers known in closed form or computed by hand: no NumPy or
 * SciPy, only formulas a reader can check.
 */
class FrechetDistanceTest {

  private static Gaussian gaussian(double[] mean, double[] covariance) {
    return new Gaussian(mean.length, 1000, mean, covariance);
  }

  private static double[] diagonal(double... values) {
    int d = values.length;
    double[] m = new double[d * d];
    for (int i = 0; i < d; i++) {
      m[i * d + i] = values[i];
    }
    return m;
  }

  @Nested
  class KnownAnswers {
    @Test
    void oneDimension_isSquaredMeanDifferencePlusSquaredStdDifference() {
      // (mu1 - mu2)^2 + (sigma1 - sigma2)^2 = 4 + (2 - 3)^2
      double fd = FrechetDistance.between(gaussian(new double[] {1}, new double[] {4}),
          gaussian(new double[] {3}, new double[] {9}));
      assertThat(fd).isCloseTo(5, within(1e-12));
    }

    @Test
    void diagonalCovariances_sumSquaredStdDifferences() {
      // |(1, 2, 3)|^2 + (1 - 3)^2 + (2 - 2)^2 + (3 - 1)^2 = 14 + 8
      double fd = FrechetDistance.between(gaussian(new double[] {0, 0, 0}, diagonal(1, 4, 9)),
          gaussian(new double[] {1, 2, 3}, diagonal(9, 4, 1)));
      assertThat(fd).isCloseTo(22, within(1e-12));
    }

    @Test
    void commutingCovariances_sumSquaredDifferencesOfEigenvalueRoots() {
      // S1 = Q diag(1, 16) Q^T and S2 = Q diag(9, 4) Q^T for a rotation Q by 30 degrees:
      // (1 - 3)^2 + (4 - 2)^2 = 8
      double c = Math.cos(Math.PI / 6);
      double s = Math.sin(Math.PI / 6);
      double fd = FrechetDistance.between(gaussian(new double[2], rotated(c, s, 1, 16)),
          gaussian(new double[2], rotated(c, s, 9, 4)));
      assertThat(fd).isCloseTo(8, within(1e-12));
    }

    @Test
    void squareRootOf5445_is2112() {
      // [[2, 1], [1, 2]]^2 = [[5, 4], [4, 5]]
      assertThat(FrechetDistance.sqrt(new double[] {5, 4, 4, 5}, 2)).containsExactly(new double[] {2, 1, 1, 2},
          within(1e-14));
    }

    @Test
    void nonCommuting2x2_byHand() {
      // S1 = diag(4, 1), S2 = [[2, 1], [1, 2]]: S1^(1/2) S2 S1^(1/2) = [[8, 2], [2, 2]], whose
      // eigenvalues' roots sum to sqrt(tr + 2 sqrt(det)) = sqrt(10 + 2 sqrt(12)); tr S1 + tr S2 = 9
      double fd = FrechetDistance.between(gaussian(new double[2], diagonal(4, 1)),
          gaussian(new double[2], new double[] {2, 1, 1, 2}));
      assertThat(fd).isCloseTo(9 - 2 * Math.sqrt(10 + 4 * Math.sqrt(3)), within(1e-13));
      assertThat(fd).isCloseTo(0.771220, within(1e-6));
    }

    @Test
    void singularCovariance_clampsRoundingBelowZero() {
      // a degenerate feature (variance 0) on both sides adds nothing
      double fd = FrechetDistance.between(gaussian(new double[] {0, 0}, diagonal(4, 0)),
          gaussian(new double[] {0, 0}, diagonal(1, 0)));
      assertThat(fd).isCloseTo(1, within(1e-12));
    }

    @Test
    void commutingCovariances_ofInceptionLikeSize_sumSquaredDifferencesOfEigenvalueRoots() {
      // 300 features (the tridiagonal route): S1 = Q diag(a) Q^T, S2 = Q diag(b) Q^T
      int d = 300;
      double[] q = SymmetricEigen.decompose(SymmetricEigenTest.randomSymmetric(d, 8), d, true).vectorsT();
      double[] a = new double[d];
      double[] b = new double[d];
      double expected = 0;
      for (int i = 0; i < d; i++) {
        a[i] = (i % 7) * 0.5;   // some exactly zero: singular covariances
        b[i] = 1 + (i % 5);
        expected += Math.pow(Math.sqrt(a[i]) - Math.sqrt(b[i]), 2);
      }
      double fd = FrechetDistance.between(gaussian(new double[d], conjugated(q, a, d)),
          gaussian(new double[d], conjugated(q, b, d)));
      // each of the 43 zero eigenvalues comes out at rounding level, ~1e-15 |S|, and its square
      // root at ~3e-8 |S|^(1/2): a few 1e-6 in all, 1e-8 of the distance
      assertThat(fd).isCloseTo(expected, within(1e-7 * expected));
    }

    /** {@code Q^T diag(values) Q} for the rows of {@code q}. */
    private double[] conjugated(double[] q, double[] values, int d) {
      double[] out = new double[d * d];
      for (int e = 0; e < d; e++) {
        for (int i = 0; i < d; i++) {
          double vi = values[e] * q[e * d + i];
          for (int j = 0; j < d; j++) {
            out[i * d + j] += vi * q[e * d + j];
          }
        }
      }
      return out;
    }

    private double[] rotated(double c, double s, double a, double b) {
      // Q diag(a, b) Q^T with Q = [[c, -s], [s, c]]
      return new double[] {c * c * a + s * s * b, c * s * a - c * s * b, c * s * a - c * s * b, s * s * a + c * c * b};
    }
  }

  @Nested
  class Properties {
    private final float[] x = features(400, 12, 1, 0f);
    private final float[] y = features(300, 12, 2, 0.3f);

    @Test
    void sameFeatures_haveDistanceZero() {
      Gaussian g = Gaussian.of(x, 400, 12);
      assertThat(FrechetDistance.between(g, g)).isCloseTo(0, within(1e-10));
    }

    @Test
    void distance_isSymmetric() {
      Gaussian a = Gaussian.of(x, 400, 12);
      Gaussian b = Gaussian.of(y, 300, 12);
      double ab = FrechetDistance.between(a, b);
      assertThat(ab).isGreaterThan(0.1);
      assertThat(FrechetDistance.between(b, a)).isCloseTo(ab, within(1e-10 * ab));
    }

    @Test
    void precomputedRoot_givesTheSameDistance() {
      Gaussian a = Gaussian.of(x, 400, 12);
      Gaussian b = Gaussian.of(y, 300, 12);
      assertThat(FrechetDistance.between(a, FrechetDistance.sqrt(a.covariance(), 12), b))
          .isEqualTo(FrechetDistance.between(a, b));
    }

    @Test
    void covariance_isTheUnbiasedOne() {
      // rows (1, 2), (3, 4), (5, 0): mean (3, 2); deviations (-2, 0), (0, 2), (2, -2); sum of outer products / 2
      Gaussian g = Gaussian.of(new float[] {1, 2, 3, 4, 5, 0}, 3, 2);
      assertThat(g.mean()).containsExactly(3, 2);
      assertThat(g.covariance()).containsExactly(4, -2, -2, 4);
    }
  }

  /** Correlated features: {@code n} rows of {@code d}, mixed from independent normals, shifted by {@code shift}. */
  static float[] features(int n, int d, long seed, float shift) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] out = new float[n * d];
    for (int i = 0; i < n; i++) {
      double common = random.nextGaussian();
      for (int j = 0; j < d; j++) {
        out[i * d + j] = (float) (random.nextGaussian() * (1 + j * 0.1) + 0.5 * common + shift);
      }
    }
    return out;
  }
}
