package io.github.gan4j.examples;

import io.github.gan4j.Gan;
import io.github.gan4j.layers.Initializer;
import io.github.gan4j.layers.Shape;
import io.github.gan4j.recipe.Adam;
import io.github.gan4j.recipe.DiffAugment;
import io.github.gan4j.recipe.DiscriminatorUpdate;
import io.github.gan4j.recipe.FakeBatches;
import io.github.gan4j.recipe.GanLoss;
import io.github.gan4j.recipe.GeneratorEma;
import io.github.gan4j.recipe.GradientPenalty;
import io.github.gan4j.recipe.LearningRateSchedule;
import io.github.gan4j.recipe.Optimizer;
import io.github.gan4j.recipe.Precision;
import io.github.gan4j.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The configuration of a training run, typed: what {@link RunOptions} parsed from the command
 * line, or from the run's {@code config.properties} on {@code --resume}. {@link #values()} is
 * what {@code config.properties} records, in the options' own syntax, so that {@link #read}
 * parses it back with the same converters; {@link #trainer} turns it into a
 * {@link Trainer.Builder}.
 *
 * @param dataset the dataset
 * @param imageShape the images' shape: the dataset's, or {@code --image-size} for a folder
 * @param model the reference model ({@code --model}: dcgan or sngan-resnet)
 * @param gp WGAN-GP's lambda, or null for none (as {@code r1}, {@code r2}, {@code clipWeights})
 * @param ema the generator's moving average, or null for none
 * @param spectralNorm the networks of the reference model with spectral normalization
 * @param augment DiffAugment of D's inputs in training ({@link DiffAugment#none()} for none)
 * @param conditional how a conditional GAN takes the dataset's labels ({@code --conditional}), or
 *     null for an unconditional GAN
 */
record RunConfig(DataSources.Name dataset, Shape imageShape, String model, int batchSize, long seed, float dLr,
    float gLr, float beta1, float beta2, GanLoss loss, float labelSmoothing, Float gp, Float r1, Float r2,
    int penaltyEvery, LearningRateSchedule lrSchedule, Initializer init, Float clipWeights, DiscriminatorUpdate dUpdate,
    int dSteps,
    FakeBatches fakeBatches, int threads, Precision precision, GeneratorEma ema, SpectralNormTarget spectralNorm,
    DiffAugment augment, OptionTypes.Conditional conditional) {
  /**
   * The key of the precision a run's trainer actually ran in ({@code fp32} or {@code bf16}),
   * which can differ from {@code precision} on a CPU without bfloat16 instructions; written
   * by {@link TrainCommand} at each start of training, not an option.
   */
  static final String PRECISION_IN_EFFECT = "precision.in-effect";

  /**
   * The configuration as {@code config.properties} records it: option name (without
   * {@code --}) to value as the option takes it; options that are off (no penalty, no
   * clipping) and a fixed image size are left out.
   */
  Map<String, String> values() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("dataset", dataset.toString());
    if (dataset == DataSources.Name.FOLDER) {
      v.put("image-size", OptionTypes.imageSize(imageShape));
    }
    v.put("model", model);
    v.put("batch-size", String.valueOf(batchSize));
    v.put("seed", String.valueOf(seed));
    v.put("d-lr", String.valueOf(dLr));
    v.put("g-lr", String.valueOf(gLr));
    v.put("beta1", String.valueOf(beta1));
    v.put("beta2", String.valueOf(beta2));
    v.put("loss", new OptionTypes.Losses().name(loss));
    v.put("label-smoothing", String.valueOf(labelSmoothing));
    putIfOn(v, "gp", gp);
    putIfOn(v, "r1", r1);
    putIfOn(v, "r2", r2);
    v.put("penalty-every", String.valueOf(penaltyEvery));
    v.put("lr-schedule", OptionTypes.schedule(lrSchedule));
    v.put("init", OptionTypes.initializer(init));
    putIfOn(v, "clip-weights", clipWeights);
    v.put("d-update", new OptionTypes.DiscriminatorUpdates().name(dUpdate));
    v.put("d-steps", String.valueOf(dSteps));
    v.put("fake-batches", new OptionTypes.FakeBatchModes().name(fakeBatches));
    v.put("threads", String.valueOf(threads));
    v.put("precision", new OptionTypes.Precisions().name(precision));
    if (ema != null) {
      v.put("ema", OptionTypes.ema(ema));
    }
    v.put("spectral-norm", new OptionTypes.SpectralNorms().name(spectralNorm));
    if (augment.isOn()) {
      v.put("augment", augment.id());
    }
    if (conditional != null) {
      v.put("conditional", OptionTypes.conditional(conditional));
    }
    return v;
  }

  private static void putIfOn(Map<String, String> v, String key, Float value) {
    if (value != null) {
      v.put(key, String.valueOf(value));
    }
  }

  /** {@link #values()} as properties, for {@link RunDirectory#writeConfig}. */
  Properties toProperties() {
    Properties p = new Properties();
    values().forEach(p::setProperty);
    return p;
  }

  /**
   * The configuration that {@code saved} records, parsed as the command line is, by
   * {@link RunOptions}: each key that names an option is given as {@code --KEY=VALUE}; other
   * keys (the total steps, the model's fingerprint) are not options and are skipped. Options
   * that a run recorded before they existed take their defaults, which are what the run used.
   *
   * @param file where {@code saved} was read from, for the message
   * @throws IllegalStateException naming the file and the value, if a value does not parse
   */
  static RunConfig read(Properties saved, Path file) {
    RunOptions options = new RunOptions();
    CommandLine parser = new CommandLine(options).setExpandAtFiles(false);
    List<String> args = new ArrayList<>();
    for (String key : saved.stringPropertyNames()) {
      if (!key.equals("lr") && parser.getCommandSpec().findOption("--" + key) != null) {
        args.add("--" + key + "=" + saved.getProperty(key));
      }
    }
    try {
      parser.parseArgs(args.toArray(String[]::new));
      return options.config();
    } catch (ParameterException e) {
      throw new IllegalStateException(file + " is damaged: " + Main.message(e, args));
    } catch (UsageException e) {
      throw new IllegalStateException(file + " is damaged: " + e.getMessage());
    }
  }

  /** This configuration with other learning rates (after a rollback). */
  RunConfig withLearningRates(float d, float g) {
    return new RunConfig(dataset, imageShape, model, batchSize, seed, d, g, beta1, beta2, loss, labelSmoothing, gp, r1,
        r2, penaltyEvery, lrSchedule, init, clipWeights, dUpdate, dSteps, fakeBatches, threads, precision, ema,
        spectralNorm, augment, conditional);
  }

  /** The model this run trains, for its image shape. */
  Gan gan() {
    return DataSources.model(model, dataset, imageShape, init, conditional);
  }

  /** A trainer builder for {@code gan} configured as this says. */
  Trainer.Builder trainer(Gan gan) {
    Adam d = Optimizer.adam().learningRate(dLr).beta1(beta1).beta2(beta2);
    if (clipWeights != null) {
      d = d.clipWeights(clipWeights);
    }
    Trainer.Builder builder = Trainer.of(gan)
        .batchSize(batchSize)
        .seed(seed)
        .discriminatorOptimizer(d)
        .generatorOptimizer(Optimizer.adam().learningRate(gLr).beta1(beta1).beta2(beta2))
        .loss(smoothedLoss())
        .penalties(penalties())
        .learningRateSchedule(lrSchedule)
        .discriminatorUpdate(dUpdate)
        .discriminatorSteps(dSteps)
        .fakeBatches(fakeBatches)
        .threads(threads, 0)
        .precision(precision)
        .augment(augment);
    if (ema != null) {
      builder.generatorEma(ema.decay(), ema.startStep());
    }
    return builder;
  }

  private GanLoss smoothedLoss() {
    if (labelSmoothing == 0f) {
      return loss;
    }
    return loss instanceof GanLoss.Minimax m ? m.realLabel(1f - labelSmoothing)
        : ((GanLoss.NonSaturating) loss).realLabel(1f - labelSmoothing);
  }

  private List<GradientPenalty> penalties() {
    List<GradientPenalty> penalties = new ArrayList<>();
    if (gp != null) {
      penalties.add(GradientPenalty.wganGp(gp).every(penaltyEvery));
    }
    if (r1 != null) {
      penalties.add(GradientPenalty.r1(r1).every(penaltyEvery));
    }
    if (r2 != null) {
      penalties.add(GradientPenalty.r2(r2).every(penaltyEvery));
    }
    return penalties;
  }
}
