package io.github.gan4j.tf;

import io.github.gan4j.recipe.GanLoss;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The adversarial loss as ops: the discriminator's loss on real and on fake logits, the
 * generator's loss on the logits of its fakes, and the score reported as D(x) / D(G(z)).
 * Dispatches on the {@link GanLoss} spec with exhaustive switches, so a new loss does not
 * compile until it is lowered here.
 */
final class LossLowering {
  private final GanLoss loss;

  LossLowering(GanLoss loss) {
    this.loss = loss;
  }

  /** D's loss on the logits of a real batch (mean over the batch). */
  Operand<TFloat32> discriminatorReal(Ops tf, Operand<TFloat32> logits) {
    return switch (loss) {
      case NON_SATURATING, MINIMAX -> mean(tf, crossEntropy(tf, logits, true));
    };
  }

  /** D's loss on the logits of a fake batch (mean over the batch). */
  Operand<TFloat32> discriminatorFake(Ops tf, Operand<TFloat32> logits) {
    return switch (loss) {
      case NON_SATURATING, MINIMAX -> mean(tf, crossEntropy(tf, logits, false));
    };
  }

  /** G's loss on D's logits of its fakes. */
  Operand<TFloat32> generator(Ops tf, Operand<TFloat32> fakeLogits) {
    return switch (loss) {
      case NON_SATURATING -> mean(tf, crossEntropy(tf, fakeLogits, true));
      case MINIMAX -> tf.math.neg(mean(tf, crossEntropy(tf, fakeLogits, false)));
    };
  }

  /** The mean score reported for a batch: D's probability for cross-entropy losses. */
  Operand<TFloat32> score(Ops tf, Operand<TFloat32> logits) {
    return switch (loss) {
      case NON_SATURATING, MINIMAX -> mean(tf, tf.math.sigmoid(logits));
    };
  }

  /** Binary cross-entropy of logits against an all-ones or all-zeros label, element-wise, stable. */
  private static Operand<TFloat32> crossEntropy(Ops tf, Operand<TFloat32> logits, boolean real) {
    // softplus(-x) for label 1, softplus(x) for label 0: relu(+-x) + log1p(exp(-|x|))
    Operand<TFloat32> signed = real ? tf.math.neg(logits) : logits;
    return tf.math.add(tf.nn.relu(signed), tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(logits)))));
  }

  static Operand<TFloat32> mean(Ops tf, Operand<TFloat32> x) {
    return tf.math.mean(tf.reshape(x, tf.constant(new int[] {-1})), tf.constant(0));
  }
}
