package io.github.gan4j.train;

import io.github.gan4j.layers.Shape;
import io.github.gan4j.sample.Sampler;
import io.github.gan4j.tf.OneDnn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * A generator exported by {@link Trainer#exportGenerator}, loaded without the training
 * graph. Thread-safe: concurrent {@code generate} calls share one TensorFlow session.
 *
 * <pre>{@code
 * try (TrainedGenerator g = TrainedGenerator.load(Path.of("run/generator"))) {
 *   float[] images = g.generate(25, 7L);   // 25 images, NHWC floats in [-1, 1]
 * }
 * }</pre>
 */
public final class TrainedGenerator implements AutoCloseable {
  private static final String INPUT = "latent";
  private static final String OUTPUT = "images";

  private final SavedModelBundle bundle;
  private final SessionFunction function;
  private final int latentDim;
  private final Shape imageShape;
  /** generate calls share the read lock; close takes the write lock, so it never frees a session in use */
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  private TrainedGenerator(SavedModelBundle bundle) {
    this.bundle = bundle;
    this.function = bundle.function(Signature.DEFAULT_KEY);
    Signature s = function.signature();
    long[] in = s.getInputs().get(INPUT).shape.asArray();
    long[] out = s.getOutputs().get(OUTPUT).shape.asArray();
    this.latentDim = (int) in[1];
    this.imageShape = Shape.of((int) out[1], (int) out[2], (int) out[3]);
  }

  /**
   * Loads a generator exported by {@link Trainer#exportGenerator}.
   *
   * @throws IllegalArgumentException if {@code dir} holds no such export
   */
  public static TrainedGenerator load(Path dir) {
    OneDnn.prepare();
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      throw new IllegalArgumentException("no exported generator in " + dir + " (saved_model.pb is missing);"
          + " export one with Trainer.exportGenerator");
    }
    SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG);
    OneDnn.warnIfOff();
    try {
      return new TrainedGenerator(bundle);
    } catch (RuntimeException e) {
      bundle.close();
      throw new IllegalArgumentException("the SavedModel in " + dir + " is not a gan4j generator"
          + " (expected signature '" + Signature.DEFAULT_KEY + "' with input '" + INPUT + "' and output '"
          + OUTPUT + "')", e);
    }
  }

  /** Size of one latent vector. */
  public int latentDim() {
    return latentDim;
  }

  /** Shape of one generated image. */
  public Shape imageShape() {
    return imageShape;
  }

  /**
   * Generates one image per latent vector ({@code latents.length / latentDim} images).
   *
   * @return NHWC floats, normally in [-1, 1]
   */
  public float[] generate(float[] latents) {
    if (latents.length == 0 || latents.length % latentDim != 0) {
      throw new IllegalArgumentException("got " + latents.length + " latent values; expected a positive multiple of "
          + "latentDim " + latentDim);
    }
    int count = latents.length / latentDim;
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the generator is closed");
      }
      try (TFloat32 z = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(count, latentDim),
              DataBuffers.of(latents, true, false));
          Result r = function.call(Map.of(INPUT, z))) {
        TFloat32 images = (TFloat32) r.get(OUTPUT).orElseThrow();
        float[] out = new float[(int) images.size()];
        images.copyTo(DataBuffers.of(out, false, false));
        return out;
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Generates {@code count} images from standard normal latents drawn with {@code seed}. */
  public float[] generate(int count, long seed) {
    return generate(count, seed, Sampler.normal());
  }

  /** Generates {@code count} images from latents drawn from {@code sampler} with {@code seed}. */
  public float[] generate(int count, long seed, Sampler sampler) {
    if (count <= 0) {
      throw new IllegalArgumentException("count must be positive, was " + count);
    }
    float[] z = new float[count * latentDim];
    sampler.sample(seed, 0, z);
    return generate(z);
  }

  /** Releases the native session; idempotent. */
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
