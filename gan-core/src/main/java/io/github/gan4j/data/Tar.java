package io.github.gan4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A minimal reader (and writer, for tests) of POSIX ustar / GNU tar streams. */
final class Tar {
  record Entry(String name, long size, boolean regularFile) {}

  private final InputStream in;
  private final Path source;
  private long offset;
  private long pending;
  private long padding;

  Tar(InputStream in, Path source) {
    this.in = in;
    this.source = source;
  }

  /** The next entry, or null at the end of the archive. */
  Entry next() throws IOException {
    skip(pending + padding);
    pending = 0;
    padding = 0;
    String longName = null;
    while (true) {
      byte[] header = readFully(512);
      if (header == null || isZero(header)) {
        return null;
      }
      long headerAt = offset - 512;
      String name = string(header, 0, 100);
      long size = octal(header, 124, 12, headerAt);
      byte type = header[156];
      String magic = string(header, 257, 6);
      if (magic.startsWith("ustar")) {
        String prefix = string(header, 345, 155);
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
      }
      long pad = (512 - size % 512) % 512;
      if (type == 'L') {   // GNU long name: the next entry's name is the data
        if (size > 65536) {
          throw new DataFormatException(source, headerAt, "long-name entry of " + size + " bytes",
              "the archive is damaged; delete it and download again");
        }
        byte[] data = readFully((int) size);
        skip(pad);
        longName = data == null ? null : new String(data, StandardCharsets.UTF_8).replace("\0", "");
        continue;
      }
      pending = size;
      padding = pad;
      return new Entry(longName != null ? longName : name, size, type == '0' || type == 0);
    }
  }

  /** Reads the whole of the current entry. */
  byte[] read(Entry e) throws IOException {
    if (e.size() > Integer.MAX_VALUE - 8) {
      throw new DataFormatException(source, offset, "entry " + e.name() + " declares " + e.size() + " bytes",
          "the archive is damaged; delete it and download again");
    }
    byte[] data = readFully((int) e.size());
    if (data == null) {
      throw new DataFormatException(source, offset, "archive ends inside " + e.name(),
          "the archive is truncated; delete it and download again");
    }
    pending = 0;
    return data;
  }

  private byte[] readFully(int n) throws IOException {
    byte[] b = new byte[n];
    int done = 0;
    while (done < n) {
      int r = in.read(b, done, n - done);
      if (r < 0) {
        if (done == 0 && n == 512) {
          return null;
        }
        throw new DataFormatException(source, offset + done, "archive ends after " + (offset + done) + " bytes",
            "the archive is truncated; delete it and download again");
      }
      done += r;
    }
    offset += n;
    return b;
  }

  private void skip(long n) throws IOException {
    while (n > 0) {
      long s = in.skip(n);
      if (s <= 0) {
        if (in.read() < 0) {
          throw new DataFormatException(source, offset, "archive ends inside an entry",
              "the archive is truncated; delete it and download again");
        }
        s = 1;
      }
      n -= s;
      offset += s;
    }
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static String string(byte[] b, int at, int len) {
    int end = at;
    while (end < at + len && b[end] != 0) {
      end++;
    }
    return new String(b, at, end - at, StandardCharsets.UTF_8);
  }

  private long octal(byte[] b, int at, int len, long headerAt) throws DataFormatException {
    String s = string(b, at, len).trim();
    try {
      return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new DataFormatException(source, headerAt + at, "tar header size field '" + s + "' is not octal",
          "the archive is damaged; delete it and download again");
    }
  }

  /** Writes one regular-file entry (ustar). */
  static void write(OutputStream out, String name, byte[] data) throws IOException {
    byte[] h = new byte[512];
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(n, 0, h, 0, Math.min(100, n.length));
    put(h, 100, String.format("%07o", 0644));
    put(h, 108, String.format("%07o", 0));
    put(h, 116, String.format("%07o", 0));
    put(h, 124, String.format("%011o", data.length));
    put(h, 136, String.format("%011o", 0));
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    h[156] = '0';
    put(h, 257, "ustar");
    h[263] = '0';
    h[264] = '0';
    long sum = 0;
    for (byte x : h) {
      sum += x & 0xff;
    }
    put(h, 148, String.format("%06o", sum));
    h[154] = 0;
    out.write(h);
    out.write(data);
    out.write(new byte[(512 - data.length % 512) % 512]);
  }

  /** Ends an archive. */
  static void finish(OutputStream out) throws IOException {
    out.write(new byte[1024]);
  }

  private static void put(byte[] h, int at, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, at, b.length);
  }
}
