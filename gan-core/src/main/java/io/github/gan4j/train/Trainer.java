package io.github.gan4j.train;

import io.github.gan4j.Gan;
import io.github.gan4j.data.BatchSchedule;
import io.github.gan4j.data.Dataset;
import io.github.gan4j.layers.Shape;
import io.github.gan4j.sample.Sampler;
import io.github.gan4j.recipe.ClusterSpec;
import io.github.gan4j.recipe.DiffAugment;
import io.github.gan4j.recipe.DiscriminatorUpdate;
import io.github.gan4j.recipe.FakeBatches;
import io.github.gan4j.recipe.FakeLabels;
import io.github.gan4j.extension.CustomLoss;
import io.github.gan4j.recipe.GanLoss;
import io.github.gan4j.recipe.GeneratorEma;
import io.github.gan4j.recipe.GradientPenalty;
import io.github.gan4j.recipe.LearningRateSchedule;
import io.github.gan4j.recipe.Optimizer;
import io.github.gan4j.recipe.Precision;
import io.github.gan4j.recipe.PrecisionInEffect;
import io.github.gan4j.recipe.RandomStream;
import io.github.gan4j.recipe.TrainingRecipe;
import io.github.gan4j.tf.StepResult;
import io.github.gan4j.tf.TrainingGraph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

/**
 * Trains a {@link Gan} with the frozen-discriminator procedure on a TensorFlow graph:
 * each step the discriminator learns to tell real from fake under the configured
 * {@link GanLoss} (by default the reference's cross-entropy, real = 1 and fake = 0), then the
 * generator learns through the discriminator while the discriminator's weights and optimizer
 * state stay untouched. One {@code Session.run} per step; the latent noise is made in-graph.
 *
 * <pre>{@code
 * try (Trainer trainer = Trainer.of(gan).batchSize(32).seed(42).build()) {
 *   trainer.fit(dataset, Steps.of(10_000), Listeners.sampleGrid(out, 1_000));
 *   trainer.exportGenerator(out.resolve("generator"));
 * }
 * }</pre>
 *
 * <p>The same seed, dataset and configuration give bit-identical results on the same machine
 * and thread configuration, also across {@link #save}/{@link #restore}: the batch order and
 * the noise are functions of the seed and the step counter, which is checkpointed.
 *
 * <p>A trainer owns native memory: close it. It is not thread-safe, except
 * {@link #requestStop()}.
 */
public final class Trainer implements AutoCloseable {
  /** Name of the manifest file in a checkpoint directory. */
  public static final String MANIFEST = CheckpointFormat.MANIFEST;
  /** Steps after a build or restore whose real images are checked value by value. */
  static final int FULLY_CHECKED_STEPS = 10;

  private final Gan gan;
  private static final System.Logger LOG = System.getLogger("io.github.gan4j");
  private static final java.util.concurrent.atomic.AtomicBoolean PRECISION_WARNED =
      new java.util.concurrent.atomic.AtomicBoolean();

  private final TrainingRecipe recipe;
  private final PrecisionInEffect precisionInEffect;
  private final TrainingGraph graph;
  private final float[] realBuffer;
  private final float[] noiseBuffer;
  private final int[] indexBuffer;
  /** A conditional GAN's real labels of the step ({@code k * share}) and log class frequencies, else null. */
  private final int[] labelBuffer;
  private final float[] logFrequencies;
  private final ClusterGuard cluster;
  /** The rows of every global batch this process computes: all of them, or its share in a cluster. */
  private final int share;
  private boolean clusterMet;
  private final Set<String> firstRuns = new HashSet<>();
  private BatchSchedule schedule;
  private Dataset scheduled;
  private int fullyCheckedStepsLeft = FULLY_CHECKED_STEPS;
  private volatile boolean stopRequested;
  private volatile Thread fitThread;
  private boolean stopByListener;
  private boolean fitFailed;
  private long trainingNanos;
  /** Run before {@link #save} writes anything: listeners that must be durable with every checkpoint (TensorBoard). */
  private final List<Runnable> beforeSave = new ArrayList<>();
  /** Steps (numbered as {@link StepMetrics#step()}) whose gradients listeners want. */
  private final List<LongPredicate> gradientRequests = new ArrayList<>();
  private StepMetrics lastMetrics;
  private Map<String, float[]> lastGradients = Map.of();

  private Trainer(TrainingRecipe recipe, ClusterSpec cluster) {
    this.gan = recipe.gan();
    this.recipe = recipe;
    this.precisionInEffect = recipe.precision() == Precision.FLOAT32
        ? PrecisionInEffect.decide(Precision.FLOAT32, List.of(), false)
        : CpuKernels.current().precisionInEffect(recipe.precision());
    precisionInEffect.warning().filter(w -> !PRECISION_WARNED.getAndSet(true))
        .ifPresent(w -> LOG.log(System.Logger.Level.WARNING, w));
    this.cluster = cluster == null ? null : new ClusterGuard(cluster);
    this.share = cluster == null ? recipe.batchSize() : cluster.shareOf(recipe.batchSize());
    this.graph = new TrainingGraph(recipe, precisionInEffect.precision(), cluster);
    int k = recipe.discriminatorSteps();
    this.realBuffer = new float[Math.toIntExact((long) k * share * gan.imageShape().size())];
    this.noiseBuffer = graph.feedsNoise()
        ? new float[graph.fedNoiseStreams().size() * share * gan.latentDim()] : null;
    this.indexBuffer = new int[recipe.batchSize()];
    this.labelBuffer = gan.conditioning().isPresent() ? new int[k * share] : null;
    this.logFrequencies = gan.conditioning().isPresent() && recipe.fakeLabels() == FakeLabels.DATASET_FREQUENCIES
        ? new float[gan.numClasses()] : null;
    graph.labelInputs(labelBuffer, logFrequencies);
  }

