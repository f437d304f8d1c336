package io.github.gan4j.tf;

import io.github.gan4j.LabelInput;
import io.github.gan4j.Network;
import io.github.gan4j.NetworkLayer;
import io.github.gan4j.extension.CustomLayer;
import io.github.gan4j.layers.Activation;
import io.github.gan4j.layers.ActivationLayer;
import io.github.gan4j.layers.AveragePooling2D;
import io.github.gan4j.layers.BatchNorm;
import io.github.gan4j.layers.Conv2D;
import io.github.gan4j.layers.Conv2DTranspose;
import io.github.gan4j.layers.Dense;
import io.github.gan4j.layers.Dropout;
import io.github.gan4j.layers.Flatten;
import io.github.gan4j.layers.GlobalSumPooling2D;
import io.github.gan4j.layers.Initializer;
import io.github.gan4j.layers.Layer;
import io.github.gan4j.layers.LeakyRelu;
import io.github.gan4j.layers.Padding;
import io.github.gan4j.layers.Reshape;
import io.github.gan4j.layers.ResidualBlock;
import io.github.gan4j.layers.SelfAttention;
import io.github.gan4j.layers.Shape;
import io.github.gan4j.layers.SpectralNorm;
import io.github.gan4j.layers.UpSampling2D;
import io.github.gan4j.layers.WeightSpec;
import io.github.gan4j.recipe.RandomStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Sum;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The variables of one network and the lowering of its layer specs to TensorFlow ops.
 * Variable names are {@code <network>/<layer>/<weight>}, e.g. {@code generator/dense/kernel};
 * a {@link CustomLayer}'s declared weights are created the same way, and its forward
 * computation is lowered by {@link CustomLayerLowering}.
 */
final class NetworkLowering {

  /** How a forward pass runs: BatchNorm on batch statistics (and updating them) or not; dropout or not. */
  record Mode(boolean batchNormTraining, boolean dropout) {
    static final Mode INFERENCE = new Mode(false, false);
  }

  /** Where a forward pass reads its variables and what it must leave behind. */
  static final class Pass {
    final Ops tf;
    final Mode mode;
    final Map<String, Operand<TFloat32>> reads;
    final List<Op> statUpdates = new ArrayList<>();
    final RandomKeys keys;
    final RandomStream stream;
    /** The class label of each example, int32 (batch), for a conditional network; else null. */
    Operand<TInt32> labels;
    /**
     * Whether the pass stores the power iteration's new {@code u} of its {@link SpectralNorm}
     * layers (an assign in {@link #statUpdates}): by default a training-mode pass does; a pass
     * {@link #sharingReads} never does (it shares the normalized kernels of the pass it shares with).
     */
    private boolean movesSpectralNorm;

    /**
     * @param tf ops builder; its control dependencies gate every variable read of the pass
     * @param keys the step's random keys (for dropout masks), or null for a pass without dropout
     * @param stream the pass's random stream; each dropout layer draws from its own child
     *     {@code <stream>/<network>/<layer>}
     */
    Pass(Ops tf, Mode mode, RandomKeys keys, RandomStream stream) {
      this(tf, mode, keys, stream, new LinkedHashMap<>());
    }

    private Pass(Ops tf, Mode mode, RandomKeys keys, RandomStream stream, Map<String, Operand<TFloat32>> reads) {
      if (mode.dropout() && (keys == null || stream == null)) {
        throw new IllegalArgumentException("a pass with dropout needs random keys and a stream");
      }
      this.tf = tf;
      this.mode = mode;
      this.keys = keys;
      this.stream = stream;
      this.reads = reads;
      this.movesSpectralNorm = mode.batchNormTraining();
    }

    /**
     * This pass, with its {@link SpectralNorm} layers computing from the stored {@code u} without
     * storing the new one: for a second update within one network update (the fake half of
     * separate real and fake discriminator updates), so that {@code u} moves once per update.
     */
    Pass keepingSpectralNormState() {
      movesSpectralNorm = false;
      return this;
    }

    /**
     * A second pass in the same mode that reads the variables through this pass's reads, so
     * that the gradient of a loss with respect to this pass's reads includes both passes (a
     * gradient penalty's extra forward pass). Its dropout masks come from {@code stream}; its
     * BatchNorm statistics updates are collected in its own {@link #statUpdates}.
     */
    Pass sharingReads(RandomStream stream) {
      return new Pass(tf, mode, keys, mode.dropout() ? stream : this.stream, reads).keepingSpectralNormState()
          .labeled(labels);
    }

