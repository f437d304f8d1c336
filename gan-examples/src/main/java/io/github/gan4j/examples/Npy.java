package io.github.gan4j.examples;

import io.github.gan4j.data.DataFormatException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes and reads NumPy {@code .npy} files (format 1.x) of little-endian float32, C order. */
final class Npy {
  private Npy() {}

  /** A float32 array and its shape. */
  record Array(float[] data, int[] shape) {}

  /**
   * Reads a C-order little-endian float32 {@code .npy} file (what NumPy writes for
   * {@code np.save(path, x.astype(np.float32))}).
   *
   * @throws DataFormatException naming the file and what is wrong: another magic, dtype or
   *     order, or a size that does not match the shape
   */
  static Array readFloat32(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < 10 || (bytes[0] & 0xff) != 0x93 || !new String(bytes, 1, 5, StandardCharsets.US_ASCII)
        .equals("NUMPY")) {
      throw new DataFormatException(file, 0, "not a .npy file (no \\x93NUMPY magic)",
          "Give a file written by numpy.save or gan4j's generate");
    }
    int major = bytes[6];
    int headerLength;
    int offset;
    if (major == 1) {
      headerLength = Short.toUnsignedInt(b.getShort(8));
      offset = 10;
    } else {
      headerLength = b.getInt(8);
      offset = 12;
    }
    if (offset + headerLength > bytes.length) {
      throw new DataFormatException(file, 8, "the header of " + headerLength + " bytes runs past the end of the file",
          "The file is truncated; write it again");
    }
    String header = new String(bytes, offset, headerLength, StandardCharsets.ISO_8859_1);
    if (!header.matches("(?s).*'descr':\\s*'<f4'.*")) {
      throw new DataFormatException(file, offset, "expected dtype '<f4' (little-endian float32), header is "
          + header.trim(), "Save it with x.astype(numpy.float32)");
    }
    if (header.matches("(?s).*'fortran_order':\\s*True.*")) {
      throw new DataFormatException(file, offset, "the array is in Fortran order",
          "Save numpy.ascontiguousarray(x) instead");
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("'shape':\\s*\\(([^)]*)\\)").matcher(header);
    if (!m.find()) {
      throw new DataFormatException(file, offset, "no shape in the header " + header.trim(),
          "Write it again with numpy.save");
    }
    int[] shape = java.util.Arrays.stream(m.group(1).split(",")).map(String::trim).filter(t -> !t.isEmpty())
        .mapToInt(Integer::parseInt).toArray();
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    int dataStart = offset + headerLength;
    if (bytes.length - dataStart != n * 4) {
      throw new DataFormatException(file, dataStart, "shape (" + m.group(1).trim() + ") needs " + n * 4
          + " bytes of float32 data, the file has " + (bytes.length - dataStart), "The file is truncated or damaged");
    }
    float[] data = new float[(int) n];
    b.position(dataStart);
    b.asFloatBuffer().get(data);
    return new Array(data, shape);
  }

  static void writeFloat32(Path file, float[] data, int... shape) throws IOException {
    long n = 1;
    StringBuilder dims = new StringBuilder();
    for (int d : shape) {
      n *= d;
      dims.append(d).append(", ");
    }
    if (n != data.length) {
      throw new IllegalArgumentException("shape has " + n + " elements but data has " + data.length);
    }
    String tuple = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + dims.substring(0, dims.length() - 2) + ")";
    String header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple + ", }";
    int unpadded = 10 + header.length() + 1;
    header = header + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteBuffer head = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
    head.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    head.putShort((short) header.length());
    head.put(header.getBytes(StandardCharsets.US_ASCII));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      out.write(head.array());
      ByteBuffer body = ByteBuffer.allocate(Math.min(data.length, 1 << 16) * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < data.length; i++) {
        body.putFloat(data[i]);
        if (!body.hasRemaining()) {
          out.write(body.array(), 0, body.position());
          body.clear();
        }
      }
      out.write(body.array(), 0, body.position());
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
