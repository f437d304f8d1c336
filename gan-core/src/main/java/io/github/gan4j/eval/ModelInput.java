package io.github.gan4j.eval;

import io.github.gan4j.layers.Shape;

/**
 * Fits images to the input a feature model declares: bilinear resizing when its height and
 * width are fixed and differ (Inception-v3 takes 299 x 299), and grey images repeated into
 * three channels when it takes RGB. Pixels keep gan4j's [-1, 1] range; any other scaling
 * belongs inside the model.
 *
 * @param from the images' shape
 * @param to the shape the model receives
 */
record ModelInput(Shape from, Shape to) {

  /**
   * The adaptation of images of shape {@code images} to a model input of {@code declared}
   * (batch, height, width, channels), where -1 means any size.
   *
   * @throws IllegalArgumentException if the model's input is not a batch of images or takes a
   *     number of channels the images cannot be turned into
   */
  static ModelInput of(Shape images, long[] declared, String model) {
    if (declared.length != 4) {
      throw new IllegalArgumentException(model + " takes input of shape " + java.util.Arrays.toString(declared)
          + "; an evaluator's model must take a batch of images (batch, height, width, channels)");
    }
    int h = declared[1] > 0 ? (int) declared[1] : images.dim(0);
    int w = declared[2] > 0 ? (int) declared[2] : images.dim(1);
    int c = declared[3] > 0 ? (int) declared[3] : images.dim(2);
    if (c != images.dim(2) && !(images.dim(2) == 1 && c == 3)) {
      throw new IllegalArgumentException(model + " takes images with " + c + " channels, these have "
          + images.dim(2) + "; grey images are repeated into RGB, nothing else is converted. Export the model with"
          + " an input of " + images.dim(2) + " channels, or convert the images first");
    }
    return new ModelInput(images, Shape.of(h, w, c));
  }

  /** Whether images pass unchanged. */
  boolean identity() {
    return from.equals(to);
  }

  /** Adapts {@code n} images starting at image {@code first} of {@code images}. */
  float[] adapt(float[] images, int first, int n) {
    int fh = from.dim(0);
    int fw = from.dim(1);
    int fc = from.dim(2);
    int th = to.dim(0);
    int tw = to.dim(1);
    int tc = to.dim(2);
    int inSize = fh * fw * fc;
    int outSize = th * tw * tc;
    float[] out = new float[n * outSize];
    // half-pixel centres, as TensorFlow 2's and PIL's bilinear resize (no antialiasing)
    int[] y0 = new int[th];
    int[] y1 = new int[th];
    float[] fy = new float[th];
    axis(fh, th, y0, y1, fy);
    int[] x0 = new int[tw];
    int[] x1 = new int[tw];
    float[] fx = new float[tw];
    axis(fw, tw, x0, x1, fx);
    for (int i = 0; i < n; i++) {
      int in = (first + i) * inSize;
      int o = i * outSize;
      for (int y = 0; y < th; y++) {
        for (int x = 0; x < tw; x++) {
          for (int ch = 0; ch < tc; ch++) {
            int sc = fc == 1 ? 0 : ch;
            float a = images[in + (y0[y] * fw + x0[x]) * fc + sc];
            float b = images[in + (y0[y] * fw + x1[x]) * fc + sc];
            float c = images[in + (y1[y] * fw + x0[x]) * fc + sc];
            float d = images[in + (y1[y] * fw + x1[x]) * fc + sc];
            float top = a + (b - a) * fx[x];
            float bottom = c + (d - c) * fx[x];
            out[o + (y * tw + x) * tc + ch] = top + (bottom - top) * fy[y];
          }
        }
      }
    }
    return out;
  }

  /** Source indices and weights along one axis, from {@code n} to {@code m} samples. */
  private static void axis(int n, int m, int[] lo, int[] hi, float[] frac) {
    double scale = (double) n / m;
    for (int i = 0; i < m; i++) {
      double s = Math.max(0, (i + 0.5) * scale - 0.5);
      int l = Math.min((int) Math.floor(s), n - 1);
      lo[i] = l;
      hi[i] = Math.min(l + 1, n - 1);
      frac[i] = (float) (s - l);
    }
  }
}
