package io.github.gan4j.tf;

import io.github.gan4j.recipe.Adam;
import io.github.gan4j.recipe.LearningRateSchedule;
import io.github.gan4j.recipe.Optimizer;
import io.github.gan4j.recipe.RmsProp;
import io.github.gan4j.recipe.Sgd;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * One network's optimizer: its state variables, named {@code optimizer/<network>/...}, and
 * the apply ops of one update. Written with TensorFlow's raw training ops so that the
 * state of each network is separate and checkpoint names never depend on creation order.
 * The learning rate of an update is the optimizer's times its schedule's multiplier at the
 * step counter's value; with weight clipping, every trainable weight is clipped after the
 * applies and before the update counts as done.
 */
final class OptimizerLowering {
  private final Optimizer spec;
  private final LearningRateSchedule schedule;
  private final Variable<TInt64> stepCounter;
  private final NetworkLowering network;
  private final Variable<TInt64> iterations;
  private final Map<String, List<Variable<TFloat32>>> slots = new LinkedHashMap<>();

  /**
   * @param optimizerScope the graph's one {@code optimizer} scope, in init mode
   * @param stepCounter the trainer's step counter, which the schedule is a function of
   */
  OptimizerLowering(Ops optimizerScope, Optimizer spec, LearningRateSchedule schedule, Variable<TInt64> stepCounter,
      NetworkLowering network) {
    this.spec = spec;
    this.schedule = schedule;
    this.stepCounter = stepCounter;
    this.network = network;
    Ops init = optimizerScope;
    Ops scope = optimizerScope.withSubScope(network.network().name());
    this.iterations = scope.withName("iterations").variable(init.constant(0L));
    for (String name : network.trainable()) {
      Variable<TFloat32> v = network.variables().get(name);
      String local = name.substring(name.indexOf('/') + 1).replace('/', '.');
      List<Variable<TFloat32>> s = new ArrayList<>();
      for (String slot : slotNames()) {
        s.add(scope.withName(local + "." + slot).variable(init.zerosLike(v)));
      }
      slots.put(name, s);
    }
  }

  private List<String> slotNames() {
    if (spec instanceof Adam) {
      return List.of("m", "v");
    }
    if (spec instanceof RmsProp r) {
      return List.of("ms", "mom");
    }
    Sgd sgd = (Sgd) spec;
    return sgd.momentum() > 0f ? List.of("accumulator") : List.of();
  }

  /** The network this optimizer updates. */
  NetworkLowering network() {
    return network;
  }

  /**
   * The learning rate of an update at the current step: the optimizer's rate times the
   * schedule's multiplier, in float32, from the step counter as read under {@code tf}'s
   * control dependencies.
   */
  Operand<TFloat32> learningRate(Ops tf) {
    Operand<TFloat32> lr = tf.constant(spec.learningRate());
    if (ScheduleLowering.isConstant(schedule)) {
      return lr;
    }
    return tf.math.mul(lr, ScheduleLowering.multiplier(tf, schedule, tf.identity(stepCounter)));
  }

  /** Every state variable of this optimizer. */
  List<Variable<?>> variables() {
    List<Variable<?>> all = new ArrayList<>();
    all.add(iterations);
    slots.values().forEach(all::addAll);
    return all;
  }

