package io.github.gan4j.eval;

import io.github.gan4j.layers.Shape;
import io.github.gan4j.tf.OneDnn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * A SavedModel that turns images into features (and optionally logits): the evaluator's own
 * classifier, or a model the user supplies. Thread-safe: concurrent calls share one session;
 * {@link #close()} waits for them. Every tensor and result is closed; data leaves as arrays.
 */
final class FeatureModel implements AutoCloseable {
  private final Path dir;
  private final SavedModelBundle bundle;
  private final SessionFunction function;
  private final String input;
  private final long[] inputShape;
  private final String features;
  private final String logits;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  /** What the model made of a batch. */
  record Output(float[] features, int featureSize, float[] logits, int classes) {}

  private FeatureModel(Path dir, SavedModelBundle bundle, SessionFunction function, String input, long[] inputShape,
      String features, String logits) {
    this.dir = dir;
    this.bundle = bundle;
    this.function = function;
    this.input = input;
    this.inputShape = inputShape;
    this.features = features;
    this.logits = logits;
  }

  /**
   * Loads the SavedModel in {@code dir} (tag {@code serve}) and finds its signature: the default
   * one ({@code serving_default}), or the only one. It must have exactly one float input.
   *
   * @param features the name of the signature output that holds the features
   * @param logits the name of the output that holds class logits, or null
   * @throws IllegalArgumentException naming what is missing and what the model has
   */
  static FeatureModel load(Path dir, String features, String logits) {
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      throw new IllegalArgumentException("no SavedModel in " + dir + " (saved_model.pb is missing)");
    }
    OneDnn.prepare();
    SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG);
    OneDnn.warnIfOff();
    try {
      SessionFunction function = signature(dir, bundle);
      Signature s = function.signature();
      Map<String, Signature.TensorDescription> inputs = s.getInputs();
      Map<String, Signature.TensorDescription> outputs = s.getOutputs();
      if (inputs.size() != 1) {
        throw new IllegalArgumentException("the SavedModel in " + dir + " has the inputs " + describe(inputs)
            + " in signature '" + s.key() + "'; an evaluator's model takes one input, a batch of images");
      }
      var in = inputs.entrySet().iterator().next();
      if (in.getValue().dataType != DataType.DT_FLOAT) {
        throw new IllegalArgumentException("the SavedModel in " + dir + " takes " + in.getValue().dataType
            + " input '" + in.getKey() + "'; an evaluator's model takes float32 images in [-1, 1]");
      }
      for (String name : new String[] {features, logits}) {
        if (name != null && !outputs.containsKey(name)) {
          throw new IllegalArgumentException("the SavedModel in " + dir + " has no output '" + name + "' in signature '"
              + s.key() + "'; its outputs are " + describe(outputs));
        }
      }
      return new FeatureModel(dir, bundle, function, in.getKey(), in.getValue().shape.asArray(), features, logits);
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  private static SessionFunction signature(Path dir, SavedModelBundle bundle) {
    var functions = bundle.functions();
    for (SessionFunction f : functions) {
      if (f.signature().key().equals(Signature.DEFAULT_KEY)) {
        return f;
      }
    }
    if (functions.size() == 1) {
      return functions.get(0);
    }
    throw new IllegalArgumentException("the SavedModel in " + dir + " has no signature '" + Signature.DEFAULT_KEY
        + "' and " + functions.size() + " others (" + functions.stream().map(f -> f.signature().key()).toList()
        + "); export the feature model with a default signature");
  }

  private static String describe(Map<String, Signature.TensorDescription> tensors) {
    Map<String, String> out = new TreeMap<>();
    tensors.forEach((k, v) -> out.put(k, v.dataType + " " + v.shape));
    return out.toString();
  }

  /** The model's input as the signature declares it, (batch, height, width, channels), -1 for any size. */
  long[] inputShape() {
    return inputShape.clone();
  }

  /** Whether the model has a logits output. */
  boolean hasLogits() {
    return logits != null;
  }

  /** The adaptation of images of {@code shape} to this model's input. */
  ModelInput inputFor(Shape shape) {
    return ModelInput.of(shape, inputShape, "the SavedModel in " + dir);
  }

  /** Runs images {@code first .. first + n - 1} of {@code images} (adapted by {@code adapt}). */
  Output run(float[] images, int first, int n, ModelInput adapt) {
    Shape shape = adapt.to();
    float[] fed = adapt.identity() ? images : adapt.adapt(images, first, n);
    long offset = adapt.identity() ? (long) first * shape.size() : 0;
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the evaluator is closed");
      }
      try (TFloat32 x = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(shape.withBatch(n)),
              DataBuffers.of(fed, true, false).slice(offset, n * shape.size()));
          Result r = function.call(Map.of(input, x))) {
        float[] f = flat(r, features, n);
        float[] l = logits == null ? null : flat(r, logits, n);
        return new Output(f, f.length / n, l, l == null ? 0 : l.length / n);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  private float[] flat(Result r, String name, int n) {
    Tensor t = r.get(name).orElseThrow(() -> new IllegalStateException("the SavedModel in " + dir
        + " returned no '" + name + "'"));
    if (!(t instanceof TFloat32 f)) {
      throw new IllegalArgumentException("output '" + name + "' of the SavedModel in " + dir + " is "
          + t.dataType() + "; features and logits must be float32");
    }
    if (f.shape().numDimensions() < 1 || f.shape().size(0) != n || f.size() % n != 0 || f.size() == 0) {
      throw new IllegalArgumentException("output '" + name + "' of the SavedModel in " + dir + " has shape "
          + f.shape() + " for a batch of " + n + "; expected (" + n + ", ...)");
    }
    float[] out = new float[(int) f.size()];
    f.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  /** Releases the native session; idempotent; waits for running calls. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        bundle.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
