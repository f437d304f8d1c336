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
      final float[] d2 = new float[Pairwise.COLUMNS];

      State() {
        Arrays.fill(nearest, Float.POSITIVE_INFINITY);
      }
    }
    List<State> states = Pairwise.visit(x, n, x, n, d, State::new, (s, r0, rows, c0, columns, dots) -> {
      for (int r = 0; r < rows; r++) {
        int i = r0 + r;
        int o = r * columns;
        int top = r * k;
        distances2(norms[i], norms, c0, dots, o, columns, s.d2);
        if (i >= c0 && i < c0 + columns) {
          s.d2[i - c0] = Float.POSITIVE_INFINITY;   // not its own neighbour
        }
        float worst = s.nearest[top + k - 1];
        for (int c = 0; c < columns; c++) {
          if (s.d2[c] < worst) {
            insert(s.nearest, top, k, s.d2[c]);
            worst = s.nearest[top + k - 1];
          }
        }
        if (plan != null) {
          kernelSums(plan, i, plan, c0, columns, i, dots, o, d, s.sums);
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
    final class State {
      final double[] sums = new double[subsets];
      final float[] d2 = new float[Pairwise.COLUMNS];
    }
    List<State> states = Pairwise.visit(samples, nSamples, reference, nReference, d, State::new,
        (s, r0, rows, c0, columns, dots) -> {
          for (int r = 0; r < rows; r++) {
            int i = r0 + r;
            int o = r * columns;
            distances2(sampleNorms[i], refNorms, c0, dots, o, columns, s.d2);
            boolean inside = precise[i] != 0;
            float sampleR2 = sampleRadius2[i];
            for (int c = 0; c < columns; c++) {
              float d2 = s.d2[c];
              int j = c0 + c;
              if (d2 <= referenceRadius2[j]) {
                inside = true;
              }
              if (d2 <= sampleR2 && recalled[j] == 0) {
                recalled[j] = 1;
              }
            }
            precise[i] = (byte) (inside ? 1 : 0);
            if (samplePlan != null) {
              kernelSums(samplePlan, i, referencePlan, c0, columns, -1, dots, o, d, s.sums);
            }
          }
        });
    return new Between(fraction(precise), fraction(recalled),
        samplePlan == null ? null : merge(states.stream().map(st -> st.sums).toList(), subsets));
  }

  /** Squared distances of one row to a chunk of columns: {@code max(0, |x|^2 + |y|^2 - 2 x.y)} (a loop the JIT vectorizes). */
  private static void distances2(float rowNorm, float[] norms, int c0, float[] dots, int o, int columns, float[] out) {
    for (int c = 0; c < columns; c++) {
      out[c] = Math.max(0f, rowNorm + norms[c0 + c] - 2f * dots[o + c]);
    }
  }

  /**
   * Adds the kernel of row {@code i} (of {@code rows}' plan) with each column {@code j} of the
   * chunk (of {@code columns}' plan) to the sums of the subsets that hold both; column
   * {@code skip} (the row itself in a set's own pass) is left out.
   */
  private static void kernelSums(SubsetPlan rows, int i, SubsetPlan columns, int c0, int width, int skip,
      float[] dots, int o, int d, double[] sums) {
    int words = rows.words;
    long[] rowBits = rows.bits;
    long[] columnBits = columns.bits;
    int a = i * words;
    for (int c = 0; c < width; c++) {
      int j = c0 + c;
      int b = j * words;
      long any = 0;
      for (int w = 0; w < words; w++) {
        any |= rowBits[a + w] & columnBits[b + w];
      }
      if (any == 0 || j == skip) {
        continue;
      }
      double value = kernel(dots[o + c], d);
      for (int w = 0; w < words; w++) {
        long both = rowBits[a + w] & columnBits[b + w];
        while (both != 0) {
          sums[(w << 6) + Long.numberOfTrailingZeros(both)] += value;
          both &= both - 1;
        }
      }
    }
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