  /**
   * Builds one update of {@code loss} with respect to the network's trainable variables as
   * read by {@code pass}. Every apply waits for every gradient of the update, so no
   * gradient can read a weight that another apply already changed.
   *
   * @param gradients when not null, receives the update's gradients, one per trainable
   *     variable in {@link NetworkLowering#trainable()} order (for reading them, never applied twice)
   * @return an op that completes when the update (and {@code extra}) is done
   */
  Op update(org.tensorflow.Graph graph, NetworkLowering.Pass pass, Operand<TFloat32> loss, List<Op> extra,
      List<Operand<TFloat32>> gradients) {
    List<String> names = network.trainable();
    Output<?>[] xs = new Output<?>[names.size()];
    for (int i = 0; i < xs.length; i++) {
      Operand<TFloat32> read = pass.reads.get(names.get(i));
      if (read == null) {
        throw new IllegalStateException("variable " + names.get(i) + " is not used by the loss");
      }
      xs[i] = read.asOutput();
    }
    Output<?>[] grads = graph.addGradients(loss.asOutput(), xs);
    if (network.replica().distributed()) {
      grads = allReduced(pass.tf, grads);
    }
    if (gradients != null) {
      for (Output<?> g : grads) {
        @SuppressWarnings("unchecked")
        Operand<TFloat32> gradient = (Operand<TFloat32>) g;
        gradients.add(gradient);
      }
    }
    List<Op> gradOps = new ArrayList<>(List.of(grads));
    Ops tf = pass.tf.withControlDependencies(gradOps);
    Operand<TFloat32> lr = learningRate(tf);
    List<Op> applies = new ArrayList<>();
    Operand<TFloat32> b1Power = null;
    Operand<TFloat32> b2Power = null;
    if (spec instanceof Adam adam) {
      Operand<TFloat32> t = tf.dtypes.cast(tf.math.add(tf.identity(iterations), tf.constant(1L)), TFloat32.class);
      b1Power = tf.math.pow(tf.constant(adam.beta1()), t);
      b2Power = tf.math.pow(tf.constant(adam.beta2()), t);
    }
    for (int i = 0; i < xs.length; i++) {
      Variable<TFloat32> var = network.variables().get(names.get(i));
      List<Variable<TFloat32>> s = slots.get(names.get(i));
      @SuppressWarnings("unchecked")
      Operand<TFloat32> g = (Operand<TFloat32>) grads[i];
      if (spec instanceof Adam adam) {
        applies.add(tf.train.applyAdam(var, s.get(0), s.get(1), b1Power, b2Power, lr,
            tf.constant(adam.beta1()), tf.constant(adam.beta2()), tf.constant(adam.epsilon()), g));
      } else if (spec instanceof RmsProp r) {
        applies.add(tf.train.applyRmsProp(var, s.get(0), s.get(1), lr, tf.constant(r.rho()),
            tf.constant(r.momentum()), tf.constant(r.epsilon()), g));
      } else if (s.isEmpty()) {
        applies.add(tf.train.applyGradientDescent(var, lr, g));
      } else {
        applies.add(tf.train.applyMomentum(var, s.get(0), lr, g, tf.constant(((Sgd) spec).momentum())));
      }
    }
    Op increment = tf.withControlDependencies(applies).assignAdd(iterations, tf.constant(1L));
    List<Op> all = new ArrayList<>(applies);
    all.add(increment);
    if (spec.clipWeights() > 0f) {
      // read after every apply; the update is done only when every weight is clipped
      Ops clip = tf.withControlDependencies(applies);
      Operand<TFloat32> lo = clip.constant(-spec.clipWeights());
      Operand<TFloat32> hi = clip.constant(spec.clipWeights());
      for (String name : names) {
        Variable<TFloat32> var = network.variables().get(name);
        all.add(clip.assign(var, clip.clipByValue(clip.identity(var), lo, hi)));
      }
    }
    all.addAll(extra);
    return pass.tf.withControlDependencies(all).noOp();
  }

  /** The mean of each gradient over all replicas, in one all-reduce, so every replica applies the same update. */
  @SuppressWarnings("unchecked")
  private Output<?>[] allReduced(Ops tf, Output<?>[] grads) {
    List<Operand<TFloat32>> local = new ArrayList<>();
    for (Output<?> g : grads) {
      local.add((Operand<TFloat32>) g);
    }
    List<Operand<TFloat32>> mean = network.replica().mean(tf.withSubScope("gradient_all_reduce"), local);
    Output<?>[] out = new Output<?>[grads.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = mean.get(i).asOutput();
    }
    return out;
  }
}
