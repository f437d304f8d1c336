package io.github.gan4j.eval;

/**
 * Eigendecomposition of a real symmetric matrix by the cyclic Jacobi method, in float64:
 * {@code A = V diag(values) V^T}. Each sweep visits every off-diagonal pair (p, q) once and
 * applies the rotation that zeroes {@code A[p][q]} (Golub and Van Loan, Algorithm 8.5.2, with
 * the stable 2x2 symmetric Schur step of Algorithm 8.4.1); sweeps repeat until the
 * off-diagonal part is negligible against the matrix's Frobenius norm. Jacobi is slower than
 * tridiagonal QR for large matrices but computes small eigenvalues of positive semi-definite
 * matrices to high relative accuracy, which is what a covariance's square root needs.
 *
 * <p>Matrices are row-major {@code double[n * n]}. Cost: about {@code 6 n^3} floating-point
 * operations per sweep, usually 6 to 10 sweeps.
 */
final class SymmetricEigen {
  /** At most this many sweeps; convergence is quadratic, 10 usually suffice. */
  static final int MAX_SWEEPS = 60;

  /** Eigenvalues (in no particular order) and, if asked for, eigenvectors as the rows of {@code vectorsT}. */
  record Result(double[] values, double[] vectorsT, int n, int sweeps) {
    /** {@code V f(D) V^T} for the eigenvalue map {@code f} (applied to each eigenvalue). */
    double[] apply(java.util.function.DoubleUnaryOperator f) {
      if (vectorsT == null) {
        throw new IllegalStateException("decomposed without eigenvectors");
      }
      double[] out = new double[n * n];
      double[] scaled = new double[n];
      for (int e = 0; e < n; e++) {
        double fe = f.applyAsDouble(values[e]);
        if (fe == 0) {
          continue;
        }
        int row = e * n;
        for (int i = 0; i < n; i++) {
          scaled[i] = fe * vectorsT[row + i];
        }
        // out += fe * v v^T (v = row e of V^T)
        for (int i = 0; i < n; i++) {
          double vi = scaled[i];
          if (vi == 0) {
            continue;
          }
          int oi = i * n;
          for (int j = 0; j < n; j++) {
            out[oi + j] += vi * vectorsT[row + j];
          }
        }
      }
      return out;
    }
  }

  private SymmetricEigen() {}

  /**
   * Decomposes the symmetric matrix {@code a} ({@code n x n}, row-major; only read, and
   * symmetrized as {@code (A + A^T) / 2} first).
   *
   * @param vectors whether to accumulate the eigenvectors
   * @throws IllegalArgumentException if {@code a} is not {@code n x n} or holds a non-finite value
   * @throws ArithmeticException if the sweeps do not converge (not seen for finite input)
   */
  static Result decompose(double[] a, int n, boolean vectors) {
    if (n <= 0 || a.length != n * n) {
      throw new IllegalArgumentException("expected a " + n + " x " + n + " matrix, got " + a.length + " values");
    }
    double[] m = new double[n * n];
    double frobenius = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double v = 0.5 * (a[i * n + j] + a[j * n + i]);
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("matrix entry (" + i + ", " + j + ") is " + a[i * n + j]);
        }
        m[i * n + j] = v;
        frobenius += v * v;
      }
    }
    double[] vt = null;
    if (vectors) {
      vt = new double[n * n];
      for (int i = 0; i < n; i++) {
        vt[i * n + i] = 1;
      }
    }
    // stop when the off-diagonal part is below 1e-14 ||A||_F (its rounding noise is near 1e-16 ||A||_F)
    double tolerance = 1e-28 * frobenius;
    int sweep = 0;
    while (true) {
      double off = 0;
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          double v = m[p * n + q];
          off += v * v;
        }
      }
      if (2 * off <= tolerance || off == 0) {
        break;
      }
      if (sweep == MAX_SWEEPS) {
        throw new ArithmeticException("Jacobi eigendecomposition of a " + n + " x " + n + " matrix did not converge in "
            + MAX_SWEEPS + " sweeps (off-diagonal mass " + off + ")");
      }
      sweep++;
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          rotate(m, vt, n, p, q);
        }
      }
    }
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = m[i * n + i];
    }
    return new Result(values, vt, n, sweep);
  }

  /** Applies the rotation that zeroes {@code m[p][q]}: {@code m = J^T m J}, {@code V = V J}. */
  private static void rotate(double[] m, double[] vt, int n, int p, int q) {
    int rp = p * n;
    int rq = q * n;
    double apq = m[rp + q];
    if (apq == 0) {
      return;
    }
    double app = m[rp + p];
    double aqq = m[rq + q];
    // negligible against the diagonal entries (Demmel and Veselic's relative criterion): set to zero
    if (Math.abs(apq) <= 1e-17 * Math.sqrt(Math.abs(app * aqq))) {
      m[rp + q] = 0;
      m[rq + p] = 0;
      return;
    }
    double tau = (aqq - app) / (2 * apq);
    double t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
    double c = 1 / Math.sqrt(1 + t * t);
    double s = t * c;
    // rows p and q for every other column k: (J^T m)
    for (int k = 0; k < n; k++) {
      double mpk = m[rp + k];
      double mqk = m[rq + k];
      m[rp + k] = c * mpk - s * mqk;
      m[rq + k] = s * mpk + c * mqk;
    }
    // the 2x2 block, in closed form
    m[rp + p] = app - t * apq;
    m[rq + q] = aqq + t * apq;
    m[rp + q] = 0;
    m[rq + p] = 0;
    // columns p and q mirror the rows (the result is symmetric)
    for (int k = 0; k < n; k++) {
      if (k != p && k != q) {
        m[k * n + p] = m[rp + k];
        m[k * n + q] = m[rq + k];
      }
    }
    if (vt != null) {
      for (int k = 0; k < n; k++) {
        double vpk = vt[rp + k];
        double vqk = vt[rq + k];
        vt[rp + k] = c * vpk - s * vqk;
        vt[rq + k] = s * vpk + c * vqk;
      }
    }
  }
}
