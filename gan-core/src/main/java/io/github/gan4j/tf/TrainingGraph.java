package io.github.gan4j.tf;

import io.github.gan4j.Gan;
import io.github.gan4j.data.Directories;
import io.github.gan4j.layers.Shape;
import io.github.gan4j.recipe.TrainingRecipe;
import io.github.gan4j.sample.Normal;
import io.github.gan4j.sample.TruncatedNormal;
import io.github.gan4j.sample.Uniform;
import io.github.gan4j.recipe.DiscriminatorUpdate;
import io.github.gan4j.recipe.FakeBatches;
import io.github.gan4j.recipe.GanLoss;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import io.github.gan4j.recipe.Precision;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The TensorFlow graph and session of one trainer: the single place where specs are lowered
 * to ops, variables are created and placed, and sessions are configured.
 *
 * <p>Internal: not part of gan4j's public API; use {@code io.github.gan4j.train.Trainer}.
 *
 * <p>The graph holds three targets: a full step (k discriminator updates, then one
 * generator update through the frozen discriminator, then the step counter), and a
 * discriminator-only and a generator-only step for custom schedules. Within a step each
 * phase reads variables only after the previous phase's update is complete, and each
 * update applies only after all of its gradients exist, so results do not depend on op
 * scheduling.
 */
public final class TrainingGraph implements AutoCloseable {
  /** Noise streams per step: D updates use streams 0..k-1, G's update stream k. */
  public static final int STREAMS_PER_STEP = 64;
  private static final String METRIC_D_LOSS = "metrics/d_loss";

  private final TrainingRecipe spec;
  private final Graph graph;
  private final Ops tf;
  private final Session session;
  private final NetworkLowering generator;
  private final NetworkLowering discriminator;
  private final OptimizerLowering generatorOptimizer;
  private final OptimizerLowering discriminatorOptimizer;
  private final Variable<TInt64> stepCounter;
  private final Placeholder<TFloat32> realInput;
  private final Placeholder<TFloat32> noiseInput;
  private final Placeholder<TFloat32> sampleLatent;
  private final Operand<TFloat32> sampleImages;
  private final Target fullStep;
  private final Target discriminatorOnly;
  private final Target generatorOnly;
  private boolean closed;

  static {
    OneDnn.prepare();   // before this class first touches TensorFlow
  }

  /** Fetches of one target. */
  private record Target(Op done, Operand<TFloat32> dLoss, Operand<TFloat32> gLoss,
      Operand<TFloat32> dReal, Operand<TFloat32> dFake, Operand<TFloat32> weightNorm) {}

  /** Builds the graph and opens its session; the variables are initialized on first use. */
  public TrainingGraph(TrainingRecipe spec) {
    this.spec = spec;
    Gan gan = spec.gan();
    this.graph = new Graph();
    try {
      // device placement for every op would be set here, e.g. tf.withDevice(DeviceSpec...)
      this.tf = Ops.create(graph);
      this.generator = new NetworkLowering(tf, gan.generator(), spec.seed());
      this.discriminator = new NetworkLowering(tf, gan.discriminator(), spec.seed());
      Ops optimizers = tf.withInitScope().withSubScope("optimizer");
      this.generatorOptimizer = new OptimizerLowering(optimizers, spec.generatorOptimizer(), generator);
      this.discriminatorOptimizer = new OptimizerLowering(optimizers, spec.discriminatorOptimizer(), discriminator);
      this.stepCounter = tf.withInitScope().withName("step").variable(tf.withInitScope().constant(0L));

      int k = spec.discriminatorSteps();
      int b = spec.batchSize();
      this.realInput = tf.withName("real_images").placeholder(TFloat32.class,
          Placeholder.shape(org.tensorflow.ndarray.Shape.of(gan.imageShape().withBatch((long) k * b))));
      this.noiseInput = feedsNoise()
          ? tf.withName("latent_noise").placeholder(TFloat32.class,
              Placeholder.shape(org.tensorflow.ndarray.Shape.of((long) (k + 1) * b, gan.latentDim())))
          : null;

      this.fullStep = buildStep(true, true, "train_step");
      this.discriminatorOnly = buildStep(true, false, "train_discriminator");
      this.generatorOnly = buildStep(false, true, "train_generator");

      this.sampleLatent = tf.withName("sample_latent").placeholder(TFloat32.class,
          Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, gan.latentDim())));
      this.sampleImages = tf.withName("sample_images").identity(
          generator.forward(new NetworkLowering.Pass(tf, NetworkLowering.Mode.INFERENCE, null), sampleLatent));

