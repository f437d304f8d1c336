package io.github.gan4j.tf;

import io.github.gan4j.recipe.ClusterSpec;
import io.github.gan4j.recipe.Precision;
import io.github.gan4j.recipe.TrainingRecipe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.train.Restore;
import org.tensorflow.types.family.TType;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The session of a training graph: its configuration, running step targets (feeding
 * plain arrays, closing every tensor), tracing, reading variables, save and restore.
 */
final class GraphSession implements AutoCloseable {

  /** A float or int input of a run: exactly one of {@code values} and {@code ints} is not null. */
  record Feed(Placeholder<?> input, float[] values, int[] ints) {
    /** A float input. */
    Feed(Placeholder<TFloat32> input, float[] values) {
      this(input, values, null);
    }

    /** An int input. */
    static Feed ints(Placeholder<TInt32> input, int[] values) {
      return new Feed(input, null, values);
    }

    Tensor tensor() {
      return values != null ? TFloat32.tensorOf(input.shape(), DataBuffers.of(values, true, false))
          : TInt32.tensorOf(input.shape(), DataBuffers.of(ints, true, false));
    }
  }

  private final Graph graph;
  private final Session session;

  /** A session for {@code graph} configured by {@code recipe}, running in {@code precision} (the one in effect). */
  GraphSession(Graph graph, TrainingRecipe recipe, Precision precision) {
    this(graph, recipe, precision, null);
  }

  /**
   * As {@link #GraphSession(Graph, TrainingRecipe, Precision)}; with a {@code cluster}, the session
   * runs on this process's TensorFlow server as worker {@code cluster.task()} ({@link ClusterSession}),
   * variables initialized.
   */
  GraphSession(Graph graph, TrainingRecipe recipe, Precision precision, ClusterSpec cluster) {
    this.graph = graph;
    this.session = cluster == null ? new Session(graph, config(recipe, precision))
        : ClusterSession.open(graph, cluster, config(recipe, precision));
  }

