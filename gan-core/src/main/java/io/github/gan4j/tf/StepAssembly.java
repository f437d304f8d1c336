package io.github.gan4j.tf;

import io.github.gan4j.layers.Shape;
import io.github.gan4j.recipe.DiscriminatorUpdate;
import io.github.gan4j.recipe.FakeBatches;
import io.github.gan4j.recipe.RandomStream;
import io.github.gan4j.recipe.TrainingRecipe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Assembles a training step from the lowered parts: k discriminator phases, then a
 * generator phase through the frozen discriminator, then the step counter. Each phase
 * reads variables only after the previous phase's update is complete (control
 * dependencies), and each update applies only after all of its gradients exist, so results
 * do not depend on op scheduling.
 */
final class StepAssembly {

  /**
   * The ops of one step target; the losses and scores a phase does not compute are null, and
   * so is {@code penalty} when the target applies no gradient penalty.
   *
   * <p>{@code gradients} maps each trainable variable of the networks the target updates to the
   * gradient its update applies: the generator's update, and the discriminator's last phase
   * (its real and fake updates' gradients summed when they are separate), each read through an
   * identity op that only a fetch runs, so fetching them changes no update (tested, also under
   * bfloat16 mixed precision).
   */
  record Target(Op done, Operand<TFloat32> dLoss, Operand<TFloat32> gLoss, Operand<TFloat32> dReal,
      Operand<TFloat32> dFake, Operand<TFloat32> dFakeInDUpdate, Operand<TFloat32> penalty,
      Operand<TFloat32> weightNorm, Map<String, Operand<TFloat32>> gradients) {}

  private final Graph graph;
  private final Ops tf;
  private final TrainingRecipe recipe;
  private final NetworkLowering generator;
  private final NetworkLowering discriminator;
  private final OptimizerLowering generatorOptimizer;
  private final OptimizerLowering discriminatorOptimizer;
  private final LossLowering loss;
  private final PenaltyLowering penalties;
  private final LatentLowering latent;
  private final Variable<TInt64> stepCounter;
  private final Placeholder<TFloat32> realInput;
  private final EmaLowering ema;
  /** DiffAugment of every batch D sees in training (the identity without one). */
  private final AugmentLowering augment;
  /** The labels of a conditional GAN's step, or null. */
  private final LabelLowering labels;

  /** @param ema the generator's moving average, updated after each generator update; null for none */
  StepAssembly(Graph graph, Ops tf, TrainingRecipe recipe, NetworkLowering generator, NetworkLowering discriminator,
      OptimizerLowering generatorOptimizer, OptimizerLowering discriminatorOptimizer, LossLowering loss,
      PenaltyLowering penalties, LatentLowering latent, Variable<TInt64> stepCounter, Placeholder<TFloat32> realInput,
      EmaLowering ema, LabelLowering labels) {
    this.graph = graph;
    this.tf = tf;
    this.recipe = recipe;
    this.generator = generator;
    this.discriminator = discriminator;
    this.generatorOptimizer = generatorOptimizer;
    this.discriminatorOptimizer = discriminatorOptimizer;
    this.loss = loss;
    this.penalties = penalties;
    this.latent = latent;
    this.stepCounter = stepCounter;
    this.realInput = realInput;
    this.ema = ema;
    this.augment = new AugmentLowering(recipe.augment(), generator.replica());
    this.labels = labels;
  }

