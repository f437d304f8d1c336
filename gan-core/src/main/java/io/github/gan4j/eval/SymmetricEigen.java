package io.github.gan4j.eval;

/**
 * Eigendecomposition of a real symmetric matrix in float64: {@code A = V diag(values) V^T}.
 *
 * <p>Up to {@value #JACOBI_MAX} rows (gan4j's classifier has 128 features) by the cyclic Jacobi
 * method: each sweep visits every off-diagonal pair (p, q) once and applies the rotation that
 * zeroes {@code A[p][q]} (Golub and Van Loan, Algorithm 8.5.2, with the stable 2x2 symmetric
 * Schur step of Algorithm 8.4.1); sweeps repeat until the off-diagonal part is negligible
 * against the matrix's Frobenius norm. Jacobi computes small eigenvalues of positive
 * semi-definite matrices to high relative accuracy, which is what a covariance's square root
 * needs, but costs about {@code 6 n^3} operations per sweep (6 to 10 sweeps) with strided
 * memory access. Larger matrices (Inception's 2048 features) use Householder reduction to
 * tridiagonal form and the implicit QL method (EISPACK's tred2 and tql2, as in JAMA), about
 * {@code 9 n^3} operations in all with the eigenvectors and {@code 4/3 n^3} without, stored
 * transposed so that every inner loop runs along a row.
 *
 * <p>Matrices are row-major {@code double[n * n]}.
 */
final class SymmetricEigen {
  /** At most this many sweeps; convergence is quadratic, 10 usually suffice. */
  static final int MAX_SWEEPS = 60;
  /** The largest matrix decomposed by Jacobi; larger ones go through tridiagonal QL. */
  static final int JACOBI_MAX = 256;

