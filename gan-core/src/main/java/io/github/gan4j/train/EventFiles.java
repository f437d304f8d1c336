package io.github.gan4j.train;

import io.github.gan4j.data.DataFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.HistogramProto;
import org.tensorflow.proto.Summary;
import org.tensorflow.proto.TensorProto;

/**
 * Reads TensorBoard event files, such as {@link TensorBoard} writes, back into Java: every
 * scalar, image and histogram with its step and tag.
 *
 * <pre>{@code
 * for (EventFiles.Entry e : EventFiles.read(runDir.resolve("tensorboard"))) {
 *   if (e instanceof EventFiles.Scalar s && s.tag().equals("losses/g_loss")) {
 *     System.out.println(s.step() + " " + s.value());
 *   }
 * }
 * }</pre>
 *
 * <p>An event file is a sequence of TFRecords (each checked with its two masked CRC32C
 * checksums) holding {@code org.tensorflow.proto.Event}s. A directory's event files (names
 * containing {@code tfevents}) are read in the order TensorBoard reads them, by name, which for
 * files TensorFlow wrote is the order they were created in. A record cut short at the end of a
 * file, as a process killed while writing leaves, ends that file; a checksum that does not
 * match is an error.
 */
public final class EventFiles {
  private EventFiles() {}

  /** What every event file's name contains, as TensorBoard recognizes them. */
  public static final String NAME_MARK = "tfevents";

  /** One value of a summary: a {@link Scalar}, an {@link Image} or a {@link Histogram}. */
  public sealed interface Entry permits Scalar, Image, Histogram {
    /** The training step the value belongs to. */
    long step();

    /** The value's name, such as {@code losses/d_loss}. */
    String tag();

    /** When it was written, in seconds since 1970. */
    double wallTime();
  }

  /**
   * A scalar. TensorFlow stores scalars as float32.
   *
   * @param step the training step
   * @param tag the name
   * @param wallTime when it was written, in seconds since 1970
   * @param value the value
   */
  public record Scalar(long step, String tag, double wallTime, float value) implements Entry {}

  /**
   * An image, as encoded in the file (PNG for images written by TensorFlow's image summary).
   *
   * @param step the training step
   * @param tag the name
   * @param wallTime when it was written, in seconds since 1970
   * @param width width in pixels
   * @param height height in pixels
   * @param channels 1 (gray), 2 (gray and alpha), 3 (RGB) or 4 (RGBA)
   * @param encoded the encoded image; the array is the caller's
   */
  public record Image(long step, String tag, double wallTime, int width, int height, int channels, byte[] encoded)
      implements Entry {}

  /**
   * A histogram, as TensorFlow's histogram summary computes it: {@code buckets.get(i)} values
   * fell in (bucketLimits[i-1], bucketLimits[i]].
   *
   * @param step the training step
   * @param tag the name
   * @param wallTime when it was written, in seconds since 1970
   * @param min the smallest value
   * @param max the largest value
   * @param count how many values
   * @param sum their sum
   * @param sumSquares the sum of their squares
   * @param bucketLimits the right edge of each bucket
   * @param buckets how many values each bucket holds
   */
  public record Histogram(long step, String tag, double wallTime, double min, double max, double count, double sum,
      double sumSquares, List<Double> bucketLimits, List<Double> buckets) implements Entry {
    /** Copies the lists. */
    public Histogram {
      bucketLimits = List.copyOf(bucketLimits);
      buckets = List.copyOf(buckets);
    }
  }

  /**
   * The event files directly in {@code dir} (names containing {@value #NAME_MARK}), by name:
   * the order TensorBoard reads them in. Subdirectories are other runs to TensorBoard and are not
   * listed.
   *
   * @return empty if {@code dir} does not exist
   */
  public static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().contains(NAME_MARK) && Files.isRegularFile(p))
          .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
          .toList();
    }
  }

  /**
   * Every scalar, image and histogram in one event file, or in every event file of a directory
   * ({@link #list}), in the order they were written. Events without a summary (such as the file
   * version header) and values of other kinds are skipped.
   *
   * @throws DataFormatException if a record's checksum does not match, or its data is not an
   *     {@code Event}; the message names the file and the byte offset
   */
  public static List<Entry> read(Path dirOrFile) throws IOException {
    List<Entry> out = new ArrayList<>();
    List<Path> files = Files.isDirectory(dirOrFile) ? list(dirOrFile) : List.of(dirOrFile);
    for (Path file : files) {
      try (EventRecords.Reader r = new EventRecords.Reader(file)) {
        for (EventRecords.Record record = r.next(); record != null; record = r.next()) {
          entries(parse(file, record), out);
        }
      }
    }
    return out;
  }

  /** The event in a record. */
  static Event parse(Path file, EventRecords.Record record) throws DataFormatException {
    try {
      return Event.parseFrom(record.data());
    } catch (IOException e) {
      throw new DataFormatException(file, record.offset(), "a record whose checksums match holds no Event ("
          + e.getMessage() + ")", "Read only TensorBoard event files");
    }
  }

  private static void entries(Event e, List<Entry> out) {
    if (!e.hasSummary()) {
      return;
    }
    for (Summary.Value v : e.getSummary().getValueList()) {
      switch (v.getValueCase()) {
        case SIMPLE_VALUE -> out.add(new Scalar(e.getStep(), v.getTag(), e.getWallTime(), v.getSimpleValue()));
        case IMAGE -> {
          Summary.Image i = v.getImage();
          out.add(new Image(e.getStep(), v.getTag(), e.getWallTime(), i.getWidth(), i.getHeight(), i.getColorspace(),
              i.getEncodedImageString().toByteArray()));
        }
        case HISTO -> {
          HistogramProto h = v.getHisto();
          out.add(new Histogram(e.getStep(), v.getTag(), e.getWallTime(), h.getMin(), h.getMax(), h.getNum(),
              h.getSum(), h.getSumSquares(), h.getBucketLimitList(), h.getBucketList()));
        }
        case TENSOR -> {
          Float scalar = scalar(v.getTensor());
          if (scalar != null) {
            out.add(new Scalar(e.getStep(), v.getTag(), e.getWallTime(), scalar));
          }
        }
        default -> { }
      }
    }
  }

  /** A float or double scalar tensor (TensorFlow 2's scalar summaries) as a float, else null. */
  private static Float scalar(TensorProto t) {
    if (t.getTensorShape().getDimCount() != 0) {
      return null;
    }
    if (t.getDtype() == DataType.DT_FLOAT) {
      return t.getFloatValCount() > 0 ? t.getFloatVal(0)
          : t.getTensorContent().size() == 4 ? t.getTensorContent().asReadOnlyByteBuffer()
              .order(ByteOrder.LITTLE_ENDIAN).getFloat() : null;
    }
    if (t.getDtype() == DataType.DT_DOUBLE) {
      ByteBuffer b = t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      return t.getDoubleValCount() > 0 ? (float) t.getDoubleVal(0) : b.remaining() == 8 ? (float) b.getDouble() : null;
    }
    return null;
  }
}
