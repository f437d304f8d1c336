package io.github.gan4j.examples;

import io.github.gan4j.layers.Initializer;
import io.github.gan4j.layers.Shape;
import io.github.gan4j.recipe.DiffAugment;
import io.github.gan4j.recipe.DiscriminatorUpdate;
import io.github.gan4j.recipe.FakeBatches;
import io.github.gan4j.recipe.GanLoss;
import io.github.gan4j.recipe.GeneratorEma;
import io.github.gan4j.recipe.LearningRateSchedule;
import io.github.gan4j.recipe.Precision;
import io.github.gan4j.recipe.TrainingRecipe;
import picocli.CommandLine.Option;

/**
 * The options that define a training run, as picocli parses them: from {@code train}'s
 * command line, and from a run's {@code config.properties} on {@code --resume} (the same
 * options and converters, see {@link RunConfig#read}). {@link #config()} checks how they go
 * together and gives the run's {@link RunConfig}.
 *
 * <p>A new training option is a field here, a component of {@link RunConfig} with its line in
 * {@link RunConfig#values()}, and its use in {@link RunConfig#trainer}.
 */
final class RunOptions {
  static final String DEFAULT_IMAGE_SIZE = "32x32x3";

  @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "cifar10", converter = OptionTypes.Datasets.class,
      completionCandidates = OptionTypes.Datasets.class, description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
  DataSources.Name dataset;

  @Option(names = "--image-size", paramLabel = "HxWxC", converter = OptionTypes.ImageSize.class,
      description = "image shape for --dataset folder (default " + DEFAULT_IMAGE_SIZE + ")")
  Shape imageSize;

  @Option(names = "--model", paramLabel = "MODEL", defaultValue = DataSources.DCGAN, converter = OptionTypes.Models.class,
      completionCandidates = OptionTypes.Models.class, description = {"${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE});"
          + " sngan-resnet is SNGAN's", "ResNet (sizes divisible by 8) and implies --preset sngan"})
  String model;

