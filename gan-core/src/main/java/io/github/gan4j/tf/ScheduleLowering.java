package io.github.gan4j.tf;

import io.github.gan4j.recipe.LearningRateSchedule;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A {@link LearningRateSchedule}'s multiplier as float32 ops on the step counter, so that it
 * is a function of checkpointed state only. Tested against
 * {@link LearningRateSchedule#multiplier(long)}, its double-precision reference.
 */
final class ScheduleLowering {
  private ScheduleLowering() {}

  /** Whether the schedule is 1 at every step (no ops are needed). */
  static boolean isConstant(LearningRateSchedule s) {
    return s instanceof LearningRateSchedule.Constant && s.warmupSteps() == 0;
  }

  /** The multiplier at {@code step} (int64, from 0). */
  static Operand<TFloat32> multiplier(Ops tf, LearningRateSchedule s, Operand<TInt64> step) {
    long w = s.warmupSteps();
    if (w == 0) {
      return decayed(tf, s, step);
    }
    Operand<TInt64> wc = tf.constant(w);
    Operand<TFloat32> warm = tf.math.mul(
        tf.math.div(toFloat(tf, tf.math.add(step, tf.constant(1L))), tf.constant((float) w)),
        tf.constant((float) s.decayed(0)));
    Operand<TFloat32> after = decayed(tf, s, tf.math.maximum(tf.math.sub(step, wc), tf.constant(0L)));
    return tf.select(tf.math.less(step, wc), warm, after);
  }

  private static Operand<TFloat32> decayed(Ops tf, LearningRateSchedule s, Operand<TInt64> t) {
    if (s instanceof LearningRateSchedule.Constant) {
      return tf.constant(1f);
    }
    if (s instanceof LearningRateSchedule.LinearDecay l) {
      Operand<TFloat32> progress = progress(tf, t, l.decaySteps());
      return tf.math.sub(tf.constant(1f), tf.math.mul(tf.constant(1f - l.floor()), progress));
    }
    if (s instanceof LearningRateSchedule.Cosine c) {
      Operand<TFloat32> progress = progress(tf, t, c.decaySteps());
      Operand<TFloat32> cos = tf.math.cos(tf.math.mul(tf.constant((float) Math.PI), progress));
      Operand<TFloat32> half = tf.math.mul(tf.constant(0.5f), tf.math.add(tf.constant(1f), cos));
      return tf.math.add(tf.constant(c.floor()), tf.math.mul(tf.constant(1f - c.floor()), half));
    }
    LearningRateSchedule.StepDecay d = (LearningRateSchedule.StepDecay) s;
    Operand<TInt64> decays = tf.math.floorDiv(t, tf.constant(d.every()));
    return tf.math.pow(tf.constant(d.factor()), toFloat(tf, decays));
  }

  /** {@code min(t, steps) / steps} in float32. */
  private static Operand<TFloat32> progress(Ops tf, Operand<TInt64> t, long steps) {
    return tf.math.div(toFloat(tf, tf.math.minimum(t, tf.constant(steps))), tf.constant((float) steps));
  }

  private static Operand<TFloat32> toFloat(Ops tf, Operand<TInt64> x) {
    return tf.dtypes.cast(x, TFloat32.class);
  }
}
