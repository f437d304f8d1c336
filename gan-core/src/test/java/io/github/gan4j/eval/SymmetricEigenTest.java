package io.github.gan4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Cyclic Jacobi against eigenvalues known in closed form, and the decomposition's contract on random matrices. */
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