  @Option(names = "--batch-size", paramLabel = "B", defaultValue = "32", converter = OptionTypes.PositiveInt.class,
      description = "images per batch (default ${DEFAULT-VALUE})")
  int batchSize;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0", converter = OptionTypes.WholeNumber.class,
      description = "seed of the weights, the batches and the latent vectors (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--lr", paramLabel = "LR", defaultValue = "0.001", converter = OptionTypes.PositiveFloat.class,
      description = "Adam learning rate of both networks (default ${DEFAULT-VALUE})")
  float lr;

  @Option(names = "--d-lr", paramLabel = "LR", converter = OptionTypes.PositiveFloat.class,
      description = "the discriminator's learning rate (default --lr)")
  Float dLr;

  @Option(names = "--g-lr", paramLabel = "LR", converter = OptionTypes.PositiveFloat.class,
      description = "the generator's learning rate (default --lr)")
  Float gLr;

  @Option(names = "--beta1", paramLabel = "B", defaultValue = "0.9", converter = OptionTypes.UnitFloat.class,
      description = "Adam beta1 (default ${DEFAULT-VALUE}; 0.5 is the DCGAN paper's)")
  float beta1;

  @Option(names = "--beta2", paramLabel = "B", defaultValue = "0.999", converter = OptionTypes.UnitFloat.class,
      description = "Adam beta2 (default ${DEFAULT-VALUE}; WGAN-GP uses 0.9)")
  float beta2;

  @Option(names = "--loss", paramLabel = "LOSS", defaultValue = "non-saturating", converter = OptionTypes.Losses.class,
      completionCandidates = OptionTypes.Losses.class,
      description = {"${COMPLETION-CANDIDATES}", "(default ${DEFAULT-VALUE})"})
  GanLoss loss;

  @Option(names = "--label-smoothing", paramLabel = "S", defaultValue = "0", converter = OptionTypes.UnitFloat.class,
      description = {"one-sided: D's target on real images is 1 - S", "(cross-entropy losses; e.g. 0.1)"})
  float labelSmoothing;

  @Option(names = "--gp", paramLabel = "LAMBDA", converter = OptionTypes.PositiveFloat.class,
      description = {"WGAN-GP gradient penalty (10 is usual;", "D without ReLU, tanh, sigmoid or BatchNorm)"})
  Float gp;

  @Option(names = "--r1", paramLabel = "GAMMA", converter = OptionTypes.PositiveFloat.class,
      description = "R1 penalty on real images")
  Float r1;

  @Option(names = "--r2", paramLabel = "GAMMA", converter = OptionTypes.PositiveFloat.class,
      description = "R2 penalty on fakes")
  Float r2;

  @Option(names = "--penalty-every", paramLabel = "N", defaultValue = "1", converter = OptionTypes.PositiveInt.class,
      description = "lazy penalties: every N steps, scaled by N (default ${DEFAULT-VALUE})")
  int penaltyEvery;

  @Option(names = "--lr-schedule", paramLabel = "S", defaultValue = "constant", converter = OptionTypes.Schedule.class,
      description = {"constant (default), linear:STEPS[:FLOOR], cosine:STEPS[:FLOOR],",
          "step:EVERY:FACTOR, each optionally followed by ,warmup:STEPS"})
  LearningRateSchedule lrSchedule;

  @Option(names = "--init", paramLabel = "I", defaultValue = "glorot", converter = OptionTypes.Init.class,
      description = {"kernel initializer: glorot (default), he or normal:STD",
          "(the DCGAN paper's is normal:0.02)"})
  Initializer init;

  @Option(names = "--clip-weights", paramLabel = "C", converter = OptionTypes.PositiveFloat.class,
      description = "clip D's weights to [-C, C] after each update (the original WGAN)")
  Float clipWeights;

  @Option(names = "--d-update", paramLabel = "UPDATE", defaultValue = "separate",
      converter = OptionTypes.DiscriminatorUpdates.class, completionCandidates = OptionTypes.DiscriminatorUpdates.class,
      description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}: real, then fake)")
  DiscriminatorUpdate dUpdate;

  @Option(names = "--d-steps", paramLabel = "K", defaultValue = "1", converter = OptionTypes.PositiveInt.class,
      description = "discriminator updates per generator update (default ${DEFAULT-VALUE}, at most "
          + TrainingRecipe.MAX_DISCRIMINATOR_STEPS + ")")
  int dSteps;

  @Option(names = "--fake-batches", paramLabel = "MODE", defaultValue = "inference",
      converter = OptionTypes.FakeBatchModes.class, completionCandidates = OptionTypes.FakeBatchModes.class,
      description = {"generator BatchNorm mode for D's fakes: ${COMPLETION-CANDIDATES}",
          "(default ${DEFAULT-VALUE})"})
  FakeBatches fakeBatches;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "0", converter = OptionTypes.NonNegativeInt.class,
      description = "TensorFlow intra-op threads (default ${DEFAULT-VALUE}: all cores)")
  int threads;

  @Option(names = "--precision", paramLabel = "P", defaultValue = "fp32", converter = OptionTypes.Precisions.class,
      completionCandidates = OptionTypes.Precisions.class,
      description = {"${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}); bf16: oneDNN bfloat16 mixed",
          "precision, faster on AVX512_BF16 CPUs; elsewhere float32 with a",
          "warning (config.properties records precision.in-effect)"})
  Precision precision;

  @Option(names = "--ema", paramLabel = "DECAY[:START]", converter = OptionTypes.Ema.class,
      description = {"keep a moving average of G's weights (e.g. 0.999; from step START)",
          "for samples, the export and evaluation"})
  GeneratorEma ema;

  @Option(names = "--spectral-norm", paramLabel = "NETWORKS", defaultValue = "none",
      converter = OptionTypes.SpectralNorms.class, completionCandidates = OptionTypes.SpectralNorms.class,
      description = {"spectral normalization of every dense and convolution layer",
          "of: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})"})
  SpectralNormTarget spectralNorm;

  @Option(names = "--augment", paramLabel = "POLICIES", defaultValue = "none", converter = OptionTypes.Augment.class,
      description = {"DiffAugment of every image D sees in training: color, translation,",
          "cutout, comma-separated (e.g. color,translation,cutout), or none (default)"})
  DiffAugment augment;

  @Option(names = "--conditional", paramLabel = "WAYS", arity = "0..1", fallbackValue = "embedding,projection",
      converter = OptionTypes.Conditionals.class,
      description = {"a conditional GAN on the dataset's class labels; WAYS: embedding (default)",
          "or cbn for G, projection (default) or maps for D, e.g. cbn,maps"})
  OptionTypes.Conditional conditional;

  /**
   * The run's configuration: {@code --d-lr} and {@code --g-lr} default to {@code --lr}, a
   * folder's image size to {@value #DEFAULT_IMAGE_SIZE}.
   *
   * @throws UsageException for options that do not go together
   */
  RunConfig config() {
    boolean crossEntropy = loss instanceof GanLoss.CrossEntropy;
    if (labelSmoothing > 0 && !crossEntropy) {
      throw new UsageException("--label-smoothing applies to the cross-entropy losses (non-saturating, minimax),"
          + " not to --loss " + new OptionTypes.Losses().name(loss));
    }
    if (penaltyEvery != 1 && gp == null && r1 == null && r2 == null) {
      throw new UsageException("--penalty-every needs a penalty: --gp, --r1 or --r2");
    }
    if (dSteps > TrainingRecipe.MAX_DISCRIMINATOR_STEPS) {
      throw new UsageException("option --d-steps must be at most " + TrainingRecipe.MAX_DISCRIMINATOR_STEPS + ", got "
          + dSteps);
    }
    if (dataset != DataSources.Name.FOLDER && imageSize != null) {
      throw new UsageException("--image-size is only for --dataset folder; " + dataset + " has a fixed shape");
    }
    Shape shape = DataSources.shapeOf(dataset,
        imageSize != null ? imageSize : new OptionTypes.ImageSize().convert(DEFAULT_IMAGE_SIZE));
    if (model.equals(DataSources.SNGAN_RESNET)) {
      // refuses a size, --init or --conditional it cannot take, before any work
      DataSources.model(model, dataset, shape, init, conditional);
    }
    return new RunConfig(dataset, shape, model, batchSize, seed, dLr != null ? dLr : lr, gLr != null ? gLr : lr,
        beta1, beta2, loss, labelSmoothing, gp, r1, r2, penaltyEvery, lrSchedule, init, clipWeights, dUpdate, dSteps,
        fakeBatches, threads, precision, ema, spectralNorm, augment, conditional);
  }
}
