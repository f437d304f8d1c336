package io.github.gan4j.data;

import io.github.gan4j.layers.Shape;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * CIFAR-10, binary version: 60,000 32x32 RGB images in 10 classes (50,000 for training,
 * 10,000 for test), held in memory as one byte per value (150 MB for the training set) and
 * scaled to [-1, 1] when read. Labels are kept ({@link Dataset#label(int)}, names in
 * {@link #CLASSES}).
 *
 * <pre>{@code
 * Dataset train = Cifar10.load(Cifar10.Split.TRAIN, Cifar10.defaultDirectory(), progress);  // downloads once
 * Dataset offline = Cifar10.read(Cifar10.Split.TRAIN, Path.of("/data/cifar"));               // never downloads
 * }</pre>
 *
 * <p>A directory is searched for, in order: the extracted {@value #FOLDER} folder, the
 * batch files themselves, and the {@value #ARCHIVE} archive (read without extracting).
 */
public final class Cifar10 {
  /** The official archive: URL, size and checksums as published. */
  public static final Download OFFICIAL = new Download(
      URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"), 170_052_171L,
      "c32a1d4ab5d03f1284b67883e8d87530", "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd");
  /** File name of the archive. */
  public static final String ARCHIVE = "cifar-10-binary.tar.gz";
  /** Folder inside the archive holding the batches. */
  public static final String FOLDER = "cifar-10-batches-bin";
  /** Class names by label. */
  public static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
      "frog", "horse", "ship", "truck");
  /** Image shape. */
  public static final Shape SHAPE = Shape.of(32, 32, 3);

  static final int RECORD = 1 + 32 * 32 * 3;
  private static final int PLANE = 32 * 32;

  private Cifar10() {}

  /** The training batches (data_batch_1..5) or the test batch. */
  public enum Split {
    /** 50,000 images from {@code data_batch_1.bin} to {@code data_batch_5.bin}. */
    TRAIN(List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
        "data_batch_5.bin")),
    /** 10,000 images from {@code test_batch.bin}. */
    TEST(List.of("test_batch.bin"));

    final List<String> files;

    Split(List<String> files) {
      this.files = files;
    }
  }

  /**
   * The default directory for downloaded datasets: the {@code gan4j.data.dir} system property,
   * else the {@code GAN4J_DATA_DIR} environment variable, else {@code ~/.gan4j/datasets},
   * with {@code cifar10} appended.
   */
  public static Path defaultDirectory() {
    String dir = System.getProperty("gan4j.data.dir");
    if (dir == null || dir.isBlank()) {
      dir = System.getenv("GAN4J_DATA_DIR");
    }
    Path base = dir == null || dir.isBlank()
        ? Path.of(System.getProperty("user.home"), ".gan4j", "datasets") : Path.of(dir);
    return base.resolve("cifar10");
  }

  /**
   * Reads the split from {@code dir}, downloading the official archive into it first if the
   * directory holds no copy.
   */
  public static Dataset load(Split split, Path dir, Download.Progress progress) throws IOException {
    return load(split, dir, OFFICIAL, progress);
  }

  /** As {@link #load(Split, Path, Download.Progress)} from another source (a mirror, or a test server). */
  public static Dataset load(Split split, Path dir, Download source, Download.Progress progress) throws IOException {
    if (find(dir) == null) {
      source.fetch(dir.resolve(ARCHIVE), progress, offlineHint(dir));
    }
    return read(split, dir);
  }

  static String offlineHint(Path dir) {
    return "Without network access, copy " + ARCHIVE + " (or its extracted " + FOLDER + " folder) into " + dir
        + ", or point at a directory holding it (--data-dir DIR in the example application).";
  }

  /**
   * Reads the split from {@code dir} without using the network.
   *
   * @throws NoSuchFileException if {@code dir} holds no copy of CIFAR-10 (the message says
   *     what was looked for)
   * @throws DataFormatException if a batch file is truncated or damaged
   */
  public static Dataset read(Split split, Path dir) throws IOException {
    Path found = find(dir);
    if (found == null) {
      throw new NoSuchFileException(dir.toString(), null, "no CIFAR-10 copy: looked for " + FOLDER + "/, "
          + split.files.get(0) + " and " + ARCHIVE + ". " + offlineHint(dir));
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    if (Files.isDirectory(found)) {
      for (String name : split.files) {
        Path file = found.resolve(name);
        if (!Files.isRegularFile(file)) {
          throw new NoSuchFileException(file.toString(), null, "CIFAR-10 batch missing from " + found);
        }
        long size = Files.size(file);
        checkSize(file, size);
        files.put(name, Files.readAllBytes(file));
      }
    } else {
      files = readArchive(found, split);
    }
    return decode(files, found);
  }

  /** The folder of batches or the archive in {@code dir}, or null. */
  private static Path find(Path dir) {
    if (Files.isRegularFile(dir.resolve(FOLDER).resolve("data_batch_1.bin"))
        || Files.isRegularFile(dir.resolve(FOLDER).resolve("test_batch.bin"))) {
      return dir.resolve(FOLDER);
    }
    if (Files.isRegularFile(dir.resolve("data_batch_1.bin")) || Files.isRegularFile(dir.resolve("test_batch.bin"))) {
      return dir;
    }
    if (Files.isRegularFile(dir.resolve(ARCHIVE))) {
      return dir.resolve(ARCHIVE);
    }
    if (Files.isRegularFile(dir) && dir.getFileName().toString().endsWith(".tar.gz")) {
      return dir;
    }
    return null;
  }

  private static void checkSize(Path file, long size) throws DataFormatException {
    if (size == 0 || size % RECORD != 0) {
      throw new DataFormatException(file, size - size % RECORD,
          "size " + size + " bytes is not a whole number of " + RECORD + "-byte records (" + size / RECORD
              + " complete, " + size % RECORD + " bytes left over)",
          "the file is truncated or not a CIFAR-10 binary batch; extract or download it again");
    }
    if (size > 100_000L * RECORD) {
      throw new DataFormatException(file, 0, "size " + size + " bytes is far larger than a CIFAR-10 batch",
          "check that this is a CIFAR-10 binary batch");
    }
  }

  private static Map<String, byte[]> readArchive(Path archive, Split split) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (InputStream in = new BufferedInputStream(
        new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive), 1 << 16), 1 << 16), 1 << 16)) {
      Tar tar = new Tar(in, archive);
      Tar.Entry e;
      while ((e = tar.next()) != null) {
        String base = e.name().substring(e.name().lastIndexOf('/') + 1);
        if (e.regularFile() && split.files.contains(base) && e.name().contains(FOLDER + "/")) {
          checkSize(archive.resolve(e.name()), e.size());
          files.put(base, tar.read(e));
        }
      }
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      throw new DataFormatException(archive, 0, "not a complete gzip archive (" + e.getMessage() + ")",
          "the archive is truncated or damaged; delete it and download again");
    }
    for (String name : split.files) {
      if (!files.containsKey(name)) {
        throw new DataFormatException(archive, 0, "no " + FOLDER + "/" + name + " in the archive",
            "use the binary version of CIFAR-10 (" + OFFICIAL.uri() + ")");
      }
    }
    return files;
  }

  /** Converts records (label, 1024 R, 1024 G, 1024 B) into interleaved HWC bytes. */
  private static Dataset decode(Map<String, byte[]> files, Path source) throws IOException {
    long total = 0;
    for (byte[] b : files.values()) {
      total += b.length / RECORD;
    }
    byte[] pixels = new byte[Math.toIntExact(total * PLANE * 3)];
    int[] labels = new int[(int) total];
    int image = 0;
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      byte[] b = f.getValue();
      for (int r = 0; r < b.length / RECORD; r++, image++) {
        int at = r * RECORD;
        int label = b[at] & 0xff;
        if (label > 9) {
          throw new DataFormatException(source.resolve(f.getKey()), at,
              "record " + r + " has label " + label + ", expected 0..9",
              "the file is damaged or not a CIFAR-10 binary batch (CIFAR-100 has 2 label bytes)");
        }
        labels[image] = label;
        int out = image * PLANE * 3;
        for (int p = 0; p < PLANE; p++) {
          pixels[out + 3 * p] = b[at + 1 + p];
          pixels[out + 3 * p + 1] = b[at + 1 + PLANE + p];
          pixels[out + 3 * p + 2] = b[at + 1 + 2 * PLANE + p];
        }
      }
    }
    return new InMemoryDataset(SHAPE, null, pixels, labels, "cifar10");
  }

  /** Writes records in CIFAR-10's binary format: for tests and tools that make small copies. */
  public static byte[] encode(byte[] hwcPixels, int[] labels) {
    byte[] out = new byte[labels.length * RECORD];
    for (int i = 0; i < labels.length; i++) {
      int at = i * RECORD;
      out[at] = (byte) labels[i];
      for (int p = 0; p < PLANE; p++) {
        for (int c = 0; c < 3; c++) {
          out[at + 1 + c * PLANE + p] = hwcPixels[i * PLANE * 3 + 3 * p + c];
        }
      }
    }
    return out;
  }

  static List<String> allFiles() {
    List<String> all = new ArrayList<>(Split.TRAIN.files);
    all.addAll(Split.TEST.files);
    return all;
  }
}
