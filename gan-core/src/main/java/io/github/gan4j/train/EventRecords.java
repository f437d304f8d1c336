package io.github.gan4j.train;

import io.github.gan4j.data.DataFormatException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, the container of TensorBoard event files: each record is
 * {@code uint64 length, uint32 masked CRC32C of the length bytes, the data, uint32 masked
 * CRC32C of the data}, little-endian. A checksum that does not match is a damaged file
 * ({@link DataFormatException}); a record cut short at the end of a file is what a process
 * killed while writing leaves, and ends the file.
 */
final class EventRecords {
  private EventRecords() {}

  private static final int MASK_DELTA = 0xa282ead8;
  /** Larger records are not events gan4j or TensorFlow's writer makes; a length this large is damage. */
  private static final long MAX_RECORD = 1L << 30;

  /** TFRecord's masked CRC32C of {@code length} bytes of {@code data} from {@code offset}. */
  static int maskedCrc(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + MASK_DELTA;
  }

  /** One record: where it starts in its file and its data. */
  record Record(long offset, byte[] data) {}

  /** Reads the records of one file in order, checking both checksums of each. */
  static final class Reader implements Closeable {
    private final Path file;
    private final InputStream in;
    private final byte[] header = new byte[12];
    private long offset;
    private long truncatedAt = -1;

    Reader(Path file) throws IOException {
      this.file = file;
      this.in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    }

    /**
     * The next record, or null at the end of the file (also when the last record is cut short:
     * see {@link #truncatedAt()}).
     *
     * @throws DataFormatException if a checksum does not match or a length is impossible
     */
    Record next() throws IOException {
      if (truncatedAt >= 0) {
        return null;
      }
      int got = in.readNBytes(header, 0, 12);
      if (got == 0) {
        return null;
      }
      if (got < 12) {
        truncatedAt = offset;
        return null;
      }
      ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
      long length = b.getLong(0);
      int lengthCrc = b.getInt(8);
      if (lengthCrc != maskedCrc(header, 0, 8)) {
        throw damaged(offset, "the checksum of the record length does not match (stored "
            + hex(lengthCrc) + ", computed " + hex(maskedCrc(header, 0, 8)) + ")");
      }
      if (length < 0 || length > MAX_RECORD) {
        throw damaged(offset, "a record length of " + Long.toUnsignedString(length) + " bytes");
      }
      byte[] data = new byte[(int) length];
      byte[] crc = new byte[4];
      if (in.readNBytes(data, 0, data.length) < data.length || in.readNBytes(crc, 0, 4) < 4) {
        truncatedAt = offset;
        return null;
      }
      int dataCrc = ByteBuffer.wrap(crc).order(ByteOrder.LITTLE_ENDIAN).getInt();
      if (dataCrc != maskedCrc(data, 0, data.length)) {
        throw damaged(offset, "the checksum of the record's " + length + " data bytes does not match (stored "
            + hex(dataCrc) + ", computed " + hex(maskedCrc(data, 0, data.length)) + ")");
      }
      Record r = new Record(offset, data);
      offset += 16 + length;
      return r;
    }

    /** Where a record cut short at the end of the file starts, or -1 if the file ended cleanly (so far). */
    long truncatedAt() {
      return truncatedAt;
    }

    DataFormatException damaged(long at, String problem) {
      return new DataFormatException(file, at, "event file record is damaged: " + problem,
          "The file is not as TensorFlow wrote it; move it out of the directory to read the others");
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** Writes records with TFRecord framing; {@link #close()} forces them to the disk. */
  static final class Writer implements Closeable {
    private final FileOutputStream file;
    private final OutputStream out;

    Writer(Path path) throws IOException {
      this.file = new FileOutputStream(path.toFile());
      this.out = new BufferedOutputStream(file, 1 << 16);
    }

    void write(byte[] data) throws IOException {
      byte[] header = new byte[12];
      ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
      b.putLong(0, data.length);
      b.putInt(8, maskedCrc(header, 0, 8));
      out.write(header);
      out.write(data);
      byte[] crc = new byte[4];
      ByteBuffer.wrap(crc).order(ByteOrder.LITTLE_ENDIAN).putInt(maskedCrc(data, 0, data.length));
      out.write(crc);
    }

    @Override
    public void close() throws IOException {
      try (out) {
        out.flush();
        file.getFD().sync();
      }
    }
  }

  private static String hex(int v) {
    return String.format(Locale.ROOT, "0x%08x", v);
  }
}
