package io.github.gan4j.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The file handling that checkpoints, exports and evaluators share around their manifests:
 * which files a manifest lists, and forcing them to disk before the manifest or a rename
 * publishes them.
 */
public final class ManifestFiles {
  private ManifestFiles() {}

  /**
   * The files under {@code dir} relative to it, with '/' separators, sorted, without the
   * manifest {@code manifest} and its temporary {@code manifest + ".tmp"}.
   */
  public static List<String> list(Path dir, String manifest) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        String name = dir.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/");
        if (!name.equals(manifest) && !name.equals(manifest + ".tmp")) {
          out.add(name);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    out.sort(null);
    return out;
  }

  /**
   * Forces the files of {@code dir} and its subdirectories to disk, so that a rename or a
   * manifest written after it publishes complete data.
   */
  public static void fsync(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        try (FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE)) {
          c.force(true);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
