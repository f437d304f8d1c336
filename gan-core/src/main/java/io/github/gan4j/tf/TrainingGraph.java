package io.github.gan4j.tf;

import io.github.gan4j.Gan;
import io.github.gan4j.data.Directories;
import io.github.gan4j.recipe.ClusterSpec;
import io.github.gan4j.recipe.Precision;
import io.github.gan4j.recipe.RandomStream;
import io.github.gan4j.recipe.TrainingRecipe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The TensorFlow graph and session of one trainer, put together from its parts:
 * {@link NetworkLowering} (variables and layers), {@link OptimizerLowering},
 * {@link LossLowering}, {@link LatentLowering} (noise of named {@link RandomStream}s),
 * {@link StepAssembly} (the phases of a step) and {@link GraphSession} (session and runs).
 *
 * <p>Internal: not part of gan4j's public API and not exported by the module; use
 * {@code io.github.gan4j.train.Trainer}.
 *
 * <p>The graph holds three kinds of targets: a full step (k discriminator updates, then one
 * generator update through the frozen discriminator, then the step counter), and a
 * discriminator-only and a generator-only step for custom schedules. With lazy gradient
 * penalties ({@code GradientPenalty.every(n)}) there is one full and one discriminator-only
 * target per set of penalties a step can apply ({@link PenaltyLowering}), and each run picks
 * the one for the current step, so steps without a penalty pay no second-order backward pass.
 * The choice depends only on the step counter, which is checkpointed, so resumed runs pick
 * what an uninterrupted run would.
 */
public final class TrainingGraph implements AutoCloseable {
  private final TrainingRecipe recipe;
  private final Graph graph;
  private final NetworkLowering generator;
  private final NetworkLowering discriminator;
  private final OptimizerLowering generatorOptimizer;
  private final OptimizerLowering discriminatorOptimizer;
  private final LatentLowering latent;
  private final Variable<TInt64> stepCounter;
  private final Placeholder<TFloat32> realInput;
  private final Placeholder<TFloat32> sampleLatent;
  /** A conditional GAN's labels: of the step (null otherwise), and of generated images. */
  private final LabelLowering labels;
  private final Placeholder<TInt32> sampleLabels;
  private int[] realLabels;
  private float[] logFrequencies;
  private final Operand<TFloat32> sampleImages;
  private final PenaltyLowering penalties;
  private final List<Operand<TFloat32>> learningRates;
  private final Map<Integer, StepAssembly.Target> fullSteps = new HashMap<>();
  private final Map<Integer, StepAssembly.Target> discriminatorOnly = new HashMap<>();
  private final StepAssembly.Target generatorOnly;
  /** The step counter's value: 0 in a fresh graph, read back on restore, counted by each run. */
  private long step;
  private final GraphSession session;
  private final EmaLowering ema;
  private final Operand<TFloat32> sampleImagesRaw;
  private final Op emaCopy;
  private final Replica replica;
  private final Placeholder<TInt64> handshakeInput;
  private final Operand<TInt64> handshakeOutput;
  private boolean closed;

  private static final Pattern NO_GRADIENT = Pattern.compile("No gradient defined for op: ([A-Za-z0-9_]+)");

  static {
    OneDnn.prepare();   // before this class first touches TensorFlow
  }

  /** Builds the graph and opens its session in the recipe's precision; the variables are initialized on first use. */
  public TrainingGraph(TrainingRecipe recipe) {
    this(recipe, recipe.precision());
  }

  /**
   * Builds the graph and opens its session in {@code precision} (the precision in effect, which
   * may be float32 where the recipe asks for bfloat16); the variables are initialized on first use.
   */
  public TrainingGraph(TrainingRecipe recipe, Precision precision) {
    this(recipe, precision, null);
  }