      this.session = new Session(graph, sessionConfig(spec));
      OneDnn.warnIfOff();
    } catch (RuntimeException | Error e) {
      graph.close();
      throw e;
    }
  }

  static ConfigProto sessionConfig(TrainingRecipe spec) {
    RewriterConfig.Builder rewrite = RewriterConfig.newBuilder();
    if (spec.precision() == Precision.MIXED_BFLOAT16) {
      rewrite.setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON);
    }
    OptimizerOptions.Builder optimizer = OptimizerOptions.newBuilder();
    if (spec.xla()) {
      optimizer.setGlobalJitLevel(OptimizerOptions.GlobalJitLevel.ON_1);
    }
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(spec.intraOpThreads())
        .setInterOpParallelismThreads(spec.interOpThreads())
        // TensorFlow sizes its process-wide pools from the first session; explicit thread
        // counts get pools of their own so they hold whatever ran before
        .setUsePerSessionThreads(spec.intraOpThreads() != 0 || spec.interOpThreads() != 0)
        .setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(rewrite).setOptimizerOptions(optimizer))
        .build();
  }

  /** Whether the latent noise is fed from Java (a custom sampler) rather than made in-graph. */
  public boolean feedsNoise() {
    return !(spec.sampler() instanceof Normal || spec.sampler() instanceof Uniform
        || spec.sampler() instanceof TruncatedNormal);
  }

  private Target buildStep(boolean trainD, boolean trainG, String name) {
    Ops scope = tf.withSubScope(name);
    Operand<TInt64> stepRead = scope.identity(stepCounter);
    int k = spec.discriminatorSteps();
    List<Op> after = new ArrayList<>();
    List<Operand<TFloat32>> dLosses = new ArrayList<>();
    List<Operand<TFloat32>> dReals = new ArrayList<>();
    List<Operand<TFloat32>> dFakes = new ArrayList<>();
    if (trainD) {
      for (int j = 0; j < k; j++) {
        Ops phase = after.isEmpty() ? scope.withSubScope("d" + j) : scope.withSubScope("d" + j).withControlDependencies(after);
        Op done = discriminatorUpdate(phase, stepRead, j, dLosses, dReals, dFakes);
        after = List.of(done);
      }
    }
    Operand<TFloat32> gLoss = null;
    if (trainG) {
      Ops phase = after.isEmpty() ? scope.withSubScope("g") : scope.withSubScope("g").withControlDependencies(after);
      // dropout streams: D's updates use 2j and 2j+1, fakes for them 32+j, this update 63
      // (masks of different layers differ through the layer's name in the key)
      NetworkLowering.Pass gPass = new NetworkLowering.Pass(phase, new NetworkLowering.Mode(true, true),
          streamKey(phase, stepRead, STREAMS_PER_STEP - 1));
      Operand<TFloat32> fake = generator.forward(gPass, noise(phase, stepRead, k));
      NetworkLowering.Pass dPass = new NetworkLowering.Pass(phase, new NetworkLowering.Mode(false, true),
          streamKey(phase, stepRead, STREAMS_PER_STEP - 1));
      Operand<TFloat32> logits = discriminator.forward(dPass, fake);
      gLoss = spec.loss() == GanLoss.NON_SATURATING
          ? mean(phase, crossEntropy(phase, logits, true))
          : phase.math.neg(mean(phase, crossEntropy(phase, logits, false)));
      after = List.of(generatorOptimizer.update(graph, gPass, gLoss, gPass.statUpdates));
    }
    Op done = scope.withControlDependencies(after).withName("done").assignAdd(stepCounter, scope.constant(1L));
    // sum of squares of every weight after the update: not finite as soon as one weight is not
    Ops checked = scope.withControlDependencies(List.of(done));
    Operand<TFloat32> norm = null;
    for (NetworkLowering net : List.of(generator, discriminator)) {
      for (Variable<TFloat32> v : net.variables().values()) {
        Operand<TFloat32> sq = checked.math.square(checked.identity(v));
        Operand<TFloat32> sum = checked.sum(checked.reshape(sq, checked.constant(new int[] {-1})), checked.constant(0));
        norm = norm == null ? sum : checked.math.add(norm, sum);
      }
    }
    return new Target(done, average(scope, dLosses), gLoss, average(scope, dReals), average(scope, dFakes), norm);
  }

  private Op discriminatorUpdate(Ops phase, Operand<TInt64> stepRead, int j,
      List<Operand<TFloat32>> losses, List<Operand<TFloat32>> reals, List<Operand<TFloat32>> fakes) {
    int b = spec.batchSize();
    Shape image = spec.gan().imageShape();
    int[] begin = new int[image.rank() + 1];
    begin[0] = j * b;
    Operand<TFloat32> real = phase.slice(realInput, phase.constant(begin),
        phase.constant(toInts(image.withBatch(b))));
    // moving statistics updates of a training-mode pass are collected in gPass and dropped
    NetworkLowering.Mode gMode = spec.fakeBatches() == FakeBatches.TRAINING_MODE
        ? new NetworkLowering.Mode(true, true) : NetworkLowering.Mode.INFERENCE;
    NetworkLowering.Pass gPass = new NetworkLowering.Pass(phase, gMode, streamKey(phase, stepRead, 32 + j));
    Operand<TFloat32> fake = phase.stopGradient(generator.forward(gPass, noise(phase, stepRead, j)));
    NetworkLowering.Mode training = new NetworkLowering.Mode(true, true);
    if (spec.discriminatorUpdate() == DiscriminatorUpdate.COMBINED_BATCH) {
      NetworkLowering.Pass dPass = new NetworkLowering.Pass(phase, training, streamKey(phase, stepRead, 2 * j));
      Operand<TFloat32> logits = discriminator.forward(dPass, phase.concat(List.of(real, fake), phase.constant(0)));
      Operand<TFloat32> realLogits = phase.slice(logits, phase.constant(new int[] {0, 0}), phase.constant(new int[] {b, 1}));
      Operand<TFloat32> fakeLogits = phase.slice(logits, phase.constant(new int[] {b, 0}), phase.constant(new int[] {b, 1}));
      Operand<TFloat32> loss = phase.math.mul(phase.constant(0.5f), phase.math.add(
          mean(phase, crossEntropy(phase, realLogits, true)), mean(phase, crossEntropy(phase, fakeLogits, false))));
      losses.add(loss);
      reals.add(mean(phase, phase.math.sigmoid(realLogits)));
      fakes.add(mean(phase, phase.math.sigmoid(fakeLogits)));
      return discriminatorOptimizer.update(graph, dPass, loss, dPass.statUpdates);
    }
    NetworkLowering.Pass realPass = new NetworkLowering.Pass(phase, training, streamKey(phase, stepRead, 2 * j));
    Operand<TFloat32> realLogits = discriminator.forward(realPass, real);
    Operand<TFloat32> realLoss = mean(phase, crossEntropy(phase, realLogits, true));
    Op realDone = discriminatorOptimizer.update(graph, realPass, realLoss, realPass.statUpdates);
    Ops second = phase.withControlDependencies(List.of(realDone));
    NetworkLowering.Pass fakePass = new NetworkLowering.Pass(second, training, streamKey(second, stepRead, 2 * j + 1));
    Operand<TFloat32> fakeLogits = discriminator.forward(fakePass, fake);
    Operand<TFloat32> fakeLoss = mean(phase, crossEntropy(phase, fakeLogits, false));
    losses.add(phase.math.mul(phase.constant(0.5f), phase.math.add(realLoss, fakeLoss)));
    reals.add(mean(phase, phase.math.sigmoid(realLogits)));
    fakes.add(mean(phase, phase.math.sigmoid(fakeLogits)));
    return discriminatorOptimizer.update(graph, fakePass, fakeLoss, fakePass.statUpdates);
  }

  /** Latent noise for stream {@code slot} of the current step: in-graph, or a slice of the fed noise. */
  private Operand<TFloat32> noise(Ops tf, Operand<TInt64> stepRead, int slot) {
    int b = spec.batchSize();
    int latent = spec.gan().latentDim();
    if (feedsNoise()) {
      return tf.slice(noiseInput, tf.constant(new int[] {slot * b, 0}), tf.constant(new int[] {b, latent}));
    }
    Operand<TInt64> key = tf.concat(List.of(tf.constant(new long[] {spec.seed()}),
        tf.reshape(streamKey(tf, stepRead, slot), tf.constant(new int[] {1}))), tf.constant(0));
    Operand<TInt64> shape = tf.constant(new long[] {b, latent});
    if (spec.sampler() instanceof Normal n) {
      Operand<TFloat32> z = tf.random.statelessRandomNormal(shape, key);
      return n.mean() == 0f && n.stddev() == 1f ? z
          : tf.math.add(tf.math.mul(z, tf.constant(n.stddev())), tf.constant(n.mean()));
    }
    if (spec.sampler() instanceof Uniform u) {
      Operand<TFloat32> z = tf.random.statelessRandomUniform(shape, key);
      return tf.math.add(tf.math.mul(z, tf.constant(u.high() - u.low())), tf.constant(u.low()));
    }
    TruncatedNormal t = (TruncatedNormal) spec.sampler();
    return tf.math.mul(tf.random.statelessTruncatedNormal(shape, key), tf.constant(t.stddev()));
  }

  private static Operand<TInt64> streamKey(Ops tf, Operand<TInt64> stepRead, int slot) {
    return tf.math.add(tf.math.mul(stepRead, tf.constant((long) STREAMS_PER_STEP)), tf.constant((long) slot));
  }

  /** Binary cross-entropy of logits against an all-ones or all-zeros label, element-wise, stable. */
  private static Operand<TFloat32> crossEntropy(Ops tf, Operand<TFloat32> logits, boolean real) {
    // softplus(-x) for label 1, softplus(x) for label 0: relu(+-x) + log1p(exp(-|x|))
    Operand<TFloat32> signed = real ? tf.math.neg(logits) : logits;
    return tf.math.add(tf.nn.relu(signed), tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(logits)))));
  }

  private static Operand<TFloat32> mean(Ops tf, Operand<TFloat32> x) {
    return tf.math.mean(tf.reshape(x, tf.constant(new int[] {-1})), tf.constant(0));
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

  /**
   * Runs a full step.
   *
   * @param real {@code k * batchSize} images, NHWC
   * @param noise {@code (k + 1) * batchSize} latent vectors when {@link #feedsNoise()}, else null
   * @return d_loss, g_loss, D(x), D(G(z)), and the sum of squares of all weights after the step
   */
  public float[] step(float[] real, float[] noise) {
    return run(fullStep, real, noise);
  }

  /** Runs k discriminator updates only; returns d_loss, NaN, D(x), D(G(z)), weights' sum of squares. */
  public float[] discriminatorStep(float[] real, float[] noise) {
    return run(discriminatorOnly, real, noise);
  }

  /** Runs one generator update only; returns NaN, g_loss, NaN, NaN, weights' sum of squares. */
  public float[] generatorStep(float[] noise) {
    return run(generatorOnly, null, noise);
  }

  /**
   * Runs a full step with TensorFlow's tracing on and sums the time of the executed kernels
   * by op type (grappler's fused and oneDNN ops keep their own names).
   *
   * @return op type -> {total microseconds, kernel count}, slowest first
   */
  public Map<String, long[]> profileStep(float[] real, float[] noise) {
    Map<String, long[]> byType = new LinkedHashMap<>();
    run(fullStep, real, noise, metadata -> {
      for (var device : metadata.getStepStats().getDevStatsList()) {
        for (var node : device.getNodeStatsList()) {
          String type = opType(node.getNodeName(), node.getTimelineLabel());
          long micros = node.getOpEndRelMicros() > 0 ? node.getOpEndRelMicros() : node.getAllEndRelMicros();
          long[] acc = byType.computeIfAbsent(type, t -> new long[2]);
          acc[0] += micros;
          acc[1]++;
        }
      }
    });
    List<Map.Entry<String, long[]>> sorted = new ArrayList<>(byType.entrySet());
    sorted.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
    Map<String, long[]> out = new LinkedHashMap<>();
    sorted.forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  private String opType(String nodeName, String label) {
    int eq = label.indexOf(" = ");
    int paren = label.indexOf('(', Math.max(eq, 0));
    if (eq >= 0 && paren > eq) {
      return label.substring(eq + 3, paren);
    }
    var op = graph.operation(nodeName);
    return op != null ? op.type() : nodeName;
  }

  private float[] run(Target target, float[] real, float[] noise) {
    return run(target, real, noise, null);
  }

  private float[] run(Target target, float[] real, float[] noise,
      java.util.function.Consumer<org.tensorflow.proto.RunMetadata> trace) {
    checkOpen();
    List<Tensor> feeds = new ArrayList<>();
    try {
      Session.Runner runner = session.runner().addTarget(target.done());
      if (real != null) {
        TFloat32 t = TFloat32.tensorOf(realInput.shape(), DataBuffers.of(real, true, false));
        feeds.add(t);
        runner.feed(realInput, t);
      }
      if (noiseInput != null && noise != null) {
        TFloat32 t = TFloat32.tensorOf(noiseInput.shape(), DataBuffers.of(noise, true, false));
        feeds.add(t);
        runner.feed(noiseInput, t);
      }
      Operand<?>[] fetched = {target.dLoss(), target.gLoss(), target.dReal(), target.dFake(), target.weightNorm()};
      for (Operand<?> f : fetched) {
        if (f != null) {
          runner.fetch(f);
        }
      }
      if (trace != null) {
        runner.setOptions(org.tensorflow.proto.RunOptions.newBuilder()
            .setTraceLevel(org.tensorflow.proto.RunOptions.TraceLevel.FULL_TRACE).build());
      }
      float[] out = new float[fetched.length];
      try (Result result = trace != null ? runner.runAndFetchMetadata() : runner.run()) {
        if (trace != null) {
          result.getMetadata().ifPresent(trace);
        }
        int i = 0;
        for (int slot = 0; slot < fetched.length; slot++) {
          out[slot] = fetched[slot] == null ? Float.NaN : ((TFloat32) result.get(i++)).getFloat();
        }
      }
      return out;
    } finally {
      feeds.forEach(Tensor::close);
    }
  }

  /** Generates {@code count} images from {@code count * latentDim} latent values, G in inference mode. */
  public float[] generate(float[] latents, int count) {
    checkOpen();
    int latent = spec.gan().latentDim();
    try (TFloat32 z = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(count, latent),
            DataBuffers.of(latents, true, false));
        Result result = session.runner().feed(sampleLatent, z).fetch(sampleImages).run()) {
      TFloat32 images = (TFloat32) result.get(0);
      float[] out = new float[(int) images.size()];
      images.copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }

  /** The number of steps run so far (full, discriminator-only and generator-only). */
  public long stepCount() {
    checkOpen();
    try (Result r = session.runner().fetch(stepCounter).run()) {
      return ((TInt64) r.get(0)).getLong();
    }
  }

  /** Current values of all float variables (weights, BatchNorm statistics, optimizer slots), by name. */
  public Map<String, float[]> variableValues() {
    checkOpen();
    List<Variable<?>> vars = new ArrayList<>();
    vars.addAll(generator.variables().values());
    vars.addAll(discriminator.variables().values());
    vars.addAll(generatorOptimizer.variables());
    vars.addAll(discriminatorOptimizer.variables());
    vars.add(stepCounter);
    Map<String, float[]> out = new LinkedHashMap<>();
    Session.Runner runner = session.runner();
    vars.forEach(runner::fetch);
    try (Result r = runner.run()) {
      for (int i = 0; i < vars.size(); i++) {
        Tensor t = r.get(i);
        float[] values;
        if (t instanceof TFloat32 f) {
          values = new float[(int) f.size()];
          f.copyTo(DataBuffers.of(values, false, false));
        } else {
          values = new float[] {((TInt64) t).getLong()};
        }
        out.put(vars.get(i).op().name(), values);
      }
    }
    return out;
  }

  /** Saves every variable under {@code dir} (TensorFlow checkpoint files with prefix {@code dir/variables}). */
  public void save(Path dir) throws IOException {
    checkOpen();
    Files.createDirectories(dir);
    session.save(dir.resolve("variables").toString());
  }

  /** Restores every variable from a directory written by {@link #save}. */
  public void restore(Path dir) {
    checkOpen();
    session.restore(dir.resolve("variables").toString());
  }

  /**
   * Exports the generator alone as a SavedModel: signature {@code serving_default}, input
   * {@code latent} (batch, latentDim), output {@code images} (batch, h, w, c), BatchNorm in
   * inference mode.
   */
  public void exportGenerator(Path dir) throws IOException {
    checkOpen();
    Path tmp = Files.createTempDirectory("gan4j-export");
    try {
      save(tmp);
      GeneratorExport.export(spec.gan(), spec.seed(), tmp.resolve("variables").toString(), dir);
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
