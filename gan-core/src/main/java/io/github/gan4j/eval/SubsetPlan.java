package io.github.gan4j.eval;

import java.util.SplittableRandom;

/**
 * Which vectors of a set make up each of KID's random subsets: {@code subsets} draws of
 * {@code size} distinct indices out of {@code n}, independent between subsets (Binkowski et
 * al. 2018), as one bit mask per vector, so that a pass over all pairs can add each pair's
 * kernel value to exactly the subsets that hold both.
 */
final class SubsetPlan {
  final int n;
  final int subsets;
  final int size;
  /** words per vector */
  final int words;
  /** {@code n * words} longs; bit s of vector i's words: vector i is in subset s */
  final long[] bits;

  private SubsetPlan(int n, int subsets, int size, long[] bits) {
    this.n = n;
    this.subsets = subsets;
    this.size = size;
    this.words = (subsets + 63) / 64;
    this.bits = bits;
  }

  /** Draws the plan from {@code seed} (a partial Fisher-Yates shuffle per subset). */
  static SubsetPlan draw(int n, int subsets, int size, long seed) {
    if (subsets <= 0 || size < 2 || size > n) {
      throw new IllegalArgumentException("cannot draw " + subsets + " subsets of " + size + " out of " + n
          + " (need 2 <= size <= n)");
    }
    int words = (subsets + 63) / 64;
    long[] bits = new long[n * words];
    SplittableRandom random = new SplittableRandom(seed);
    int[] index = new int[n];
    for (int s = 0; s < subsets; s++) {
      for (int i = 0; i < n; i++) {
        index[i] = i;
      }
      for (int i = 0; i < size; i++) {
        int j = i + random.nextInt(n - i);
        int t = index[i];
        index[i] = index[j];
        index[j] = t;
        bits[index[i] * words + (s >>> 6)] |= 1L << (s & 63);
      }
    }
    return new SubsetPlan(n, subsets, size, bits);
  }
}
