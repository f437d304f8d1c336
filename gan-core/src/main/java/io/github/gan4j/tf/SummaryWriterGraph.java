package io.github.gan4j.tf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.summary.SummaryWriter;
import org.tensorflow.op.summary.WriteImageSummary;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;

/**
 * One TensorBoard event file, written by TensorFlow's own summary ops ({@code SummaryOps}) in a
 * small graph and session of their own: {@code CreateSummaryFileWriter} once, then per write
 * one {@code Session.run} whose targets are the {@code WriteScalarSummary},
 * {@code WriteImageSummary} and {@code WriteHistogramSummary} ops of the values written, fed
 * from Java. The ops of a tag are built the first time the tag is written (the graph grows
 * with the number of distinct tags, not with the steps). TensorFlow buffers events until
 * {@link #flush()}, {@link #close()}, a queue of {@code maxQueue} events or
 * {@code flushMillis} since the last flush.
 *
 * <p>Internal: the public view is {@code io.github.gan4j.train.TensorBoard}. Not thread-safe.
 */
public final class SummaryWriterGraph implements AutoCloseable {
  /** Color of non-finite pixels: required by the op; uint8 images have none. */
  private static final byte[] BAD_COLOR = {(byte) 255, 0, 0, (byte) 255};

  /** An image, HWC bytes (1, 3 or 4 channels). */
  public record Image(String tag, int height, int width, int channels, byte[] pixels) {}

  /** Values whose histogram TensorFlow computes; every value must be finite. */
  public record Histogram(String tag, float[] values) {}

  private record Slot<T extends org.tensorflow.types.family.TType>(Placeholder<T> input, Op write) {}

  private final Graph graph;
  private final Ops tf;
  private final Session session;
  private final SummaryWriter writer;
  private final Placeholder<TInt64> step;
  private final Map<String, Slot<TFloat32>> scalars = new HashMap<>();
  private final Map<String, Slot<TUint8>> images = new HashMap<>();
  private final Map<String, Slot<TFloat32>> histograms = new HashMap<>();
  private final Op flush;
  private final Op closeWriter;
  private boolean closed;

  static {
    OneDnn.prepare();   // before this class first touches TensorFlow
  }

  /**
   * Creates a new event file in {@code dir} (TensorFlow names it
   * {@code events.out.tfevents.<seconds>.<host>.<pid>.<n>}) and writes its version header.
   */
  public SummaryWriterGraph(Path dir, int maxQueue, int flushMillis) {
    this.graph = new Graph();
    try {
      this.tf = Ops.create(graph).withSubScope("tensorboard");
      this.writer = tf.summary.summaryWriter();
      Op create = tf.summary.createSummaryFileWriter(writer, tf.constant(dir.toAbsolutePath().toString()),
          tf.constant(maxQueue), tf.constant(flushMillis), tf.constant(""));
      this.step = tf.withName("step").placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
      this.flush = tf.summary.flushSummaryWriter(writer);
      this.closeWriter = tf.summary.closeSummaryWriter(writer);
      // its own small thread pools: it never takes the training session's
      this.session = new Session(graph, ConfigProto.newBuilder().setIntraOpParallelismThreads(1)
          .setInterOpParallelismThreads(1).setUsePerSessionThreads(true).build());
      try {
        session.runner().addTarget(create).run().close();
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
    } catch (RuntimeException | Error e) {
      graph.close();
      throw e;
    }
  }

  /**
   * Writes every value given at {@code step}, in one run.
   *
   * @param scalars values by tag
   */
  public void write(long step, Map<String, Float> scalars, List<Image> images, List<Histogram> histograms) {
    checkOpen();
    if (scalars.isEmpty() && images.isEmpty() && histograms.isEmpty()) {
      return;
    }
    List<Tensor> tensors = new ArrayList<>();
    try {
      Session.Runner runner = session.runner();
      TInt64 s = TInt64.scalarOf(step);
      tensors.add(s);
      runner.feed(this.step, s);
      for (Map.Entry<String, Float> e : scalars.entrySet()) {
        Slot<TFloat32> slot = this.scalars.computeIfAbsent(e.getKey(), this::scalarSlot);
        TFloat32 v = TFloat32.scalarOf(e.getValue());
        tensors.add(v);
        runner.feed(slot.input(), v).addTarget(slot.write());
      }
      for (Image image : images) {
        Slot<TUint8> slot = this.images.computeIfAbsent(image.tag(), this::imageSlot);
        TUint8 v = TUint8.tensorOf(Shape.of(1, image.height(), image.width(), image.channels()),
            DataBuffers.of(image.pixels(), true, false));
        tensors.add(v);
        runner.feed(slot.input(), v).addTarget(slot.write());
      }
      for (Histogram h : histograms) {
        Slot<TFloat32> slot = this.histograms.computeIfAbsent(h.tag(), this::histogramSlot);
        TFloat32 v = TFloat32.tensorOf(Shape.of(h.values().length), DataBuffers.of(h.values(), true, false));
        tensors.add(v);
        runner.feed(slot.input(), v).addTarget(slot.write());
      }
      runner.run().close();
    } finally {
      tensors.forEach(Tensor::close);
    }
  }

  private Slot<TFloat32> scalarSlot(String tag) {
    Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    return new Slot<>(in, tf.summary.writeScalarSummary(writer, step, tf.constant(tag), in));
  }

  private Slot<TUint8> imageSlot(String tag) {
    Placeholder<TUint8> in = tf.placeholder(TUint8.class, Placeholder.shape(Shape.of(1, -1, -1, -1)));
    return new Slot<>(in, tf.summary.writeImageSummary(writer, step, tf.constant(tag), in,
        tf.constant(BAD_COLOR), WriteImageSummary.maxImages(1L)));
  }

  private Slot<TFloat32> histogramSlot(String tag) {
    Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
    return new Slot<>(in, tf.summary.writeHistogramSummary(writer, step, tf.constant(tag), in));
  }

  /** Writes the buffered events to the file. */
  public void flush() {
    checkOpen();
    session.runner().addTarget(flush).run().close();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the event file writer is closed");
    }
  }

  /** Flushes and closes the file, then the session and the graph; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      session.runner().addTarget(closeWriter).run().close();
    } finally {
      try {
        session.close();
      } finally {
        graph.close();
      }
    }
  }
}
