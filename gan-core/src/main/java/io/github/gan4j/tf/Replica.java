package io.github.gan4j.tf;

import io.github.gan4j.recipe.ClusterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.LongFunction;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.op.RawCustomGradient;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * One replica of a synchronous data-parallel run (or the only one): which share of every global
 * batch it computes, and the collective ops that keep all replicas identical.
 *
 * <ul>
 *   <li>{@link #mean(Ops, List)}: the mean over all replicas of a list of tensors, packed into one
 *       {@code CollectiveReduceV2} (gradients before each apply, the step's reported losses).
 *   <li>{@link #mean(Ops, Operand)} with a gradient that is itself a mean over replicas
 *       (registered once per process for the op type {@code CollectiveReduceV2}): BatchNorm's
 *       batch statistics over the global batch, so that {@code d(sum of all replicas' losses)/dx}
 *       reaches each replica's own activations.
 *   <li>{@link #share(Ops, long, LongFunction)}: this replica's rows of a random draw over the whole global batch, so a
 *       replica draws exactly the noise, dropout masks, interpolation weights and augmentation
 *       parameters that a single process would use for the same samples.
 * </ul>
 *
 * <p>Every collective gets the next instance key of its graph, in the order the graph is built;
 * all replicas build the same graph in the same order, so keys match across processes.
 */
final class Replica {
  /** The one collective group: all workers. */
  private static final int GROUP_KEY = 1;
  private static final Map<ExecutionEnvironment, Replica> BY_GRAPH = Collections.synchronizedMap(new WeakHashMap<>());
  /** Held strongly for the life of the process: TensorFlow keeps only a native pointer to it. */
  private static final RawCustomGradient MEAN_GRADIENT = Replica::meanGradient;
  private static boolean gradientRegistered;

  private final ClusterSpec cluster;
  private final int batch;
  private int nextInstanceKey = 1;

  private Replica(ClusterSpec cluster, int batch) {
    this.cluster = cluster;
    this.batch = batch;
  }

  /** A single process: no collectives, the whole batch. */
  static Replica single() {
    return new Replica(null, -1);
  }

  /**
   * Replica {@code cluster.task()} of {@code cluster.size()} of a run with global batches of
   * {@code globalBatch}, building its collectives in {@code graph}.
   *
   * @throws IllegalArgumentException if the batch cannot be split evenly over the workers
   */
  static Replica of(ClusterSpec cluster, ExecutionEnvironment graph, int globalBatch) {
    Replica r = new Replica(cluster, cluster.shareOf(globalBatch));
    BY_GRAPH.put(graph, r);
    return r;
  }

  boolean distributed() {
    return cluster != null;
  }

  /** The cluster, or null for a single process. */
  ClusterSpec cluster() {
    return cluster;
  }

  int index() {
    return cluster == null ? 0 : cluster.task();
  }

  int count() {
    return cluster == null ? 1 : cluster.size();
  }

  /** The rows of every global batch of {@code globalBatch} this replica computes. */
  int share(int globalBatch) {
    return cluster == null ? globalBatch : cluster.shareOf(globalBatch);
  }

  /** How many collective instances the graph holds so far (equal on every replica of a well-formed run). */
  int collectives() {
    return nextInstanceKey - 1;
  }

  /**
   * This replica's rows of a draw over the global batch. The local tensor has {@code localRows}
   * rows made of {@code localRows / share} blocks of {@code share} rows (this replica's share of
   * a global batch) (2 blocks for a pass over
   * real and fake images together); the global draw has {@code count()} times as many rows, and
   * block {@code b} of this replica is rows {@code [b * share * count + index * share, ... + share)}
   * of it. A single process draws {@code localRows} rows directly.
   *
   * @param draw makes the global draw, given its number of rows
   */
  <T extends TType> Operand<T> share(Ops tf, long localRows, LongFunction<Operand<T>> draw) {
    int share = batch;
    if (count() == 1 || localRows % share != 0) {
      return draw.apply(localRows);
    }
    Operand<T> all = draw.apply(localRows * count());
    int rank = all.shape().numDimensions();
    int blocks = (int) (localRows / share);
    List<Operand<T>> parts = new ArrayList<>();
    for (int b = 0; b < blocks; b++) {
      long[] begin = new long[rank];
      long[] size = new long[rank];
      Arrays.fill(size, -1L);
      begin[0] = (long) b * share * count() + (long) index() * share;
      size[0] = share;
      parts.add(tf.slice(all, tf.constant(begin), tf.constant(size)));
    }
    return parts.size() == 1 ? parts.get(0) : tf.concat(parts, tf.constant(0));
  }

  /**
   * The mean over all replicas of {@code x}, differentiable: its gradient is the mean over all
   * replicas of the incoming gradients.
   */
  Operand<TFloat32> mean(Ops tf, Operand<TFloat32> x) {
    registerGradient();
    return reduce(tf, x, tf.constant(count()), tf.constant(GROUP_KEY), nextInstanceKey++);
  }

  /**
   * The mean over all replicas of each tensor of {@code xs} (static shapes), with one collective:
   * the tensors are flattened, concatenated, reduced and cut apart again. Not differentiable.
   */
  List<Operand<TFloat32>> mean(Ops tf, List<Operand<TFloat32>> xs) {
    List<Operand<TFloat32>> flat = new ArrayList<>();
    long[] sizes = new long[xs.size()];
    for (int i = 0; i < xs.size(); i++) {
      sizes[i] = xs.get(i).shape().size();
      if (sizes[i] < 0) {
        throw new IllegalStateException("cannot all-reduce " + xs.get(i) + ": its shape is not static");
      }
      flat.add(tf.reshape(xs.get(i), tf.constant(new long[] {sizes[i]})));
    }
    Operand<TFloat32> packed = flat.size() == 1 ? flat.get(0) : tf.concat(flat, tf.constant(0));
    Operand<TFloat32> reduced = reduce(tf, packed, tf.constant(count()), tf.constant(GROUP_KEY), nextInstanceKey++);
    List<Operand<TFloat32>> out = new ArrayList<>();
    long offset = 0;
    for (int i = 0; i < xs.size(); i++) {
      Operand<TFloat32> part = tf.slice(reduced, tf.constant(new long[] {offset}), tf.constant(new long[] {sizes[i]}));
      out.add(tf.reshape(part, tf.constant(xs.get(i).shape().asArray())));
      offset += sizes[i];
    }
    return out;
  }

  /**
   * The step's reported scalars (losses, scores) as means over all replicas, in one collective;
   * null entries stay null. A single process gets them back unchanged.
   */
  @SafeVarargs
  final List<Operand<TFloat32>> reported(Ops tf, Operand<TFloat32>... scalars) {
    List<Operand<TFloat32>> out = new ArrayList<>(Arrays.asList(scalars));
    if (!distributed()) {
      return out;
    }
    List<Operand<TFloat32>> present = new ArrayList<>();
    for (Operand<TFloat32> s : scalars) {
      if (s != null) {
        present.add(s);
      }
    }
    List<Operand<TFloat32>> reduced = mean(tf.withSubScope("reported"), present);
    int next = 0;
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i) != null) {
        out.set(i, reduced.get(next++));
      }
    }
    return out;
  }

  /**
   * Every replica's {@code x} (int64 vector of the same length on all), concatenated in task
   * order, waiting at most {@code timeoutSeconds} for the others.
   */
  Operand<TInt64> gather(Ops tf, Operand<TInt64> x, float timeoutSeconds) {
    return tf.scope().opBuilder("CollectiveGatherV2", "gather")
        .addInput(x.asOutput())
        .addInput(tf.constant(count()).asOutput())
        .addInput(tf.constant(GROUP_KEY).asOutput())
        .addInput(tf.constant(nextInstanceKey++).asOutput())
        .addInputList(new Output<?>[0])
        .setAttr("communication_hint", "auto")
        .setAttr("timeout_seconds", timeoutSeconds)
        .build().output(0);
  }

  private Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> x, Operand<?> groupSize, Operand<?> groupKey,
      int instanceKey) {
    return tf.scope().opBuilder("CollectiveReduceV2", "all_reduce_mean")
        .addInput(x.asOutput())
        .addInput(groupSize.asOutput())
        .addInput(groupKey.asOutput())
        .addInput(tf.constant(instanceKey).asOutput())
        .addInputList(new Output<?>[0])
        .setAttr("merge_op", "Add")
        .setAttr("final_op", "Div")
        .setAttr("communication_hint", "auto")
        .setAttr("timeout_seconds", (float) (cluster.timeout().toMillis() / 1000.0))
        .build().output(0);
  }

  private static synchronized void registerGradient() {
    if (!gradientRegistered) {
      if (!TensorFlow.registerCustomGradient("CollectiveReduceV2", MEAN_GRADIENT)) {
        throw new IllegalStateException("the op CollectiveReduceV2 already has a gradient in this process (registered"
            + " by other code, or built into a newer TensorFlow); gan4j's synchronised BatchNorm needs its own: the"
            + " gradient of a mean over replicas is the mean over replicas of the incoming gradients");
      }
      gradientRegistered = true;
    }
  }

  /** d(mean over replicas of x)/dx, summed over replicas' losses: the mean over replicas of dy. */
  private static List<Operand<?>> meanGradient(Ops tf, GraphOperation op, List<Output<?>> grads) {
    Replica replica = BY_GRAPH.get(op.env());
    if (replica == null || !"Add".equals(op.attributes().getAttrString("merge_op"))
        || !"Div".equals(op.attributes().getAttrString("final_op"))) {
      throw new IllegalStateException("gan4j's gradient of CollectiveReduceV2 applies to its own all-reduce means only,"
          + " not to " + op.name());
    }
    @SuppressWarnings("unchecked")
    Operand<TFloat32> dy = (Operand<TFloat32>) grads.get(0);
    List<Operand<?>> out = new ArrayList<>();
    out.add(replica.reduce(tf, dy, op.input(1), op.input(2), replica.nextInstanceKey++));
    for (int i = 1; i < op.numInputs(); i++) {
      @SuppressWarnings("unchecked")
      Operand<TInt32> in = (Operand<TInt32>) op.input(i);
      out.add(tf.zerosLike(in));
    }
    return out;
  }
}