  /** Starts configuring a trainer for {@code gan}. */
  public static Builder of(Gan gan) {
    return new Builder(Objects.requireNonNull(gan, "gan"));
  }

  /** Everything this trainer was configured with. */
  public TrainingRecipe recipe() {
    return recipe;
  }

  /**
   * The precision the training step actually runs in, decided when the trainer was built:
   * {@link TrainingRecipe#precision()}, or {@link Precision#FLOAT32} with the reason where
   * {@link Precision#MIXED_BFLOAT16} cannot take effect (no AVX512_BF16/AMX_BF16, or oneDNN
   * off; see {@link CpuKernels#precisionInEffect}). A fallback is also logged once per process
   * as one warning line ({@code System.Logger} {@code io.github.gan4j}).
   */
  public PrecisionInEffect precisionInEffect() {
    return precisionInEffect;
  }

  /**
   * The cluster this trainer is one worker of ({@link Builder#cluster}), or empty for a single
   * process.
   */
  public Optional<ClusterSpec> cluster() {
    return Optional.ofNullable(cluster).map(ClusterGuard::cluster);
  }

  /**
   * Whether this trainer writes the run's files: true for a single process and for worker 0 of a
   * cluster. {@link Listeners#checkpoints} and {@link Listeners#sampleGrid} write nothing on the
   * other workers (their weights are the chief's, bit for bit).
   */
  public boolean isChief() {
    return cluster == null || cluster.cluster().isChief();
  }

  /** The model being trained. */
  public Gan gan() {
    return gan;
  }

  /** Images per batch. */
  public int batchSize() {
    return recipe.batchSize();
  }

  /** The seed of weights, noise, data order and dropout. */
  public long seed() {
    return recipe.seed();
  }

  /**
   * How many steps have run so far, counting half steps and the steps of the run a checkpoint
   * was saved from (restored by {@link #restore}); the next step's number is one more.
   */
  public long stepCount() {
    return graph.step();
  }

  /**
   * The run's training time: the wall-clock time of its steps (reading the batch, the session
   * run, fetching the metrics), without listeners, sample grids, evaluations, checkpoints or
   * start-up; steps before the checkpoint this trainer was restored from included (a checkpoint
   * records it). What {@link Steps#orTrainingTime} limits.
   */
  public Duration trainingTime() {
    return Duration.ofNanos(trainingNanos);
  }

  /** Whether the running or last {@link #fit} ended by an exception (then its state may be half-updated). */
  boolean fitFailed() {
    return fitFailed;
  }

  /**
   * Trains on {@code dataset} for {@code steps}, calling every listener after every step.
   *
   * <p>Training stops early, after the current step and its listeners, when
   * {@link #requestStop()} is called: by a listener (the result says
   * {@link FitResult.Reason#STOPPED_BY_LISTENER}) or from another thread such as a shutdown
   * hook ({@link FitResult.Reason#STOP_REQUESTED}). Every started listener's {@code onEnd}
   * runs in all cases, also when a step or a listener throws.
   *
   * @return why training ended, the steps run and the last step's metrics
   * @throws IllegalArgumentException if the dataset's image shape differs from the model's,
   *     it holds fewer images than one batch, or it writes a pixel that is NaN or outside
   *     [-1, 1] (every value is checked in the first steps after a build or restore, one image
   *     per batch after that); the message names the dataset, the image, the position and the value
   */
  public FitResult fit(Dataset dataset, Steps steps, TrainingListener... listeners) {
    long perEpoch = schedule(dataset).batchesPerEpoch() / recipe.discriminatorSteps();
    long n = steps.remaining(stepCount(), Math.max(1, perEpoch));
    List<TrainingListener> all = List.of(listeners);
    List<TrainingListener> started = new ArrayList<>();
    Throwable failure = null;
    stopByListener = false;
    fitFailed = false;
    fitThread = Thread.currentThread();
    try {
      for (TrainingListener l : all) {
        l.onStart(this);
        started.add(l);
      }
      StepMetrics last = null;
      long i = 0;
      long budget = steps.trainingTimeNanos();
      boolean outOfTime = trainingNanos >= budget;
      while (!stopByListener && !stopRequested && i < n && !outOfTime) {
        last = step(dataset);
        i++;
        for (TrainingListener l : all) {
          l.onStep(this, last);
        }
        outOfTime = trainingNanos >= budget;
      }
      FitResult.Reason reason = FitResult.Reason.COMPLETED;
      if (stopByListener) {
        reason = FitResult.Reason.STOPPED_BY_LISTENER;
      } else if (stopRequested && i < n) {
        reason = FitResult.Reason.STOP_REQUESTED;
      } else if (outOfTime && i < n) {
        reason = FitResult.Reason.TRAINING_TIME_REACHED;
      }
      // a request that came during the last planned step has nothing left to stop
      stopRequested = false;
      return new FitResult(reason, i, Optional.ofNullable(last));
    } catch (Throwable t) {
      failure = t;
      fitFailed = true;   // a step may have stopped half-way: listeners must not save this state
      throw t;
    } finally {
      try {
        endAll(started, failure);
      } finally {
        fitThread = null;
      }
    }
  }

