package io.github.gan4j.tf;

import io.github.gan4j.recipe.RandomStream;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt64;

/**
 * The keys of stateless random ops for one step: {@link RandomStream#key} built in-graph,
 * the stream's seed word as a constant and the step read from the checkpointed counter.
 */
final class RandomKeys {
  private final long seed;
  private final Operand<TInt64> step;

  /**
   * @param seed the run's seed
   * @param step int64 scalar: the step counter as read by the step being built
   */
  RandomKeys(long seed, Operand<TInt64> step) {
    this.seed = seed;
    this.step = step;
  }

  /** The int64[2] key {@code {stream.seedWord(seed), step}}. */
  Operand<TInt64> key(Ops tf, RandomStream stream) {
    return tf.concat(List.of(tf.constant(new long[] {stream.seedWord(seed)}),
        tf.reshape(step, tf.constant(new int[] {1}))), tf.constant(0));
  }
}
