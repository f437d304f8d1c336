package io.github.gan4j.examples;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes NumPy {@code .npy} files (format 1.0) of little-endian float32. */
final class Npy {
  private Npy() {}

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
