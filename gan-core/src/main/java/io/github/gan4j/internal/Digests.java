package io.github.gan4j.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one place gan4j computes checksums: model fingerprints, checkpoint manifests and
 * dataset downloads. Lower-case hex throughout.
 */
public final class Digests {
  private Digests() {}

  /** SHA-256 of the UTF-8 bytes of {@code text}. */
  public static String sha256(String text) {
    MessageDigest md = digest("SHA-256");
    return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** SHA-256 of the file's content. */
  public static String sha256(Path file) throws IOException {
    return of(file, "SHA-256")[0];
  }

  /** The digests of the file's content under each of {@code algorithms}, in one pass. */
  public static String[] of(Path file, String... algorithms) throws IOException {
    MessageDigest[] mds = new MessageDigest[algorithms.length];
    for (int i = 0; i < mds.length; i++) {
      mds[i] = digest(algorithms[i]);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        for (MessageDigest md : mds) {
          md.update(buffer, 0, n);
        }
      }
    }
    String[] hex = new String[mds.length];
    for (int i = 0; i < mds.length; i++) {
      hex[i] = HexFormat.of().formatHex(mds[i].digest());
    }
    return hex;
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is not available", e);
    }
  }
}
