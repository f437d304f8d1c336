package io.github.gan4j.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.gan4j.recipe.DiffAugment;
import io.github.gan4j.recipe.DiffAugment.Policy;
import io.github.gan4j.recipe.RandomStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * DiffAugment's ops: each transformation with known parameters against a plain-Java
 * computation that follows the paper's reference code (its index arithmetic for translation
 * and cutout); gradients are the adjoints of the (affine) transformations; draws are in the
 * reference's ranges, differ between streams and steps, and repeat for the same ones.
 */
class AugmentLoweringTest {
  /** Not square, so that rows and columns cannot be mixed up: shifts of up to 2 rows and 3 columns. */
  static final int B = 3;
  static final int H = 16;
  static final int W = 24;
  static final int C = 3;

  @BeforeAll
  static void loadTensorFlow() {
    OneDnn.prepare();
  }

  /** Runs {@code build(tf, x)} on {@code x} of shape (B, H, W, C) and returns the result's values. */
  static float[] run(float[] x, BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> build) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> in = tf.constant(Shape.of(B, H, W, C), DataBuffers.of(x, true, false));
      Operand<TFloat32> out = build.apply(tf, in);
      try (Result r = s.runner().fetch(out).run()) {
        return values((TFloat32) r.get(0));
      }
    }
  }

  static float[] values(TFloat32 t) {
    float[] out = new float[(int) t.size()];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  static float[] images(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[B * H * W * C];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextDouble(-1, 1);
    }
    return x;
  }

  static int at(int b, int i, int j, int c) {
    return ((b * H + i) * W + j) * C + c;
  }

  @Nested
  class KnownParameters {
    final float[] x = images(1);

    @Test
    void brightness_addsOneValuePerImage() {
      float[] b = {-0.5f, 0.1f, 0.49f};
      float[] out = run(x, (tf, in) -> AugmentLowering.brightness(tf, in, tf.constant(b)));
      for (int p = 0; p < x.length; p++) {
        assertThat(out[p]).isEqualTo(x[p] + b[p / (H * W * C)]);
      }
    }

    @Test
    void saturation_scalesEachPixelsDeviationFromItsChannelMean() {
      float[] f = {0f, 1f, 1.7f};
      float[] out = run(x, (tf, in) -> AugmentLowering.saturation(tf, in, tf.constant(f)));
      for (int b = 0; b < B; b++) {
        for (int i = 0; i < H; i++) {
          for (int j = 0; j < W; j++) {
            double m = 0;
            for (int c = 0; c < C; c++) {
              m += x[at(b, i, j, c)];
            }
            m /= C;
            for (int c = 0; c < C; c++) {
              assertThat(out[at(b, i, j, c)]).isCloseTo((float) ((x[at(b, i, j, c)] - m) * f[b] + m), within(1e-6f));
            }
          }
        }
      }
    }

    @Test
    void contrast_scalesEachValuesDeviationFromTheImageMean() {
      float[] f = {0.5f, 1f, 1.4f};
      float[] out = run(x, (tf, in) -> AugmentLowering.contrast(tf, in, tf.constant(f)));
      int n = H * W * C;
      for (int b = 0; b < B; b++) {
        double m = 0;
        for (int p = 0; p < n; p++) {
          m += x[b * n + p];
        }
        m /= n;
        for (int p = 0; p < n; p++) {
          assertThat(out[b * n + p]).isCloseTo((float) ((x[b * n + p] - m) * f[b] + m), within(1e-6f));
        }
      }
    }

    @Test
    void translation_movesValuesUnchangedByTheShift_withZerosFromOutside() {
      assertThat(DiffAugment.translationShift(H)).isEqualTo(2);
      assertThat(DiffAugment.translationShift(W)).isEqualTo(3);
      int[] dy = {-2, 0, 2};
      int[] dx = {3, -1, 0};
      float[] out = run(x, (tf, in) -> AugmentLowering.translate(tf, in, tf.constant(dy), tf.constant(dx)));
      // the reference: a zero row/column padded on each side, index clip(i + t + 1, 0, size + 1)
      for (int b = 0; b < B; b++) {
        for (int i = 0; i < H; i++) {
          for (int j = 0; j < W; j++) {
            int pi = Math.min(Math.max(i + dy[b] + 1, 0), H + 1);
            int pj = Math.min(Math.max(j + dx[b] + 1, 0), W + 1);
            boolean inside = pi >= 1 && pi <= H && pj >= 1 && pj <= W;
            for (int c = 0; c < C; c++) {
              float expected = inside ? x[at(b, pi - 1, pj - 1, c)] : 0f;
              assertThat(out[at(b, i, j, c)]).as("image %d (%d, %d, %d)", b, i, j, c).isEqualTo(expected);
            }
          }
        }
      }
    }

    @Test
    void cutout_zeroesTheHalfSizeSquare_clippedAtTheBorders() {
      int ch = DiffAugment.cutoutSize(H);
      int cw = DiffAugment.cutoutSize(W);
      // centres at both ends of the reference's ranges [0, H + 1 - ch % 2) and [0, W + 1 - cw % 2), and inside
      int[] cy = {0, 8, H};
      int[] cx = {W, 12, 12};
      float[] out = run(x, (tf, in) -> AugmentLowering.cutout(tf, in, tf.constant(cy), tf.constant(cx)));
      int[] zeroed = new int[B];
      for (int b = 0; b < B; b++) {
        // the reference: a ch x cw grid from (cy - ch / 2, cx - cw / 2), clamped into the image, set to 0
        boolean[][] cut = new boolean[H][W];
        for (int gi = 0; gi < ch; gi++) {
          for (int gj = 0; gj < cw; gj++) {
            cut[Math.min(Math.max(gi + cy[b] - ch / 2, 0), H - 1)][Math.min(Math.max(gj + cx[b] - cw / 2, 0), W - 1)] = true;
          }
        }
        for (int i = 0; i < H; i++) {
          for (int j = 0; j < W; j++) {
            zeroed[b] += cut[i][j] ? 1 : 0;
            for (int c = 0; c < C; c++) {
              assertThat(out[at(b, i, j, c)]).isEqualTo(cut[i][j] ? 0f : x[at(b, i, j, c)]);
            }
          }
        }
      }
      // a corner quarter of the square, and the whole square in the middle
      assertThat(zeroed).containsExactly(ch / 2 * (cw / 2), ch * cw, ch / 2 * cw);
    }

    /**
     * Each transformation with fixed parameters is affine, {@code f(x) = A x + f(0)}, so the
     * gradient of {@code <w, f(x)>} must be {@code A^T w}: {@code <grad, x> = <w, f(x) - f(0)>}.
     */
    @Test
    void gradients_areTheAdjointsOfTheTransformations() {
      float[] w = images(2);
      List<BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>>> transformations = List.of(
          (tf, in) -> AugmentLowering.brightness(tf, in, tf.constant(new float[] {0.3f, -0.2f, 0.1f})),
          (tf, in) -> AugmentLowering.saturation(tf, in, tf.constant(new float[] {0.2f, 1.5f, 1.9f})),
          (tf, in) -> AugmentLowering.contrast(tf, in, tf.constant(new float[] {0.6f, 1.2f, 1.45f})),
          (tf, in) -> AugmentLowering.translate(tf, in, tf.constant(new int[] {1, -2, 0}),
              tf.constant(new int[] {-3, 2, 1})),
          (tf, in) -> AugmentLowering.cutout(tf, in, tf.constant(new int[] {3, 16, 9}),
              tf.constant(new int[] {0, 20, 11})));
      for (var f : transformations) {
        float[] grad = run(x, (tf, in) -> {
          Operand<TFloat32> weights = tf.constant(Shape.of(B, H, W, C), DataBuffers.of(w, true, false));
          Operand<TFloat32> y = tf.reduceSum(tf.math.mul(f.apply(tf, in), weights), tf.constant(new int[] {0, 1, 2, 3}));
          return tf.gradients(y, List.of(in)).dy(0);
        });
        float[] fx = run(x, f);
        float[] f0 = run(new float[x.length], f);
        double lhs = 0;
        double rhs = 0;
        for (int p = 0; p < x.length; p++) {
          lhs += (double) grad[p] * x[p];
          rhs += (double) w[p] * (fx[p] - f0[p]);
        }
        assertThat(lhs).isCloseTo(rhs, within(1e-3 * (1 + Math.abs(rhs))));
        assertThat(Arrays.stream(toDoubles(grad)).map(Math::abs).sum()).isGreaterThan(0);
      }
    }
  }

  static double[] toDoubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  /** {@link AugmentLowering#apply} with draws from {@code stream} at {@code step}. */
  static float[] augmented(float[] x, DiffAugment spec, RandomStream stream, long step) {
    AugmentLowering lowering = new AugmentLowering(spec, Replica.single());
    return run(x, (tf, in) -> lowering.apply(tf, new RandomKeys(7, tf.constant(step)), stream, in));
  }

  @Nested
  class Draws {
    final float[] x = images(3);
    final RandomStream real = RandomStream.augmentReal(0);

    @Test
    void none_returnsTheImagesThemselves() {
      assertThat(augmented(x, DiffAugment.none(), real, 0)).containsExactly(x);
    }

    @Test
    void translation_ofEveryImage_isOneOfTheReferencesShifts_andTheyVary() {
      int sy = DiffAugment.translationShift(H);
      int sx = DiffAugment.translationShift(W);
      List<String> seen = new ArrayList<>();
      for (long step = 0; step < 4; step++) {
        float[] out = augmented(x, DiffAugment.of(Policy.TRANSLATION), real, step);
        for (int b = 0; b < B; b++) {
          String found = null;
          for (int dy = -sy; dy <= sy && found == null; dy++) {
            for (int dx = -sx; dx <= sx && found == null; dx++) {
              if (isShifted(out, b, dy, dx)) {
                found = dy + "," + dx;
              }
            }
          }
          assertThat(found).as("image %d of step %d is a shift of at most (%d, %d)", b, step, sy, sx).isNotNull();
          seen.add(found);
        }
      }
      assertThat(seen.stream().distinct().count()).isGreaterThan(3);
    }

    private boolean isShifted(float[] out, int b, int dy, int dx) {
      for (int i = 0; i < H; i++) {
        for (int j = 0; j < W; j++) {
          boolean inside = i + dy >= 0 && i + dy < H && j + dx >= 0 && j + dx < W;
          for (int c = 0; c < C; c++) {
            if (out[at(b, i, j, c)] != (inside ? x[at(b, i + dy, j + dx, c)] : 0f)) {
              return false;
            }
          }
        }
      }
      return true;
    }

    @Test
    void cutout_ofEveryImage_zeroesOneSquareInTheReferencesRange() {
      int ch = DiffAugment.cutoutSize(H);
      int cw = DiffAugment.cutoutSize(W);
      float[] out = augmented(x, DiffAugment.of(Policy.CUTOUT), real, 5);
      for (int b = 0; b < B; b++) {
        int top = H;
        int bottom = -1;
        int left = W;
        int right = -1;
        for (int i = 0; i < H; i++) {
          for (int j = 0; j < W; j++) {
            if (out[at(b, i, j, 0)] == 0f) {
              top = Math.min(top, i);
              bottom = Math.max(bottom, i);
              left = Math.min(left, j);
              right = Math.max(right, j);
            }
          }
        }
        // one rectangle: the whole square where it is inside the image, at least half of it at a border
        int rows = bottom - top + 1;
        int columns = right - left + 1;
        assertThat(rows).isBetween(ch / 2, ch);
        assertThat(columns).isBetween(cw / 2, cw);
        if (top > 0 && bottom < H - 1) {
          assertThat(rows).isEqualTo(ch);
        }
        if (left > 0 && right < W - 1) {
          assertThat(columns).isEqualTo(cw);
        }
        for (int i = 0; i < H; i++) {
          for (int j = 0; j < W; j++) {
            boolean cut = i >= top && i <= bottom && j >= left && j <= right;
            for (int c = 0; c < C; c++) {
              assertThat(out[at(b, i, j, c)]).isEqualTo(cut ? 0f : x[at(b, i, j, c)]);
            }
          }
        }
      }
    }

    /** Odd and even cutout sides and small shifts: the reference's ranges hold for other image sizes too. */
    @Test
    void translationAndCutout_ofOtherSizes_stayInTheReferencesRanges() {
      for (int[] size : new int[][] {{6, 5}, {7, 9}, {28, 28}}) {
        int h = size[0];
        int w = size[1];
        int ch = DiffAugment.cutoutSize(h);
        int cw = DiffAugment.cutoutSize(w);
        int images = 16;
        float[] ones = new float[images * h * w];
        Arrays.fill(ones, 1f);
        AugmentLowering cutout = new AugmentLowering(DiffAugment.of(Policy.CUTOUT), Replica.single());
        AugmentLowering translation = new AugmentLowering(DiffAugment.of(Policy.TRANSLATION), Replica.single());
        float[] cut;
        float[] moved;
        try (Graph g = new Graph(); Session s = new Session(g)) {
          Ops tf = Ops.create(g);
          Operand<TFloat32> in = tf.constant(Shape.of(images, h, w, 1), DataBuffers.of(ones, true, false));
          RandomKeys keys = new RandomKeys(7, tf.constant(3L));
          try (Result r = s.runner().fetch(cutout.apply(tf, keys, real, in))
              .fetch(translation.apply(tf, keys, real, in)).run()) {
            cut = values((TFloat32) r.get(0));
            moved = values((TFloat32) r.get(1));
          }
        }
        for (int b = 0; b < images; b++) {
          int rows = 0;
          int columns = 0;
          int zeros = 0;
          int movedRows = 0;
          int movedColumns = 0;
          for (int i = 0; i < h; i++) {
            boolean rowCut = false;
            boolean rowKept = false;
            for (int j = 0; j < w; j++) {
              zeros += cut[(b * h + i) * w + j] == 0f ? 1 : 0;
              rowCut |= cut[(b * h + i) * w + j] == 0f;
              rowKept |= moved[(b * h + i) * w + j] == 1f;
            }
            rows += rowCut ? 1 : 0;
            movedRows += rowKept ? 1 : 0;
          }
          for (int j = 0; j < w; j++) {
            boolean columnCut = false;
            boolean columnKept = false;
            for (int i = 0; i < h; i++) {
              columnCut |= cut[(b * h + i) * w + j] == 0f;
              columnKept |= moved[(b * h + i) * w + j] == 1f;
            }
            columns += columnCut ? 1 : 0;
            movedColumns += columnKept ? 1 : 0;
          }
          String where = h + "x" + w + " image " + b;
          // a rectangle: all of the square, or with its centre at a border of the reference's range
          // (0 or H - ch % 2) the ceil(ch / 2) rows inside
          assertThat(zeros).as(where).isEqualTo(rows * columns);
          assertThat(rows).as(where).isBetween(ch - ch / 2, ch);
          assertThat(columns).as(where).isBetween(cw - cw / 2, cw);
          // a shift of at most translationShift pixels keeps all but that many rows and columns
          assertThat(movedRows).as(where).isBetween(h - DiffAugment.translationShift(h), h);
          assertThat(movedColumns).as(where).isBetween(w - DiffAugment.translationShift(w), w);
        }
      }
    }

    @Test
    void color_onAUniformGreyImage_isBrightnessOnly_inTheReferencesRange() {
      // saturation and contrast leave a constant image as it is: what remains is x + (u - 0.5)
      float[] grey = new float[x.length];
      Arrays.fill(grey, 0.25f);
      float[] out = augmented(grey, DiffAugment.of(Policy.COLOR), real, 0);
      float[] shift = new float[B];
      int n = H * W * C;
      for (int b = 0; b < B; b++) {
        shift[b] = out[b * n] - 0.25f;
        assertThat(shift[b]).isBetween(-0.5f, 0.5f);
        for (int p = 0; p < n; p++) {
          assertThat(out[b * n + p]).isCloseTo(out[b * n], within(1e-6f));
        }
      }
      assertThat(shift[0]).isNotEqualTo(shift[1]);
    }

    @Test
    void draws_differBetweenStreamsAndSteps_andRepeatForTheSame() {
      DiffAugment all = DiffAugment.of(Policy.COLOR, Policy.TRANSLATION, Policy.CUTOUT);
      float[] realAt0 = augmented(x, all, real, 0);
      assertThat(augmented(x, all, real, 0)).containsExactly(realAt0);
      assertThat(augmented(x, all, RandomStream.augmentFake(0), 0)).isNotEqualTo(realAt0);
      assertThat(augmented(x, all, RandomStream.augmentGenerator(), 0)).isNotEqualTo(realAt0);
      assertThat(augmented(x, all, RandomStream.augmentReal(1), 0)).isNotEqualTo(realAt0);
      assertThat(augmented(x, all, real, 1)).isNotEqualTo(realAt0);
    }

    @Test
    void policies_applyInTheOrderGiven() {
      // cutout then color leaves no zero square; color then cutout does
      float[] colorFirst = augmented(x, DiffAugment.of(Policy.COLOR, Policy.CUTOUT), real, 2);
      float[] cutoutFirst = augmented(x, DiffAugment.of(Policy.CUTOUT, Policy.COLOR), real, 2);
      assertThat(countZeros(colorFirst)).isGreaterThanOrEqualTo(B * C * (DiffAugment.cutoutSize(H) / 2)
          * (DiffAugment.cutoutSize(W) / 2));
      assertThat(countZeros(cutoutFirst)).isLessThan(B);
    }

    private static int countZeros(float[] v) {
      int n = 0;
      for (float f : v) {
        n += f == 0f ? 1 : 0;
      }
      return n;
    }
  }
}