    /** Sets the class labels of the pass's examples (a conditional network needs them); returns this pass. */
    Pass labeled(Operand<TInt32> labels) {
      this.labels = labels;
      return this;
    }

    /** A pass in inference mode: moving BatchNorm statistics, no dropout, no randomness. */
    static Pass inference(Ops tf) {
      return new Pass(tf, Mode.INFERENCE, null, null);
    }
  }

  private final Network network;
  private final String scope;
  private final long seed;
  private final Replica replica;
  private final Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
  private final List<String> trainable = new ArrayList<>();

  NetworkLowering(Ops tf, Network network, long seed) {
    this(tf, network, seed, network.name());
  }

  /**
   * As {@link #NetworkLowering(Ops, Network, long)}, as one replica of a data-parallel run: its
   * training passes normalize BatchNorm over the global batch and draw dropout masks as their
   * share of a global draw.
   */
  NetworkLowering(Ops tf, Network network, long seed, Replica replica) {
    this(tf, network, seed, network.name(), replica);
  }

  /**
   * The network's variables under {@code scope} instead of its name (the generator's moving
   * average lives under {@code generator_ema}); initial values are those of the variables
   * under the network's name, so both start equal. Dropout streams keep the network's name.
   */
  NetworkLowering(Ops tf, Network network, long seed, String scope) {
    this(tf, network, seed, scope, Replica.single());
  }

  private NetworkLowering(Ops tf, Network network, long seed, String scope, Replica replica) {
    CustomLayerLowering.checkLowerable(network);
    this.network = network;
    this.scope = scope;
    this.seed = seed;
    this.replica = replica;
    // a sub-scope is made unique on every call, so each scope is opened exactly once
    Ops networkScope = tf.withInitScope().withSubScope(scope);
    for (NetworkLayer layer : network.layers()) {
      createVariables(networkScope, layer, layer.name());
    }
    network.labels().ifPresent(labels -> {
      Ops labelScope = networkScope.withSubScope(labels.name());
      for (WeightSpec w : labels.weights()) {
        String name = scope + "/" + labels.name() + "/" + w.name();
        Variable<TFloat32> v = labelScope.withName(w.name()).variable(initialValue(
            labelScope.withSubScope(w.name() + "_init"), w, network.name() + "/" + labels.name() + "/" + w.name()));
        variables.put(name, v);
        trainable.add(name);
      }
    });
  }

  /**
   * Creates the variables of {@code layer} (named {@code local} inside {@code parent}); a
   * residual block opens its scope once and creates its sublayers' variables inside it.
   */
  private void createVariables(Ops parent, NetworkLayer layer, String local) {
    if (layer.layer() instanceof ResidualBlock b) {
      Ops blockScope = parent.withSubScope(local);
      for (List<Layer> path : List.of(b.residualPath(layer.input()), b.shortcutPath(layer.input()))) {
        for (NetworkLayer sub : place(layer, path)) {
          createVariables(blockScope, sub, sub.name().substring(layer.name().length() + 1));
        }
      }
      return;
    }
    if (layer.weights().isEmpty()) {
      return;
    }
    Ops layerScope = parent.withSubScope(local);
    if (layer.layer() instanceof SelfAttention a) {
      for (NetworkLayer sub : attentionProjections(layer, a)) {
        createVariables(layerScope, sub, sub.name().substring(layer.name().length() + 1));
      }
      createWeights(layerScope, layer, layer.weights().subList(layer.weights().size() - 1, layer.weights().size()));
      return;
    }
    createWeights(layerScope, layer, layer.weights());
  }

  /** The four projections of a self-attention layer, placed as {@code <layer>/query} and so on. */
  private static List<NetworkLayer> attentionProjections(NetworkLayer layer, SelfAttention a) {
    Shape in = layer.input();
    Shape reduced = Shape.of(in.dim(0), in.dim(1), SelfAttention.reducedChannels(in.last()));
    List<NetworkLayer> out = new ArrayList<>();
    List<Layer> p = a.projections(in);
    for (int i = 0; i < p.size(); i++) {
      Shape from = i < 3 ? in : reduced;
      Layer c = p.get(i);
      out.add(new NetworkLayer(layer.index(), layer.name() + "/" + c.name(), c, from, c.outputShape(from),
          c.weights(from)));
    }
    return out;
  }

