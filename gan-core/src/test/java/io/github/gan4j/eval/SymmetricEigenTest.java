package io.github.gan4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Both algorithms (cyclic Jacobi up to 256 rows, tridiagonal QL beyond) against eigenvalues
 * known in closed form, against each other, and the decomposition's contract on random matrices.
 */
class SymmetricEigenTest {

  private static double[] sorted(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s;
  }

  @Test
  void decompose_2x2_givesOneAndThree() {
    var r = SymmetricEigen.decompose(new double[] {2, 1, 1, 2}, 2, true);
    assertThat(sorted(r.values())).containsExactly(new double[] {1, 3}, within(1e-15));
  }

  @Test
  void decompose_3x3SecondDifference_givesTwoMinusRootTwoTwoTwoPlusRootTwo() {
    double[] a = {2, -1, 0, -1, 2, -1, 0, -1, 2};
    var r = SymmetricEigen.decompose(a, 3, false);
    assertThat(sorted(r.values())).containsExactly(new double[] {2 - Math.sqrt(2), 2, 2 + Math.sqrt(2)}, within(1e-14));
  }

  @Test
  void decompose_diagonal_needsNoSweep() {
    var r = SymmetricEigen.decompose(new double[] {3, 0, 0, 0, -1, 0, 0, 0, 7}, 3, true);
    assertThat(r.sweeps()).isZero();
    assertThat(r.values()).containsExactly(3, -1, 7);
  }

  @Test
  void decompose_identity_keepsRepeatedEigenvalues() {
    double[] a = new double[16];
    for (int i = 0; i < 4; i++) {
      a[i * 4 + i] = 1;
    }
    assertThat(SymmetricEigen.decompose(a, 4, false).values()).containsOnly(1.0);
  }

  @Test
  void decompose_randomSymmetric_reconstructsWithOrthonormalVectors() {
    int n = 60;
    double[] a = randomSymmetric(n, 11);
    var r = SymmetricEigen.decompose(a, n, true);
    double[] back = r.apply(v -> v);
    double norm = 0;
    for (double v : a) {
      norm = Math.max(norm, Math.abs(v));
    }
    for (int i = 0; i < n * n; i++) {
      assertThat(back[i]).isCloseTo(a[i], within(1e-12 * norm * n));
    }
    double[] vt = r.vectorsT();
    for (int p = 0; p < n; p++) {
      for (int q = 0; q < n; q++) {
        double dot = 0;
        for (int k = 0; k < n; k++) {
          dot += vt[p * n + k] * vt[q * n + k];
        }
        assertThat(dot).isCloseTo(p == q ? 1 : 0, within(1e-12));
      }
    }
    assertThat(r.sweeps()).isBetween(3, 15);
  }

  @Test
  void decompose_traceAndFrobeniusNorm_arePreserved() {
    int n = 40;
    double[] a = randomSymmetric(n, 3);
    double[] values = SymmetricEigen.decompose(a, n, false).values();
    double trace = 0;
    double frobenius = 0;
    for (int i = 0; i < n; i++) {
      trace += a[i * n + i];
    }
    for (double v : a) {
      frobenius += v * v;
    }
    assertThat(Arrays.stream(values).sum()).isCloseTo(trace, within(1e-10));
    assertThat(Arrays.stream(values).map(v -> v * v).sum()).isCloseTo(frobenius, within(1e-9));
  }

  @Test
  void tridiagonalQl_knownAnswers() {
    double[] two = SymmetricEigen.tridiagonalQl(new double[] {2, 1, 1, 2}, 2, true).values();
    assertThat(sorted(two)).containsExactly(new double[] {1, 3}, within(1e-15));
    double[] three = SymmetricEigen.tridiagonalQl(new double[] {2, -1, 0, -1, 2, -1, 0, -1, 2}, 3, false).values();
    assertThat(sorted(three)).containsExactly(new double[] {2 - Math.sqrt(2), 2, 2 + Math.sqrt(2)}, within(1e-14));
  }

  @Test
  void tridiagonalQl_agreesWithJacobi_andReconstructs() {
    int n = 70;
    double[] a = randomSymmetric(n, 21);
    double[] jacobi = sorted(SymmetricEigen.jacobi(a.clone(), n, false).values());
    double[] valuesOnly = sorted(SymmetricEigen.tridiagonalQl(a.clone(), n, false).values());
    var ql = SymmetricEigen.tridiagonalQl(a.clone(), n, true);
    assertThat(valuesOnly).containsExactly(jacobi, within(1e-12));
    assertThat(sorted(ql.values())).containsExactly(jacobi, within(1e-12));
    double[] back = ql.apply(v -> v);
    for (int i = 0; i < n * n; i++) {
      assertThat(back[i]).isCloseTo(a[i], within(1e-12));
    }
    double[] vt = ql.vectorsT();
    for (int p = 0; p < n; p += 7) {
      for (int q = 0; q < n; q += 5) {
        double dot = 0;
        for (int k = 0; k < n; k++) {
          dot += vt[p * n + k] * vt[q * n + k];
        }
        assertThat(dot).isCloseTo(p == q ? 1 : 0, within(1e-12));
      }
    }
  }

  @Test
  void decompose_largeMatrix_takesTheTridiagonalRoute() {
    int n = SymmetricEigen.JACOBI_MAX + 44;
    double[] a = randomSymmetric(n, 5);
    var r = SymmetricEigen.decompose(a, n, true);
    assertThat(r.sweeps()).isZero();
    double[] back = r.apply(v -> v);
    for (int i = 0; i < n * n; i += 37) {
      assertThat(back[i]).isCloseTo(a[i], within(1e-11));
    }
  }

  @Test
  void rankDeficientPsd_hasZeroEigenvaluesBothWays() {
    // x x^T + y y^T in 5 dimensions: rank 2, eigenvalues 0, 0, 0 and those of the Gram matrix
    double[] x = {1, 2, 0, -1, 3};
    double[] y = {0, 1, 1, 1, -2};
    double[] a = new double[25];
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < 5; j++) {
        a[i * 5 + j] = x[i] * x[j] + y[i] * y[j];
      }
    }
    // Gram [[xx, xy], [xy, yy]] = [[15, -5], [-5, 7]]: 11 +- sqrt(41)
    double[] expected = {0, 0, 0, 11 - Math.sqrt(41), 11 + Math.sqrt(41)};
    assertThat(sorted(SymmetricEigen.jacobi(a.clone(), 5, false).values())).containsExactly(expected, within(1e-13));
    assertThat(sorted(SymmetricEigen.tridiagonalQl(a.clone(), 5, false).values())).containsExactly(expected,
        within(1e-13));
  }

  @Test
  void decompose_nonFiniteEntry_namesIt() {
    assertThatThrownBy(() -> SymmetricEigen.decompose(new double[] {1, Double.NaN, Double.NaN, 1}, 2, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(0, 1)");
  }

  static double[] randomSymmetric(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] a = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        double v = random.nextDouble(-1, 1);
        a[i * n + j] = v;
        a[j * n + i] = v;
      }
    }
    return a;
  }
}