  static ConfigProto config(TrainingRecipe recipe, Precision precision) {
    RewriterConfig.Builder rewrite = RewriterConfig.newBuilder();
    if (precision == Precision.MIXED_BFLOAT16) {
      rewrite.setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON);
    }
    OptimizerOptions.Builder optimizer = OptimizerOptions.newBuilder();
    if (recipe.xla()) {
      optimizer.setGlobalJitLevel(OptimizerOptions.GlobalJitLevel.ON_1);
    }
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(recipe.intraOpThreads())
        .setInterOpParallelismThreads(recipe.interOpThreads())
        // TensorFlow sizes its process-wide pools from the first session; explicit thread
        // counts get pools of their own so they hold whatever ran before
        .setUsePerSessionThreads(recipe.intraOpThreads() != 0 || recipe.interOpThreads() != 0)
        .setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(rewrite).setOptimizerOptions(optimizer))
        .build();
  }

  /**
   * Runs a step target once; {@code trace}, when not null, receives TensorFlow's full trace;
   * with {@code gradients}, the target's gradients are fetched too (the same run, the same updates).
   */
  StepResult run(StepAssembly.Target target, List<Feed> feeds, Consumer<RunMetadata> trace, boolean gradients) {
    List<Tensor> tensors = new ArrayList<>();
    try {
      Session.Runner runner = session.runner().addTarget(target.done());
      for (Feed feed : feeds) {
        Tensor t = feed.tensor();
        tensors.add(t);
        runner.feed(feed.input(), t);
      }
      List<Operand<TFloat32>> fetched = new ArrayList<>(List.of(target.weightNorm()));
      Operand<?>[] optional = {target.dLoss(), target.gLoss(), target.dReal(), target.dFake(), target.dFakeInDUpdate(),
          target.penalty()};
      for (Operand<?> f : optional) {
        if (f != null) {
          @SuppressWarnings("unchecked")
          Operand<TFloat32> fetch = (Operand<TFloat32>) f;
          fetched.add(fetch);
        }
      }
      int firstGradient = fetched.size();
      if (gradients) {
        fetched.addAll(target.gradients().values());
      }
      fetched.forEach(runner::fetch);
      if (trace != null) {
        runner.setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build());
      }
      try (Result result = trace != null ? runner.runAndFetchMetadata() : runner.run()) {
        if (trace != null) {
          result.getMetadata().ifPresent(trace);
        }
        float[] values = new float[optional.length];
        int i = 1;
        for (int slot = 0; slot < optional.length; slot++) {
          values[slot] = optional[slot] == null ? Float.NaN : ((TFloat32) result.get(i++)).getFloat();
        }
        boolean finite = Float.isFinite(((TFloat32) result.get(0)).getFloat());
        Map<String, float[]> gradientValues = new LinkedHashMap<>();
        if (gradients) {
          int g = firstGradient;
          for (String name : target.gradients().keySet()) {
            gradientValues.put(name, toArray((TFloat32) result.get(g++)));
          }
        }
        return new StepResult(values[0], values[1], values[2], values[3], values[4], values[5], finite,
            gradientValues);
      }
    } finally {
      tensors.forEach(Tensor::close);
    }
  }

  /**
   * Runs a step target with TensorFlow's tracing on and sums the time of the executed
   * kernels by op type (grappler's fused and oneDNN ops keep their own names).
   *
   * @return op type -> {total microseconds, kernel count}, slowest first
   */
  Map<String, long[]> profile(StepAssembly.Target target, List<Feed> feeds) {
    Map<String, long[]> byType = new LinkedHashMap<>();
    run(target, feeds, metadata -> {
      for (var device : metadata.getStepStats().getDevStatsList()) {
        for (var node : device.getNodeStatsList()) {
          String type = opType(node.getNodeName(), node.getTimelineLabel());
          long micros = node.getOpEndRelMicros() > 0 ? node.getOpEndRelMicros() : node.getAllEndRelMicros();
          long[] acc = byType.computeIfAbsent(type, t -> new long[2]);
          acc[0] += micros;
          acc[1]++;
        }
      }
    }, false);
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

  /** Feeds {@code input} and returns {@code output} as a flat array. */
  float[] compute(Placeholder<TFloat32> input, float[] values, org.tensorflow.ndarray.Shape shape,
      Operand<TFloat32> output) {
    try (TFloat32 in = TFloat32.tensorOf(shape, DataBuffers.of(values, true, false));
        Result result = session.runner().feed(input, in).fetch(output).run()) {
      return toArray((TFloat32) result.get(0));
    }
  }

  /** Feeds {@code feeds} (their placeholders' shapes may be partial: {@code shapes} gives each) and returns {@code output}. */
  float[] compute(List<Feed> feeds, List<org.tensorflow.ndarray.Shape> shapes, Operand<TFloat32> output) {
    List<Tensor> tensors = new ArrayList<>();
    try {
      Session.Runner runner = session.runner();
      for (int i = 0; i < feeds.size(); i++) {
        Feed f = feeds.get(i);
        Tensor t = f.values() != null ? TFloat32.tensorOf(shapes.get(i), DataBuffers.of(f.values(), true, false))
            : TInt32.tensorOf(shapes.get(i), DataBuffers.of(f.ints(), true, false));
        tensors.add(t);
        runner.feed(f.input(), t);
      }
      try (Result result = runner.fetch(output).run()) {
        return toArray((TFloat32) result.get(0));
      }
    } finally {
      tensors.forEach(Tensor::close);
    }
  }

  /** Runs {@code op} once, fetching nothing. */
  void run(Op op) {
    session.runner().addTarget(op).run().close();
  }

  private static float[] toArray(TFloat32 t) {
    float[] out = new float[Math.toIntExact(t.size())];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  /** Feeds {@code values} to {@code input} and returns {@code output}, both int64 vectors. */
  long[] exchange(Placeholder<TInt64> input, long[] values, Operand<TInt64> output) {
    try (TInt64 in = TInt64.vectorOf(values); Result r = session.runner().feed(input, in).fetch(output).run()) {
      TInt64 t = (TInt64) r.get(0);
      long[] out = new long[(int) t.size()];
      t.copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }

  /** The value of an int64 scalar variable. */
  long read(Variable<TInt64> counter) {
    try (Result r = session.runner().fetch(counter).run()) {
      return ((TInt64) r.get(0)).getLong();
    }
  }

  /** The values of float scalars, in order. */
  float[] scalars(List<Operand<TFloat32>> scalars) {
    Session.Runner runner = session.runner();
    scalars.forEach(runner::fetch);
    try (Result r = runner.run()) {
      float[] out = new float[scalars.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = ((TFloat32) r.get(i)).getFloat();
      }
      return out;
    }
  }

  /** Current values of float (and int64 scalar) variables, by op name; int64 values as one-element arrays. */
  Map<String, float[]> values(List<Variable<?>> variables) {
    Map<String, float[]> out = new LinkedHashMap<>();
    Session.Runner runner = session.runner();
    variables.forEach(runner::fetch);
    try (Result r = runner.run()) {
      for (int i = 0; i < variables.size(); i++) {
        Tensor t = r.get(i);
        float[] values;
        if (t instanceof TFloat32 f) {
          values = new float[(int) f.size()];
          f.copyTo(DataBuffers.of(values, false, false));
        } else {
          values = new float[] {((TInt64) t).getLong()};
        }
        out.put(variables.get(i).op().name(), values);
      }
    }
    return out;
  }

  /** Saves every variable under {@code dir} (TensorFlow checkpoint files with prefix {@code dir/variables}). */
  void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    session.save(prefix(dir));
  }

  /** Restores every variable from a directory written by {@link #save}. */
  void restore(Path dir) {
    session.restore(prefix(dir));
  }

  /**
   * Sets every variable to its initial value, then restores only {@code variables} (by name)
   * from a directory written by {@link #save}; the others keep their initial values.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  void restore(Path dir, List<Variable<?>> variables) {
    session.forceInitialize();
    Ops tf = Ops.create(graph).withSubScope("partial_restore");
    String[] names = new String[variables.size()];
    String[] slices = new String[variables.size()];
    List<Class<? extends TType>> types = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      names[i] = variables.get(i).op().name();
      slices[i] = "";
      types.add(variables.get(i).type());
    }
    Restore read = tf.train.restore(tf.constant(prefix(dir)),
        tf.constant(StandardCharsets.UTF_8, names), tf.constant(StandardCharsets.UTF_8, slices), types);
    Session.Runner runner = session.runner();
    for (int i = 0; i < names.length; i++) {
      runner.addTarget(tf.assign((Operand) variables.get(i), (Operand) read.tensors().get(i)));
    }
    runner.run().close();
  }

  static String prefix(Path dir) {
    return dir.resolve("variables").toString();
  }

  @Override
  public void close() {
    session.close();
  }
}