  /** Creates {@code weights} of {@code layer} in {@code layerScope}. */
  private void createWeights(Ops layerScope, NetworkLayer layer, List<WeightSpec> weights) {
    for (WeightSpec w : weights) {
      String name = scope + "/" + layer.name() + "/" + w.name();
      Operand<TFloat32> value = initialValue(layerScope.withSubScope(w.name() + "_init"), w,
          network.name() + "/" + layer.name() + "/" + w.name());
      Variable<TFloat32> v = layerScope.withName(w.name()).variable(value);
      if (!v.op().name().equals(name)) {
        throw new IllegalStateException("variable " + name + " was created as " + v.op().name()
            + "; the graph already holds a scope named " + scope);
      }
      variables.put(name, v);
      if (w.trainable()) {
        trainable.add(name);
      }
    }
  }

  /** {@code layer} itself, or for a residual block its sublayers (recursively), placed as {@link #place} does. */
  static List<NetworkLayer> leaves(NetworkLayer layer) {
    if (!(layer.layer() instanceof ResidualBlock b)) {
      return List.of(layer);
    }
    List<NetworkLayer> out = new ArrayList<>();
    for (List<Layer> path : List.of(b.residualPath(layer.input()), b.shortcutPath(layer.input()))) {
      for (NetworkLayer sub : place(layer, path)) {
        out.addAll(leaves(sub));
      }
    }
    return out;
  }

  /**
   * The layers of one path of {@code block}, placed: named {@code <block>/<sublayer>} (so their
   * variables are {@code <network>/<block>/<sublayer>/<weight>}), with their shapes, at the
   * block's index.
   */
  static List<NetworkLayer> place(NetworkLayer block, List<Layer> path) {
    List<NetworkLayer> placed = new ArrayList<>();
    Shape s = block.input();
    for (Layer sub : path) {
      Shape out = sub.outputShape(s);
      placed.add(new NetworkLayer(block.index(), block.name() + "/" + sub.name(), sub, s, out, sub.weights(s)));
      s = out;
    }
    return placed;
  }

  Network network() {
    return network;
  }

  /** The replica this network's passes belong to ({@link Replica#single()} outside a cluster). */
  Replica replica() {
    return replica;
  }

  /** Every variable, by full name, in creation order. */
  Map<String, Variable<TFloat32>> variables() {
    return variables;
  }

  /** Names of the variables an optimizer trains. */
  List<String> trainable() {
    return trainable;
  }

  /**
   * The starting value of a weight. Random initializers draw from a stateless stream keyed by
   * (seed, hash of the variable's full name), so a variable's start depends on its name, not
   * on its position in the graph.
   */
  private Operand<TFloat32> initialValue(Ops tf, WeightSpec w, String name) {
    Operand<TInt64> dims = tf.constant(toLongs(w.shape().dims()));
    Initializer init = w.initializer();
    if (init instanceof Initializer.Zeros) {
      return tf.zeros(dims, TFloat32.class);
    }
    if (init instanceof Initializer.Ones) {
      return tf.ones(dims, TFloat32.class);
    }
    int[] d = w.shape().dims();
    long receptive = 1;
    for (int i = 0; i < d.length - 2; i++) {
      receptive *= d[i];
    }
    long fanIn = d.length >= 2 ? d[d.length - 2] * receptive : d[0];
    long fanOut = d[d.length - 1] * receptive;
    Operand<TInt64> key = tf.constant(new long[] {seed, name.hashCode() & 0xffffffffL});
    if (init instanceof Initializer.GlorotUniform) {
      float limit = (float) Math.sqrt(6.0 / (fanIn + fanOut));
      Operand<TFloat32> u = tf.random.statelessRandomUniform(dims, key);
      return tf.math.sub(tf.math.mul(u, tf.constant(2f * limit)), tf.constant(limit));
    }
    if (init instanceof Initializer.Normal n) {
      return tf.math.mul(tf.random.statelessRandomNormal(dims, key), tf.constant(n.stddev()));
    }
    if (init instanceof Initializer.HeNormal) {
      // Keras: truncated at 2 sigma, divided by the truncated unit normal's stddev
      double stddev = Math.sqrt(2.0 / fanIn) / TRUNCATED_NORMAL_STDDEV;
      return tf.math.mul(tf.random.statelessTruncatedNormal(dims, key), tf.constant((float) stddev));
    }
    throw new IllegalStateException("no lowering for initializer " + init.describe());
  }