  /**
   * Asks the running {@link #fit} to stop after the current step and its listeners; {@code fit}
   * then calls every listener's {@code onEnd} and returns. Safe to call from any thread, for
   * example a shutdown hook (which must then wait for {@code fit} to return before letting the
   * JVM exit). Called by a listener during {@code fit}, the result reports
   * {@link FitResult.Reason#STOPPED_BY_LISTENER}; from anywhere else,
   * {@link FitResult.Reason#STOP_REQUESTED}. A request made while no {@code fit} runs stops the
   * next one before its first step.
   */
  public void requestStop() {
    if (Thread.currentThread() == fitThread) {
      stopByListener = true;
    } else {
      stopRequested = true;
    }
  }

  /**
   * Calls {@code onEnd} of every started listener, each even if an earlier one throws. A
   * failure of {@code onEnd} is added to the one that ended training, or thrown after all
   * listeners ended if training itself succeeded.
   */
  private void endAll(List<TrainingListener> started, Throwable failure) {
    RuntimeException first = null;
    for (TrainingListener l : started) {
      try {
        l.onEnd(this);
      } catch (RuntimeException e) {
        if (failure != null) {
          failure.addSuppressed(e);
        } else if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Runs one full training step on the next batches of {@code dataset}. */
  public StepMetrics step(Dataset dataset) {
    long start = System.nanoTime();
    fillReal(dataset);
    fillNoise(true, true);
    StepResult r = guarded("step", () -> graph.step(realBuffer, noiseBuffer, gradientsWanted()));
    return metrics(r, start);
  }

  /**
   * Runs one full training step (it counts as a step) with TensorFlow's tracing on and
   * returns the time spent per op type: op type -> {total microseconds, kernel count},
   * slowest first. Tracing slows the step down; use it to see where time goes.
   */
  public Map<String, long[]> profileStep(Dataset dataset) {
    fillReal(dataset);
    fillNoise(true, true);
    Map<String, long[]> profile = guarded("profiled step", () -> graph.profileStep(realBuffer, noiseBuffer));
    return profile;
  }

  /**
   * Runs only the discriminator's update(s) of a step, for custom schedules; counts as a step.
   * The generator's variables are not changed. {@code gLoss} of the result is NaN.
   */
  public StepMetrics discriminatorStep(Dataset dataset) {
    long start = System.nanoTime();
    fillReal(dataset);
    fillNoise(true, false);
    StepResult r = guarded("discriminator step",
        () -> graph.discriminatorStep(realBuffer, noiseBuffer, gradientsWanted()));
    return metrics(r, start);
  }

  /**
   * Runs only the generator's update through the frozen discriminator, for custom schedules;
   * counts as a step. The discriminator's variables are not changed. Only {@code gLoss} of
   * the result is a number.
   */
  public StepMetrics generatorStep() {
    long start = System.nanoTime();
    fillNoise(false, true);
    StepResult r = guarded("generator step", () -> graph.generatorStep(noiseBuffer, gradientsWanted()));
    return metrics(r, start);
  }

  /**
   * Runs a step; in a cluster, first meets the other workers (once after a build or restore),
   * then runs it under the {@link ClusterGuard}.
   */
  private <T> T guarded(String kind, Supplier<T> run) {
    if (cluster == null) {
      return run.get();
    }
    if (!clusterMet) {
      cluster.meet(graph, recipe, stepCount());
      clusterMet = true;
    }
    return cluster.run(kind + " " + (stepCount() + 1), firstRuns.add(kind), run);
  }

  private StepMetrics metrics(StepResult r, long start) {
    long nanos = System.nanoTime() - start;
    trainingNanos += nanos;
    lastMetrics = new StepMetrics(stepCount(), r.dLoss(), r.gLoss(), r.dReal(), r.dFake(), r.dFakeInDUpdate(),
        r.penalty(), nanos, r.weightsFinite());
    lastGradients = r.gradients();
    return lastMetrics;
  }

  /** Whether a listener wants the gradients of the step about to run. */
  private boolean gradientsWanted() {
    long next = stepCount() + 1;
    for (LongPredicate p : gradientRequests) {
      if (p.test(next)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Asks for the gradients of every step (numbered as {@link StepMetrics#step()}) {@code steps}
   * accepts, until {@link #removeGradientRequest}: those steps fetch them from the same run
   * (their updates are bit-identical to a run that does not), and {@link #lastGradients()}
   * returns them after the step.
   */
  void requestGradients(LongPredicate steps) {
    gradientRequests.add(Objects.requireNonNull(steps, "steps"));
  }

  void removeGradientRequest(LongPredicate steps) {
    gradientRequests.remove(steps);
  }

  /**
   * The gradients the last step's updates applied, by variable name ({@code generator/dense/kernel}):
   * the generator's update, and the discriminator's last update phase (the real and the fake
   * update summed when separate); empty unless the step was one a {@link #requestGradients}
   * asked for.
   */
  Map<String, float[]> lastGradients() {
    return lastGradients;
  }

  /** The metrics of the last step run, or null before the first. */
  StepMetrics lastMetrics() {
    return lastMetrics;
  }

  /** Runs {@code action} at the start of every {@link #save} until {@link #removeBeforeSave}. */
  void beforeSave(Runnable action) {
    beforeSave.add(Objects.requireNonNull(action, "action"));
  }

  void removeBeforeSave(Runnable action) {
    beforeSave.remove(action);
  }

  /** Both networks' variables (weights and BatchNorm statistics, no optimizer state), by name. */
  Map<String, float[]> networkVariables() {
    return graph.networkVariableValues();
  }

  private void checkDataset(Dataset dataset) {
    Objects.requireNonNull(dataset, "dataset");
    if (!dataset.imageShape().equals(gan.imageShape())) {
      throw new IllegalArgumentException("dataset " + dataset.name() + " has images of shape " + dataset.imageShape()
          + " but the model expects " + gan.imageShape()
          + "; declare GanBuilder.forImages with the dataset's shape or convert the images");
    }
    if (labelBuffer != null) {
      checkLabels(dataset);
    }
  }

  /**
   * A conditional GAN's dataset: labelled, every label in [0, numClasses) (all read once, here);
   * counts the classes when fakes follow the dataset's class frequencies.
   */
  private void checkLabels(Dataset dataset) {
    int classes = gan.numClasses();
    if (!dataset.hasLabels()) {
      throw new IllegalArgumentException("dataset " + dataset.name() + " has no labels, but the model is conditional"
          + " on " + classes + " classes (GanBuilder.conditional); train it on a labelled dataset (Dataset.hasLabels()"
          + " and label(i)), or build the GAN without conditional(...)");
    }
    long[] counts = new long[classes];
    for (int i = 0; i < dataset.size(); i++) {
      int label = dataset.label(i);
      if (label < 0 || label >= classes) {
        throw new IllegalArgumentException("dataset " + dataset.name() + ": image " + i + " has label " + label
            + ", outside [0, " + classes + ") of the model's " + classes + " classes (GanBuilder.conditional("
            + classes + ")); declare as many classes as the dataset has, or remove the image");
      }
      counts[label]++;
    }
    if (logFrequencies != null) {
      for (int c = 0; c < classes; c++) {
        // a class the dataset lacks is never drawn (log 0 = -inf)
        logFrequencies[c] = (float) Math.log((double) counts[c] / dataset.size());
      }
    }
  }

  private BatchSchedule schedule(Dataset dataset) {
    if (dataset != scheduled) {
      checkDataset(dataset);
      schedule = new BatchSchedule(dataset.size(), recipe.batchSize(), recipe.seed());
      scheduled = dataset;
    }
    return schedule;
  }

  /**
   * Reads the real images of this step. Every value is checked to be in [-1, 1] during the
   * first {@value #FULLY_CHECKED_STEPS} steps after a build or restore; after that one image
   * per batch, at a batch position that moves with the step, so that a dataset writing NaN
   * or unscaled pixels fails here, naming the image, instead of training into NaN.
   */
  private void fillReal(Dataset dataset) {
    BatchSchedule s = schedule(dataset);
    int k = recipe.discriminatorSteps();
    int batch = recipe.batchSize();
    int imageSize = (int) gan.imageShape().size();
    boolean checkAll = fullyCheckedStepsLeft > 0;
    long step = stepCount();
    int sampled = (int) Math.floorMod(step, (long) batch);
    int offset = 0;
    // in a cluster, this worker's rows of every global batch: [task * share, (task + 1) * share)
    int first = cluster == null ? 0 : cluster.cluster().task() * share;
    for (int j = 0; j < k; j++) {
      s.indices(step * k + j, indexBuffer);
      for (int i = first; i < first + share; i++) {
        dataset.copyImage(indexBuffer[i], realBuffer, offset);
        if (labelBuffer != null) {
          labelBuffer[offset / imageSize] = dataset.label(indexBuffer[i]);
        }
        if (checkAll || i == sampled) {
          checkPixels(dataset, indexBuffer[i], offset, imageSize);
        }
        offset += imageSize;
      }
    }
    if (checkAll) {
      fullyCheckedStepsLeft--;
    }
  }

  private void checkPixels(Dataset dataset, int index, int offset, int imageSize) {
    for (int p = 0; p < imageSize; p++) {
      float v = realBuffer[offset + p];
      if (!(v >= -1f && v <= 1f)) {   // also false for NaN
        throw new IllegalArgumentException(outOfRange(dataset, index, p, v));
      }
    }
  }

  private String outOfRange(Dataset dataset, int index, int position, float value) {
    Shape shape = gan.imageShape();
    String where = "";
    if (shape.rank() == 3) {
      int pixel = position / shape.dim(2);
      where = " (row " + pixel / shape.dim(1) + ", column " + pixel % shape.dim(1) + ", channel "
          + position % shape.dim(2) + ")";
    }
    return "dataset " + dataset.name() + ": image " + index + " has value " + value + " at position " + position
        + where + ", read at step " + stepCount() + "; pixels must be finite and in [-1, 1]: scale them in copyImage,"
        + " e.g. b / 127.5f - 1 for 8-bit values b";
  }

  /** Draws the fed noise of a custom sampler: one batch per stream, keyed by (seed, step, stream name). */
  private void fillNoise(boolean discriminator, boolean generator) {
    if (noiseBuffer == null) {
      return;
    }
    int block = share * gan.latentDim();
    float[] one = new float[recipe.batchSize() * gan.latentDim()];
    // in a cluster, this worker's rows of the global batch's draw
    int first = cluster == null ? 0 : cluster.cluster().task() * block;
    List<RandomStream> streams = graph.fedNoiseStreams();
    for (int slot = 0; slot < streams.size(); slot++) {
      RandomStream stream = streams.get(slot);
      if (stream.equals(RandomStream.GENERATOR_NOISE) ? generator : discriminator) {
        long[] key = stream.key(recipe.seed(), stepCount());
        recipe.sampler().sample(key[0], key[1], one);
        System.arraycopy(one, first, noiseBuffer, slot * block, block);
      }
    }
  }

  /**
   * Generates images from the given latent vectors ({@code count * latentDim} values), with
   * the generator in inference mode (BatchNorm on its moving statistics), from the moving
   * average of its weights when the trainer keeps one ({@link Builder#generatorEma(float)}).
   * A conditional GAN's images get the classes {@code 0, 1, ..., numClasses - 1, 0, 1, ...}
   * in turn; {@link #generate(float[], int[])} chooses them.
   *
   * @return {@code count} images, NHWC floats, normally in [-1, 1]
   */
  public float[] generate(float[] latents) {
    return generate(latents, GeneratorWeights.DEFAULT);
  }

  /** As {@link #generate(float[])}, from the given weights of the generator. */
  public float[] generate(float[] latents, GeneratorWeights weights) {
    int count = latentCount(latents);
    return generate(latents, gan.numClasses() > 0 ? ClassLabels.cycle(count, gan.numClasses()) : null, weights);
  }

  /**
   * Generates one image of class {@code labels[i]} from latent vector {@code i}: a conditional
   * GAN's generation, as {@link #generate(float[])} otherwise.
   *
   * @throws IllegalArgumentException if the GAN is not conditional, or {@code labels} does not
   *     hold one label in [0, numClasses) per latent vector
   */
  public float[] generate(float[] latents, int[] labels) {
    return generate(latents, labels, GeneratorWeights.DEFAULT);
  }

  /** As {@link #generate(float[], int[])}, from the given weights of the generator. */
  public float[] generate(float[] latents, int[] labels, GeneratorWeights weights) {
    Objects.requireNonNull(weights, "weights");
    int count = latentCount(latents);
    if (labels != null || gan.numClasses() > 0) {
      ClassLabels.check(labels, count, gan.numClasses());
    }
    return graph.generate(latents, labels, count, weights == GeneratorWeights.RAW);
  }

  private int latentCount(float[] latents) {
    int latent = gan.latentDim();
    if (latents.length == 0 || latents.length % latent != 0) {
      throw new IllegalArgumentException("got " + latents.length + " latent values; expected a positive multiple of "
          + "latentDim " + latent);
    }
    return latents.length / latent;
  }

  /**
   * Generates {@code count} images from latent vectors drawn from the sampler with {@code seed},
   * from the moving average of the generator's weights when the trainer keeps one. A
   * conditional GAN's images get the classes in turn, as in {@link #generate(float[])}.
   */
  public float[] generate(int count, long seed) {
    return generate(count, seed, GeneratorWeights.DEFAULT);
  }

  /** As {@link #generate(int, long)}, from the given weights of the generator. */
  public float[] generate(int count, long seed, GeneratorWeights weights) {
    return generate(latents(count, seed), weights);
  }

  /**
   * Generates {@code count} images of a conditional GAN, image {@code i} of class
   * {@code labels[i]}, from latent vectors drawn from the sampler with {@code seed} (the same
   * latents as {@link #generate(int, long)} with that seed).
   *
   * @throws IllegalArgumentException if the GAN is not conditional, or {@code labels} does not
   *     hold {@code count} labels in [0, numClasses)
   */
  public float[] generate(int count, long seed, int[] labels) {
    return generate(latents(count, seed), labels, GeneratorWeights.DEFAULT);
  }

  private float[] latents(int count, long seed) {
    if (count <= 0) {
      throw new IllegalArgumentException("count must be positive, was " + count);
    }
    float[] z = new float[count * gan.latentDim()];
    recipe.sampler().sample(seed, 0, z);
    return z;
  }

  /**
   * The learning rates of the two networks' next updates: each optimizer's learning rate
   * times its schedule's multiplier at the current step, as the graph computes them (float32).
   */
  public LearningRates learningRates() {
    float[] r = graph.learningRates();
    return new LearningRates(r[0], r[1]);
  }

  /**
   * The learning rates in effect at one step.
   *
   * @param discriminator the discriminator's learning rate
   * @param generator the generator's learning rate
   */
  public record LearningRates(float discriminator, float generator) {}

  /**
   * Current values of every variable, by name: weights ({@code generator/conv2d/kernel}),
   * BatchNorm statistics, optimizer state ({@code optimizer/discriminator/...}). For
   * inspection and tests; int counters are returned as one-element arrays.
   */
  public Map<String, float[]> variables() {
    return graph.variableValues();
  }

  /**
   * Saves the full training state to {@code dir}: all weights, both optimizers' state,
   * BatchNorm statistics and the step counter (which fixes the data and noise position),
   * plus {@value #MANIFEST}: format, model fingerprint, step and the SHA-256 of every file.
   *
   * <p>Atomic: everything is written to a temporary sibling directory that is renamed to
   * {@code dir} only when complete, so a crash while saving leaves either the previous
   * checkpoint or the new one, never a mixture. An existing checkpoint in {@code dir} is
   * replaced. During {@link #fit}, a {@link TensorBoard} listener first writes and flushes the
   * current step's events, so that they are on disk with every checkpoint.
   *
   * @throws UncheckedIOException if the directory cannot be written
   */
  public void save(Path dir) {
    for (Runnable action : List.copyOf(beforeSave)) {
      action.run();
    }
    CheckpointFormat.write(dir, recipe, stepCount(), trainingNanos, graph::save);
  }

  /**
   * Restores the state saved by {@link #save} into this trainer, which must be configured
   * for the same model. The manifest and the checksum of every file are verified before
   * TensorFlow reads anything. With the same configuration, continuing gives bit-identical
   * results to never having stopped.
   *
   * <p>A trainer configured differently from the checkpoint's manifest is told so: a different
   * batch size, seed, optimizer setting (such as a lower learning rate) or learning-rate
   * schedule is logged as a warning on the {@code System.Logger} {@code io.github.gan4j}, naming
   * both values, and training continues with this trainer's configuration. An optimizer of
   * another kind (Adam in the checkpoint, RMSprop now) is refused, because their state differs,
   * unless {@link RestoreOption#ALLOW_OPTIMIZER_CHANGE} is given: then the weights are restored
   * and that optimizer starts from fresh state.
   *
   * @throws CheckpointException if {@code dir} holds no complete gan4j checkpoint, one of
   *     another model, a damaged one (the message names the file), or one of another optimizer
   *     kind without {@link RestoreOption#ALLOW_OPTIMIZER_CHANGE}
   */
  public void restore(Path dir, RestoreOption... options) {
    boolean allowOptimizerChange = List.of(options).contains(RestoreOption.ALLOW_OPTIMIZER_CHANGE);
    Properties manifest = CheckpointFormat.verify(dir, gan);
    Set<String> fresh = CheckpointFormat.compare(dir, manifest, recipe, allowOptimizerChange);
    graph.restore(dir, fresh, CheckpointFormat.hasGeneratorEma(manifest));
    trainingNanos = CheckpointFormat.trainingNanos(manifest);
    fullyCheckedStepsLeft = FULLY_CHECKED_STEPS;
    clusterMet = false;   // the workers compare their restored state before the next step
  }

  /**
   * Exports the generator alone as a TensorFlow SavedModel (latent in, images out; a
   * conditional GAN's also takes {@code labels}, int32, one per latent vector) into the
   * empty or missing directory {@code dir}; load it with {@link TrainedGenerator#load}. The
   * export carries a manifest, {@code gan4j-export.properties}, written last: format version,
   * latent size, image shape, this trainer's sampler (its description, and the parameters of
   * a built-in one, so that {@link TrainedGenerator#generate(int, long)} draws what
   * {@link #generate(int, long)} draws) and the SHA-256 of every file, verified at load.
   * When the trainer keeps a moving average of the generator's weights, that is what is
   * exported (the manifest says so); {@link #exportGenerator(Path, GeneratorWeights)} with
   * {@link GeneratorWeights#RAW} exports the trained weights.
   */
  public void exportGenerator(Path dir) {
    exportGenerator(dir, GeneratorWeights.DEFAULT);
  }

  /** As {@link #exportGenerator(Path)}, with the given weights of the generator. */
  public void exportGenerator(Path dir, GeneratorWeights weights) {
    Objects.requireNonNull(weights, "weights");
    boolean raw = weights == GeneratorWeights.RAW || recipe.generatorEma().isEmpty();
    try {
      graph.exportGenerator(dir, raw);
      ExportFormat.writeManifest(dir, recipe, raw ? "raw" : recipe.generatorEma().get().describe());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot export the generator to " + dir, e);
    }
  }

  /** Releases the native graph and session; idempotent. */
  @Override
  public void close() {
    if (cluster != null) {
      cluster.close();   // this process's TensorFlow server lives on: TensorFlow cannot stop it
    }
    graph.close();
  }

  /**
   * Configures a {@link Trainer}. Setters validate at once; {@link #build()} may be called
   * more than once and does not change the builder.
   */
  public static final class Builder {
    private final Gan gan;
    private int batchSize = 32;
    private long seed = 0;
    private Optimizer discriminatorOptimizer = Optimizer.adam();
    private Optimizer generatorOptimizer = Optimizer.adam();
    private GanLoss loss = GanLoss.nonSaturating();
    private List<GradientPenalty> penalties = List.of();
    private DiscriminatorUpdate discriminatorUpdate = DiscriminatorUpdate.SEPARATE_BATCHES;
    private FakeBatches fakeBatches = FakeBatches.INFERENCE_MODE;
    private int discriminatorSteps = 1;
    private Sampler sampler = Sampler.normal();
    private int intraOpThreads = 0;
    private int interOpThreads = 0;
    private Precision precision = Precision.FLOAT32;
    private boolean xla = false;
    private GeneratorEma generatorEma;
    private DiffAugment augment = DiffAugment.none();
    private LearningRateSchedule discriminatorSchedule = LearningRateSchedule.constant();
    private LearningRateSchedule generatorSchedule = LearningRateSchedule.constant();
    private ClusterSpec cluster;
    private FakeLabels fakeLabels = FakeLabels.UNIFORM;

    private Builder(Gan gan) {
      this.gan = gan;
    }

    /** Images per batch (default 32, as the reference). */
    public Builder batchSize(int batchSize) {
      this.batchSize = TrainingRecipe.checkBatchSize(batchSize);
      return this;
    }

    /** Seed of initial weights, noise, data order and dropout (default 0). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The same optimizer configuration for both networks (each gets its own state). */
    public Builder optimizer(Optimizer optimizer) {
      return discriminatorOptimizer(optimizer).generatorOptimizer(optimizer);
    }

    /** The discriminator's optimizer (default Adam with Keras's defaults). */
    public Builder discriminatorOptimizer(Optimizer optimizer) {
      this.discriminatorOptimizer = Objects.requireNonNull(optimizer, "discriminator optimizer");
      return this;
    }

    /** The generator's optimizer (default Adam with Keras's defaults). */
    public Builder generatorOptimizer(Optimizer optimizer) {
      this.generatorOptimizer = Objects.requireNonNull(optimizer, "generator optimizer");
      return this;
    }

    /**
     * The same learning-rate schedule for both networks (default {@link LearningRateSchedule#constant()}):
     * the rate of each update is the optimizer's learning rate times {@code schedule.multiplier(step)}.
     * It is computed in-graph from the checkpointed step counter, so a restored run continues
     * the schedule exactly.
     */
    public Builder learningRateSchedule(LearningRateSchedule schedule) {
      return discriminatorSchedule(schedule).generatorSchedule(schedule);
    }

    /** The discriminator's learning-rate schedule (default constant); see {@link #learningRateSchedule}. */
    public Builder discriminatorSchedule(LearningRateSchedule schedule) {
      this.discriminatorSchedule = Objects.requireNonNull(schedule, "discriminator learning-rate schedule");
      return this;
    }

    /** The generator's learning-rate schedule (default constant); see {@link #learningRateSchedule}. */
    public Builder generatorSchedule(LearningRateSchedule schedule) {
      this.generatorSchedule = Objects.requireNonNull(schedule, "generator learning-rate schedule");
      return this;
    }

    /** The adversarial loss (default {@link GanLoss#nonSaturating()}, the reference's); see {@link GanLoss} for the others. */
    public Builder loss(GanLoss loss) {
      Objects.requireNonNull(loss, "loss");
      if (loss instanceof GanLoss.Custom && !(loss instanceof CustomLoss)) {
        throw new IllegalArgumentException("loss " + loss.id() + " implements GanLoss.Custom but not "
            + CustomLoss.class.getName() + ", which computes its terms on TensorFlow operands; implement that");
      }
      this.loss = loss;
      return this;
    }

    /**
     * The gradient penalties added to D's loss (default none), replacing any given before;
     * at most one of each kind, e.g. {@code penalty(GradientPenalty.wganGp())} with
     * {@link GanLoss#wasserstein()}, or {@code penalty(GradientPenalty.r1(10f).every(16))}.
     * With separate real and fake updates, R1 joins the real update and R2 and WGAN-GP the
     * fake update; with {@link DiscriminatorUpdate#COMBINED_BATCH} all join the one update.
     * A lazy penalty ({@link GradientPenalty#every(int)}) is applied on steps whose number
     * before the step is a multiple of its interval (0, n, 2n, ...), scaled by n, and other
     * steps skip its second-order backward pass. The discriminator must use only ops with a
     * second derivative in TensorFlow: LeakyReLU or linear activations, no BatchNorm
     * ({@link #build()} explains otherwise).
     *
     * @throws IllegalArgumentException if a kind is given twice
     */
    public Builder penalty(GradientPenalty... penalties) {
      return penalties(List.of(penalties));
    }

    /** As {@link #penalty(GradientPenalty...)}, from a list. */
    public Builder penalties(List<GradientPenalty> penalties) {
      this.penalties = TrainingRecipe.checkPenalties(penalties);
      return this;
    }

    /** How D learns from a real and a fake batch (default {@link DiscriminatorUpdate#SEPARATE_BATCHES}). */
    public Builder discriminatorUpdate(DiscriminatorUpdate update) {
      this.discriminatorUpdate = Objects.requireNonNull(update, "discriminator update");
      return this;
    }

    /** How the generator runs when making D's fake batch (default {@link FakeBatches#INFERENCE_MODE}, the reference's). */
    public Builder fakeBatches(FakeBatches mode) {
      this.fakeBatches = Objects.requireNonNull(mode, "fake batches mode");
      return this;
    }

    /** Discriminator updates per generator update, each on fresh batches (default 1, at most {@value TrainingRecipe#MAX_DISCRIMINATOR_STEPS}). */
    public Builder discriminatorSteps(int k) {
      this.discriminatorSteps = TrainingRecipe.checkDiscriminatorSteps(k);
      return this;
    }

    /** The latent distribution (default standard normal). */
    public Builder sampler(Sampler sampler) {
      this.sampler = Objects.requireNonNull(sampler, "sampler");
      return this;
    }

    /**
     * TensorFlow's thread pools: threads inside one op and threads running independent ops
     * (0 = TensorFlow's choice, all cores). Results are bit-identical only between runs with
     * the same thread configuration.
     */
    public Builder threads(int intraOp, int interOp) {
      TrainingRecipe.checkThreads(intraOp, interOp);
      this.intraOpThreads = intraOp;
      this.interOpThreads = interOp;
      return this;
    }

    /**
     * The arithmetic of the step (default {@link Precision#FLOAT32}); {@link Precision#MIXED_BFLOAT16}
     * trades exactness for speed on CPUs with bfloat16 instructions, and falls back to float32
     * with one warning elsewhere ({@link Trainer#precisionInEffect()}).
     */
    public Builder precision(Precision precision) {
      this.precision = Objects.requireNonNull(precision, "precision");
      return this;
    }

    /**
     * Whether TensorFlow's XLA JIT compiles the step (default off). On the measured 2-core CPU
     * it made no difference; it may on others.
     */
    public Builder xla(boolean xla) {
      this.xla = xla;
      return this;
    }

    /**
     * Keeps an exponential moving average of the generator's weights, updated in the graph
     * after every generator update ({@link GeneratorEma}), checkpointed with the rest; sample
     * grids, {@link Trainer#generate} and {@link Trainer#exportGenerator(Path)} then use it
     * ({@link GeneratorWeights#RAW} asks for the trained weights instead). Off by default.
     *
     * @param decay in (0, 1), typically 0.999
     */
    public Builder generatorEma(float decay) {
      return generatorEma(decay, 0);
    }

    /**
     * As {@link #generatorEma(float)}, averaging from step {@code startStep} on and copying the
     * weights before it.
     */
    public Builder generatorEma(float decay, long startStep) {
      this.generatorEma = new GeneratorEma(decay, startStep);
      return this;
    }

    /**
     * Augments every image the discriminator sees in training with {@link DiffAugment}
     * (default {@link DiffAugment#none()}): the real and the fake batch of each discriminator
     * update and the generator's fakes on their way into D, each with its own random draw, in
     * the graph, so that the generator learns through the augmentation. Gradient penalties are
     * taken at D's input, the augmented images (as the paper's CIFAR-10 code does: R1 and R2 on
     * the augmented batch, WGAN-GP between the augmented real and fake batches); D(x) and
     * D(G(z)) in the metrics are D's scores of augmented images. Generation and the export never
     * augment. E.g. {@code augment(DiffAugment.parse("color,translation,cutout"))}.
     */
    public Builder augment(DiffAugment augment) {
      this.augment = Objects.requireNonNull(augment, "augment (DiffAugment.none() for none)");
      return this;
    }

    /**
     * Makes this trainer one worker of a synchronous data-parallel run (default: a single
     * process). Every worker is built with the same configuration and its own
     * {@link ClusterSpec#task()}; each computes its share ({@code batchSize / workers} images) of
     * every global batch of {@link #batchSize}, the batch a single process would use, and the
     * mean of all workers' gradients updates every replica alike, so a run on N workers follows
     * the single-process run (the same batches, noise and, with BatchNorm, batch statistics over
     * the global batch). Worker 0 is the chief, which alone writes checkpoints and sample grids
     * ({@link Trainer#isChief()}). {@link ClusterSpec#fromEnvironment()} reads the standard
     * {@code TF_CONFIG} variable. The first step waits for every worker to start (up to
     * {@link ClusterSpec#startupTimeout()}) and checks that all hold the same state; a worker that
     * dies later makes the others fail with a {@link ClusterException} naming it.
     *
     * <p>Security: TensorFlow's gRPC servers have no authentication or encryption and listen on
     * every network interface; use clusters on a trusted network only.
     */
    public Builder cluster(ClusterSpec cluster) {
      this.cluster = Objects.requireNonNull(cluster, "cluster");
      return this;
    }

    /**
     * How a conditional GAN's fakes are labelled (default {@link FakeLabels#UNIFORM});
     * {@link FakeLabels#DATASET_FREQUENCIES} follows the training dataset's class balance.
     * {@link #build()} refuses anything but the default for an unconditional GAN.
     */
    public Builder fakeLabels(FakeLabels fakeLabels) {
      this.fakeLabels = Objects.requireNonNull(fakeLabels, "fake labels");
      return this;
    }

    /** The configuration so far as a plain value, without building anything native. */
    public TrainingRecipe recipe() {
      return new TrainingRecipe(gan, batchSize, seed, discriminatorOptimizer, generatorOptimizer, loss, penalties,
          discriminatorUpdate, fakeBatches, discriminatorSteps, sampler, intraOpThreads, interOpThreads, precision, xla,
          discriminatorSchedule, generatorSchedule, Optional.ofNullable(generatorEma), augment, fakeLabels);
    }

    /**
     * Builds the graph and opens a session: allocates native memory, so close the trainer.
     *
     * @throws IllegalArgumentException if gradient penalties are configured and the
     *     discriminator uses an op TensorFlow cannot differentiate twice (ReLU, tanh or sigmoid
     *     activations, BatchNorm); the message names the layers and the fix, or if the batch
     *     size cannot be split evenly over the cluster's workers, or if a conditional GAN is
     *     given WGAN-GP (its interpolated images have no single label), or an unconditional one
     *     {@link FakeLabels} other than the default
     */
    public Trainer build() {
      TrainingRecipe recipe = recipe();
      if (gan.conditioning().isPresent()
          && penalties.stream().anyMatch(p -> p instanceof GradientPenalty.WganGp)) {
        throw new IllegalArgumentException("WGAN-GP is not supported for a conditional GAN: its images interpolated"
            + " between a real and a fake have no single class label; use GradientPenalty.r1(..) or r2(..) instead");
      }
      if (gan.conditioning().isEmpty() && fakeLabels != FakeLabels.UNIFORM) {
        throw new IllegalArgumentException("fakeLabels(" + fakeLabels + ") needs a conditional GAN"
            + " (GanBuilder.conditional(numClasses)); remove it, or make the GAN conditional");
      }
      if (cluster != null) {
        cluster.shareOf(recipe.batchSize());   // fails before anything native is made
      }
      return new Trainer(recipe, cluster);
    }
  }
}
