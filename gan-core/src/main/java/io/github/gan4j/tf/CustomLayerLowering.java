package io.github.gan4j.tf;

import io.github.gan4j.GanConfigurationException;
import io.github.gan4j.Network;
import io.github.gan4j.NetworkLayer;
import io.github.gan4j.extension.CustomLayer;
import io.github.gan4j.extension.LayerContext;
import io.github.gan4j.layers.Layer;
import io.github.gan4j.layers.Shape;
import io.github.gan4j.layers.WeightSpec;
import io.github.gan4j.recipe.RandomStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The lowering of user-defined layers ({@link CustomLayer}): the {@link LayerContext} a layer
 * builds its ops with, and the checks that turn a wrong custom layer into a configuration
 * error when the graph is built rather than a failure at run time.
 */
final class CustomLayerLowering {

  /** The stream of the keys of inference passes, which have no step: the key's step word is 0. */
  static final RandomStream INFERENCE = new RandomStream("inference");

  private CustomLayerLowering() {}

  /**
   * Refuses layers that implement {@link Layer.Custom} without {@link CustomLayer}: they have
   * no forward computation to lower.
   */
  static void checkLowerable(Network network) {
    for (NetworkLayer l : network.layers()) {
      if (l.layer() instanceof Layer.Custom && !(l.layer() instanceof CustomLayer)) {
        String type = l.layer().getClass().getName();
        throw new GanConfigurationException(network.name(), l.index(), l.layer().describe(), l.input(),
            network.name() + "[" + l.index() + "] " + l.layer().describe() + " (" + type
                + ") implements Layer.Custom but not io.github.gan4j.extension.CustomLayer,"
                + " so it has no forward computation to lower to TensorFlow.",
            null,
            "implement io.github.gan4j.extension.CustomLayer instead of Layer.Custom, and build the layer's"
                + " ops in its forward(LayerContext, Operand<TFloat32>).");
      }
    }
  }

  /**
   * Lowers {@code l}, a custom layer, on {@code x} in {@code pass}.
   *
   * @param read reads a weight of the layer by its short name, for this pass
   * @param seed the run's seed, for the keys of inference passes
   */
  static Operand<TFloat32> forward(NetworkLowering.Pass pass, Network network, NetworkLayer l, CustomLayer layer,
      Operand<TFloat32> x, Function<String, Operand<TFloat32>> read, long seed) {
    Context context = new Context(pass, network, l, read, seed);
    Operand<TFloat32> y = layer.forward(context, x);
    if (y == null) {
      throw error(network, l, "forward returned null.", null,
          "return the layer's output operand from forward(LayerContext, Operand<TFloat32>).");
    }
    checkShape(network, l, x, y);
    checkTrainableWeightsRead(network, l, context.read, pass);
    if (!knownBeyondBatch(y.shape())) {
      // what TensorFlow could not infer is checked when the graph runs, and known from here on
      long[] dims = new long[l.output().rank() + 1];
      dims[0] = -1;
      for (int i = 0; i < l.output().rank(); i++) {
        dims[i + 1] = l.output().dim(i);
      }
      y = context.tf.ensureShape(y, org.tensorflow.ndarray.Shape.of(dims));
    }
    return y;
  }

  /**
   * The output's static shape must be {@code (batch, outputShape(input))}, with the input's
   * batch; dimensions TensorFlow cannot infer at graph build are checked when the graph runs.
   */
  private static void checkShape(Network network, NetworkLayer l, Operand<TFloat32> x, Operand<TFloat32> y) {
    org.tensorflow.ndarray.Shape found = y.shape();
    Shape expected = l.output();
    long batch = x.shape().isUnknown() ? org.tensorflow.ndarray.Shape.UNKNOWN_SIZE : x.shape().get(0);
    boolean mismatch = false;
    if (!found.isUnknown()) {
      mismatch = found.numDimensions() != expected.rank() + 1
          || (batch >= 0 && found.get(0) >= 0 && found.get(0) != batch);
      for (int i = 0; !mismatch && i < expected.rank(); i++) {
        long d = found.get(i + 1);
        mismatch = d >= 0 && d != expected.dim(i);
      }
    }
    if (mismatch) {
      String where = network.name() + "[" + l.index() + "] " + l.layer().describe();
      String declared = "(" + (batch >= 0 ? String.valueOf(batch) : "None") + ", " + expected.toString().substring(1);
      throw error(network, l,
          where + " built an output of shape " + describe(found) + " where its outputShape declares "
              + declared + ".",
          where + ": " + l.input() + " -> " + expected + " by outputShape" + l.input() + ", "
              + describe(found) + " by forward (the first dimension is the batch, " + describe(x.shape())
              + " on entry).",
          "make forward(LayerContext, Operand<TFloat32>) and outputShape(Shape) of "
              + l.layer().getClass().getSimpleName() + " agree.");
    }
  }

