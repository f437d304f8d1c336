package io.github.gan4j.extension;

import io.github.gan4j.layers.Layer;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A layer written by the user. Besides {@link Layer}'s TensorFlow-free part ({@code kind()},
 * {@code name()}, {@code outputShape}, {@code weights}, {@code multiplyAdds},
 * {@code describe()}), it computes its output from its input on TensorFlow operands.
 *
 * <pre>{@code
 * record MinibatchStddev() implements CustomLayer {
 *   public String kind() { return "minibatch_stddev"; }
 *   public String name() { return null; }
 *   public Shape outputShape(Shape in) { return Shape.of(in.dim(0), in.dim(1), in.dim(2) + 1); }
 *   public String describe() { return "minibatchStddev()"; }
 *   public Operand<TFloat32> forward(LayerContext c, Operand<TFloat32> x) { ... }
 * }
 * }</pre>
 *
 * <p>The input and output are batches in NHWC (or (batch, units)) layout; the batch dimension
 * is the first. Implementations must be immutable values (records are ideal) and
 * deterministic given the context: use {@link LayerContext#randomKey()} for randomness, so
 * runs stay bit-exact.
 */
public interface CustomLayer extends Layer.Custom {

  /**
   * Builds the layer's forward computation.
   *
   * @param context the ops builder, the layer's weights, the mode and a random key
   * @param input the batch entering the layer, of per-example shape {@link LayerContext#inputShape()}
   * @return the batch leaving it, of per-example shape {@code outputShape(inputShape)}
   */
  Operand<TFloat32> forward(LayerContext context, Operand<TFloat32> input);
}
