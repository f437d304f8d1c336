package io.github.gan4j.tf;

import io.github.gan4j.Network;
import io.github.gan4j.NetworkLayer;
import io.github.gan4j.layers.Activation;
import io.github.gan4j.layers.ActivationLayer;
import io.github.gan4j.layers.BatchNorm;
import io.github.gan4j.layers.Conv2D;
import io.github.gan4j.layers.Conv2DTranspose;
import io.github.gan4j.layers.Dense;
import io.github.gan4j.layers.Layer;
import io.github.gan4j.layers.SpectralNorm;
import io.github.gan4j.recipe.GradientPenalty;
import io.github.gan4j.recipe.RandomStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * Gradient penalties ({@link GradientPenalty}) as ops, added to the discriminator's loss of
 * the update they belong to. Each needs D's gradient with respect to its input, per sample:
 * a first backward pass with {@link Ops#gradients} seeded with an explicit constant of ones
 * (the default seed, {@code OnesLike(y)}, has no gradient and would break the second pass),
 * whose result then enters D's loss; the optimizer's backward pass with respect to D's
 * weights is therefore second-order.
 *
 * <p>Where each penalty goes:
 * <ul>
 *   <li>With separate real and fake updates ({@code DiscriminatorUpdate.SEPARATE_BATCHES}),
 *       R1 is added to the real update's loss, R2 and WGAN-GP to the fake update's loss (the
 *       second update, which has both batches: WGAN-GP interpolates between them).
 *   <li>With one update on the combined batch, all of them are added to that update.
 * </ul>
 *
 * <p>Which forward pass: R1 and R2 differentiate the outputs of the update's own forward pass
 * (no extra forward pass); WGAN-GP runs D once more on the interpolated batch, in the same
 * mode as the update's pass (BatchNorm on batch statistics, dropout with masks from the
 * stream {@code gp_dropout/j}) and reading the same weights, and its BatchNorm
 * moving-statistics updates are dropped. The per-sample gradient is that of the sum of D's
 * outputs over the batch, as in the papers' code: exact per sample when D treats samples
 * independently (no BatchNorm in training mode in D, which WGAN-GP's authors advise
 * against anyway); with BatchNorm the cross-sample terms are included.
 *
 * <p>Not every op has a second derivative in TensorFlow Java: a discriminator with ReLU, tanh
 * or sigmoid activations or BatchNorm fails when the trainer is built, with
 * {@link #missingSecondOrderGradient}'s explanation.
 *
 * <p>The static helpers are generic over the float type so that tests can check the
 * second-order gradients against finite differences in float64 with the same code.
 */
final class PenaltyLowering {

  /** Added to {@code ||grad||^2} before the square root of WGAN-GP, so a zero gradient has a finite derivative. */
  static final double NORM_EPSILON = 1e-12;

  /**
   * One penalty on one batch.
   *
   * @param value what is added to D's loss (interval scale included)
   * @param squaredNorms per-sample {@code ||dD/dx||^2}, shape (batch)
   */
  record Term<T extends TFloating>(Operand<T> value, Operand<T> squaredNorms) {}

  private final List<GradientPenalty> penalties;

  PenaltyLowering(List<GradientPenalty> penalties) {
    this.penalties = List.copyOf(penalties);
  }

  /** The set of penalties (bit i: {@code penalties.get(i)}) that applies at {@code step}, from 0. */
  int activeAt(long step) {
    int mask = 0;
    for (int i = 0; i < penalties.size(); i++) {
      if (penalties.get(i).appliesAt(step)) {
        mask |= 1 << i;
      }
    }
    return mask;
  }

  /**
   * Every set of penalties some step applies, the set of step 0 (all of them) first: one
   * step target is built per set, so a step pays only for the penalties it applies.
   */
  List<Integer> activeSets() {
    long period = 1;
    for (GradientPenalty p : penalties) {
      period = lcm(period, p.interval());
      if (period > 1 << 16) {
        break;
      }
    }
    Set<Integer> sets = new LinkedHashSet<>();
    if (period <= 1 << 16) {
      for (long s = 0; s < period; s++) {
        sets.add(activeAt(s));
      }
    } else {
      // too long a period to enumerate: every subset of the lazy penalties, all of them first
      int always = 0;
      int lazy = 0;
      for (int i = 0; i < penalties.size(); i++) {
        if (penalties.get(i).interval() == 1) {
          always |= 1 << i;
        } else {
          lazy |= 1 << i;
        }
      }
      for (int subset = lazy; ; subset = (subset - 1) & lazy) {
        sets.add(always | subset);
        if (subset == 0) {
          break;
        }
      }
    }
    return new ArrayList<>(sets);
  }

  private static long lcm(long a, long b) {
    long x = a;
    long y = b;
    while (y != 0) {
      long t = x % y;
      x = y;
      y = t;
    }
    return a / x * b;
  }

  /**
   * The sum of the penalties of {@code active} that belong to an update on the real batch
   * (R1), or null if there are none.
   *
   * @param real the real batch as D read it
   * @param realLogits D's outputs on {@code real}, from the update's own pass
   */
  Operand<TFloat32> onRealBatch(Ops tf, int active, Operand<TFloat32> real, Operand<TFloat32> realLogits) {
    Operand<TFloat32> sum = null;
    for (int i = 0; i < penalties.size(); i++) {
      if ((active & (1 << i)) != 0 && penalties.get(i) instanceof GradientPenalty.R1 r1) {
        sum = add(tf, sum, squaredNormPenalty(tf, r1.gamma(), r1.interval(), realLogits, real).value());
      }
    }
    return sum;
  }

  /**
   * The sum of the penalties of {@code active} that belong to an update that sees the fake
   * batch (R2 on it, WGAN-GP on interpolations of it with the real batch), or null if there
   * are none.
   *
   * @param discriminator D, for WGAN-GP's extra forward pass
   * @param pass the update's pass (WGAN-GP's pass shares its weight reads)
   * @param keys the step's random keys
   * @param j the index of the discriminator update in its step
   */
  Operand<TFloat32> onFakeBatch(Ops tf, int active, NetworkLowering discriminator, NetworkLowering.Pass pass,
      RandomKeys keys, int j, Operand<TFloat32> real, Operand<TFloat32> fake, Operand<TFloat32> fakeLogits) {
    Operand<TFloat32> sum = null;
    for (int i = 0; i < penalties.size(); i++) {
      if ((active & (1 << i)) == 0) {
        continue;
      }
      GradientPenalty p = penalties.get(i);
      if (p instanceof GradientPenalty.R2 r2) {
        sum = add(tf, sum, squaredNormPenalty(tf, r2.gamma(), r2.interval(), fakeLogits, fake).value());
      } else if (p instanceof GradientPenalty.WganGp gp) {
        int batch = (int) real.shape().size(0);
        int rank = real.shape().numDimensions();
        Operand<TInt64> key = keys.key(tf, RandomStream.penaltyInterpolation(j));
        Operand<TFloat32> e = discriminator.replica().share(tf, batch,
            rows -> interpolationWeights(tf, key, (int) rows, rank, TFloat32.class));
        NetworkLowering.Pass gpPass = pass.sharingReads(RandomStream.penaltyDropout(j));
        sum = add(tf, sum, wganGp(tf, gp.lambda(), gp.interval(), real, fake, e,
            x -> discriminator.forward(gpPass, x)).value());
      }
    }
    return sum;
  }

  /**
   * Explains a missing second-order gradient: TensorFlow Java's C++ gradient registry has no
   * gradient for {@code ReluGrad}, {@code TanhGrad}, {@code SigmoidGrad} or
   * {@code FusedBatchNormGradV3} (measured with TF Java 1.1.0), so a discriminator with ReLU,
   * tanh or sigmoid activations or BatchNorm cannot take a gradient penalty; LeakyReLU,
   * linear activations, dropout, convolutions and dense layers can.
   *
   * @param op the op type TensorFlow named, e.g. {@code ReluGrad}
   * @return the message: which layers of D use it and what to do
   */
  static String missingSecondOrderGradient(Network discriminator, List<GradientPenalty> penalties, String op) {
    List<String> where = new ArrayList<>();
    for (NetworkLayer l : discriminator.layers()) {
      Layer spec = l.layer() instanceof SpectralNorm sn ? sn.layer() : l.layer();
      Activation a = spec instanceof Dense d ? d.activation()
          : spec instanceof Conv2D c ? c.activation()
          : spec instanceof Conv2DTranspose c ? c.activation()
          : l.layer() instanceof ActivationLayer al ? al.activation() : null;
      boolean uses = switch (op) {
        case "ReluGrad" -> a == Activation.RELU;
        case "TanhGrad" -> a == Activation.TANH;
        case "SigmoidGrad" -> a == Activation.SIGMOID;
        case "FusedBatchNormGradV3", "FusedBatchNormGrad", "FusedBatchNormGradV2" -> l.layer() instanceof BatchNorm;
        default -> false;
      };
      if (uses) {
        where.add("  " + discriminator.name() + "[" + l.index() + "] " + l.layer().describe());
      }
    }
    StringBuilder m = new StringBuilder("gradient penalties ");
    penalties.forEach(p -> m.append(p.describe()).append(' '));
    m.append("need the second derivative of every op of the discriminator, and TensorFlow has none for ")
        .append(op).append(" (the derivative of ").append(op.replace("Grad", "").replaceAll("V[0-9]$", ""))
        .append(")");
    if (!where.isEmpty()) {
      m.append(", used by:\n").append(String.join("\n", where));
    }
    m.append("\n  Fix: in the discriminator use leakyRelu(...) or linear activations and no batchNorm()"
        + " (WGAN-GP's authors advise against BatchNorm in the critic), or train without a penalty.");
    return m.toString();
  }

  private static Operand<TFloat32> add(Ops tf, Operand<TFloat32> sum, Operand<TFloat32> term) {
    return sum == null ? term : tf.math.add(sum, term);
  }

  /**
   * Per-sample {@code ||d(sum outputs)/d inputs||^2} over all but the batch axis. The first
   * backward pass is seeded with a constant of ones of {@code outputs}' static shape, which
   * must be fully known.
   */
  static <T extends TFloating> Operand<T> squaredNorms(Ops tf, Operand<T> outputs, Operand<T> inputs) {
    Shape shape = outputs.shape();
    if (shape.isUnknown() || shape.hasUnknownDimension()) {
      throw new IllegalStateException("a gradient penalty needs D's outputs of a known shape, got " + shape);
    }
    Operand<T> seed = tf.ones(tf.constant(shape.asArray()), outputs.type());
    Gradients g = tf.gradients(outputs, List.of(inputs), Gradients.dx(List.of(seed)));
    Operand<T> grad = g.dy(0);
    int rank = inputs.shape().numDimensions();
    int[] axes = new int[rank - 1];
    for (int a = 1; a < rank; a++) {
      axes[a - 1] = a;
    }
    return tf.reduceSum(tf.math.square(grad), tf.constant(axes));
  }

  /**
   * R1 / R2: {@code interval * gamma / 2 * mean ||dD/dx||^2} with {@code outputs = D(inputs)}.
   */
  static <T extends TFloating> Term<T> squaredNormPenalty(Ops tf, float gamma, int interval, Operand<T> outputs,
      Operand<T> inputs) {
    Operand<T> sq = squaredNorms(tf, outputs, inputs);
    Operand<T> mean = tf.math.mean(sq, tf.constant(0));
    return new Term<>(tf.math.mul(tf.constant(outputs.type(), interval * (gamma / 2.0)), mean), sq);
  }

  /**
   * WGAN-GP: {@code interval * lambda * mean (||dD/dx^|| - 1)^2} at
   * {@code x^ = e real + (1 - e) fake}, computed as {@code fake + e (real - fake)}.
   *
   * @param e per-sample weights in [0, 1), shape (batch, 1, ..., 1) of the images' rank
   * @param critic D's forward pass on a batch
   */
  static <T extends TFloating> Term<T> wganGp(Ops tf, float lambda, int interval, Operand<T> real, Operand<T> fake,
      Operand<T> e, Function<Operand<T>, Operand<T>> critic) {
    Operand<T> mixed = tf.math.add(fake, tf.math.mul(e, tf.math.sub(real, fake)));
    Operand<T> sq = squaredNorms(tf, critic.apply(mixed), mixed);
    Operand<T> norm = tf.math.sqrt(tf.math.add(sq, tf.constant(sq.type(), NORM_EPSILON)));
    Operand<T> gap = tf.math.sub(norm, tf.constant(sq.type(), 1.0));
    Operand<T> mean = tf.math.mean(tf.math.square(gap), tf.constant(0));
    return new Term<>(tf.math.mul(tf.constant(sq.type(), (double) interval * lambda), mean), sq);
  }

  /** Per-sample uniform weights in [0, 1) of shape (batch, 1, ..., 1), {@code rank} axes in all. */
  static <T extends TFloating> Operand<T> interpolationWeights(Ops tf, Operand<TInt64> key, int batch, int rank,
      Class<T> type) {
    long[] dims = new long[rank];
    java.util.Arrays.fill(dims, 1L);
    dims[0] = batch;
    return tf.random.statelessRandomUniform(tf.constant(dims), key, type);
  }
}