  /**
   * Builds a step target under the scope {@code name}: D's phases, G's phase, or both.
   *
   * @param penaltySet the gradient penalties D's updates apply ({@link PenaltyLowering#activeAt})
   */
  Target build(boolean trainD, boolean trainG, String name, int penaltySet) {
    Ops scope = tf.withSubScope(name);
    RandomKeys keys = new RandomKeys(recipe.seed(), scope.identity(stepCounter));
    int k = recipe.discriminatorSteps();
    List<Op> after = new ArrayList<>();
    List<Operand<TFloat32>> dLosses = new ArrayList<>();
    List<Operand<TFloat32>> dReals = new ArrayList<>();
    List<Operand<TFloat32>> dFakes = new ArrayList<>();
    List<Operand<TFloat32>> dPenalties = new ArrayList<>();
    Map<String, Operand<TFloat32>> gradients = new LinkedHashMap<>();
    if (trainD) {
      for (int j = 0; j < k; j++) {
        Ops phase = phase(scope, "d" + j, after);
        List<List<Operand<TFloat32>>> updates = new ArrayList<>();
        Op done = discriminatorPhase(phase, keys, j, penaltySet, dLosses, dReals, dFakes, dPenalties, updates);
        after = List.of(done);
        if (j == k - 1) {
          gradients.putAll(summed(phase.withSubScope("gradients"), discriminator, updates));
        }
      }
    }
    Operand<TFloat32> gLoss = null;
    Operand<TFloat32> gFakeScore = null;
    if (trainG) {
      Ops phase = phase(scope, "g", after);
      NetworkLowering.Mode training = new NetworkLowering.Mode(true, true);
      NetworkLowering.Pass gPass = new NetworkLowering.Pass(phase, training, keys, RandomStream.GENERATOR_DROPOUT);
      Operand<TInt32> fakeLabels = labels == null ? null : labels.fake(phase, keys, RandomStream.GENERATOR_LABELS);
      gPass.labeled(fakeLabels);
      Operand<TFloat32> fake = generator.forward(gPass, latent.noise(phase, keys, RandomStream.GENERATOR_NOISE));
      // D in inference BatchNorm mode, with dropout; its layers' dropout streams differ from G's by name
      NetworkLowering.Pass dPass = new NetworkLowering.Pass(phase, new NetworkLowering.Mode(false, true), keys,
          RandomStream.GENERATOR_DROPOUT).labeled(fakeLabels);
      Operand<TFloat32> fakeOutputs = discriminator.forward(dPass,
          augment.apply(phase, keys, RandomStream.augmentGenerator(), fake));
      gLoss = loss.generator(phase, fakeOutputs);
      // what D, after this step's D updates, makes of the very fakes G learns from
      gFakeScore = loss.score(phase, fakeOutputs);
      List<Operand<TFloat32>> gGradients = new ArrayList<>();
      after = List.of(generatorOptimizer.update(graph, gPass, gLoss, gPass.statUpdates, gGradients));
      gradients.putAll(summed(phase.withSubScope("gradients"), generator, List.of(gGradients)));
      if (ema != null) {
        after = List.of(ema.update(phase.withControlDependencies(after), stepCounter));
      }
    }
    Op done = scope.withControlDependencies(after).withName("done").assignAdd(stepCounter, scope.constant(1L));
    // the losses and scores of the global batch: means over replicas (the same values in a single process)
    List<Operand<TFloat32>> reported = generator.replica().reported(scope, average(scope, dLosses), gLoss,
        average(scope, dReals), gFakeScore, average(scope, dFakes), average(scope, dPenalties));
    return new Target(done, reported.get(0), reported.get(1), reported.get(2), reported.get(3),
        reported.get(4), reported.get(5), weightNorm(scope.withControlDependencies(List.of(done))), gradients);
  }

  /**
   * The gradients of a network's updates by variable name: one update's, or the sum of several,
   * per variable, read through an identity op (built under {@code tf}; nothing but a fetch runs
   * them). The gradient ops themselves are never fetched: grappler keeps a fetched op as it is,
   * so fetching one directly would stop automatic mixed precision from converting it and
   * change the update.
   */
  private static Map<String, Operand<TFloat32>> summed(Ops tf, NetworkLowering network,
      List<List<Operand<TFloat32>>> updates) {
    Map<String, Operand<TFloat32>> out = new LinkedHashMap<>();
    List<String> names = network.trainable();
    for (int i = 0; i < names.size(); i++) {
      Operand<TFloat32> sum = null;
      for (List<Operand<TFloat32>> update : updates) {
        sum = sum == null ? update.get(i) : tf.math.add(sum, update.get(i));
      }
      out.put(names.get(i), tf.identity(sum));
    }
    return out;
  }