  /**
   * As {@link #TrainingGraph(TrainingRecipe, Precision)}; with a {@code cluster}, the graph is
   * worker {@code cluster.task()}'s replica of a synchronous data-parallel run ({@link Replica}):
   * it takes its share of every global batch of {@code recipe.batchSize()} (the real images fed
   * and the noise drawn are its rows of the global batch), averages each update's gradients and
   * BatchNorm's batch statistics over all workers, and runs on this process's TensorFlow server.
   *
   * @throws IllegalArgumentException if the batch size cannot be split evenly over the workers
   */
  public TrainingGraph(TrainingRecipe recipe, Precision precision, ClusterSpec cluster) {
    this.recipe = recipe;
    Gan gan = recipe.gan();
    this.graph = new Graph();
    try {
      // device placement for every op would be set here, e.g. tf.withDevice(DeviceSpec...); in a
      // cluster the session's device filter keeps every op on this worker's devices
      Ops tf = Ops.create(graph);
      this.replica = cluster == null ? Replica.single() : Replica.of(cluster, graph, recipe.batchSize());
      this.generator = new NetworkLowering(tf, gan.generator(), recipe.seed(), replica);
      this.ema = recipe.generatorEma().map(e -> new EmaLowering(tf, e, generator, recipe.seed())).orElse(null);
      this.discriminator = new NetworkLowering(tf, gan.discriminator(), recipe.seed(), replica);
      this.stepCounter = tf.withInitScope().withName("step").variable(tf.withInitScope().constant(0L));
      Ops optimizers = tf.withInitScope().withSubScope("optimizer");
      this.generatorOptimizer = new OptimizerLowering(optimizers, recipe.generatorOptimizer(),
          recipe.generatorSchedule(), stepCounter, generator);
      this.discriminatorOptimizer = new OptimizerLowering(optimizers, recipe.discriminatorOptimizer(),
          recipe.discriminatorSchedule(), stepCounter, discriminator);

      int k = recipe.discriminatorSteps();
      this.realInput = tf.withName("real_images").placeholder(TFloat32.class, Placeholder.shape(
          org.tensorflow.ndarray.Shape.of(gan.imageShape().withBatch((long) k * replica.share(recipe.batchSize())))));
      this.latent = new LatentLowering(tf, recipe.sampler(), recipe.batchSize(), gan.latentDim(), k, replica);

      this.labels = gan.conditioning().map(c -> new LabelLowering(tf, c.numClasses(), recipe.fakeLabels(),
          recipe.batchSize(), k, replica)).orElse(null);
      this.penalties = new PenaltyLowering(recipe.penalties());
      StepAssembly steps = new StepAssembly(graph, tf, recipe, generator, discriminator, generatorOptimizer,
          discriminatorOptimizer, new LossLowering(recipe.loss()), penalties, latent, stepCounter, realInput, ema,
          labels);
      List<Integer> sets = penalties.activeSets();
      try {
        for (int i = 0; i < sets.size(); i++) {
          String suffix = i == 0 ? "" : "_penalties" + sets.get(i);
          fullSteps.put(sets.get(i), steps.build(true, true, "train_step" + suffix, sets.get(i)));
          discriminatorOnly.put(sets.get(i), steps.build(true, false, "train_discriminator" + suffix, sets.get(i)));
        }
      } catch (TensorFlowException e) {
        Matcher m = NO_GRADIENT.matcher(String.valueOf(e.getMessage()));
        // only a missing gradient of a gradient op is the penalty's second derivative
        if (recipe.penalties().isEmpty() || !m.find() || !m.group(1).matches(".*Grad(V[0-9]+)?")) {
          throw e;
        }
        throw new IllegalArgumentException(PenaltyLowering.missingSecondOrderGradient(gan.discriminator(),
            recipe.penalties(), m.group(1)), e);
      }
      this.generatorOnly = steps.build(false, true, "train_generator", 0);

      this.sampleLatent = tf.withName("sample_latent").placeholder(TFloat32.class,
          Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, gan.latentDim())));
      this.sampleLabels = labels == null ? null : tf.withName("sample_labels").placeholder(TInt32.class,
          Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1)));
      this.sampleImagesRaw = tf.withName("sample_images").identity(
          generator.forward(NetworkLowering.Pass.inference(tf).labeled(sampleLabels), sampleLatent));
      this.sampleImages = ema == null ? sampleImagesRaw : tf.withName("sample_images_ema").identity(
          ema.average().forward(NetworkLowering.Pass.inference(tf).labeled(sampleLabels), sampleLatent));
      this.emaCopy = ema == null ? null : ema.copy(tf);

      Ops rates = tf.withSubScope("learning_rate");
      this.learningRates = List.of(discriminatorOptimizer.learningRate(rates.withSubScope("discriminator")),
          generatorOptimizer.learningRate(rates.withSubScope("generator")));

      if (cluster != null) {
        Ops handshake = tf.withSubScope("handshake");
        this.handshakeInput = handshake.withName("mine").placeholder(TInt64.class,
            Placeholder.shape(org.tensorflow.ndarray.Shape.of(HANDSHAKE_WORDS)));
        this.handshakeOutput = replica.gather(handshake, handshakeInput,
            (float) (cluster.startupTimeout().toMillis() / 1000.0));
      } else {
        this.handshakeInput = null;
        this.handshakeOutput = null;
      }
      this.session = new GraphSession(graph, recipe, precision, cluster);
      OneDnn.warnIfOff();
    } catch (RuntimeException | Error e) {
      graph.close();
      throw e;
    }
  }

  /** Values each worker contributes to {@link #handshake}. */
  public static final int HANDSHAKE_WORDS = 4;

  /**
   * Exchanges {@value #HANDSHAKE_WORDS} values with every worker of the cluster, waiting for all of
   * them up to the cluster's startup timeout: the first run of a worker, which meets the others.
   *
   * @param mine this worker's values
   * @return every worker's values, in task order ({@code size * HANDSHAKE_WORDS})
   * @throws IllegalStateException outside a cluster
   */
  public long[] handshake(long[] mine) {
    checkOpen();
    if (handshakeInput == null) {
      throw new IllegalStateException("not a worker of a cluster");
    }
    return session.exchange(handshakeInput, mine, handshakeOutput);
  }

  /**
   * How many collective ops (all-reduces, gathers) the graph holds: the same on every worker
   * whose graph is the same, so workers compare it in their handshake.
   */
  public int collectives() {
    return replica.collectives();
  }

  /** Whether the latent noise is fed from Java (a custom sampler) rather than made in-graph. */
  public boolean feedsNoise() {
    return latent.fed() != null;
  }

  /**
   * The streams of the fed noise, in the order of the {@code noise} argument of the step
   * methods: one batch of latent vectors each (D's fakes of update 0..k-1, then G's).
   */
  public List<RandomStream> fedNoiseStreams() {
    return latent.fedStreams();
  }

  /**
   * Runs a full step.
   *
   * @param real {@code k * batchSize} images, NHWC
   * @param noise one batch of latent vectors per {@link #fedNoiseStreams()} when
   *     {@link #feedsNoise()}, else null
   * @param gradients whether to return the gradients the step's updates apply (fetched from the
   *     same run: the updates are the same with or without)
   */
  public StepResult step(float[] real, float[] noise, boolean gradients) {
    checkOpen();
    return counted(session.run(fullSteps.get(penalties.activeAt(step)), feeds(real, noise), null, gradients));
  }

  private StepResult counted(StepResult result) {
    step++;
    return result;
  }

  /** Runs k discriminator updates only; the generator's loss of the result is NaN. See {@link #step}. */
  public StepResult discriminatorStep(float[] real, float[] noise, boolean gradients) {
    checkOpen();
    return counted(session.run(discriminatorOnly.get(penalties.activeAt(step)), feeds(real, noise), null,
        gradients));
  }

  /** Runs one generator update only; only the generator's loss of the result is a number. See {@link #step}. */
  public StepResult generatorStep(float[] noise, boolean gradients) {
    checkOpen();
    return counted(session.run(generatorOnly, feeds(null, noise), null, gradients));
  }

  /**
   * Runs a full step with TensorFlow's tracing on.
   *
   * @return op type -> {total microseconds, kernel count}, slowest first
   */
  public Map<String, long[]> profileStep(float[] real, float[] noise) {
    checkOpen();
    Map<String, long[]> profile = session.profile(fullSteps.get(penalties.activeAt(step)), feeds(real, noise));
    step++;
    return profile;
  }

  /**
   * For a conditional GAN: the arrays the step runs read, filled by the caller before each run:
   * the real images' labels ({@code k * share}) and, when fakes follow the dataset's class
   * frequencies, their logarithms ({@code numClasses}; else null).
   */
  public void labelInputs(int[] realLabels, float[] logFrequencies) {
    this.realLabels = realLabels;
    this.logFrequencies = logFrequencies;
  }

  private List<GraphSession.Feed> feeds(float[] real, float[] noise) {
    List<GraphSession.Feed> feeds = new ArrayList<>();
    if (real != null) {
      feeds.add(new GraphSession.Feed(realInput, real));
    }
    if (labels != null) {
      if (real != null) {
        feeds.add(GraphSession.Feed.ints(labels.real(), realLabels));
      }
      if (labels.logFrequencies() != null) {
        feeds.add(new GraphSession.Feed(labels.logFrequencies(), logFrequencies));
      }
    }
    if (latent.fed() != null && noise != null) {
      feeds.add(new GraphSession.Feed(latent.fed(), noise));
    }
    return feeds;
  }

  /**
   * Generates {@code count} images from {@code count * latentDim} latent values, G in inference
   * mode: from the moving average of G's weights when there is one, unless {@code raw}.
   */
  public float[] generate(float[] latents, int count, boolean raw) {
    return generate(latents, null, count, raw);
  }

  /** As {@link #generate(float[], int, boolean)}, with one class label per image for a conditional GAN (else null). */
  public float[] generate(float[] latents, int[] classes, int count, boolean raw) {
    checkOpen();
    org.tensorflow.ndarray.Shape z = org.tensorflow.ndarray.Shape.of(count, recipe.gan().latentDim());
    Operand<TFloat32> out = raw ? sampleImagesRaw : sampleImages;
    if (sampleLabels == null) {
      return session.compute(sampleLatent, latents, z, out);
    }
    return session.compute(List.of(new GraphSession.Feed(sampleLatent, latents),
        GraphSession.Feed.ints(sampleLabels, classes)), List.of(z, org.tensorflow.ndarray.Shape.of(count)), out);
  }

  /** Whether the graph keeps a moving average of the generator's weights. */
  public boolean hasGeneratorEma() {
    return ema != null;
  }

  /**
   * The number of steps run so far (full, discriminator-only and generator-only): the
   * checkpointed step counter, mirrored in Java (set on restore, counted by every run).
   */
  public long step() {
    return step;
  }

  /**
   * Current values of both networks' variables (weights and BatchNorm statistics, not the
   * optimizers' state), by name.
   */
  public Map<String, float[]> networkVariableValues() {
    checkOpen();
    List<Variable<?>> vars = new ArrayList<>();
    vars.addAll(generator.variables().values());
    vars.addAll(discriminator.variables().values());
    return session.values(vars);
  }

  /** Current values of all float variables (weights, BatchNorm statistics, optimizer slots), by name. */
  public Map<String, float[]> variableValues() {
    checkOpen();
    List<Variable<?>> vars = new ArrayList<>();
    vars.addAll(generator.variables().values());
    vars.addAll(discriminator.variables().values());
    if (ema != null) {
      vars.addAll(ema.average().variables().values());
    }
    vars.addAll(generatorOptimizer.variables());
    vars.addAll(discriminatorOptimizer.variables());
    vars.add(stepCounter);
    return session.values(vars);
  }

  /** Saves every variable under {@code dir} (TensorFlow checkpoint files with prefix {@code dir/variables}). */
  public void save(Path dir) throws IOException {
    checkOpen();
    session.save(dir);
  }

  /**
   * The learning rates the next step's updates use: {discriminator, generator}, each the
   * optimizer's rate times its schedule's multiplier at the current step, in float32.
   */
  public float[] learningRates() {
    checkOpen();
    return session.scalars(learningRates);
  }

  /** Restores every variable from a directory written by {@link #save}. */
  public void restore(Path dir) {
    restore(dir, Set.of(), true);
  }

  /**
   * Restores from a directory written by {@link #save}, except the optimizer state of the
   * networks named in {@code freshOptimizers} ({@code discriminator}, {@code generator}), which
   * is set to its initial values (zero moments, update count 0). When this graph keeps a
   * moving average of the generator's weights and the checkpoint has none
   * ({@code checkpointHasEma} false), the average starts as a copy of the restored weights.
   */
  public void restore(Path dir, Set<String> freshOptimizers, boolean checkpointHasEma) {
    checkOpen();
    boolean copyEma = ema != null && !checkpointHasEma;
    if (freshOptimizers.isEmpty() && !copyEma) {
      session.restore(dir);
    } else {
      List<Variable<?>> restored = new ArrayList<>();
      restored.addAll(generator.variables().values());
      restored.addAll(discriminator.variables().values());
      if (ema != null && !copyEma) {
        restored.addAll(ema.average().variables().values());
      }
      for (OptimizerLowering o : List.of(generatorOptimizer, discriminatorOptimizer)) {
        if (!freshOptimizers.contains(o.network().network().name())) {
          restored.addAll(o.variables());
        }
      }
      restored.add(stepCounter);
      session.restore(dir, restored);
      if (copyEma) {
        session.run(emaCopy);
      }
    }
    step = session.read(stepCounter);
  }

  /**
   * Exports the generator alone as a SavedModel: signature {@code serving_default}, input
   * {@code latent} (batch, latentDim), output {@code images} (batch, h, w, c), BatchNorm in
   * inference mode; the moving average of the weights when there is one, unless {@code raw}.
   */
  public void exportGenerator(Path dir, boolean raw) throws IOException {
    checkOpen();
    Path tmp = Files.createTempDirectory("gan4j-export");
    try {
      save(tmp);
      GeneratorExport.export(recipe.gan(), recipe.seed(), GraphSession.prefix(tmp), dir,
          ema == null || raw ? recipe.gan().generator().name() : EmaLowering.SCOPE);
    } finally {
      Directories.deleteRecursively(tmp);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the trainer is closed");
    }
  }

  /** Closes the session and the graph; idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        session.close();
      } finally {
        graph.close();
      }
    }
  }
}