  /**
   * Eigenvalues (in no particular order) and, if asked for, eigenvectors as the rows of
   * {@code vectorsT}; {@code sweeps} is Jacobi's number of sweeps (0 for tridiagonal QL).
   */
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
    double[] m = symmetrized(a, n);
    return n <= JACOBI_MAX ? jacobi(m, n, vectors) : tridiagonalQl(m, n, vectors);
  }

  /** {@code (A + A^T) / 2}, checked. */
  private static double[] symmetrized(double[] a, int n) {
    if (n <= 0 || a.length != n * n) {
      throw new IllegalArgumentException("expected a " + n + " x " + n + " matrix, got " + a.length + " values");
    }
    double[] m = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double v = 0.5 * (a[i * n + j] + a[j * n + i]);
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("matrix entry (" + i + ", " + j + ") is " + a[i * n + j]);
        }
        m[i * n + j] = v;
      }
    }
    return m;
  }

  /** Cyclic Jacobi on {@code m} (overwritten). */
  static Result jacobi(double[] m, int n, boolean vectors) {
    double frobenius = 0;
    for (double v : m) {
      frobenius += v * v;
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

  /**
   * Householder tridiagonalization and implicit QL on {@code m} (overwritten), after EISPACK's
   * tred2 and tql2 as JAMA writes them, with the transformations kept transposed
   * ({@code w[j * n + k]} is JAMA's {@code V[k][j]}).
   */
  static Result tridiagonalQl(double[] m, int n, boolean vectors) {
    double[] w = m;
    double[] d = new double[n];
    double[] e = new double[n];
    // tred2: Householder reduction; w holds A and then the Householder vectors
    for (int j = 0; j < n; j++) {
      d[j] = w[j * n + n - 1];
    }
    for (int i = n - 1; i > 0; i--) {
      double scale = 0;
      double h = 0;
      for (int k = 0; k < i; k++) {
        scale += Math.abs(d[k]);
      }
      if (scale == 0) {
        e[i] = d[i - 1];
        for (int j = 0; j < i; j++) {
          d[j] = w[j * n + i - 1];
          w[j * n + i] = 0;
          w[i * n + j] = 0;
        }
      } else {
        for (int k = 0; k < i; k++) {
          d[k] /= scale;
          h += d[k] * d[k];
        }
        double f = d[i - 1];
        double g = Math.sqrt(h);
        if (f > 0) {
          g = -g;
        }
        e[i] = scale * g;
        h -= f * g;
        d[i - 1] = f - g;
        for (int j = 0; j < i; j++) {
          e[j] = 0;
        }
        for (int j = 0; j < i; j++) {
          f = d[j];
          w[i * n + j] = f;
          int row = j * n;
          g = e[j] + w[row + j] * f;
          for (int k = j + 1; k <= i - 1; k++) {
            g += w[row + k] * d[k];
            e[k] += w[row + k] * f;
          }
          e[j] = g;
        }
        f = 0;
        for (int j = 0; j < i; j++) {
          e[j] /= h;
          f += e[j] * d[j];
        }
        double hh = f / (h + h);
        for (int j = 0; j < i; j++) {
          e[j] -= hh * d[j];
        }
        for (int j = 0; j < i; j++) {
          f = d[j];
          g = e[j];
          int row = j * n;
          for (int k = j; k <= i - 1; k++) {
            w[row + k] -= f * e[k] + g * d[k];
          }
          d[j] = w[j * n + i - 1];
          w[j * n + i] = 0;
        }
      }
      d[i] = h;
    }
    if (vectors) {
      // accumulate the transformations
      for (int i = 0; i < n - 1; i++) {
        w[i * n + n - 1] = w[i * n + i];
        w[i * n + i] = 1;
        double h = d[i + 1];
        int next = (i + 1) * n;
        if (h != 0) {
          for (int k = 0; k <= i; k++) {
            d[k] = w[next + k] / h;
          }
          for (int j = 0; j <= i; j++) {
            int row = j * n;
            double g = 0;
            for (int k = 0; k <= i; k++) {
              g += w[next + k] * w[row + k];
            }
            for (int k = 0; k <= i; k++) {
              w[row + k] -= g * d[k];
            }
          }
        }
        for (int k = 0; k <= i; k++) {
          w[next + k] = 0;
        }
      }
      for (int j = 0; j < n; j++) {
        d[j] = w[j * n + n - 1];
        w[j * n + n - 1] = 0;
      }
      w[(n - 1) * n + n - 1] = 1;
    } else {
      for (int j = 0; j < n; j++) {
        d[j] = w[j * n + j];
      }
    }
    e[0] = 0;
    // tql2: implicit QL on the tridiagonal (d, e)
    for (int i = 1; i < n; i++) {
      e[i - 1] = e[i];
    }
    e[n - 1] = 0;
    double f = 0;
    double tst1 = 0;
    double eps = Math.ulp(1.0);
    for (int l = 0; l < n; l++) {
      tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
      int mm = l;
      while (mm < n && Math.abs(e[mm]) > eps * tst1) {
        mm++;
      }
      if (mm > l) {
        int iterations = 0;
        do {
          if (++iterations > 100) {
            throw new ArithmeticException("QL iteration of a " + n + " x " + n + " matrix did not converge");
          }
          double g = d[l];
          double p = (d[l + 1] - g) / (2 * e[l]);
          double r = Math.hypot(p, 1);
          if (p < 0) {
            r = -r;
          }
          d[l] = e[l] / (p + r);
          d[l + 1] = e[l] * (p + r);
          double dl1 = d[l + 1];
          double h = g - d[l];
          for (int i = l + 2; i < n; i++) {
            d[i] -= h;
          }
          f += h;
          p = d[mm];
          double c = 1;
          double c2 = c;
          double c3 = c;
          double el1 = e[l + 1];
          double s = 0;
          double s2 = 0;
          for (int i = mm - 1; i >= l; i--) {
            c3 = c2;
            c2 = c;
            s2 = s;
            g = c * e[i];
            h = c * p;
            r = Math.hypot(p, e[i]);
            e[i + 1] = s * r;
            s = e[i] / r;
            c = p / r;
            p = c * d[i] - s * g;
            d[i + 1] = h + s * (c * g + s * d[i]);
            if (vectors) {
              int ri = i * n;
              int rj = (i + 1) * n;
              for (int k = 0; k < n; k++) {
                double vk = w[rj + k];
                w[rj + k] = s * w[ri + k] + c * vk;
                w[ri + k] = c * w[ri + k] - s * vk;
              }
            }
          }
          p = -s * s2 * c3 * el1 * e[l] / dl1;
          e[l] = s * p;
          d[l] = c * p;
        } while (Math.abs(e[l]) > eps * tst1);
      }
      d[l] += f;
      e[l] = 0;
    }
    return new Result(d, vectors ? w : null, n, 0);
  }
}
