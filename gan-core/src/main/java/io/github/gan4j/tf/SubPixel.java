package io.github.gan4j.tf;

import io.github.gan4j.layers.Padding;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A strided transposed convolution in its sub-pixel form: a stride-1 {@code Conv2D} with
 * {@code s * s * filters} output channels, then {@code DepthToSpace(s)} and a crop. It
 * computes the same function as {@code Conv2DBackpropInput} with the same kernel variable
 * ({@code (k, k, filters, c)}), rearranged in-graph; oneDNN runs a forward convolution
 * faster than a strided backward-data one.
 *
 * <p>Per spatial dimension, with {@code p} the padding before that the forward convolution
 * of output size {@code O} to input size {@code H} uses ({@code (k - s) / 2} for SAME when
 * {@code k > s}, else 0), output {@code o} of the transposed convolution is
 * {@code sum_t x[i] W[t]} over {@code i * s + t = o + p}. Writing {@code q = o + p = m * s + r}
 * and {@code t = j * s + r}: {@code out[q - p] = sum_j x[m - j] W[j * s + r]},
 * {@code j < J = ceil(k / s)}. For each phase {@code r} that is a stride-1 correlation of
 * {@code x} with the taps {@code W[(J - 1 - a) * s + r]}, {@code a < J}, and input padded by
 * {@code J - 1} before; the phases become channels, which DepthToSpace interleaves.
 */
final class SubPixel {
  private SubPixel() {}

  /** Where the sub-pixel form applies: strides above 1 (stride 1 keeps Conv2DBackpropInput). */
  static boolean applies(int strides) {
    return strides > 1;
  }

  /**
   * The transposed convolution of {@code x} ({@code (n, in[0], in[1], c)}) with {@code kernel}
   * ({@code (k, k, filters, c)}) to {@code (n, out[0], out[1], filters)}.
   */
  static Operand<TFloat32> conv2dTranspose(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel,
      int[] in, int[] out, int channels, int filters, int k, int s, Padding padding) {
    if (!applies(s)) {
      throw new IllegalArgumentException("sub-pixel lowering needs strides > 1, got " + s);
    }
    int taps = (k + s - 1) / s;
    Dim h = Dim.of(in[0], out[0], k, s, taps, padding);
    Dim w = Dim.of(in[1], out[1], k, s, taps, padding);

    // kernel (k, k, F, C) -> (J*s, J*s, F, C) -> (J, s, J, s, F, C) -> reversed taps
    // -> (J, J, C, s, s, F) -> (J, J, C, s*s*F), channels ordered as DepthToSpace reads them
    Operand<TFloat32> f = kernel;
    int extra = taps * s - k;
    if (extra > 0) {
      f = tf.pad(f, tf.constant(new int[][] {{0, extra}, {0, extra}, {0, 0}, {0, 0}}), tf.constant(0f));
    }
    f = tf.reshape(f, tf.constant(new int[] {taps, s, taps, s, filters, channels}));
    if (taps > 1) {
      f = tf.reverse(f, tf.constant(new int[] {0, 2}));
    }
    f = tf.linalg.transpose(f, tf.constant(new int[] {0, 2, 5, 1, 3, 4}));
    f = tf.reshape(f, tf.constant(new int[] {taps, taps, channels, s * s * filters}));

    Operand<TFloat32> y = x;
    if (h.before != 0 || h.after != 0 || w.before != 0 || w.after != 0) {
      y = tf.pad(y, tf.constant(new int[][] {{0, 0}, {h.before, h.after}, {w.before, w.after}, {0, 0}}),
          tf.constant(0f));
    }
    y = tf.nn.conv2d(y, f, List.of(1L, 1L, 1L, 1L), "VALID");
    y = tf.nn.depthToSpace(y, (long) s);
    if (h.crop != 0 || w.crop != 0 || h.phases * s != out[0] || w.phases * s != out[1]) {
      y = tf.slice(y, tf.constant(new int[] {0, h.crop, w.crop, 0}),
          tf.constant(new int[] {-1, out[0], out[1], filters}));
    }
    return y;
  }

  /**
   * One spatial dimension: input padding before and after, the number of stride-1 outputs
   * ({@code phases}, each giving {@code s} outputs after DepthToSpace) and the crop offset.
   */
  private record Dim(int before, int after, int phases, int crop) {
    static Dim of(int in, int out, int k, int s, int taps, Padding padding) {
      // TensorFlow's padding of the forward convolution out -> in
      int p = padding == Padding.SAME ? Math.max((in - 1) * s + k - out, 0) / 2 : 0;
      int first = p / s;
      int last = (p + out - 1) / s;
      int phases = last - first + 1;
      int before = taps - 1 - first;
      int after = phases - in - before + taps - 1;
      if (before < 0 || after < 0) {
        // not reachable for shapes Conv2DTranspose infers (see the class comment)
        throw new IllegalStateException("sub-pixel padding " + before + ", " + after + " for in=" + in
            + " out=" + out + " k=" + k + " s=" + s);
      }
      return new Dim(before, after, phases, p - first * s);
    }
  }
}
