package io.github.gan4j.examples;

import io.github.gan4j.data.Dataset;
import io.github.gan4j.eval.Evaluation;
import io.github.gan4j.eval.Evaluator;
import io.github.gan4j.eval.Reference;
import io.github.gan4j.layers.Shape;
import io.github.gan4j.train.Checkpoints;
import io.github.gan4j.train.TrainedGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code evaluate}: scores a run's exported generator, or samples in a {@code .npy} file,
 * against the dataset's test split with an {@link Evaluator}: the classifier gan4j trains on
 * the dataset (cached under {@code ~/.gan4j/evaluators}), or a feature model the user gives.
 */
@Command(name = "evaluate", sortOptions = false,
    description = {"Scores samples against the dataset's test split: Frechet distance, KID, precision, recall,",
        "classifier score, class entropy and coverage. Prints a table and one JSON line; with --run also",
        "appends the JSON line to RUN_DIR/evaluations.jsonl."},
    footer = {"%nThe first evaluation of a dataset trains its classifier (Fashion-MNIST: about a minute) and",
        "caches it under ~/.gan4j/evaluators (GAN4J_EVALUATORS_DIR)."})
final class EvaluateCommand implements Callable<Integer> {
  /** The largest --count. */
  static final int MAX_COUNT = 50_000;

  @Option(names = "--run", paramLabel = "RUN_DIR", description = "a training run: its exported generator/ is sampled")
  Path run;

  @Option(names = "--samples", paramLabel = "FILE.npy",
      description = "or: float32 samples (N, H, W, C) in [-1, 1], e.g. from generate or another library")
  Path samples;

  @Option(names = "--dataset", paramLabel = "NAME", converter = OptionTypes.Datasets.class,
      completionCandidates = OptionTypes.Datasets.class,
      description = "the real images (default: the run's; needed with --samples)")
  DataSources.Name dataset;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "where the dataset is (as for train)")
  Path dataDir;

  @Option(names = "--count", paramLabel = "N", defaultValue = "10000", converter = OptionTypes.PositiveInt.class,
      description = "samples drawn from the run's generator (default ${DEFAULT-VALUE})")
  int count;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0", converter = OptionTypes.WholeNumber.class,
      description = "seed of the latent vectors (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--feature-model", paramLabel = "DIR",
      description = {"a SavedModel mapping images to features (e.g. Inception-v3 for standard FID)",
          "instead of gan4j's classifier; needed for unlabelled data"})
  Path featureModel;

  @Option(names = "--feature-output", paramLabel = "NAME", defaultValue = "features",
      description = "the feature model's output holding the features (default ${DEFAULT-VALUE})")
  String featureOutput;

  @Mixin
  Main.HelpOption help;

  private final PrintStream out;

  EvaluateCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws IOException {
    if ((run == null) == (samples == null)) {
      throw new UsageException("give --run RUN_DIR or --samples FILE.npy (one of them)");
    }
    if (count <= Evaluator.NEIGHBOURS || count > MAX_COUNT) {
      throw new UsageException("option --count must be between " + (Evaluator.NEIGHBOURS + 1) + " and " + MAX_COUNT
          + ", got " + count);
    }
    Shape imageSize = null;
    if (run != null) {
      Path generator = run.resolve("generator");
      if (!Files.isRegularFile(generator.resolve("saved_model.pb"))) {
        throw new UsageException(run + " has no exported generator (generator/saved_model.pb); finish the run with"
            + " train --resume first");
      }
      Properties config = new RunDirectory(run).readConfig();
      DataSources.Name recorded = new OptionTypes.Datasets().convert(config.getProperty("dataset", "cifar10"));
      if (dataset != null && dataset != recorded) {
        throw new UsageException("--dataset " + dataset + " differs from the run's " + recorded + "; drop it");
      }
      dataset = recorded;
      if (config.getProperty("image-size") != null) {
        imageSize = new OptionTypes.ImageSize().convert(config.getProperty("image-size"));
      }
    } else if (dataset == null) {
      throw new UsageException("--samples needs --dataset NAME: the real images to compare with");
    }
    Npy.Array given = samples == null ? null : Npy.readFloat32(samples);
    if (given != null && given.shape().length == 4 && dataset == DataSources.Name.FOLDER && imageSize == null) {
      imageSize = Shape.of(given.shape()[1], given.shape()[2], given.shape()[3]);
    }
    Shape shape = DataSources.shapeOf(dataset, imageSize != null ? imageSize
        : new OptionTypes.ImageSize().convert(RunOptions.DEFAULT_IMAGE_SIZE));

    long start = System.nanoTime();
    Dataset test = DataSources.load(dataset, dataDir, shape, out, false, true);
    try (Evaluator evaluator = evaluator(test, shape)) {
      out.println(String.format(Locale.ROOT, "evaluator %s (test accuracy %.2f%%, features: %s)%s", evaluator.id(),
          100 * evaluator.accuracy(), evaluator.featureLayer(), evaluator.cached() ? ", cached" : ""));
      Reference reference = evaluator.reference(test, Math.min(count, test.size()), 0L);
      Evaluation e;
      if (given != null) {
        int[] s = given.shape();
        if (s.length != 4 || s[1] != shape.dim(0) || s[2] != shape.dim(1) || s[3] != shape.dim(2)) {
          throw new UsageException(samples + " holds an array of shape " + java.util.Arrays.toString(s) + "; expected"
              + " (N, " + shape.dim(0) + ", " + shape.dim(1) + ", " + shape.dim(2) + ") for " + dataset);
        }
        e = evaluator.evaluate(reference, given.data());
      } else {
        try (TrainedGenerator g = TrainedGenerator.load(run.resolve("generator"))) {
          if (!g.imageShape().equals(shape)) {
            throw new UsageException(run + "'s generator makes " + g.imageShape() + " images, " + dataset + " has "
                + shape);
          }
          e = evaluator.evaluate(reference, g, count, seed);
        }
      }
      out.print(e.format());
      String json = e.toJson();
      if (run != null) {
        List<Path> checkpoints = Checkpoints.list(run.resolve("checkpoints"));
        String step = checkpoints.isEmpty() ? "null"
            : String.valueOf(Checkpoints.stepOf(checkpoints.get(checkpoints.size() - 1)));
        json = "{\"step\":" + step + "," + json.substring(1);
        Files.writeString(run.resolve("evaluations.jsonl"), json + System.lineSeparator(), StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
      out.println(json);
      out.println(String.format(Locale.ROOT, "evaluated in %.1f s (metrics %.1f s)", (System.nanoTime() - start) / 1e9,
          e.elapsed().toNanos() / 1e9));
    }
    return 0;
  }

  private Evaluator evaluator(Dataset test, Shape shape) throws IOException {
    if (featureModel != null) {
      return Evaluator.fromSavedModel(featureModel, featureOutput);
    }
    if (!test.hasLabels()) {
      throw new UsageException(dataset + " images have no class labels to train gan4j's classifier on; give"
          + " --feature-model DIR (a SavedModel mapping images to features) with --feature-output NAME");
    }
    Dataset train = DataSources.load(dataset, dataDir, shape, out, false, false);
    if (!Files.isDirectory(Evaluator.defaultDirectory())) {
      out.println("training the " + dataset + " classifier for the evaluator (once; cached)");
    }
    return Evaluator.classifier(dataset.toString(), train, test).build();
  }
}
