package io.github.gan4j.recipe;

import io.github.gan4j.Gan;
import io.github.gan4j.sample.Sampler;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a training run is made of, as one plain value: the model, the batch size and
 * seed, the optimizers, the loss, the update procedure, the latent distribution and how the
 * step is executed. Built by {@code Trainer.Builder} (which validates each value as it is
 * set); a recipe holds no native resources and can be compared, logged and checked without
 * loading TensorFlow.
 *
 * @param gan the validated model
 * @param batchSize images per batch, positive
 * @param seed seed of initial weights, noise, data order and dropout
 * @param discriminatorOptimizer D's optimizer
 * @param generatorOptimizer G's optimizer
 * @param loss the adversarial loss
 * @param penalties gradient penalties added to D's loss, at most one of each kind (may be
 *     empty; copied)
 * @param discriminatorUpdate how D learns from a real and a fake batch
 * @param fakeBatches how G runs when making D's fake batch
 * @param discriminatorSteps D updates per G update, in [1, {@value #MAX_DISCRIMINATOR_STEPS}]
 * @param sampler latent distribution (built-ins are generated in-graph, others fed)
 * @param intraOpThreads threads inside one op (0 = TensorFlow's choice: all cores)
 * @param interOpThreads threads running independent ops (0 = TensorFlow's choice)
 * @param precision float32 or oneDNN bfloat16 mixed precision
 * @param xla whether TensorFlow's XLA JIT compiles the graph
 * @param discriminatorSchedule D's learning rate over the steps, a multiplier of its optimizer's rate
 * @param generatorSchedule G's learning rate over the steps, a multiplier of its optimizer's rate
 * @param generatorEma the moving average of G's weights that sample grids, generation and the
 *     export use, if any
 * @param augment the differentiable augmentation of every image D sees in training
 *     ({@link DiffAugment#none()} for none)
 * @param fakeLabels how a conditional GAN's fakes are labelled (ignored by an unconditional GAN)
 */
public record TrainingRecipe(Gan gan, int batchSize, long seed, Optimizer discriminatorOptimizer,
    Optimizer generatorOptimizer, GanLoss loss, List<GradientPenalty> penalties, DiscriminatorUpdate discriminatorUpdate,
    FakeBatches fakeBatches,
    int discriminatorSteps, Sampler sampler, int intraOpThreads, int interOpThreads, Precision precision,
    boolean xla, LearningRateSchedule discriminatorSchedule, LearningRateSchedule generatorSchedule,
    Optional<GeneratorEma> generatorEma, DiffAugment augment, FakeLabels fakeLabels) {

  /** The largest number of discriminator updates per generator update. */
  public static final int MAX_DISCRIMINATOR_STEPS = 31;

  /** Validates every field. */
  public TrainingRecipe {
    Objects.requireNonNull(gan, "gan");
    Objects.requireNonNull(discriminatorOptimizer, "discriminator optimizer");
    Objects.requireNonNull(generatorOptimizer, "generator optimizer");
    Objects.requireNonNull(loss, "loss");
    penalties = checkPenalties(penalties);
    Objects.requireNonNull(discriminatorUpdate, "discriminator update");
    Objects.requireNonNull(fakeBatches, "fake batches mode");
    Objects.requireNonNull(sampler, "sampler");
    Objects.requireNonNull(precision, "precision");
    Objects.requireNonNull(discriminatorSchedule, "discriminator learning-rate schedule");
    Objects.requireNonNull(generatorSchedule, "generator learning-rate schedule");
    Objects.requireNonNull(generatorEma, "generator EMA (Optional.empty() for none)");
    Objects.requireNonNull(augment, "augment (DiffAugment.none() for none)");
    Objects.requireNonNull(fakeLabels, "fake labels");
    checkBatchSize(batchSize);
    checkDiscriminatorSteps(discriminatorSteps);
    checkThreads(intraOpThreads, interOpThreads);
  }

  /**
   * Returns an immutable copy of {@code penalties} after checking that no element is null and
   * no kind (WGAN-GP, R1, R2) appears twice.
   *
   * @throws IllegalArgumentException if a kind appears twice, naming both
   */
  public static List<GradientPenalty> checkPenalties(List<GradientPenalty> penalties) {
    Objects.requireNonNull(penalties, "penalties");
    List<GradientPenalty> copy = List.copyOf(penalties);   // throws on a null element
    for (int i = 0; i < copy.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (copy.get(i).getClass() == copy.get(j).getClass()) {
          throw new IllegalArgumentException("gradient penalty " + copy.get(j).describe() + " and "
              + copy.get(i).describe() + " are of the same kind; give each kind at most once");
        }
      }
    }
    return copy;
  }

  /** Throws unless {@code batchSize} is positive. */
  public static int checkBatchSize(int batchSize) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive, was " + batchSize);
    }
    return batchSize;
  }

  /** Throws unless {@code k} is in [1, {@value #MAX_DISCRIMINATOR_STEPS}]. */
  public static int checkDiscriminatorSteps(int k) {
    if (k < 1 || k > MAX_DISCRIMINATOR_STEPS) {
      throw new IllegalArgumentException("discriminator steps must be in [1, " + MAX_DISCRIMINATOR_STEPS + "], was " + k);
    }
    return k;
  }

  /** Throws if a thread count is negative. */
  public static void checkThreads(int intraOp, int interOp) {
    if (intraOp < 0 || interOp < 0) {
      throw new IllegalArgumentException("thread counts must not be negative, were " + intraOp + ", " + interOp);
    }
  }
}
