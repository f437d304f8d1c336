package io.github.gan4j.tf;

import io.github.gan4j.recipe.DiffAugment;
import io.github.gan4j.recipe.RandomStream;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * {@link DiffAugment} as ops on a batch of images (batch, H, W, C): differentiable with respect
 * to the images (the random parameters are constants of the step), built only from ops whose
 * gradients TensorFlow Java has (add, mul, mean, pad, gather), and exact where the reference is
 * exact (a translation moves pixel values unchanged, cutout multiplies by 0 or 1). Gradient
 * penalties are taken at D's input, after the augmentation, so no second derivative of these
 * ops is needed.
 *
 * <p>Each transformation draws its per-image parameters from a child of the batch's stream
 * ({@code <stream>/brightness}, {@code /saturation}, {@code /contrast}, {@code /translation_y},
 * {@code /translation_x}, {@code /cutout_y}, {@code /cutout_x}) with TensorFlow's stateless
 * random ops; in a cluster, each replica takes its rows of the global batch's draw
 * ({@link Replica#share(Ops, long, java.util.function.LongFunction)}), so a replica augments its
 * images exactly as a single process would.
 *
 * <p>The static transformations take the drawn parameters as operands, so that tests can check
 * them against plain Java with known parameters.
 */
final class AugmentLowering {
  private final DiffAugment spec;
  private final Replica replica;

  AugmentLowering(DiffAugment spec, Replica replica) {
    this.spec = spec;
    this.replica = replica;
  }

  /**
   * {@code x} augmented with draws from {@code stream} at the step of {@code keys}; {@code x}
   * itself when the spec has no policy (the graph is then the same as without augmentation).
   *
   * @param x images (batch, H, W, C) with a known static shape
   */
  Operand<TFloat32> apply(Ops tf, RandomKeys keys, RandomStream stream, Operand<TFloat32> x) {
    if (!spec.isOn()) {
      return x;
    }
    long[] dims = x.shape().asArray();
    if (dims.length != 4 || x.shape().hasUnknownDimension()) {
      throw new IllegalStateException("DiffAugment needs images (batch, height, width, channels) of a known shape,"
          + " got " + x.shape());
    }
    Ops a = tf.withSubScope("augment");
    long rows = dims[0];
    int height = (int) dims[1];
    int width = (int) dims[2];
    Operand<TFloat32> out = x;
    for (DiffAugment.Policy p : spec.policies()) {
      switch (p) {
        case COLOR -> {
          Operand<TFloat32> brightness = a.math.sub(uniform(a, keys, stream.child("brightness"), rows), a.constant(0.5f));
          out = brightness(a, out, brightness);
          Operand<TFloat32> saturation = a.math.mul(uniform(a, keys, stream.child("saturation"), rows), a.constant(2f));
          out = saturation(a, out, saturation);
          Operand<TFloat32> contrast = a.math.add(uniform(a, keys, stream.child("contrast"), rows), a.constant(0.5f));
          out = contrast(a, out, contrast);
        }
        case TRANSLATION -> {
          int sy = DiffAugment.translationShift(height);
          int sx = DiffAugment.translationShift(width);
          out = translate(a, out, integers(a, keys, stream.child("translation_y"), rows, -sy, sy + 1),
              integers(a, keys, stream.child("translation_x"), rows, -sx, sx + 1));
        }
        case CUTOUT -> {
          int ch = DiffAugment.cutoutSize(height);
          int cw = DiffAugment.cutoutSize(width);
          out = cutout(a, out, integers(a, keys, stream.child("cutout_y"), rows, 0, height + 1 - ch % 2),
              integers(a, keys, stream.child("cutout_x"), rows, 0, width + 1 - cw % 2));
        }
        default -> throw new IllegalStateException("no lowering for DiffAugment policy " + p);
      }
    }
    return out;
  }

  /** One uniform float in [0, 1) per image: this replica's rows of the global draw. */
  private Operand<TFloat32> uniform(Ops tf, RandomKeys keys, RandomStream stream, long rows) {
    Operand<TInt64> key = keys.key(tf, stream);
    return replica.share(tf, rows,
        n -> tf.random.statelessRandomUniform(tf.constant(new long[] {n}), key, TFloat32.class));
  }

  /** One integer in [from, until) per image: this replica's rows of the global draw. */
  private Operand<TInt32> integers(Ops tf, RandomKeys keys, RandomStream stream, long rows, int from, int until) {
    Operand<TInt64> key = keys.key(tf, stream);
    return replica.share(tf, rows, n -> tf.random.statelessRandomUniformInt(tf.constant(new long[] {n}), key,
        tf.constant(from), tf.constant(until)));
  }

  /** {@code x + b} with {@code b} one value per image, shape (batch). */
  static Operand<TFloat32> brightness(Ops tf, Operand<TFloat32> x, Operand<TFloat32> b) {
    return tf.math.add(x, perImage(tf, b));
  }

  /** {@code (x - m) * f + m}, {@code m} the mean over the channels of each pixel, {@code f} one per image. */
  static Operand<TFloat32> saturation(Ops tf, Operand<TFloat32> x, Operand<TFloat32> f) {
    Operand<TFloat32> m = tf.math.mean(x, tf.constant(3), org.tensorflow.op.math.Mean.keepDims(true));
    return tf.math.add(tf.math.mul(tf.math.sub(x, m), perImage(tf, f)), m);
  }

  /** {@code (x - m) * f + m}, {@code m} the mean of each image over all pixels and channels, {@code f} one per image. */
  static Operand<TFloat32> contrast(Ops tf, Operand<TFloat32> x, Operand<TFloat32> f) {
    Operand<TFloat32> m = tf.math.mean(x, tf.constant(new int[] {1, 2, 3}), org.tensorflow.op.math.Mean.keepDims(true));
    return tf.math.add(tf.math.mul(tf.math.sub(x, m), perImage(tf, f)), m);
  }

  /**
   * {@code out[b][i][j] = x[b][i + dy[b]][j + dx[b]]}, zero where that index is outside the
   * image, as the reference code computes it: one gather from the batch padded with a zero row
   * and column on each side, at {@code clip(i + dy + 1, 0, H + 1)} and
   * {@code clip(j + dx + 1, 0, W + 1)}. Values move unchanged; the gradient is the gather's
   * (a scatter-add back to the source pixels). On one thread, batch 32 of 32x32x3, it measured
   * 3-5 times faster, forward and backward, than a sum of masked static slices over the shifts.
   */
  static Operand<TFloat32> translate(Ops tf, Operand<TFloat32> x, Operand<TInt32> dy, Operand<TInt32> dx) {
    long[] dims = x.shape().asArray();
    int b = (int) dims[0];
    int h = (int) dims[1];
    int w = (int) dims[2];
    int c = (int) dims[3];
    Operand<TFloat32> padded = tf.pad(x, tf.constant(new int[][] {{0, 0}, {1, 1}, {1, 1}, {0, 0}}), tf.constant(0f));
    Operand<TFloat32> flat = tf.reshape(padded, tf.constant(new int[] {b * (h + 2) * (w + 2), c}));
    Operand<TInt32> rows = clippedIndex(tf, dy, h);
    Operand<TInt32> columns = clippedIndex(tf, dx, w);
    int[] base = new int[b];
    for (int i = 0; i < b; i++) {
      base[i] = i * (h + 2) * (w + 2);
    }
    Operand<TInt32> index = tf.math.add(
        tf.math.add(tf.reshape(tf.constant(base), tf.constant(new int[] {b, 1, 1})),
            tf.reshape(tf.math.mul(rows, tf.constant(w + 2)), tf.constant(new int[] {b, h, 1}))),
        tf.reshape(columns, tf.constant(new int[] {b, 1, w})));
    return tf.gather(flat, index, tf.constant(0));
  }

  /** {@code clip(i + t + 1, 0, size + 1)} for i in [0, size), per image: shape (batch, size). */
  private static Operand<TInt32> clippedIndex(Ops tf, Operand<TInt32> t, int size) {
    int[] range = new int[size];
    for (int i = 0; i < size; i++) {
      range[i] = i + 1;
    }
    Operand<TInt32> moved = tf.math.add(tf.constant(new int[][] {range}), tf.reshape(t, tf.constant(new int[] {-1, 1})));
    return tf.math.minimum(tf.math.maximum(moved, tf.constant(0)), tf.constant(size + 1));
  }

  /**
   * Zeroes a square of {@code cutoutSize(H)} rows by {@code cutoutSize(W)} columns per image:
   * rows {@code [cy - ch / 2, cy - ch / 2 + ch)} and columns {@code [cx - cw / 2, cx - cw / 2 + cw)},
   * the parts inside the image.
   */
  static Operand<TFloat32> cutout(Ops tf, Operand<TFloat32> x, Operand<TInt32> cy, Operand<TInt32> cx) {
    long[] dims = x.shape().asArray();
    int ch = DiffAugment.cutoutSize((int) dims[1]);
    int cw = DiffAugment.cutoutSize((int) dims[2]);
    Operand<TFloat32> rows = inside(tf, cy, ch, (int) dims[1], new int[] {-1, (int) dims[1], 1, 1});
    Operand<TFloat32> columns = inside(tf, cx, cw, (int) dims[2], new int[] {-1, 1, (int) dims[2], 1});
    Operand<TFloat32> keep = tf.math.sub(tf.constant(1f), tf.math.mul(rows, columns));
    return tf.math.mul(x, keep);
  }

  /** 1 where index {@code i} of an axis of {@code size} is in {@code [c - side / 2, c - side / 2 + side)}, else 0. */
  private static Operand<TFloat32> inside(Ops tf, Operand<TInt32> c, int side, int size, int[] shape) {
    int[] range = new int[size];
    for (int i = 0; i < size; i++) {
      range[i] = i;
    }
    Operand<TInt32> from = tf.reshape(tf.math.sub(c, tf.constant(side / 2)), tf.constant(new int[] {-1, 1}));
    Operand<TInt32> index = tf.constant(new int[][] {range});
    Operand<TInt32> offset = tf.math.sub(index, from);
    Operand<TFloat32> in = tf.dtypes.cast(tf.math.logicalAnd(tf.math.greaterEqual(offset, tf.constant(0)),
        tf.math.less(offset, tf.constant(side))), TFloat32.class);
    return tf.reshape(in, tf.constant(shape));
  }

  /** A per-image value, shape (batch), as (batch, 1, 1, 1). */
  private static Operand<TFloat32> perImage(Ops tf, Operand<TFloat32> v) {
    return tf.reshape(v, tf.constant(new int[] {-1, 1, 1, 1}));
  }
}
