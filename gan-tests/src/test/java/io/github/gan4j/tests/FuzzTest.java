package io.github.gan4j.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.gan4j.data.Cifar10;
import io.github.gan4j.data.DataFormatException;
import io.github.gan4j.data.Dataset;
import io.github.gan4j.data.Idx;
import io.github.gan4j.examples.Main;
import io.github.gan4j.train.CheckpointException;
import io.github.gan4j.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated dataset files, checkpoints and command lines: every case must end in a clear
 * error or a correct result, never a crash, a hang or an OutOfMemoryError. The number of
 * cases scales with {@code -Dgan4j.fuzz.cases} (default 150 per target).
 */
class FuzzTest {
  static final int CASES = Integer.getInteger("gan4j.fuzz.cases", 150);
  static final AtomicInteger RAN = new AtomicInteger();
  final SplittableRandom random = new SplittableRandom(Long.getLong("gan4j.fuzz.seed", 20261128L));

  @TempDir
  Path dir;

  @AfterAll
  static void report() {
    System.out.println("FuzzTest: " + RAN.get() + " cases ran");
  }

  /** Applies one random mutation: truncation, bit flips, an overwritten header word, or appended bytes. */
  byte[] mutate(byte[] original, int headerBytes) {
    byte[] b = original.clone();
    switch (random.nextInt(5)) {
      case 0:
        return Arrays.copyOf(b, random.nextInt(b.length));
      case 1:
        for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
          int at = random.nextInt(b.length);
          b[at] ^= (byte) (1 << random.nextInt(8));
        }
        return b;
      case 2: {
        int at = random.nextInt(Math.max(1, headerBytes / 4)) * 4;
        int value = switch (random.nextInt(4)) {
          case 0 -> Integer.MAX_VALUE;
          case 1 -> -random.nextInt(1000);
          case 2 -> random.nextInt(100_000_000);
          default -> random.nextInt();
        };
        for (int i = 0; i < 4 && at + i < b.length; i++) {
          b[at + i] = (byte) (value >>> (24 - 8 * i));
        }
        return b;
      }
      case 3: {
        byte[] extra = new byte[1 + random.nextInt(5000)];
        random.nextBytes(extra);
        byte[] out = Arrays.copyOf(b, b.length + extra.length);
        System.arraycopy(extra, 0, out, b.length, extra.length);
        return out;
      }
      default: {
        byte[] junk = new byte[random.nextInt(64)];
        random.nextBytes(junk);
        return junk;
      }
    }
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(data);
    }
    return bytes.toByteArray();
  }

  static byte[] idxImages(int n) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x803);
    out.writeInt(n);
    out.writeInt(28);
    out.writeInt(28);
    for (int i = 0; i < n * 784; i++) {
      out.writeByte(i * 31);
    }
    return bytes.toByteArray();
  }

  interface Reader {
    Dataset read(Path file) throws Exception;
  }

  /** Runs the reader on {@code CASES} mutations of {@code valid}; checks every outcome. */
  void fuzz(String name, byte[] valid, int headerBytes, UnaryOperator<byte[]> encode, Reader reader) {
    for (int i = 0; i < CASES; i++) {
      byte[] mutated = encode.apply(mutate(valid, headerBytes));
      Path file = dir.resolve(name + "-" + i);
      assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
        Files.write(file, mutated);
        try {
          Dataset d = reader.read(file);
          // a correct result: well-formed images in [-1, 1]
          assertThat(d.size()).isPositive();
          float[] px = new float[(int) d.imageShape().size()];
          d.copyImage(d.size() - 1, px, 0);
          for (float v : px) {
            assertThat(v).isBetween(-1f, 1f);
          }
        } catch (DataFormatException e) {
          assertThat(e.getMessage()).contains(e.file().getFileName().toString());
        } catch (IOException | IllegalArgumentException e) {
          assertThat(e.getMessage()).isNotBlank();
        }
        Files.delete(file);
      }, () -> name + " case " + mutated.length + " bytes");
      RAN.incrementAndGet();
    }
  }

  @Test
  void idxFiles_plainAndGzipped() throws IOException {
    byte[] valid = idxImages(12);
    fuzz("idx", valid, 16, b -> b, Idx::readImages);
    fuzz("idx-gz", valid, 16, b -> {
      try {
        return gzip(b);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }, Idx::readImages);
    byte[] gz = gzip(valid);
    fuzz("gz-bytes", gz, 12, b -> b, Idx::readImages);   // damage to the compressed stream itself
  }

  @Test
  void cifarBatchesAndArchives() throws IOException {
    byte[] hwc = new byte[5 * 3072];
    random.nextBytes(hwc);
    byte[] batch = Cifar10.encode(hwc, new int[] {0, 1, 2, 3, 9});
    fuzz("cifar-batch", batch, 4, b -> b, file -> {
      Path folder = Files.createDirectories(dir.resolve("cifar-" + file.getFileName()).resolve(Cifar10.FOLDER));
      Files.move(file, folder.resolve("test_batch.bin"));
      try {
        return Cifar10.read(Cifar10.Split.TEST, folder.getParent());
      } finally {
        Files.copy(folder.resolve("test_batch.bin"), file);
      }
    });
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    writeTar(tar, "cifar-10-batches-bin/test_batch.bin", batch);
    fuzz("cifar-archive", tar.toByteArray(), 512, b -> {
      try {
        return gzip(b);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }, file -> {
      Path archive = Files.createDirectories(dir.resolve("a-" + file.getFileName())).resolve(Cifar10.ARCHIVE);
      Files.copy(file, archive);
      return Cifar10.read(Cifar10.Split.TEST, archive.getParent());
    });
  }

  /** A one-entry ustar archive, written here so the fuzz does not depend on the reader's writer. */
  static void writeTar(ByteArrayOutputStream out, String name, byte[] data) {
    byte[] h = new byte[512];
    System.arraycopy(name.getBytes(StandardCharsets.US_ASCII), 0, h, 0, name.length());
    put(h, 100, "0000644");
    put(h, 124, String.format("%011o", data.length));
    Arrays.fill(h, 148, 156, (byte) ' ');
    h[156] = '0';
    put(h, 257, "ustar");
    h[263] = '0';
    h[264] = '0';
    long sum = 0;
    for (byte x : h) {
      sum += x & 0xff;
    }
    put(h, 148, String.format("%06o", sum));
    out.writeBytes(h);
    out.writeBytes(data);
    out.writeBytes(new byte[(512 - data.length % 512) % 512 + 1024]);
  }

  static void put(byte[] h, int at, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, at, b.length);
  }

  @Test
  void checkpointsAndManifests() throws IOException {
    Path good = dir.resolve("good");
    long savedStep;
    try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).seed(2).build()) {
      t.step(Fixtures.squares());
      t.step(Fixtures.squares());
      t.save(good);
      savedStep = t.stepCount();
    }
    List<Path> files;
    try (var s = Files.list(good)) {
      files = s.sorted().toList();
    }
    try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).seed(2).build()) {
      for (int i = 0; i < CASES; i++) {
        Path copy = dir.resolve("cp-" + i);
        Files.createDirectories(copy);
        for (Path f : files) {
          Files.copy(f, copy.resolve(f.getFileName()));
        }
        Path victim = copy.resolve(files.get(random.nextInt(files.size())).getFileName());
        int action = random.nextInt(10);
        if (action == 0) {
          Files.delete(victim);
        } else if (action == 1) {
          Files.write(copy.resolve("variables.data-00001-of-00002"), new byte[] {1, 2, 3});
        } else {
          byte[] bytes = Files.readAllBytes(victim);
          Files.write(victim, bytes.length == 0 ? new byte[] {7} : mutate(bytes, Math.min(64, bytes.length)));
        }
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
          try {
            t.restore(copy);
            assertThat(t.stepCount()).isEqualTo(savedStep);   // only a harmless change can pass verification
            assertThat(t.step(Fixtures.squares()).finite()).isTrue();
          } catch (CheckpointException e) {
            assertThat(e.getMessage()).contains(copy.toString());
          }
        }, () -> "checkpoint case mutating " + victim.getFileName());
        RAN.incrementAndGet();
      }
    }
  }

  @Test
  void randomCommandLines() {
    String oldDataDir = System.getProperty("gan4j.data.dir");
    System.setProperty("gan4j.data.dir", dir.resolve("datasets").toString());
    try {
      randomCommandLinesIn();
    } finally {
      if (oldDataDir == null) {
        System.clearProperty("gan4j.data.dir");
      } else {
        System.setProperty("gan4j.data.dir", oldDataDir);
      }
    }
  }

  void randomCommandLinesIn() {
    String[] commands = {"train", "generate", "summary", "fit", "", "--help"};
    String[] options = {"--dataset", "--data-dir", "--image-size", "--steps", "--epochs", "--out", "--resume",
        "--sample-every", "--checkpoint-every", "--batch-size", "--seed", "--lr", "--beta1", "--loss", "--d-update",
        "--d-steps", "--fake-batches", "--threads", "--run", "--count", "--grid", "--no-progress", "--bogus", "-x"};
    String[] values = {"0", "-1", "2", "abc", "1e9", "99999999999999999999", "fashion-mnist", "mnist", "cifar10",
        "folder", "32x32x3", "7x7x2", "x", "", "separate", "combined", "minimax", "training", "0.5", "NaN",
        "/nonexistent/dir", dir.toString(), "/usr/share/datasets/fashion-mnist", "--steps"};
    for (int i = 0; i < CASES; i++) {
      List<String> args = new ArrayList<>();
      args.add(commands[random.nextInt(commands.length)]);
      for (int n = random.nextInt(7); n > 0; n--) {
        args.add(random.nextBoolean() ? options[random.nextInt(options.length)] : values[random.nextInt(values.length)]);
      }
      if (args.get(0).equals("train")) {
        // keep a run that happens to be valid short, and out of the working directory
        args.removeIf(a -> a.equals("--epochs"));
        if (!args.contains("--steps")) {
          args.addAll(List.of("--steps", "2"));
        }
        args.addAll(List.of("--out", dir.resolve("run" + i).toString(), "--batch-size", "8"));
      }
      String[] argv = args.toArray(String[]::new);
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> Main.run(argv,
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8), false), () -> String.join(" ", argv));
      String message = err.toString(StandardCharsets.UTF_8);
      assertThat(status).as("%s -> %s", String.join(" ", argv), message).isIn(0, 1, 2);
      assertThat(message).as(String.join(" ", argv)).doesNotContain("unexpected error").doesNotContain("\tat ");
      if (status != 0) {
        assertThat(message).startsWith("gan4j: ");
      }
      RAN.incrementAndGet();
    }
  }
}