  private static Ops phase(Ops scope, String name, List<Op> after) {
    return after.isEmpty() ? scope.withSubScope(name) : scope.withSubScope(name).withControlDependencies(after);
  }

  /**
   * D's update {@code j}: on the real and the fake batch, separately or combined. Gradient
   * penalties join the loss of the update they belong to (see {@link PenaltyLowering}); D's
   * reported loss excludes them, the sum of the penalties applied is collected in
   * {@code penaltyValues}; the gradients of each of its updates are added to {@code updates}.
   */
  private Op discriminatorPhase(Ops phase, RandomKeys keys, int j, int penaltySet,
      List<Operand<TFloat32>> losses, List<Operand<TFloat32>> reals, List<Operand<TFloat32>> fakes,
      List<Operand<TFloat32>> penaltyValues, List<List<Operand<TFloat32>>> updates) {
    int b = generator.replica().share(recipe.batchSize());
    Shape image = recipe.gan().imageShape();
    int[] begin = new int[image.rank() + 1];
    begin[0] = j * b;
    Operand<TFloat32> real = phase.slice(realInput, phase.constant(begin),
        phase.constant(toInts(image.withBatch(b))));
    // moving statistics updates of a training-mode pass are collected in gPass and dropped
    NetworkLowering.Mode gMode = recipe.fakeBatches() == FakeBatches.TRAINING_MODE
        ? new NetworkLowering.Mode(true, true) : NetworkLowering.Mode.INFERENCE;
    NetworkLowering.Pass gPass = new NetworkLowering.Pass(phase, gMode, keys,
        RandomStream.discriminatorFakeGeneratorDropout(j));
    Operand<TInt32> realLabels = labels == null ? null : labels.real(phase, j);
    Operand<TInt32> fakeLabels = labels == null ? null
        : labels.fake(phase, keys, RandomStream.discriminatorFakeLabels(j));
    gPass.labeled(fakeLabels);
    Operand<TFloat32> fake = phase.stopGradient(
        generator.forward(gPass, latent.noise(phase, keys, RandomStream.discriminatorFakeNoise(j))));
    // DiffAugment: from here on real and fake are what D sees, also for the gradient penalties
    real = augment.apply(phase, keys, RandomStream.augmentReal(j), real);
    fake = augment.apply(phase, keys, RandomStream.augmentFake(j), fake);
    NetworkLowering.Mode training = new NetworkLowering.Mode(true, true);
    if (recipe.discriminatorUpdate() == DiscriminatorUpdate.COMBINED_BATCH) {
      NetworkLowering.Pass dPass = new NetworkLowering.Pass(phase, training, keys,
          RandomStream.discriminatorRealDropout(j));
      dPass.labeled(labels == null ? null : phase.concat(List.of(realLabels, fakeLabels), phase.constant(0)));
      Operand<TFloat32> logits = discriminator.forward(dPass, phase.concat(List.of(real, fake), phase.constant(0)));
      Operand<TFloat32> realLogits = phase.slice(logits, phase.constant(new int[] {0, 0}), phase.constant(new int[] {b, 1}));
      Operand<TFloat32> fakeLogits = phase.slice(logits, phase.constant(new int[] {b, 0}), phase.constant(new int[] {b, 1}));
      Operand<TFloat32> combined = loss.discriminator(phase,
          loss.discriminatorReal(phase, realLogits), loss.discriminatorFake(phase, fakeLogits));
      losses.add(combined);
      reals.add(loss.score(phase, realLogits));
      fakes.add(loss.score(phase, fakeLogits));
      Operand<TFloat32> penalty = sum(phase, penalties.onRealBatch(phase, penaltySet, real, realLogits),
          penalties.onFakeBatch(phase, penaltySet, discriminator, dPass, keys, j, real, fake, fakeLogits));
      if (penalty != null) {
        penaltyValues.add(penalty);
      }
      return discriminatorOptimizer.update(graph, dPass, sum(phase, combined, penalty), dPass.statUpdates,
          gradientsOf(updates));
    }
    NetworkLowering.Pass realPass = new NetworkLowering.Pass(phase, training, keys,
        RandomStream.discriminatorRealDropout(j)).labeled(realLabels);
    Operand<TFloat32> realLogits = discriminator.forward(realPass, real);
    Operand<TFloat32> realLoss = loss.discriminatorReal(phase, realLogits);
    Operand<TFloat32> realPenalty = penalties.onRealBatch(phase, penaltySet, real, realLogits);
    Op realDone = discriminatorOptimizer.update(graph, realPass, sum(phase, realLoss, realPenalty),
        realPass.statUpdates, gradientsOf(updates));
    Ops second = phase.withControlDependencies(List.of(realDone));
    // the real update moved the spectral norms' u: one move per discriminator update
    NetworkLowering.Pass fakePass = new NetworkLowering.Pass(second, training, keys,
        RandomStream.discriminatorFakeDropout(j)).keepingSpectralNormState().labeled(fakeLabels);
    Operand<TFloat32> fakeLogits = discriminator.forward(fakePass, fake);
    Operand<TFloat32> fakeLoss = loss.discriminatorFake(phase, fakeLogits);
    losses.add(loss.discriminator(phase, realLoss, fakeLoss));
    reals.add(loss.score(phase, realLogits));
    fakes.add(loss.score(phase, fakeLogits));
    Operand<TFloat32> fakePenalty = penalties.onFakeBatch(second, penaltySet, discriminator, fakePass, keys, j, real,
        fake, fakeLogits);
    Operand<TFloat32> penalty = sum(phase, realPenalty, fakePenalty);
    if (penalty != null) {
      penaltyValues.add(penalty);
    }
    return discriminatorOptimizer.update(graph, fakePass, sum(phase, fakeLoss, fakePenalty), fakePass.statUpdates,
        gradientsOf(updates));
  }

