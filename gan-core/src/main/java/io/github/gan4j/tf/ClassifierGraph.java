package io.github.gan4j.tf;

import static io.github.gan4j.layers.Activation.RELU;
import static io.github.gan4j.layers.Layers.conv2d;
import static io.github.gan4j.layers.Layers.dense;
import static io.github.gan4j.layers.Layers.flatten;
import static io.github.gan4j.layers.Padding.SAME;

import io.github.gan4j.Network;
import io.github.gan4j.NetworkLayer;
import io.github.gan4j.data.BatchSchedule;
import io.github.gan4j.data.Dataset;
import io.github.gan4j.data.Directories;
import io.github.gan4j.layers.Layer;
import io.github.gan4j.layers.Shape;
import io.github.gan4j.recipe.LearningRateSchedule;
import io.github.gan4j.recipe.Optimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The evaluator's classifier: a small CNN, its training graph (softmax cross-entropy, Adam,
 * gated gradients, as the trainer's {@link OptimizerLowering} builds them) and its export as
 * a SavedModel whose signature maps {@value #INPUT} to {@value #FEATURES} (the penultimate
 * layer) and {@value #LOGITS}. Its layers are gan4j layer specs lowered by
 * {@link NetworkLowering}, so weights start from the stateless, name-keyed initializers and a
 * seed gives the same classifier every time (for one thread configuration).
 *
 * <p>Internal: the public view is {@code io.github.gan4j.eval.Evaluator}.
 */
public final class ClassifierGraph implements AutoCloseable {
  /** The signature's input: images, (batch, height, width, channels), floats in [-1, 1]. */
  public static final String INPUT = "images";
  /** The signature's feature output: the penultimate layer, (batch, {@link #FEATURE_SIZE}). */
  public static final String FEATURES = "features";
  /** The signature's logits output, (batch, classes). */
  public static final String LOGITS = "logits";
  /** The number of features: the units of the penultimate dense layer. */
  public static final int FEATURE_SIZE = 128;
  /** The network's (and its variables' scope's) name. */
  static final String NETWORK = "classifier";
  /** Where the features come from, for people: the network and layer, its size and activation. */
  public static final String FEATURE_LAYER = NETWORK + "/" + FEATURES + " (dense " + FEATURE_SIZE
      + ", relu; the penultimate layer)";

  /** What one epoch of training did. */
  public record Epoch(int epoch, int epochs, double meanLoss, double trainAccuracy, double seconds) {}

  private final Network network;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloat32> images;
  private final Placeholder<TInt32> labels;
  private final Operand<TFloat32> loss;
  private final Operand<TInt64> correct;
  private final Op update;
  private final int batchSize;
  private final long seed;
  private boolean closed;

  static {
    OneDnn.prepare();   // before this class first touches TensorFlow
  }

  /**
   * Builds the training graph for images of {@code imageShape} and {@code classes} classes.
   *
   * @param batchSize images per training step
   * @param seed the initial weights' seed
   */
  public ClassifierGraph(Shape imageShape, int classes, int batchSize, long seed) {
    this.network = network(imageShape, classes);
    this.batchSize = batchSize;
    this.seed = seed;
    this.graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      NetworkLowering lowering = new NetworkLowering(tf, network, seed);
      Variable<TInt64> step = tf.withInitScope().withName("step").variable(tf.withInitScope().constant(0L));
      OptimizerLowering adam = new OptimizerLowering(tf.withInitScope().withSubScope("optimizer"), Optimizer.adam(),
          LearningRateSchedule.constant(), step, lowering);
      this.images = tf.withName("train_images").placeholder(TFloat32.class,
          Placeholder.shape(org.tensorflow.ndarray.Shape.of(imageShape.withBatch(batchSize))));
      this.labels = tf.withName("train_labels").placeholder(TInt32.class,
          Placeholder.shape(org.tensorflow.ndarray.Shape.of(batchSize)));
      // no BatchNorm or dropout: the training pass computes what inference computes
      NetworkLowering.Pass pass = NetworkLowering.Pass.inference(tf);
      Operand<TFloat32> logits = lowering.forward(pass, images);
      // -mean(sum(one_hot(y) * log_softmax(logits))): TensorFlow's C++ gradient registry has LogSoftmax's
      // gradient, not SparseSoftmaxCrossEntropyWithLogits's
      Operand<TFloat32> oneHot = tf.oneHot(labels, tf.constant(classes), tf.constant(1f), tf.constant(0f));
      this.loss = tf.math.neg(tf.math.mean(tf.reduceSum(tf.math.mul(oneHot, tf.nn.logSoftmax(logits)), tf.constant(1)),
          tf.constant(0)));
      this.correct = tf.reduceSum(tf.dtypes.cast(tf.math.equal(tf.math.argMax(logits, tf.constant(1), TInt32.class),
          labels), TInt64.class), tf.constant(0));
      this.update = adam.update(graph, pass, loss, List.of(tf.assignAdd(step, tf.constant(1L))), null);
      this.session = new Session(graph);
      OneDnn.warnIfOff();
    } catch (RuntimeException | Error e) {
      graph.close();
      throw e;
    }
  }

  /** The layers, top to bottom: conv 32, conv 32 / 2, conv 64 / 2, flatten, dense 128 (features), dense (logits). */
  static List<Layer> layers(int classes) {
    return List.of(
        conv2d(32, 3).padding(SAME).activation(RELU),
        conv2d(32, 3).strides(2).padding(SAME).activation(RELU),
        conv2d(64, 3).strides(2).padding(SAME).activation(RELU),
        flatten(),
        dense(FEATURE_SIZE).activation(RELU).name(FEATURES),
        dense(classes).name(LOGITS));
  }

  /** The classifier as gan4j layers with every shape inferred (layer names as Keras would give them). */
  static Network network(Shape imageShape, int classes) {
    List<NetworkLayer> placed = new ArrayList<>();
    Map<String, Integer> counters = new HashMap<>();
    Shape shape = imageShape;
    List<Layer> layers = layers(classes);
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      Shape out = l.outputShape(shape);
      int n = counters.merge(l.kind(), 1, Integer::sum) - 1;
      String name = l.name() != null ? l.name() : n == 0 ? l.kind() : l.kind() + "_" + n;
      placed.add(new NetworkLayer(i, name, l, shape, out, l.weights(shape)));
      shape = out;
    }
    return new Network(NETWORK, imageShape, placed);
  }

  /** The architecture as written, one layer after another (recorded in the evaluator's manifest). */
  public static String describe(Shape imageShape, int classes) {
    return network(imageShape, classes).layers().stream().map(l -> l.layer().describe())
        .collect(Collectors.joining(", "));
  }

  /** Trainable parameters of the classifier. */
  public static long parameters(Shape imageShape, int classes) {
    return network(imageShape, classes).trainableParams();
  }

  /**
   * Trains for {@code epochs} passes over {@code data} (shuffled by {@link BatchSchedule} with
   * the seed; the last incomplete batch of each pass dropped), reporting each epoch.
   */
  public void train(Dataset data, int epochs, Consumer<Epoch> progress) {
    checkOpen();
    BatchSchedule schedule = new BatchSchedule(data.size(), batchSize, seed);
    int imageSize = (int) data.imageShape().size();
    float[] x = new float[batchSize * imageSize];
    int[] y = new int[batchSize];
    int[] index = new int[batchSize];
    org.tensorflow.ndarray.Shape xShape = images.shape();
    org.tensorflow.ndarray.Shape yShape = labels.shape();
    long batch = 0;
    for (int epoch = 1; epoch <= epochs; epoch++) {
      long start = System.nanoTime();
      double lossSum = 0;
      long right = 0;
      for (int b = 0; b < schedule.batchesPerEpoch(); b++, batch++) {
        schedule.indices(batch, index);
        for (int i = 0; i < batchSize; i++) {
          data.copyImage(index[i], x, i * imageSize);
          y[i] = data.label(index[i]);
        }
        try (TFloat32 xt = TFloat32.tensorOf(xShape, DataBuffers.of(x, true, false));
            TInt32 yt = TInt32.tensorOf(yShape, DataBuffers.of(y, true, false));
            Result r = session.runner().feed(images, xt).feed(labels, yt).addTarget(update).fetch(loss).fetch(correct)
                .run()) {
          lossSum += ((TFloat32) r.get(0)).getFloat();
          right += ((TInt64) r.get(1)).getLong();
        }
      }
      int steps = schedule.batchesPerEpoch();
      progress.accept(new Epoch(epoch, epochs, lossSum / steps, (double) right / ((long) steps * batchSize),
          (System.nanoTime() - start) / 1e9));
    }
  }

  /**
   * Exports the classifier in inference form as a SavedModel into {@code dir} (which must not
   * exist or be empty): signature {@code serving_default}, input {@value #INPUT} (batch, h, w, c),
   * outputs {@value #FEATURES} (batch, {@value #FEATURE_SIZE}) and {@value #LOGITS} (batch, classes).
   */
  public void export(Path dir) throws IOException {
    checkOpen();
    Path tmp = Files.createTempDirectory("gan4j-classifier");
    try {
      session.save(GraphSession.prefix(tmp));
      try (Graph inference = new Graph()) {
        Ops tf = Ops.create(inference);
        NetworkLowering lowering = new NetworkLowering(tf, network, seed);
        Placeholder<TFloat32> x = tf.withName(INPUT).placeholder(TFloat32.class,
            Placeholder.shape(org.tensorflow.ndarray.Shape.of(network.input().withBatch(-1))));
        List<Operand<TFloat32>> outputs = lowering.outputs(NetworkLowering.Pass.inference(tf), x);
        Operand<TFloat32> features = tf.withName(FEATURES).identity(outputs.get(featureLayerIndex()));
        Operand<TFloat32> logits = tf.withName(LOGITS).identity(outputs.get(outputs.size() - 1));
        try (Session s = new Session(inference)) {
          s.restore(GraphSession.prefix(tmp));
          Signature signature = Signature.builder().key(Signature.DEFAULT_KEY)
              .input(INPUT, x).output(FEATURES, features).output(LOGITS, logits).build();
          SavedModelBundle.exporter(dir.toString()).withFunction(SessionFunction.create(signature, s)).export();
        }
      }
    } finally {
      Directories.deleteRecursively(tmp);
    }
  }

  private int featureLayerIndex() {
    for (NetworkLayer l : network.layers()) {
      if (FEATURES.equals(l.name())) {
        return l.index();
      }
    }
    throw new IllegalStateException("no layer named " + FEATURES);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the classifier graph is closed");
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
