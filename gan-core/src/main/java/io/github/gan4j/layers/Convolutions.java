package io.github.gan4j.layers;

/** Shape arithmetic and descriptions shared by the convolution layers. */
final class Convolutions {
  private Convolutions() {}

  static void requireImage(String layer, Shape input) {
    if (input.rank() != 3) {
      throw new LayerShapeException(
          layer + " needs an image (height, width, channels) but received " + input
              + ", a rank-" + input.rank() + " input.",
          input.rank() == 1
              ? "put reshape(h, w, c) before it, with h * w * c = " + input.size() + "."
              : "reshape the input to (height, width, channels).");
    }
  }

  static int convOut(int in, int kernel, int strides, Padding padding, String dimName) {
    if (padding == Padding.SAME) {
      return (in + strides - 1) / strides;
    }
    if (in < kernel) {
      throw new LayerShapeException(
          "with padding \"valid\" (the default, as in Keras) the " + dimName + " " + in
              + " is smaller than kernelSize " + kernel + ": (" + in + " - " + kernel + ") / " + strides + " + 1 < 1.",
          "use .padding(SAME), a smaller kernelSize, or a larger input.");
    }
    return (in - kernel) / strides + 1;
  }

  static String describe(String fn, int filters, int kernelSize, int strides, Padding padding,
      Activation activation, boolean useBias, Initializer kernelInitializer) {
    StringBuilder sb = new StringBuilder(fn).append("(filters=").append(filters)
        .append(", kernelSize=").append(kernelSize);
    if (strides != 1) {
      sb.append(", strides=").append(strides);
    }
    if (padding != Padding.VALID) {
      sb.append(", padding=").append(padding.kerasName());
    }
    if (activation != Activation.LINEAR) {
      sb.append(", activation=").append(activation.kerasName());
    }
    if (!useBias) {
      sb.append(", useBias=false");
    }
    return withInitializer(sb, kernelInitializer).append(')').toString();
  }

  /** Appends {@code , kernelInitializer=...} unless it is the default (so default fingerprints stay as they were). */
  static StringBuilder withInitializer(StringBuilder sb, Initializer kernelInitializer) {
    if (!(kernelInitializer instanceof Initializer.GlorotUniform)) {
      sb.append(", kernelInitializer=").append(kernelInitializer.describe());
    }
    return sb;
  }
}
