package io.github.gan4j.extension;

import io.github.gan4j.layers.Shape;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** What a {@link CustomLayer} may use while building its forward computation. */
public interface LayerContext {

  /** The ops builder for this layer's operations (its scope and control dependencies set). */
  Ops tf();

  /**
   * Whether this pass runs in training mode, as dropout does: true in the passes of a training
   * step, including the frozen discriminator's pass in the generator's update (where built-in
   * BatchNorm uses its moving statistics), but not in the generator's pass that makes the
   * discriminator's fakes under {@code FakeBatches.INFERENCE_MODE}; false when sampling, in the
   * exported generator and in a {@code ForwardPass} run with {@code training=false}.
   */
  boolean training();

  /** The per-example shape of the layer's input (without the batch dimension). */
  Shape inputShape();

  /**
   * The value of the weight {@code name} declared by {@code weights(inputShape)}, read for
   * this pass.
   *
   * @throws IllegalArgumentException if the layer declared no weight of that name
   */
  Operand<TFloat32> weight(String name);

  /**
   * The int64[2] seed of this layer's stateless random ops in this pass, for example
   * {@code tf.random.statelessRandomNormal(tf.shape(x), context.randomKey())}. Derived like
   * dropout's masks: {@code {word, step}}, where {@code word} mixes the trainer's seed with the
   * name of the pass's random stream and {@code <network>/<layer>}, and {@code step} is the
   * checkpointed step counter; so every step, pass and layer draws differently, the same seed
   * draws the same numbers, and a restored run continues exactly. For a second independent
   * draw in one layer, offset the word: {@code tf.math.add(key, tf.constant(new long[] {1, 0}))}.
   * In inference passes (sampling, the exported generator) the key is a constant.
   *
   * <p>TensorFlow's C++ gradient registry, which graph-mode training uses, has no gradient for
   * the stateless random ops. When a draw's shape comes from the input ({@code tf.shape(x)}),
   * wrap the draw in {@code tf.stopGradient(...)}, or building the trainer fails with
   * {@code No gradient defined for op: StatelessRandomNormal}.
   */
  Operand<TInt64> randomKey();
}