  /** Standard deviation of the unit normal truncated to [-2, 2] (Keras's constant). */
  private static final double TRUNCATED_NORMAL_STDDEV = 0.87962566103423978;

  private static long[] toLongs(int[] dims) {
    long[] out = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      out[i] = dims[i];
    }
    return out;
  }

  private Operand<TFloat32> read(Pass pass, String layerName, String weight) {
    String name = scope + "/" + layerName + "/" + weight;
    return pass.reads.computeIfAbsent(name, n -> pass.tf.identity(variables.get(n)));
  }

  /**
   * The kernel a weight layer computes with in {@code pass}: the variable as read, or, under a
   * {@link SpectralNorm}, the read divided by its estimated largest singular value, built once
   * per set of shared reads (so a gradient penalty's pass uses its update's normalized kernel).
   */
  private Operand<TFloat32> kernel(Pass pass, NetworkLayer l) {
    Operand<TFloat32> w = read(pass, l.name(), "kernel");
    if (!(l.layer() instanceof SpectralNorm sn)) {
      return w;
    }
    String key = scope + "/" + l.name() + "/kernel:normalized";   // ':' is never part of a variable name
    Operand<TFloat32> normalized = pass.reads.get(key);
    if (normalized == null) {
      normalized = spectralNormalized(pass, l, sn, w);
      pass.reads.put(key, normalized);
    }
    return normalized;
  }

  /**
   * {@code W / sigma} with {@code sigma} from {@link SpectralNorm#powerIterations()} power
   * iterations on {@code Wm = reshape(W, (-1, n))} from the stored {@code u} (1, n):
   * {@code v = normalize(u Wm^T)}, {@code u = normalize(v Wm)}, then {@code sigma = v Wm u^T}
   * with {@code u} and {@code v} constant, so the gradient reaches {@code W} through both
   * {@code W} and {@code sigma}, as in Miyato et al. A pass that moves the state stores the new
   * {@code u}; the assign's input depends on the one read of {@code u}, so it cannot overwrite
   * the value before it is used.
   */
  private Operand<TFloat32> spectralNormalized(Pass pass, NetworkLayer l, SpectralNorm sn, Operand<TFloat32> w) {
    // a layer inside a residual block is named <block>/<sublayer>; a scope name has no '/'
    Ops tf = pass.tf.withSubScope(l.name().replace('/', '.') + "_spectral_norm");
    Variable<TFloat32> uVar = variables.get(scope + "/" + l.name() + "/u");
    long n = uVar.shape().size(1);
    Operand<TFloat32> matrix = tf.reshape(w, tf.constant(new long[] {-1, n}));
    Operand<TFloat32> constant = tf.stopGradient(matrix);
    Operand<TFloat32> u = tf.stopGradient(tf.identity(uVar));
    Operand<TFloat32> vw = null;
    for (int i = 0; i < sn.powerIterations(); i++) {
      Operand<TFloat32> v = normalize(tf, tf.linalg.matMul(u, constant, org.tensorflow.op.linalg.MatMul.transposeB(true)),
          sn.epsilon());
      vw = tf.linalg.matMul(v, i == sn.powerIterations() - 1 ? matrix : constant);
      u = tf.stopGradient(normalize(tf, vw, sn.epsilon()));
    }
    Operand<TFloat32> sigma = tf.sum(tf.math.mul(vw, u), tf.constant(new int[] {0, 1}));
    if (pass.movesSpectralNorm) {
      pass.statUpdates.add(tf.assign(uVar, u));
    }
    return tf.math.div(w, sigma);
  }

  /** {@code x / (|x| + epsilon)} for a row vector (1, n). */
  private static Operand<TFloat32> normalize(Ops tf, Operand<TFloat32> x, float epsilon) {
    Operand<TFloat32> norm = tf.math.sqrt(tf.sum(tf.math.square(x), tf.constant(new int[] {0, 1})));
    return tf.math.div(x, tf.math.add(norm, tf.constant(epsilon)));
  }

  /** Builds the forward pass of the whole network on {@code x} (batch first). */
  Operand<TFloat32> forward(Pass pass, Operand<TFloat32> x) {
    List<Operand<TFloat32>> outputs = outputs(pass, x);
    return outputs.isEmpty() ? x : outputs.get(outputs.size() - 1);
  }

  /** Builds the forward pass on {@code x} and returns every layer's output, in order (a classifier's features). */
  List<Operand<TFloat32>> outputs(Pass pass, Operand<TFloat32> x) {
    List<Operand<TFloat32>> outputs = new ArrayList<>();
    LabelInput labels = network.labels().orElse(null);
    if (labels != null && pass.labels == null) {
      throw new IllegalStateException("the conditional " + network.name() + " needs the labels of its pass");
    }
    Operand<TFloat32> h = labels == null ? x : labelsIn(pass, labels, x);
    List<NetworkLayer> layers = network.layers();
    for (int i = 0; i < layers.size(); i++) {
      Operand<TFloat32> in = h;
      h = layer(pass, layers.get(i), h);
      if (labels != null && labels.name().equals(LabelInput.PROJECTION) && i == layers.size() - 1) {
        // projection: dense(h) + <embed(y), h>, h the input of the last dense(1)
        Ops tf = pass.tf;
        Operand<TFloat32> e = tf.linalg.matMul(oneHot(pass), read(pass, labels.name(), "embeddings"));
        h = tf.math.add(h, tf.sum(tf.math.mul(e, in), tf.constant(new int[] {1}), Sum.keepDims(true)));
      }
      outputs.add(h);
    }
    return outputs;
  }

  /** The pass's labels one-hot, float (batch, numClasses). */
  private Operand<TFloat32> oneHot(Pass pass) {
    Ops tf = pass.tf;
    int classes = network.labels().orElseThrow().conditioning().numClasses();
    return tf.oneHot(pass.labels, tf.constant(classes), tf.constant(1f), tf.constant(0f));
  }

  /** The network's input with the labels joined: the embedding after the latent, or label maps after the channels. */
  private Operand<TFloat32> labelsIn(Pass pass, LabelInput labels, Operand<TFloat32> x) {
    Ops tf = pass.tf;
    if (labels.name().equals(LabelInput.EMBEDDING)) {
      Operand<TFloat32> e = tf.linalg.matMul(oneHot(pass), read(pass, labels.name(), "embeddings"));
      return tf.concat(List.of(x, e), tf.constant(1));
    }
    if (labels.name().equals(LabelInput.LABEL_MAPS)) {
      int[] maps = labels.output().dims();
      Operand<TFloat32> y = tf.reshape(oneHot(pass), tf.constant(new int[] {-1, 1, 1, maps[2]}));
      Operand<TFloat32> ones = tf.ones(tf.constant(new int[] {1, maps[0], maps[1], 1}), TFloat32.class);
      return tf.concat(List.of(x, tf.math.mul(y, ones)), tf.constant(3));
    }
    return x;
  }

  /** Conditional BatchNorm's per-class scale and offset of layer {@code n}, (batch, 1, 1, channels) each, or null. */
  private Operand<TFloat32>[] classAffine(Pass pass, NetworkLayer l, int channels) {
    if (l.weights().stream().noneMatch(w -> w.name().equals(LabelInput.CLASS_GAMMA))) {
      return null;
    }
    Ops tf = pass.tf;
    Operand<TInt32> shape = tf.constant(new int[] {-1, 1, 1, channels});
    Operand<TFloat32> y = oneHot(pass);
    @SuppressWarnings("unchecked")
    Operand<TFloat32>[] out = new Operand[] {
        tf.reshape(tf.linalg.matMul(y, read(pass, l.name(), LabelInput.CLASS_GAMMA)), shape),
        tf.reshape(tf.linalg.matMul(y, read(pass, l.name(), LabelInput.CLASS_BETA)), shape)};
    return out;
  }

  private Operand<TFloat32> layer(Pass pass, NetworkLayer l, Operand<TFloat32> x) {
    Ops tf = pass.tf;
    String n = l.name();
    // a spectral norm lowers as the layer it wraps, with the normalized kernel
    Layer spec = l.layer() instanceof SpectralNorm sn ? sn.layer() : l.layer();
    if (spec instanceof Dense d) {
      Operand<TFloat32> y = tf.linalg.matMul(x, kernel(pass, l));
      if (d.useBias()) {
        y = tf.nn.biasAdd(y, read(pass, n, "bias"));
      }
      return activate(tf, y, d.activation());
    }
    if (spec instanceof Conv2D c) {
      Operand<TFloat32> y = tf.nn.conv2d(x, kernel(pass, l), strides(c.strides()), padding(c.padding()));
      if (c.useBias()) {
        y = tf.nn.biasAdd(y, read(pass, n, "bias"));
      }
      return activate(tf, y, c.activation());
    }
    if (spec instanceof Conv2DTranspose c) {
      Operand<TInt32> outShape = batchShape(tf, x, l.output().dims());
      Operand<TFloat32> y = tf.nn.conv2dBackpropInput(outShape, kernel(pass, l), x,
          strides(c.strides()), padding(c.padding()));
      if (c.useBias()) {
        y = tf.nn.biasAdd(y, read(pass, n, "bias"));
      }
      return activate(tf, y, c.activation());
    }
    if (l.layer() instanceof BatchNorm bn) {
      return batchNorm(pass, l, bn, x);
    }
    if (l.layer() instanceof LeakyRelu lr) {
      return tf.nn.leakyRelu(x, org.tensorflow.op.nn.LeakyRelu.alpha(lr.alpha()));
    }
    if (l.layer() instanceof ActivationLayer a) {
      return activate(tf, x, a.activation());
    }
    if (l.layer() instanceof Reshape || l.layer() instanceof Flatten) {
      return tf.reshape(x, tf.constant(withBatch(-1, l.output().dims())));
    }
    if (l.layer() instanceof Dropout d) {
      if (!pass.mode.dropout() || d.rate() == 0f) {
        return x;
      }
      Operand<TInt64> key = pass.keys.key(tf, pass.stream.child(network.name() + "/" + n));
      // a replica's mask is its rows of the mask a single process would draw for the global batch
      Operand<TFloat32> u = x.shape().hasUnknownDimension()
          ? tf.random.statelessRandomUniform(tf.shape(x), key)
          : replica.share(tf, x.shape().size(0), rows -> tf.random
              .statelessRandomUniform(tf.constant(withBatch(rows, x.shape().asArray())), key));
      Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(u, tf.constant(d.rate())), TFloat32.class);
      return tf.math.mul(x, tf.math.mul(keep, tf.constant(1f / (1f - d.rate()))));
    }
    if (l.layer() instanceof UpSampling2D u) {
      // nearest neighbour as a broadcast: (B, H, 1, W, 1, C) + zeros(1, 1, s, 1, s, 1)
      int[] in = l.input().dims();
      Operand<TFloat32> r = tf.reshape(x, tf.constant(new int[] {-1, in[0], 1, in[1], 1, in[2]}));
      Operand<TFloat32> z = tf.zeros(tf.constant(new int[] {1, 1, u.size(), 1, u.size(), 1}), TFloat32.class);
      return tf.reshape(tf.math.add(r, z), tf.constant(withBatch(-1, l.output().dims())));
    }
    if (l.layer() instanceof AveragePooling2D p) {
      // a mean over reshaped windows rather than AvgPool, whose gradient TensorFlow cannot differentiate again
      int[] in = l.input().dims();
      int[] out = l.output().dims();
      int k = p.poolSize();
      Operand<TFloat32> whole = in[0] == out[0] * k && in[1] == out[1] * k ? x
          : tf.slice(x, tf.constant(new int[] {0, 0, 0, 0}),
              tf.constant(new int[] {-1, out[0] * k, out[1] * k, in[2]}));
      Operand<TFloat32> windows = tf.reshape(whole, tf.constant(new int[] {-1, out[0], k, out[1], k, in[2]}));
      return tf.math.mean(windows, tf.constant(new int[] {2, 4}));
    }
    if (l.layer() instanceof GlobalSumPooling2D) {
      return tf.reduceSum(x, tf.constant(new int[] {1, 2}));
    }
    if (l.layer() instanceof ResidualBlock b) {
      Operand<TFloat32> residual = x;
      for (NetworkLayer sub : place(l, b.residualPath(l.input()))) {
        residual = layer(pass, sub, residual);
      }
      Operand<TFloat32> shortcut = x;
      for (NetworkLayer sub : place(l, b.shortcutPath(l.input()))) {
        shortcut = layer(pass, sub, shortcut);
      }
      return tf.math.add(residual, shortcut);
    }
    if (l.layer() instanceof SelfAttention a) {
      return selfAttention(pass, l, a, x);
    }
    if (l.layer() instanceof CustomLayer c) {
      return CustomLayerLowering.forward(pass, network, l, c, x, weight -> read(pass, n, weight), seed);
    }
    throw new IllegalStateException("no lowering for layer " + l.layer().describe());
  }

  /**
   * SAGAN's attention: the projections are placed as sublayers {@code <layer>/query} and so on
   * (lowered as any conv2d), {@code y = x + gamma * output(softmax(q k^T) v)} over the h * w positions.
   */
  private Operand<TFloat32> selfAttention(Pass pass, NetworkLayer l, SelfAttention a, Operand<TFloat32> x) {
    Ops tf = pass.tf;
    int[] in = l.input().dims();
    int reduced = SelfAttention.reducedChannels(in[2]);
    List<NetworkLayer> p = attentionProjections(l, a);
    Operand<TInt32> positions = tf.constant(new int[] {-1, in[0] * in[1], reduced});
    Operand<TFloat32> q = tf.reshape(layer(pass, p.get(0), x), positions);
    Operand<TFloat32> k = tf.reshape(layer(pass, p.get(1), x), positions);
    Operand<TFloat32> v = tf.reshape(layer(pass, p.get(2), x), positions);
    Operand<TFloat32> beta = tf.nn.softmax(tf.train.batchMatMul(q, k, TFloat32.class,
        org.tensorflow.op.train.BatchMatMul.adjY(true)));
    Operand<TFloat32> attended = tf.reshape(tf.train.batchMatMul(beta, v, TFloat32.class),
        tf.constant(new int[] {-1, in[0], in[1], reduced}));
    Operand<TFloat32> o = layer(pass, p.get(3), attended);
    return tf.math.add(x, tf.math.mul(read(pass, l.name(), "gamma"), o));
  }

  private Operand<TFloat32> batchNorm(Pass pass, NetworkLayer l, BatchNorm bn, Operand<TFloat32> x) {
    Ops tf = pass.tf;
    String n = l.name();
    boolean vector = l.input().rank() == 1;
    Operand<TFloat32> in = vector
        ? tf.reshape(x, tf.constant(new int[] {-1, 1, 1, l.input().dim(0)}))
        : x;
    boolean training = pass.mode.batchNormTraining();
    int channels = l.input().last();
    Operand<TFloat32>[] affine = classAffine(pass, l, channels);
    if (training && replica.count() > 1) {
      return synchronizedBatchNorm(pass, l, bn, x, in, vector, affine);
    }
    Operand<TInt32> c = tf.constant(new int[] {channels});
    FusedBatchNorm<TFloat32, TFloat32> fbn = tf.nn.fusedBatchNorm(in,
        affine != null ? tf.ones(c, TFloat32.class) : read(pass, n, "gamma"),
        affine != null ? tf.zeros(c, TFloat32.class) : read(pass, n, "beta"),
        read(pass, n, "moving_mean"), read(pass, n, "moving_variance"),
        FusedBatchNorm.epsilon(bn.epsilon()),
        FusedBatchNorm.exponentialAvgFactor(1f - bn.momentum()),
        FusedBatchNorm.isTraining(training));
    if (training) {
      // with exponentialAvgFactor set, these outputs are the updated moving statistics
      String prefix = scope + "/" + n + "/";
      pass.statUpdates.add(tf.assign(variables.get(prefix + "moving_mean"), fbn.batchMean()));
      pass.statUpdates.add(tf.assign(variables.get(prefix + "moving_variance"), fbn.batchVariance()));
    }
    Operand<TFloat32> y = affine == null ? fbn.y() : tf.math.add(tf.math.mul(fbn.y(), affine[0]), affine[1]);
    return vector ? tf.reshape(y, tf.constant(new int[] {-1, l.input().dim(0)})) : y;
  }

  /**
   * BatchNorm in training mode over the global batch: the mean and mean square of each channel
   * are averaged over all replicas (one all-reduce; its gradient is the mean over replicas of the
   * incoming gradients), so every replica normalizes with the statistics a single process would
   * compute for the whole batch and updates the moving statistics identically. The moving
   * variance takes the unbiased variance of the global batch, as FusedBatchNormV3 does.
   */
  private Operand<TFloat32> synchronizedBatchNorm(Pass pass, NetworkLayer l, BatchNorm bn, Operand<TFloat32> x,
      Operand<TFloat32> in, boolean vector, Operand<TFloat32>[] affine) {
    Ops tf = pass.tf;
    String n = l.name();
    int channels = (int) in.shape().size(3);
    Operand<TInt32> axes = tf.constant(new int[] {0, 1, 2});
    Operand<TFloat32> localMean = tf.math.mean(in, axes);
    Operand<TFloat32> localSquare = tf.math.mean(tf.math.square(in), axes);
    Operand<TFloat32> both = replica.mean(tf, tf.concat(List.of(localMean, localSquare), tf.constant(0)));
    Operand<TFloat32> mean = tf.slice(both, tf.constant(new int[] {0}), tf.constant(new int[] {channels}));
    Operand<TFloat32> square = tf.slice(both, tf.constant(new int[] {channels}), tf.constant(new int[] {channels}));
    Operand<TFloat32> variance = tf.math.maximum(tf.math.sub(square, tf.math.square(mean)), tf.constant(0f));
    Operand<TFloat32> rsqrt = tf.math.rsqrt(tf.math.add(variance, tf.constant(bn.epsilon())));
    Operand<TFloat32> y;
    if (affine == null) {
      Operand<TFloat32> scale = tf.math.mul(read(pass, n, "gamma"), rsqrt);
      y = tf.math.add(tf.math.mul(tf.math.sub(in, mean), scale), read(pass, n, "beta"));
    } else {
      y = tf.math.add(tf.math.mul(tf.math.mul(tf.math.sub(in, mean), rsqrt), affine[0]), affine[1]);
    }
    long count = in.shape().size(0) * in.shape().size(1) * in.shape().size(2) * replica.count();
    float factor = 1f - bn.momentum();
    String prefix = scope + "/" + n + "/";
    Operand<TFloat32> movingMean = read(pass, n, "moving_mean");
    Operand<TFloat32> movingVariance = read(pass, n, "moving_variance");
    Operand<TFloat32> unbiased = tf.math.mul(variance, tf.constant(count > 1 ? (float) count / (count - 1) : 1f));
    pass.statUpdates.add(tf.assign(variables.get(prefix + "moving_mean"), tf.math.add(
        tf.math.mul(movingMean, tf.constant(1f - factor)), tf.math.mul(tf.stopGradient(mean), tf.constant(factor)))));
    pass.statUpdates.add(tf.assign(variables.get(prefix + "moving_variance"), tf.math.add(
        tf.math.mul(movingVariance, tf.constant(1f - factor)),
        tf.math.mul(tf.stopGradient(unbiased), tf.constant(factor)))));
    return vector ? tf.reshape(y, tf.constant(new int[] {-1, l.input().dim(0)})) : y;
  }

  private static Operand<TFloat32> activate(Ops tf, Operand<TFloat32> y, Activation a) {
    switch (a) {
      case RELU:
        return tf.nn.relu(y);
      case TANH:
        return tf.math.tanh(y);
      case SIGMOID:
        return tf.math.sigmoid(y);
      default:
        return y;
    }
  }

  private static Operand<TInt32> batchShape(Ops tf, Operand<TFloat32> x, int[] dims) {
    Operand<TInt32> batch = tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    return tf.concat(List.of(batch, tf.constant(dims)), tf.constant(0));
  }

  private static List<Long> strides(int s) {
    return List.of(1L, (long) s, (long) s, 1L);
  }

  private static String padding(Padding p) {
    return p == Padding.SAME ? "SAME" : "VALID";
  }

  private static long[] withBatch(long batch, long[] dims) {
    long[] out = dims.clone();
    out[0] = batch;
    return out;
  }

  private static int[] withBatch(int batch, int[] dims) {
    int[] out = new int[dims.length + 1];
    out[0] = batch;
    System.arraycopy(dims, 0, out, 1, dims.length);
    return out;
  }
}
