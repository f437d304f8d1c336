package io.github.gan4j.tf;

import io.github.gan4j.recipe.GeneratorEma;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The moving average of the generator's weights: a second set of the generator's variables
 * under {@value #SCOPE} (same initial values), and the op that folds the weights into it after
 * a generator update.
 */
final class EmaLowering {
  static final String SCOPE = "generator_ema";

  private final GeneratorEma ema;
  private final NetworkLowering weights;
  private final NetworkLowering average;

  EmaLowering(Ops tf, GeneratorEma ema, NetworkLowering generator, long seed) {
    this.ema = ema;
    this.weights = generator;
    this.average = new NetworkLowering(tf, generator.network(), seed, SCOPE);
  }

  /** The averaged generator, to build forward passes on. */
  NetworkLowering average() {
    return average;
  }

  /**
   * Folds the generator's current weights into the average; {@code tf} carries the control
   * dependencies on the generator's update. {@code stepCounter} still holds the number of
   * steps before this one, so this step is {@code counter + 1}.
   */
  Op update(Ops tf, Variable<TInt64> stepCounter) {
    Ops scope = tf.withSubScope("ema");
    Operand<TInt64> thisStep = scope.math.add(scope.identity(stepCounter), scope.constant(1L));
    Operand<TFloat32> averaging = scope.dtypes.cast(
        scope.math.greaterEqual(thisStep, scope.constant(ema.startStep())), TFloat32.class);
    Operand<TFloat32> decay = scope.math.mul(averaging, scope.constant(ema.decay()));
    Operand<TFloat32> keep = scope.math.sub(scope.constant(1f), decay);
    List<Op> assigns = new ArrayList<>();
    Map<String, Variable<TFloat32>> from = weights.variables();
    String prefix = weights.network().name() + "/";
    for (Map.Entry<String, Variable<TFloat32>> e : from.entrySet()) {
      Variable<TFloat32> target = average.variables().get(SCOPE + "/" + e.getKey().substring(prefix.length()));
      Operand<TFloat32> w = scope.identity(e.getValue());
      if (weights.trainable().contains(e.getKey())) {
        // decay * ema + (1 - decay) * w; decay is 0 before the start step: a copy
        assigns.add(scope.assign(target, scope.math.add(scope.math.mul(decay, scope.identity(target)),
            scope.math.mul(keep, w))));
      } else {
        // BatchNorm moving statistics and spectral norms' u follow the weights' own: the average's
        // inference passes start their power iteration from G's u, close to the average's vector
        assigns.add(scope.assign(target, w));
      }
    }
    return scope.withControlDependencies(assigns).withName("done").noOp();
  }

  /** Copies the generator's weights into the average (a checkpoint without an average restored). */
  Op copy(Ops tf) {
    Ops scope = tf.withSubScope("ema_copy");
    List<Op> assigns = new ArrayList<>();
    String prefix = weights.network().name() + "/";
    weights.variables().forEach((name, v) -> assigns.add(scope.assign(
        average.variables().get(SCOPE + "/" + name.substring(prefix.length())), scope.identity(v))));
    return scope.withControlDependencies(assigns).withName("done").noOp();
  }
}
