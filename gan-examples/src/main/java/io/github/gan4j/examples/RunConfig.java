package io.github.gan4j.examples;

import io.github.gan4j.Gan;
import io.github.gan4j.recipe.DiscriminatorUpdate;
import io.github.gan4j.recipe.FakeBatches;
import io.github.gan4j.layers.Initializer;
import io.github.gan4j.recipe.Adam;
import io.github.gan4j.recipe.GanLoss;
import io.github.gan4j.recipe.GradientPenalty;
import io.github.gan4j.recipe.LearningRateSchedule;
import io.github.gan4j.recipe.Optimizer;
import io.github.gan4j.recipe.Precision;
import io.github.gan4j.recipe.TrainingRecipe;
import io.github.gan4j.train.Trainer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The options that define a training run, in one place: {@link #fromArgs} turns the command
 * line into the run's configuration (the keys of {@code config.properties}), checked against
 * the saved one on {@code --resume}; {@link #trainer} turns a configuration into a
 * {@link Trainer.Builder}. A new training option is a line in each, plus its usage line and
 * its name in {@link TrainCommand#VALUED}.
 */
final class RunConfig {
  /**
   * The key of the precision a run's trainer actually ran in ({@code fp32} or {@code bf16}),
   * which can differ from {@code precision} on a CPU without bfloat16 instructions; written
   * by {@link TrainCommand} at each start of training, not an option.
   */
  static final String PRECISION_IN_EFFECT = "precision.in-effect";

  private RunConfig() {}

  /**
   * The run-defining options given on the command line, with their defaults, as config
   * values. On {@code --resume} of a run with a saved configuration, the saved values; an
   * option given explicitly with another value is refused.
   */
  static Map<String, String> fromArgs(Args args, String dataset, RunDirectory run) throws IOException {
    Map<String, String> given = new LinkedHashMap<>();
    given.put("dataset", dataset);
    given.put("image-size", args.string("image-size", dataset.equals("folder") ? "32x32x3" : null));
    given.put("batch-size", String.valueOf(args.positiveInt("batch-size", 32)));
    given.put("seed", String.valueOf(args.anyLong("seed", 0)));
    float lr = args.positiveFloat("lr", 0.001f);
    given.put("d-lr", String.valueOf(args.positiveFloat("d-lr", lr)));
    given.put("g-lr", String.valueOf(args.positiveFloat("g-lr", lr)));
    given.put("beta1", String.valueOf(args.unitFloat("beta1", 0.9f)));
    given.put("beta2", String.valueOf(args.unitFloat("beta2", 0.999f)));
    given.put("loss", args.choice("loss", "non-saturating",
        List.of("non-saturating", "minimax", "lsgan", "hinge", "wasserstein")));
    float smoothing = args.unitFloat("label-smoothing", 0f);
    if (smoothing > 0 && !List.of("non-saturating", "minimax").contains(given.get("loss"))) {
      throw new UsageException("--label-smoothing applies to the cross-entropy losses (non-saturating, minimax),"
          + " not to --loss " + given.get("loss"));
    }
    given.put("label-smoothing", String.valueOf(smoothing));
    given.put("gp", args.has("gp") ? String.valueOf(args.positiveFloat("gp", 10f)) : null);
    given.put("r1", args.has("r1") ? String.valueOf(args.positiveFloat("r1", 1f)) : null);
    given.put("r2", args.has("r2") ? String.valueOf(args.positiveFloat("r2", 1f)) : null);
    given.put("penalty-every", String.valueOf(args.positiveInt("penalty-every", 1)));
    if (args.has("penalty-every") && !args.has("gp") && !args.has("r1") && !args.has("r2")) {
      throw new UsageException("--penalty-every needs a penalty: --gp, --r1 or --r2");
    }
    given.put("lr-schedule", args.string("lr-schedule", "constant"));
    given.put("init", args.string("init", "glorot"));
    given.put("clip-weights", args.has("clip-weights") ? String.valueOf(args.positiveFloat("clip-weights", 0.01f))
        : null);
    // parse now, so a mistake is a usage error before anything loads
    schedule(given);
    initializer(given);
    given.put("d-update", args.choice("d-update", "separate", List.of("separate", "combined")));
    int dSteps = args.positiveInt("d-steps", 1);
    if (dSteps > TrainingRecipe.MAX_DISCRIMINATOR_STEPS) {
      throw new UsageException("option --d-steps must be at most " + TrainingRecipe.MAX_DISCRIMINATOR_STEPS + ", got "
          + dSteps);
    }
    given.put("d-steps", String.valueOf(dSteps));
    given.put("fake-batches", args.choice("fake-batches", "inference", List.of("inference", "training")));
    given.put("threads", String.valueOf(args.anyLong("threads", 0)));
    given.put("precision", args.choice("precision", "fp32", List.of("fp32", "bf16")));
    if (Long.parseLong(given.get("threads")) < 0) {
      throw new UsageException("option --threads must not be negative");
    }
    if (dataset.equals("folder")) {
      DataSources.parseSize(given.get("image-size"));
    } else if (args.has("image-size")) {
      throw new UsageException("--image-size is only for --dataset folder; " + dataset + " has a fixed shape");
    }
    if (!args.flag("resume") || !run.hasConfig()) {
      given.values().removeIf(v -> v == null);
      return given;
    }
    Properties saved = run.readConfig();
    Map<String, String> config = new LinkedHashMap<>();
    for (String key : given.keySet()) {
      String was = saved.getProperty(key);
      boolean explicit = args.has(key) || key.endsWith("-lr") && args.has("lr");
      if (explicit && given.get(key) != null && was == null) {
        throw new UsageException("--" + key + " was not part of this run (" + run.root().resolve(RunDirectory.CONFIG)
            + "); drop it to resume, or start a new run with another --out");
      }
      if (explicit && given.get(key) != null && was != null && !given.get(key).equals(was)) {
        throw new UsageException("--" + key + " " + given.get(key) + " differs from this run's " + was + " ("
            + run.root().resolve(RunDirectory.CONFIG) + "); drop it to resume, or start a new run with another --out");
      }
      if (was != null) {
        config.put(key, was);
      }
    }
    return config;
  }

  /** A trainer builder for {@code gan} configured as {@code c} says. */
  static Trainer.Builder trainer(Gan gan, Map<String, String> c) {
    float beta1 = Float.parseFloat(c.get("beta1"));
    float beta2 = Float.parseFloat(c.getOrDefault("beta2", "0.999"));
    Adam d = Optimizer.adam().learningRate(Float.parseFloat(c.get("d-lr"))).beta1(beta1).beta2(beta2);
    if (c.get("clip-weights") != null) {
      d = d.clipWeights(Float.parseFloat(c.get("clip-weights")));
    }
    return Trainer.of(gan)
        .batchSize(Integer.parseInt(c.get("batch-size")))
        .seed(Long.parseLong(c.get("seed")))
        .discriminatorOptimizer(d)
        .generatorOptimizer(Optimizer.adam().learningRate(Float.parseFloat(c.get("g-lr"))).beta1(beta1).beta2(beta2))
        .loss(loss(c))
        .penalties(penalties(c))
        .learningRateSchedule(schedule(c))
        .discriminatorUpdate(c.get("d-update").equals("combined")
            ? DiscriminatorUpdate.COMBINED_BATCH : DiscriminatorUpdate.SEPARATE_BATCHES)
        .discriminatorSteps(Integer.parseInt(c.get("d-steps")))
        .fakeBatches(c.get("fake-batches").equals("training") ? FakeBatches.TRAINING_MODE : FakeBatches.INFERENCE_MODE)
        .threads(Integer.parseInt(c.get("threads")), 0)
        .precision("bf16".equals(c.get("precision")) ? Precision.MIXED_BFLOAT16 : Precision.FLOAT32);
  }

  private static GanLoss loss(Map<String, String> c) {
    GanLoss loss = GanLoss.parse(c.get("loss"));
    float smoothing = Float.parseFloat(c.getOrDefault("label-smoothing", "0"));
    if (smoothing == 0f) {
      return loss;
    }
    return loss instanceof GanLoss.Minimax m ? m.realLabel(1f - smoothing)
        : ((GanLoss.NonSaturating) loss).realLabel(1f - smoothing);
  }

  private static List<GradientPenalty> penalties(Map<String, String> c) {
    int every = Integer.parseInt(c.getOrDefault("penalty-every", "1"));
    List<GradientPenalty> penalties = new ArrayList<>();
    if (c.get("gp") != null) {
      penalties.add(GradientPenalty.wganGp(Float.parseFloat(c.get("gp"))).every(every));
    }
    if (c.get("r1") != null) {
      penalties.add(GradientPenalty.r1(Float.parseFloat(c.get("r1"))).every(every));
    }
    if (c.get("r2") != null) {
      penalties.add(GradientPenalty.r2(Float.parseFloat(c.get("r2"))).every(every));
    }
    return penalties;
  }

  /** The learning-rate schedule of the configuration ({@code --lr-schedule}). */
  static LearningRateSchedule schedule(Map<String, String> c) {
    try {
      return LearningRateSchedule.parse(c.getOrDefault("lr-schedule", "constant"));
    } catch (IllegalArgumentException e) {
      throw new UsageException("option --lr-schedule: " + e.getMessage());
    }
  }

  /**
   * The weight initializer of every kernel of the default model ({@code --init}):
   * {@code glorot} (Keras's default), {@code normal:STD} (the DCGAN paper's is normal:0.02) or
   * {@code he} (He normal).
   */
  static Initializer initializer(Map<String, String> c) {
    String init = c.getOrDefault("init", "glorot");
    if (init.equals("glorot")) {
      return Initializer.glorotUniform();
    } else if (init.equals("he")) {
      return Initializer.heNormal();
    } else if (init.startsWith("normal:")) {
      try {
        return Initializer.normal(Float.parseFloat(init.substring("normal:".length())));
      } catch (IllegalArgumentException e) {
        throw new UsageException("option --init normal:STD needs a positive standard deviation, e.g. normal:0.02,"
            + " got '" + init + "'");
      }
    }
    throw new UsageException("option --init must be glorot, he or normal:STD (e.g. normal:0.02), got '" + init + "'");
  }

  /** {@code config} as properties, for {@link RunDirectory#writeConfig}. */
  static Properties toProperties(Map<String, String> config) {
    Properties p = new Properties();
    config.forEach(p::setProperty);
    return p;
  }
}
