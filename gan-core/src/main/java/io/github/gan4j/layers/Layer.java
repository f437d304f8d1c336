package io.github.gan4j.layers;

import java.util.List;

/**
 * One layer of a generator or discriminator stack: a plain, immutable description with
 * Keras's argument names and defaults. It infers its output shape and declares its weights;
 * turning it into TensorFlow operations is the trainer's business.
 *
 * <p>Create layers with the static factories of {@link Layers} and refine them with the
 * withers each layer type offers, e.g. {@code conv2d(64, 3).strides(2)}.
 */
public sealed interface Layer
    permits Dense, Conv2D, Conv2DTranspose, BatchNorm, LeakyRelu, ActivationLayer, Reshape,
        Flatten, Dropout, UpSampling2D, SpectralNorm, Layer.Custom {

  /**
   * A layer defined by the user: implement {@code io.github.gan4j.extension.CustomLayer},
   * which extends this interface with the forward computation on TensorFlow operands. Here,
   * on the TensorFlow-free side, a custom layer is like any other: it names itself, infers
   * its output shape, declares its weights and counts its multiply-adds, so it takes part in
   * shape checking, summaries and parameter counts.
   */
  non-sealed interface Custom extends Layer {
    /**
     * Keras-style class name for summaries: the implementing class's simple name, or
     * {@code Custom} for an anonymous class.
     */
    @Override
    default String typeName() {
      String simple = getClass().getSimpleName();
      return simple.isEmpty() ? "Custom" : simple;
    }
  }

  /**
   * Keras's default name stem for this type ({@code dense}, {@code conv2d},
   * {@code batch_normalization}, ...), used to name unnamed layers {@code dense},
   * {@code dense_1}, ...
   */
  String kind();

  /** The name given with {@code name(String)}, or {@code null} to get a default name. */
  String name();

  /** Keras's class name ({@code Dense}, {@code Conv2DTranspose}, ...), for summaries. */
  String typeName();

  /**
   * The output shape for one example of shape {@code input}.
   *
   * @throws LayerShapeException if this layer cannot take {@code input}
   */
  Shape outputShape(Shape input);

  /** The variables this layer owns for an input of shape {@code input}, in creation order. */
  default List<WeightSpec> weights(Shape input) {
    return List.of();
  }

  /**
   * Multiply-adds of the forward pass for one example (one FLOP count is twice this).
   * Element-wise work (activations, BatchNorm) is not counted, as in the usual FLOP counts.
   */
  default long multiplyAdds(Shape input) {
    return 0;
  }

  /** The layer as written in code, e.g. {@code conv2dTranspose(filters=128, kernelSize=4, strides=2)}. */
  String describe();

  /** Checks {@code value > 0}, naming the argument otherwise. */
  static int positive(String what, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be positive, was " + value);
    }
    return value;
  }

  /** Checks an optional layer name: {@code null}, or letters, digits, '_', '-', '.' only. */
  static String validName(String name) {
    if (name != null && !name.matches("[A-Za-z0-9_.\\-]+")) {
      throw new IllegalArgumentException(
          "layer name '" + name + "' may contain only letters, digits, '_', '-' and '.'");
    }
    return name;
  }
}
