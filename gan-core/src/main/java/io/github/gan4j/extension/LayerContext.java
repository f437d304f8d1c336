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

  /** Whether this pass trains the network (batch statistics, dropout) or runs inference. */
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
   * An int64 scalar that differs between steps and between passes, for stateless random ops
   * ({@code tf.random.statelessRandomUniform(shape, key)} with this key and a constant of the
   * layer's choice). Derived from the trainer's seed, the step and the pass, so a restored run
   * draws the same numbers.
   */
  Operand<TInt64> randomKey();
}
