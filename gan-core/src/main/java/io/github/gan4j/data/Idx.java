package io.github.gan4j.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads MNIST-style IDX files (MNIST, Fashion-MNIST), plain or gzipped: unsigned-byte
 * images of magic {@code 0x00000803} and labels of magic {@code 0x00000801}.
 *
 * <pre>{@code
 * Path dir = Path.of("/usr/share/datasets/fashion-mnist");   // Debian's dataset-fashion-mnist
 * Dataset train = Idx.read(dir.resolve("train-images-idx3-ubyte.gz"),
 *                          dir.resolve("train-labels-idx1-ubyte.gz"));
 * }</pre>
 *
 * <p>Images are held as bytes (one per pixel) and scaled to [-1, 1] when read. Damaged
 * files are refused with a {@link DataFormatException} naming the file, the offset and
 * what was expected; nothing is allocated for a declared size before the data is there.
 */
public final class Idx {
  private static final int IMAGES_MAGIC = 0x00000803;
  private static final int LABELS_MAGIC = 0x00000801;

  private Idx() {}

  /** Reads images and their labels; the counts must agree. */
  public static Dataset read(Path images, Path labels) throws IOException {
    Parsed img = parse(images, IMAGES_MAGIC, 3);
    Parsed lab = parse(labels, LABELS_MAGIC, 1);
    if (lab.dims[0] != img.dims[0]) {
      throw new DataFormatException(labels, 4, lab.dims[0] + " labels for " + img.dims[0] + " images in " + images,
          "use the label file that belongs to the image file");
    }
    int[] l = new int[lab.dims[0]];
    for (int i = 0; i < l.length; i++) {
      l[i] = lab.data[i] & 0xff;
    }
    return new InMemoryDataset(io.github.gan4j.layers.Shape.of(img.dims[1], img.dims[2], 1), null, img.data, l,
        images.getFileName().toString());
  }

  /** Reads images without labels. */
  public static Dataset readImages(Path images) throws IOException {
    Parsed img = parse(images, IMAGES_MAGIC, 3);
    return new InMemoryDataset(io.github.gan4j.layers.Shape.of(img.dims[1], img.dims[2], 1), null, img.data, null,
        images.getFileName().toString());
  }

  private record Parsed(int[] dims, byte[] data) {}

  private static Parsed parse(Path file, int expectedMagic, int rank) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null,
          "IDX file not found; on Debian, apt-get install dataset-fashion-mnist puts Fashion-MNIST under"
              + " /usr/share/datasets/fashion-mnist/");
    }
    try (InputStream in = open(file)) {
      byte[] header = readUpTo(in, 4 + 4 * rank);
      if (header.length < 4 + 4 * rank) {
        throw new DataFormatException(file, header.length,
            "file ends after " + header.length + " bytes, inside the " + (4 + 4 * rank) + "-byte header",
            "the file is truncated; download it again");
      }
      int magic = readInt(header, 0);
      if (magic != expectedMagic) {
        throw new DataFormatException(file, 0, String.format("magic number 0x%08x, expected 0x%08x (%s)", magic,
            expectedMagic, expectedMagic == IMAGES_MAGIC ? "unsigned-byte images, 3 dimensions"
                : "unsigned-byte labels, 1 dimension"),
            "check that this is the right file (images vs labels) and not damaged");
      }
      int[] dims = new int[rank];
      long total = 1;
      for (int i = 0; i < rank; i++) {
        dims[i] = readInt(header, 4 + 4 * i);
        if (dims[i] <= 0) {
          throw new DataFormatException(file, 4 + 4L * i, "dimension " + i + " is " + dims[i] + ", expected positive",
              "the header is damaged; download the file again");
        }
        total *= dims[i];
      }
      if (total > Integer.MAX_VALUE - 64) {
        throw new DataFormatException(file, 4, "declared size " + total + " bytes is larger than supported",
            "the header is damaged; download the file again");
      }
      byte[] data = readUpTo(in, (int) total);
      if (data.length < total) {
        throw new DataFormatException(file, header.length + (long) data.length,
            "file ends after " + data.length + " of " + total + " declared data bytes ("
                + (data.length / Math.max(1, total / dims[0])) + " of " + dims[0] + " records complete)",
            "the file is truncated; download it again");
      }
      if (in.read() != -1) {
        throw new DataFormatException(file, header.length + total,
            "extra bytes after the " + total + " declared data bytes", "the header or file is damaged");
      }
      return new Parsed(dims, data);
    }
  }

  private static InputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    raw.mark(2);
    int b0 = raw.read();
    int b1 = raw.read();
    raw.reset();
    return b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
  }

  /** Reads up to {@code n} bytes, growing the buffer only as data arrives. */
  private static byte[] readUpTo(InputStream in, int n) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(n, 1 << 20));
    byte[] chunk = new byte[1 << 16];
    int remaining = n;
    while (remaining > 0) {
      int r = in.read(chunk, 0, Math.min(chunk.length, remaining));
      if (r < 0) {
        break;
      }
      out.write(chunk, 0, r);
      remaining -= r;
    }
    return out.toByteArray();
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
  }
}