  /** A new list for one update's gradients, added to {@code updates}. */
  private static List<Operand<TFloat32>> gradientsOf(List<List<Operand<TFloat32>>> updates) {
    List<Operand<TFloat32>> gradients = new ArrayList<>();
    updates.add(gradients);
    return gradients;
  }

  /** {@code a + b}, where a null operand counts as absent (null if both are). */
  private static Operand<TFloat32> sum(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
    return a == null ? b : b == null ? a : tf.math.add(a, b);
  }

  /** Sum of squares of every weight after the update: not finite as soon as one weight is not. */
  private Operand<TFloat32> weightNorm(Ops checked) {
    Operand<TFloat32> norm = null;
    for (NetworkLowering net : List.of(generator, discriminator)) {
      for (Variable<TFloat32> v : net.variables().values()) {
        Operand<TFloat32> sq = checked.math.square(checked.identity(v));
        Operand<TFloat32> sum = checked.sum(checked.reshape(sq, checked.constant(new int[] {-1})), checked.constant(0));
        norm = norm == null ? sum : checked.math.add(norm, sum);
      }
    }
    return norm;
  }

  private static Operand<TFloat32> average(Ops tf, List<Operand<TFloat32>> xs) {
    if (xs.isEmpty()) {
      return null;
    }
    Operand<TFloat32> sum = xs.get(0);
    for (int i = 1; i < xs.size(); i++) {
      sum = tf.math.add(sum, xs.get(i));
    }
    return xs.size() == 1 ? sum : tf.math.mul(sum, tf.constant(1f / xs.size()));
  }

  private static int[] toInts(long[] dims) {
    int[] out = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      out[i] = (int) dims[i];
    }
    return out;
  }
}
