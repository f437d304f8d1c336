package io.github.gan4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * k-NN radii, improved precision and recall, and KID: hand-computed cases, and the blocked,
 * parallel passes against brute force in float64 on sets larger than one block.
 */
class FeatureSetsTest {

  @Nested
  class Radii {
    @Test
    void pointsOnALine_k1AndK2() {
      float[] x = {0, 1, 3, 6, 10};
      // nearest others: 0 -> 1, 1 -> 0, 3 -> 1, 6 -> 3, 10 -> 6
      assertThat(FeatureSets.within(x, 5, 1, 1, null).radius2()).containsExactly(1, 1, 4, 9, 16);
      // second nearest: 0 -> 3, 1 -> 3, 3 -> 0 or 6, 6 -> 10, 10 -> 3
      assertThat(FeatureSets.within(x, 5, 1, 2, null).radius2()).containsExactly(9, 4, 9, 16, 49);
    }

    @Test
    void duplicates_haveRadiusZero() {
      float[] x = {2, 7, 2, 7, 2, 7, 2, 7};   // (2, 7) four times, d = 2
      assertThat(FeatureSets.within(x, 4, 2, 3, null).radius2()).containsOnly(0f);
    }

    @Test
    void tooFewVectors_sayHowManyAreNeeded() {
      assertThatThrownBy(() -> FeatureSets.within(new float[3], 3, 1, 3, null))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need more than 3 vectors, got 3");
    }
  }

  @Nested
  class PrecisionAndRecall {
    @Test
    void byHand_onALine() {
      // reference 0, 1, 2, 3 with k = 1: every radius 1. Samples 0.5 (inside) and 10 (outside): precision 1/2.
      // The samples' radii (k = 1) are 9.5 each, so every reference point is within 9.5 of 0.5: recall 1.
      float[] reference = {0, 1, 2, 3};
      float[] samples = {0.5f, 10};
      FeatureSets.Within r = FeatureSets.within(reference, 4, 1, 1, null);
      FeatureSets.Within s = FeatureSets.within(samples, 2, 1, 1, null);
      FeatureSets.Between b = FeatureSets.between(reference, r.radius2(), null, samples, s.radius2(), null, 4, 2, 1);
      assertThat(b.precision()).isEqualTo(0.5);
      assertThat(b.recall()).isEqualTo(1.0);
    }

    @Test
    void oneRepeatedSample_recallsNothing() {
      float[] reference = {0, 1, 2, 3, 4};
      float[] samples = {2.5f, 2.5f, 2.5f, 2.5f, 2.5f};
      var r = FeatureSets.within(reference, 5, 1, 3, null);
      var s = FeatureSets.within(samples, 5, 1, 3, null);
      var b = FeatureSets.between(reference, r.radius2(), null, samples, s.radius2(), null, 5, 5, 1);
      assertThat(b.precision()).isEqualTo(1.0);
      assertThat(b.recall()).isEqualTo(0.0);
    }

    @Test
    void blockedPass_equalsBruteForce() {
      // more rows than one block and more columns than one chunk
      int d = 6;
      int nr = 700;
      int ns = 555;
      float[] reference = FrechetDistanceTest.features(nr, d, 5, 0f);
      float[] samples = FrechetDistanceTest.features(ns, d, 6, 0.4f);
      var r = FeatureSets.within(reference, nr, d, 3, null);
      var s = FeatureSets.within(samples, ns, d, 3, null);
      double[] r2 = bruteRadius2(reference, nr, d, 3);
      double[] s2 = bruteRadius2(samples, ns, d, 3);
      for (int i = 0; i < nr; i++) {
        assertThat((double) r.radius2()[i]).isCloseTo(r2[i], within(1e-4 * (1 + r2[i])));
      }
      var b = FeatureSets.between(reference, r.radius2(), null, samples, s.radius2(), null, nr, ns, d);
      int precise = 0;
      for (int i = 0; i < ns; i++) {
        boolean in = false;
        for (int j = 0; j < nr && !in; j++) {
          in = distance2(samples, i, reference, j, d) <= r2[j];
        }
        precise += in ? 1 : 0;
      }
      int recalled = 0;
      for (int j = 0; j < nr; j++) {
        boolean in = false;
        for (int i = 0; i < ns && !in; i++) {
          in = distance2(samples, i, reference, j, d) <= s2[i];
        }
        recalled += in ? 1 : 0;
      }
      // float32 distances may flip a comparison that float64 finds within a hair
      assertThat(b.precision()).isCloseTo((double) precise / ns, within(2.0 / ns));
      assertThat(b.recall()).isCloseTo((double) recalled / nr, within(2.0 / nr));
      assertThat(b.precision()).isBetween(0.3, 0.99);
      assertThat(b.recall()).isBetween(0.3, 0.99);
    }
  }

