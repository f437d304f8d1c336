package io.github.gan4j.tf;

import io.github.gan4j.extension.CustomLoss;
import io.github.gan4j.recipe.GanLoss;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The adversarial loss as ops: D's term on real outputs and on fake outputs, their weight in
 * D's loss, G's loss on D's outputs for its fakes, and the score reported as D(x) / D(G(z)).
 * Each method switches over the sealed {@link GanLoss} family, so a new built-in loss does not
 * compile until it is lowered here; the formulas are {@link GanLoss}'s double-precision
 * references, which the tests compare with these ops.
 */
final class LossLowering {
  private final GanLoss loss;

  LossLowering(GanLoss loss) {
    this.loss = loss;
  }

  /** D's term on its outputs for a real batch (a scalar). */
  Operand<TFloat32> discriminatorReal(Ops tf, Operand<TFloat32> real) {
    if (loss instanceof GanLoss.CrossEntropy l) {
      return crossEntropy(tf, real, l.realLabel());
    } else if (loss instanceof GanLoss.LeastSquares l) {
      return mean(tf, tf.math.square(tf.math.sub(real, tf.constant(l.realLabel()))));
    } else if (loss instanceof GanLoss.Hinge) {
      return mean(tf, tf.nn.relu(tf.math.sub(tf.constant(1f), real)));
    } else if (loss instanceof GanLoss.Wasserstein) {
      return tf.math.neg(mean(tf, real));
    }
    return custom().realTerm(tf, real);
  }

  /** D's term on its outputs for a fake batch (a scalar). */
  Operand<TFloat32> discriminatorFake(Ops tf, Operand<TFloat32> fake) {
    if (loss instanceof GanLoss.CrossEntropy) {
      return crossEntropy(tf, fake, 0f);
    } else if (loss instanceof GanLoss.LeastSquares l) {
      return mean(tf, tf.math.square(tf.math.sub(fake, tf.constant(l.fakeLabel()))));
    } else if (loss instanceof GanLoss.Hinge) {
      return mean(tf, tf.nn.relu(tf.math.add(tf.constant(1f), fake)));
    } else if (loss instanceof GanLoss.Wasserstein) {
      return mean(tf, fake);
    }
    return custom().fakeTerm(tf, fake);
  }

  /** D's loss from its two terms: {@code termWeight * (real + fake)}. */
  Operand<TFloat32> discriminator(Ops tf, Operand<TFloat32> realTerm, Operand<TFloat32> fakeTerm) {
    Operand<TFloat32> sum = tf.math.add(realTerm, fakeTerm);
    return loss.termWeight() == 1 ? sum : tf.math.mul(tf.constant((float) loss.termWeight()), sum);
  }

  /** G's loss on D's outputs for its fakes. */
  Operand<TFloat32> generator(Ops tf, Operand<TFloat32> fake) {
    if (loss instanceof GanLoss.NonSaturating) {
      return crossEntropy(tf, fake, 1f);
    } else if (loss instanceof GanLoss.Minimax) {
      return tf.math.neg(crossEntropy(tf, fake, 0f));
    } else if (loss instanceof GanLoss.LeastSquares l) {
      return tf.math.mul(tf.constant(0.5f),
          mean(tf, tf.math.square(tf.math.sub(fake, tf.constant(l.generatorTarget())))));
    } else if (loss instanceof GanLoss.Hinge || loss instanceof GanLoss.Wasserstein) {
      return tf.math.neg(mean(tf, fake));
    }
    return custom().generatorLoss(tf, fake);
  }

  /** The mean score reported for a batch: D's probability for cross-entropy losses, else the raw mean. */
  Operand<TFloat32> score(Ops tf, Operand<TFloat32> outputs) {
    return loss.outputs() == GanLoss.Outputs.PROBABILITY_LOGITS
        ? mean(tf, tf.math.sigmoid(outputs)) : mean(tf, outputs);
  }

  private CustomLoss custom() {
    if (loss instanceof CustomLoss c) {
      return c;
    }
    // GanLoss.Custom implemented without the extension interface: nothing to compute
    throw new IllegalArgumentException("loss " + loss.describe() + " implements GanLoss.Custom but not "
        + CustomLoss.class.getName() + ", which gives its terms on TensorFlow operands; implement that instead");
  }

  /** Mean binary cross-entropy of logits against a constant label: l sp(-x) + (1 - l) sp(x), stable. */
  private static Operand<TFloat32> crossEntropy(Ops tf, Operand<TFloat32> logits, float label) {
    // softplus(-x) = relu(-x) + log1p(exp(-|x|)), softplus(x) = relu(x) + log1p(exp(-|x|))
    Operand<TFloat32> tail = tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(logits))));
    Operand<TFloat32> perExample;
    if (label == 1f) {
      perExample = tf.math.add(tf.nn.relu(tf.math.neg(logits)), tail);
    } else if (label == 0f) {
      perExample = tf.math.add(tf.nn.relu(logits), tail);
    } else {
      // l relu(-x) + (1 - l) relu(x) + log1p(exp(-|x|))
      perExample = tf.math.add(tf.math.add(tf.math.mul(tf.constant(label), tf.nn.relu(tf.math.neg(logits))),
          tf.math.mul(tf.constant(1f - label), tf.nn.relu(logits))), tail);
    }
    return mean(tf, perExample);
  }

  static Operand<TFloat32> mean(Ops tf, Operand<TFloat32> x) {
    return tf.math.mean(tf.reshape(x, tf.constant(new int[] {-1})), tf.constant(0));
  }
}
