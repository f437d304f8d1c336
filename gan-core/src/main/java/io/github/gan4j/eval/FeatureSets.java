package io.github.gan4j.eval;

import java.util.Arrays;
import java.util.List;

/**
 * The pairwise parts of the metrics, each in one pass over all pairs ({@link Pairwise}):
 * k-nearest-neighbour radii and KID's within-set kernel sums of one set; then, between a
 * reference set and a sample set, improved precision and recall (Kynkaanniemi et al. 2019)
 * and KID's cross-set kernel sums.
 *
 * <p>Distances are Euclidean, computed as {@code |x|^2 + |y|^2 - 2 x.y} in float32 and
 * clamped at 0. KID's kernel is the cubic polynomial {@code k(x, y) = (x.y / d + 1)^3}, its
 * sums in float64.
 */
final class FeatureSets {
  private FeatureSets() {}

  /**
   * What one set's pass over its own pairs gives.
   *
   * @param radius2 each vector's squared distance to its k-th nearest other vector
   * @param kernelSums for each subset of the plan, the kernel summed over its ordered pairs
   *     {@code (i, j), i != j} (null without a plan)
   */
  record Within(float[] radius2, double[] kernelSums) {}

  /**
   * What a pass over the pairs of a reference and a sample set gives.
   *
   * @param precision the fraction of samples within the k-NN ball of some reference vector
   * @param recall the fraction of reference vectors within the k-NN ball of some sample
   * @param kernelSums for each subset, the kernel summed over its (sample, reference) pairs
   */
  record Between(double precision, double recall, double[] kernelSums) {}

  /** KID's mean and standard deviation over the subsets. */
  record Kid(double mean, double std) {}

  /**
   * Radii (k-th nearest neighbour, the vector itself excluded) and, with a plan, KID's kernel
   * sums within each subset.
   *
   * @throws IllegalArgumentException if the set has no more than {@code k} vectors
   */
  static Within within(float[] x, int n, int d, int k, SubsetPlan plan) {
    if (n <= k) {
      throw new IllegalArgumentException("k-nearest-neighbour radii with k = " + k + " need more than " + k
          + " vectors, got " + n);
    }
    float[] norms = Pairwise.squaredNorms(x, n, d);
    float[] radius2 = new float[n];
    int subsets = plan == null ? 0 : plan.subsets;
    final class State {
      final double[] sums = new double[subsets];
      final float[] nearest = new float[Pairwise.ROWS * k];

      State() {
        Arrays.fill(nearest, Float.POSITIVE_INFINITY);
      }
    }
    List<State> states = Pairwise.visit(x, n, x, n, d, State::new, (s, r0, rows, c0, columns, dots) -> {
      for (int r = 0; r < rows; r++) {
        int i = r0 + r;
        int o = r * columns;
        int top = r * k;
        for (int c = 0; c < columns; c++) {
          int j = c0 + c;
          if (j == i) {
            continue;
          }
          float dot = dots[o + c];
          float d2 = Math.max(0f, norms[i] + norms[j] - 2f * dot);
          if (d2 < s.nearest[top + k - 1]) {
            insert(s.nearest, top, k, d2);
          }
          if (plan != null) {
            plan.addShared(i, plan, j, kernel(dot, d), s.sums);
          }
        }
        if (c0 + columns == n) {
          radius2[i] = s.nearest[top + k - 1];
        }
      }
    });
    return new Within(radius2, plan == null ? null : merge(states.stream().map(s -> s.sums).toList(), subsets));
  }

  /**
   * Precision, recall and KID's cross sums of {@code samples} against {@code reference}, given
   * both sets' radii from {@link #within}.
   */
  static Between between(float[] reference, float[] referenceRadius2, SubsetPlan referencePlan, float[] samples,
      float[] sampleRadius2, SubsetPlan samplePlan, int nReference, int nSamples, int d) {
    float[] refNorms = Pairwise.squaredNorms(reference, nReference, d);
    float[] sampleNorms = Pairwise.squaredNorms(samples, nSamples, d);
    byte[] recalled = new byte[nReference];   // set by several row blocks: only ever 0 -> 1
    byte[] precise = new byte[nSamples];
    int subsets = samplePlan == null ? 0 : samplePlan.subsets;
    List<double[]> sums = Pairwise.visit(samples, nSamples, reference, nReference, d, () -> new double[subsets],
        (s, r0, rows, c0, columns, dots) -> {
          for (int r = 0; r < rows; r++) {
            int i = r0 + r;
            int o = r * columns;
            boolean inside = precise[i] != 0;
            float sampleR2 = sampleRadius2[i];
            for (int c = 0; c < columns; c++) {
              int j = c0 + c;
              float dot = dots[o + c];
              float d2 = Math.max(0f, sampleNorms[i] + refNorms[j] - 2f * dot);
              if (d2 <= referenceRadius2[j]) {
                inside = true;
              }
              if (d2 <= sampleR2 && recalled[j] == 0) {
                recalled[j] = 1;
              }
              if (samplePlan != null) {
                samplePlan.addShared(i, referencePlan, j, kernel(dot, d), s);
              }
            }
            precise[i] = (byte) (inside ? 1 : 0);
          }
        });
    return new Between(fraction(precise), fraction(recalled), samplePlan == null ? null : merge(sums, subsets));
  }

  /** KID's cubic polynomial kernel {@code (x.y / d + 1)^3}. */
  static double kernel(float dot, int d) {
    double v = (double) dot / d + 1;
    return v * v * v;
  }

  /**
   * KID from the kernel sums of each subset: the unbiased estimate of the squared MMD,
   * {@code sum_{i!=j} k(x_i, x_j) / (m (m - 1)) + sum_{i!=j} k(y_i, y_j) / (m (m - 1))
   * - 2 sum_{i,j} k(x_i, y_j) / m^2}, then its mean and its standard deviation over the subsets
   * (population, ddof 0, as the reference implementations report it).
   */
  static Kid kid(double[] withinReference, double[] withinSamples, double[] between, int m) {
    int subsets = between.length;
    double[] mmd = new double[subsets];
    double mean = 0;
    for (int s = 0; s < subsets; s++) {
      mmd[s] = (withinReference[s] + withinSamples[s]) / ((double) m * (m - 1)) - 2 * between[s] / ((double) m * m);
      mean += mmd[s];
    }
    mean /= subsets;
    double variance = 0;
    for (double v : mmd) {
      variance += (v - mean) * (v - mean);
    }
    return new Kid(mean, Math.sqrt(variance / subsets));
  }

  private static void insert(float[] nearest, int top, int k, float d2) {
    int p = top + k - 1;
    while (p > top && nearest[p - 1] > d2) {
      nearest[p] = nearest[p - 1];
      p--;
    }
    nearest[p] = d2;
  }

  private static double[] merge(List<double[]> parts, int subsets) {
    double[] out = new double[subsets];
    for (double[] part : parts) {
      for (int s = 0; s < subsets; s++) {
        out[s] += part[s];
      }
    }
    return out;
  }

  private static double fraction(byte[] flags) {
    int count = 0;
    for (byte b : flags) {
      count += b;
    }
    return (double) count / flags.length;
  }
}