  @Nested
  class Kid {
    @Test
    void byHand_oneDimensionTwoPoints() {
      // d = 1, k(x, y) = (x y + 1)^3; X = {0, 1}, Y = {1, 2}, one subset of m = 2 holding everything:
      // within X: 2 k(0, 1) / (2 * 1) = 1; within Y: 2 k(1, 2) / 2 = 27;
      // between: 2 (k(0,1) + k(0,2) + k(1,1) + k(1,2)) / 4 = 2 (1 + 1 + 8 + 27) / 4 = 18.5
      float[] x = {0, 1};
      float[] y = {1, 2};
      SubsetPlan px = SubsetPlan.draw(2, 1, 2, 1);
      SubsetPlan py = SubsetPlan.draw(2, 1, 2, 2);
      var wx = FeatureSets.within(x, 2, 1, 1, px);
      var wy = FeatureSets.within(y, 2, 1, 1, py);
      var b = FeatureSets.between(x, wx.radius2(), px, y, wy.radius2(), py, 2, 2, 1);
      FeatureSets.Kid kid = FeatureSets.kid(wx.kernelSums(), wy.kernelSums(), b.kernelSums(), 2);
      assertThat(kid.mean()).isCloseTo(1 + 27 - 18.5, within(1e-12));
      assertThat(kid.std()).isZero();
    }

    @Test
    void blockedPass_equalsBruteForceOverTheSameSubsets() {
      int d = 8;
      int nr = 600;
      int ns = 650;
      int m = 100;
      int subsets = 70;   // two words of membership bits
      float[] x = FrechetDistanceTest.features(nr, d, 7, 0f);
      float[] y = FrechetDistanceTest.features(ns, d, 8, 0.2f);
      SubsetPlan px = SubsetPlan.draw(nr, subsets, m, 10);
      SubsetPlan py = SubsetPlan.draw(ns, subsets, m, 11);
      var wx = FeatureSets.within(x, nr, d, 3, px);
      var wy = FeatureSets.within(y, ns, d, 3, py);
      var b = FeatureSets.between(x, wx.radius2(), px, y, wy.radius2(), py, nr, ns, d);
      FeatureSets.Kid kid = FeatureSets.kid(wx.kernelSums(), wy.kernelSums(), b.kernelSums(), m);

      double[] mmd = new double[subsets];
      for (int s = 0; s < subsets; s++) {
        List<Integer> sx = members(px, s);
        List<Integer> sy = members(py, s);
        assertThat(sx).hasSize(m);
        assertThat(sy).hasSize(m);
        double kxx = 0;
        double kyy = 0;
        double kxy = 0;
        for (int i : sx) {
          for (int j : sx) {
            kxx += i == j ? 0 : kernel(x, i, x, j, d);
          }
        }
        for (int i : sy) {
          for (int j : sy) {
            kyy += i == j ? 0 : kernel(y, i, y, j, d);
          }
        }
        for (int i : sx) {
          for (int j : sy) {
            kxy += kernel(x, i, y, j, d);
          }
        }
        mmd[s] = (kxx + kyy) / (m * (m - 1.0)) - 2 * kxy / ((double) m * m);
      }
      double mean = java.util.Arrays.stream(mmd).average().orElseThrow();
      double std = Math.sqrt(java.util.Arrays.stream(mmd).map(v -> (v - mean) * (v - mean)).sum() / subsets);
      assertThat(kid.mean()).isCloseTo(mean, within(1e-5 * Math.abs(mean) + 1e-6));
      assertThat(kid.std()).isCloseTo(std, within(1e-4 * std + 1e-6));
      assertThat(kid.mean()).isGreaterThan(3 * kid.std() / Math.sqrt(subsets));   // shifted sets differ
    }

    @Test
    void plan_drawsDistinctMembersPerSubset() {
      SubsetPlan plan = SubsetPlan.draw(50, 130, 20, 3);
      for (int s = 0; s < 130; s++) {
        assertThat(members(plan, s)).hasSize(20).doesNotHaveDuplicates();
      }
    }

    private List<Integer> members(SubsetPlan plan, int s) {
      List<Integer> out = new ArrayList<>();
      for (int i = 0; i < plan.n; i++) {
        if ((plan.bits[i * plan.words + (s >>> 6)] & (1L << (s & 63))) != 0) {
          out.add(i);
        }
      }
      return out;
    }

    private double kernel(float[] a, int i, float[] b, int j, int d) {
      double dot = 0;
      for (int k = 0; k < d; k++) {
        dot += (double) a[i * d + k] * b[j * d + k];
      }
      return Math.pow(dot / d + 1, 3);
    }
  }

  static double distance2(float[] a, int i, float[] b, int j, int d) {
    double s = 0;
    for (int k = 0; k < d; k++) {
      double diff = (double) a[i * d + k] - b[j * d + k];
      s += diff * diff;
    }
    return s;
  }

  static double[] bruteRadius2(float[] x, int n, int d, int k) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double[] all = new double[n - 1];
      int c = 0;
      for (int j = 0; j < n; j++) {
        if (j != i) {
          all[c++] = distance2(x, i, x, j, d);
        }
      }
      java.util.Arrays.sort(all);
      out[i] = all[k - 1];
    }
    return out;
  }
}