  private static boolean knownBeyondBatch(org.tensorflow.ndarray.Shape s) {
    if (s.isUnknown()) {
      return false;
    }
    for (int i = 1; i < s.numDimensions(); i++) {
      if (s.get(i) < 0) {
        return false;
      }
    }
    return true;
  }

  private static void checkTrainableWeightsRead(Network network, NetworkLayer l, Set<String> read,
      NetworkLowering.Pass pass) {
    if (!pass.mode.dropout() && !pass.mode.batchNormTraining()) {
      return;
    }
    for (WeightSpec w : l.weights()) {
      if (w.trainable() && !read.contains(w.name())) {
        throw error(network, l,
            network.name() + "[" + l.index() + "] " + l.layer().describe() + " declares the trainable weight '"
                + w.name() + "' but its forward never reads it.",
            null,
            "read it with context.weight(\"" + w.name() + "\"), or declare it with trainable=false.");
      }
    }
  }

  private static GanConfigurationException error(Network network, NetworkLayer l, String problem, String detail,
      String fix) {
    return new GanConfigurationException(network.name(), l.index(), l.layer().describe(), l.input(), problem,
        detail, fix);
  }

  /** {@code (32, 4, 4, 3)} as TensorFlow knows it at graph build ({@code None}, {@code ?}: unknown). */
  private static String describe(org.tensorflow.ndarray.Shape s) {
    if (s.isUnknown()) {
      return "<unknown rank>";
    }
    List<String> dims = new ArrayList<>();
    for (int i = 0; i < s.numDimensions(); i++) {
      dims.add(s.get(i) >= 0 ? String.valueOf(s.get(i)) : i == 0 ? "None" : "?");
    }
    return "(" + String.join(", ", dims) + ")";
  }

  /** What a custom layer sees of its pass. */
  private static final class Context implements LayerContext {
    private final NetworkLowering.Pass pass;
    private final Network network;
    private final NetworkLayer layer;
    private final Function<String, Operand<TFloat32>> reader;
    private final long seed;
    private final Ops tf;
    private final Set<String> read = new LinkedHashSet<>();
    private Operand<TInt64> key;

    Context(NetworkLowering.Pass pass, Network network, NetworkLayer layer,
        Function<String, Operand<TFloat32>> reader, long seed) {
      this.pass = pass;
      this.network = network;
      this.layer = layer;
      this.reader = reader;
      this.seed = seed;
      // keeps the pass's control dependencies; the scope name is made unique per pass
      this.tf = pass.tf.withSubScope(layer.name());
    }

    @Override
    public Ops tf() {
      return tf;
    }

    @Override
    public boolean training() {
      return pass.mode.dropout();
    }

    @Override
    public Shape inputShape() {
      return layer.input();
    }

    @Override
    public Operand<TFloat32> weight(String name) {
      if (layer.weights().stream().noneMatch(w -> w.name().equals(name))) {
        List<String> declared = layer.weights().stream().map(WeightSpec::name).toList();
        throw new IllegalArgumentException(network.name() + "[" + layer.index() + "] " + layer.layer().describe()
            + " has no weight named '" + name + "'; "
            + (declared.isEmpty() ? "its weights(inputShape) declares none"
                : "its weights(inputShape) declares " + declared)
            + ".");
      }
      read.add(name);
      return reader.apply(name);
    }

    @Override
    public Operand<TInt64> randomKey() {
      if (key == null) {
        String part = network.name() + "/" + layer.name();
        key = pass.keys != null && pass.stream != null
            ? pass.keys.key(tf, pass.stream.child(part))
            : tf.constant(INFERENCE.child(part).key(seed, 0L));
      }
      return key;
    }
  }
}
