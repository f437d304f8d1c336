package io.github.gan4j.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The dot products of every row of one feature matrix with every row of another, computed
 * block by block and handed to a visitor, never held whole (10,000 x 10,000 would be 400 MB).
 * Blocks of rows run in parallel on the common fork-join pool; each block of rows gets a state
 * of its own, and the states come back in row order, so sums merged from them do not depend on
 * the thread schedule.
 *
 * <p>The inner loop is an axpy over a transposed chunk of columns, which the JIT vectorizes.
 * Each dot product accumulates its {@code d} terms in order in float32, exactly as
 * {@link #squaredNorms} does, so the distance of a vector to itself computes to 0.
 */
final class Pairwise {
  /** Rows of the left matrix per task. */
  static final int ROWS = 32;
  /** Columns of the right matrix per chunk. */
  static final int COLUMNS = 512;
  /** Features per pass over a chunk: 128 x 512 floats, 256 KB, stay in cache. */
  static final int FEATURES = 128;

  /** Receives the dot products of a block of rows with a chunk of columns. */
  @FunctionalInterface
  interface Visitor<S> {
    /**
     * @param dots {@code rows x columns} dot products, row-major with row stride {@code columns}:
     *     {@code dots[r * columns + c] = left[rowStart + r] . right[columnStart + c]}
     */
    void visit(S state, int rowStart, int rows, int columnStart, int columns, float[] dots);
  }

  private Pairwise() {}

  /**
   * Visits the dot products of the {@code n} rows of {@code left} with the {@code m} rows of
   * {@code right} (both of size {@code d}, stored one after another). For each block of rows
   * the column chunks arrive in order.
   *
   * @return the states of the row blocks, in row order
   */
  static <S> List<S> visit(float[] left, int n, float[] right, int m, int d, Supplier<S> state, Visitor<S> visitor) {
    int chunks = (m + COLUMNS - 1) / COLUMNS;
    float[][] transposed = new float[chunks][];
    for (int c = 0; c < chunks; c++) {
      int c0 = c * COLUMNS;
      int width = Math.min(COLUMNS, m - c0);
      float[] t = new float[d * width];
      for (int j = 0; j < width; j++) {
        int row = (c0 + j) * d;
        for (int k = 0; k < d; k++) {
          t[k * width + j] = right[row + k];
        }
      }
      transposed[c] = t;
    }
    int tasks = (n + ROWS - 1) / ROWS;
    List<S> states = new ArrayList<>(tasks);
    for (int t = 0; t < tasks; t++) {
      states.add(state.get());
    }
    IntStream.range(0, tasks).parallel().forEach(t -> {
      int r0 = t * ROWS;
      int rows = Math.min(ROWS, n - r0);
      float[] dots = new float[ROWS * COLUMNS];
      S s = states.get(t);
      for (int c = 0; c < chunks; c++) {
        int c0 = c * COLUMNS;
        int width = Math.min(COLUMNS, m - c0);
        float[] bt = transposed[c];
        java.util.Arrays.fill(dots, 0, rows * width, 0f);
        // features in blocks, so that the part of the chunk in use stays in cache for large d
        // (each dot product still sums its terms in order of k)
        for (int k0 = 0; k0 < d; k0 += FEATURES) {
          int k1 = Math.min(d, k0 + FEATURES);
          for (int r = 0; r < rows; r++) {
            int a = (r0 + r) * d;
            int o = r * width;
            for (int k = k0; k < k1; k++) {
              float ak = left[a + k];
              int b = k * width;
              for (int j = 0; j < width; j++) {
                dots[o + j] += ak * bt[b + j];
              }
            }
          }
        }
        visitor.visit(s, r0, rows, c0, width, dots);
      }
    });
    return states;
  }

  /** The squared norm of each of the {@code n} rows, summed in the order {@link #visit} sums dot products. */
  static float[] squaredNorms(float[] x, int n, int d) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      float s = 0f;
      int row = i * d;
      for (int k = 0; k < d; k++) {
        s += x[row + k] * x[row + k];
      }
      out[i] = s;
    }
    return out;
  }
}
