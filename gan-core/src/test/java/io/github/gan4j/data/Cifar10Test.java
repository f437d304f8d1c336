package io.github.gan4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CIFAR-10 in its real binary format, made small, and its download from a local server. */
class Cifar10Test {
  @TempDir
  Path dir;

  /** {@code n} images whose pixel value encodes (image, position, channel), labels i % 10. */
  static byte[] batch(int n, int first) {
    byte[] hwc = new byte[n * 3072];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (first + i) % 10;
      for (int p = 0; p < 1024; p++) {
        for (int c = 0; c < 3; c++) {
          hwc[i * 3072 + 3 * p + c] = (byte) (first + i + p + 85 * c);
        }
      }
    }
    return Cifar10.encode(hwc, labels);
  }

  /** A complete small archive: five training batches of 4 images and a test batch of 3. */
  static byte[] archive() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      for (int b = 1; b <= 5; b++) {
        Tar.write(gz, "cifar-10-batches-bin/data_batch_" + b + ".bin", batch(4, 4 * (b - 1)));
      }
      Tar.write(gz, "cifar-10-batches-bin/batches.meta.txt", "airplane\n".getBytes());
      Tar.write(gz, "cifar-10-batches-bin/test_batch.bin", batch(3, 100));
      Tar.finish(gz);
    }
    return bytes.toByteArray();
  }

  static String hex(String algorithm, byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
  }

  static void assertImage(Dataset d, int index, int encodedIndex) {
    float[] px = new float[3072];
    d.copyImage(index, px, 0);
    for (int p : new int[] {0, 1, 500, 1023}) {
      for (int c = 0; c < 3; c++) {
        int expected = (encodedIndex + p + 85 * c) & 0xff;
        assertThat(px[3 * p + c]).isEqualTo(expected / 127.5f - 1f);
      }
    }
  }

  @Nested
  class Reading {
    @Test
    void fromTheArchive_withoutExtracting() throws IOException {
      Files.write(dir.resolve(Cifar10.ARCHIVE), archive());
      Dataset train = Cifar10.read(Cifar10.Split.TRAIN, dir);
      assertThat(train.size()).isEqualTo(20);
      assertThat(train.imageShape()).isEqualTo(Cifar10.SHAPE);
      assertImage(train, 0, 0);
      assertImage(train, 13, 13);     // batch 4, image 1
      assertThat(train.label(13)).isEqualTo(3);
      Dataset test = Cifar10.read(Cifar10.Split.TEST, dir);
      assertThat(test.size()).isEqualTo(3);
      assertImage(test, 2, 102);
      assertThat(test.label(2)).isEqualTo(2);
    }

    @Test
    void fromTheExtractedFolder_orTheBatchesThemselves() throws IOException {
      Path folder = Files.createDirectories(dir.resolve(Cifar10.FOLDER));
      Files.write(folder.resolve("test_batch.bin"), batch(3, 100));
      assertImage(Cifar10.read(Cifar10.Split.TEST, dir), 1, 101);
      assertImage(Cifar10.read(Cifar10.Split.TEST, folder), 1, 101);
    }

    @Test
    void truncatedBatch_namesFileAndRecord() throws IOException {
      Path folder = Files.createDirectories(dir.resolve(Cifar10.FOLDER));
      byte[] b = batch(3, 0);
      Files.write(folder.resolve("test_batch.bin"), java.util.Arrays.copyOf(b, b.length - 100));
      assertThatThrownBy(() -> Cifar10.read(Cifar10.Split.TEST, dir))
          .isInstanceOfSatisfying(DataFormatException.class, e -> {
            assertThat(e.file()).isEqualTo(folder.resolve("test_batch.bin"));
            assertThat(e.offset()).isEqualTo(2 * 3073);
            assertThat(e.getMessage()).contains("not a whole number of 3073-byte records (2 complete, 2973 bytes left over)");
          });
    }

    @Test
    void badLabel_namesRecordAndOffset() throws IOException {
      Path folder = Files.createDirectories(dir.resolve(Cifar10.FOLDER));
      byte[] b = batch(3, 0);
      b[3073] = 57;
      Files.write(folder.resolve("test_batch.bin"), b);
      assertThatThrownBy(() -> Cifar10.read(Cifar10.Split.TEST, dir)).isInstanceOf(DataFormatException.class)
          .hasMessageContaining("at byte 3073").hasMessageContaining("record 1 has label 57, expected 0..9");
    }

    @Test
    void truncatedArchive_isRefused() throws IOException {
      byte[] a = archive();
      Files.write(dir.resolve(Cifar10.ARCHIVE), java.util.Arrays.copyOf(a, a.length / 2));
      assertThatThrownBy(() -> Cifar10.read(Cifar10.Split.TRAIN, dir)).isInstanceOf(DataFormatException.class)
          .hasMessageContaining(Cifar10.ARCHIVE).hasMessageContaining("download again");
    }

    @Test
    void missingCopy_explainsWhereToPutIt() {
      assertThatThrownBy(() -> Cifar10.read(Cifar10.Split.TRAIN, dir)).isInstanceOf(NoSuchFileException.class)
          .hasMessageContaining("no CIFAR-10 copy")
          .hasMessageContaining("--data-dir");
    }

    @Test
    void holdsOneBytePerValue() throws IOException {
      Files.write(dir.resolve(Cifar10.ARCHIVE), archive());
      Dataset train = Cifar10.read(Cifar10.Split.TRAIN, dir);
      assertThat(train).isInstanceOf(InMemoryDataset.class);
      // 20 images x 3072 bytes: the uint8 representation, not 4-byte floats
      assertThat(train.name()).startsWith("cifar10");
    }
  }

  @Nested
  class Downloading {
    HttpServer server;
    byte[] body;
    final AtomicInteger status = new AtomicInteger(200);
    final AtomicLong cutAfter = new AtomicLong(-1);
    final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
      body = archive();
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/cifar-10-binary.tar.gz", exchange -> {
        requests.incrementAndGet();
        if (status.get() != 200) {
          exchange.sendResponseHeaders(status.get(), -1);
          exchange.close();
          return;
        }
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          long cut = cutAfter.get();
          out.write(body, 0, cut < 0 ? body.length : (int) cut);
          out.flush();
          if (cut >= 0) {
            Thread.sleep(3_000);   // stall: the client's watchdog (0.5 s) gives up first
          }
        } catch (IOException | InterruptedException ignored) {
          // the client may hang up
        } finally {
          exchange.close();
        }
      });
      server.start();
    }

    @AfterEach
    void stop() {
      server.stop(0);
    }

    Download source() throws Exception {
      return new Download(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/cifar-10-binary.tar.gz"),
          body.length, hex("MD5", body), hex("SHA-256", body));
    }

    @Test
    void downloadsOnce_reportsProgress_thenReadsFromTheCache() throws Exception {
      List<long[]> progress = new java.util.ArrayList<>();
      Dataset d = Cifar10.load(Cifar10.Split.TRAIN, dir, source(), (done, total) -> progress.add(new long[] {done, total}));
      assertThat(d.size()).isEqualTo(20);
      assertThat(dir.resolve(Cifar10.ARCHIVE)).hasBinaryContent(body);
      assertThat(progress).isNotEmpty();
      assertThat(progress.get(progress.size() - 1)).containsExactly(body.length, body.length);
      Cifar10.load(Cifar10.Split.TEST, dir, source(), Download.Progress.NONE);
      assertThat(requests.get()).isEqualTo(1);
      try (var files = Files.list(dir)) {
        assertThat(files.map(p -> p.getFileName().toString())).containsExactly(Cifar10.ARCHIVE);
      }
    }

    @Test
    void interruptedTransfer_leavesNoFileThatLooksValid() throws Exception {
      // a raw server that promises the whole archive, sends a third and hangs up
      try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        Thread serverThread = new Thread(() -> {
          try (var socket = raw.accept()) {
            socket.getInputStream().read(new byte[4096]);
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes());
            out.write(body, 0, body.length / 3);
            out.flush();
          } catch (IOException ignored) {
            // the test reports what the client saw
          }
        });
        serverThread.start();
        Download cut = new Download(URI.create("http://127.0.0.1:" + raw.getLocalPort() + "/a.tar.gz"),
            body.length, null, hex("SHA-256", body));
        assertThatThrownBy(() -> Cifar10.load(Cifar10.Split.TRAIN, dir, cut, Download.Progress.NONE))
            .isInstanceOf(Download.DownloadException.class)
            .hasMessageContaining("after " + body.length / 3 + " of " + body.length + " bytes");
        serverThread.join(10_000);
      }
      try (var files = Files.list(dir)) {
        assertThat(files).isEmpty();
      }
    }

    @Test
    void stalledTransfer_isAbandonedAfterTheStallTimeout() throws Exception {
      cutAfter.set(body.length / 3);   // sends a third, then keeps the connection open
      long start = System.nanoTime();
      assertThatThrownBy(() -> source().fetch(dir.resolve(Cifar10.ARCHIVE), Download.Progress.NONE, "offline hint",
              java.time.Duration.ofMillis(500)))
          .isInstanceOf(Download.DownloadException.class)
          .hasMessageContaining("no data for 0.5 s")
          .hasMessageContaining("after " + body.length / 3 + " of " + body.length + " bytes");
      assertThat((System.nanoTime() - start) / 1e9).isLessThan(30);
      try (var files = Files.list(dir)) {
        assertThat(files).isEmpty();
      }
    }

    @Test
    void wrongChecksum_isRefused_andNothingIsKept() throws Exception {
      Download wrong = new Download(source().uri(), body.length, null, "00".repeat(32));
      assertThatThrownBy(() -> Cifar10.load(Cifar10.Split.TRAIN, dir, wrong, Download.Progress.NONE))
          .isInstanceOf(DataFormatException.class)
          .hasMessageContaining("SHA-256 " + hex("SHA-256", body) + ", expected " + "00".repeat(32));
      Download wrongMd5 = new Download(source().uri(), body.length, "00".repeat(16), hex("SHA-256", body));
      assertThatThrownBy(() -> Cifar10.load(Cifar10.Split.TRAIN, dir, wrongMd5, Download.Progress.NONE))
          .hasMessageContaining("MD5 " + hex("MD5", body));
      try (var files = Files.list(dir)) {
        assertThat(files).isEmpty();
      }
    }

    @Test
    void serverError_isReportedWithTheOfflineHint() throws Exception {
      status.set(503);
      assertThatThrownBy(() -> Cifar10.load(Cifar10.Split.TRAIN, dir, source(), Download.Progress.NONE))
          .isInstanceOf(Download.DownloadException.class)
          .hasMessageContaining("HTTP 503")
          .hasMessageContaining("copy " + Cifar10.ARCHIVE);
    }

    @Test
    void unreachableServer_explainsHowToWorkOffline() throws Exception {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      Download nowhere = new Download(URI.create("http://127.0.0.1:" + port + "/x.tar.gz"), 10, null, "00");
      assertThatThrownBy(() -> Cifar10.load(Cifar10.Split.TRAIN, dir, nowhere, Download.Progress.NONE))
          .isInstanceOf(Download.DownloadException.class)
          .hasMessageContaining("cannot reach 127.0.0.1")
          .hasMessageContaining("Without network access, copy cifar-10-binary.tar.gz");
    }
  }

  @Test
  void officialSource_isThePublishedArchive() {
    assertThat(Cifar10.OFFICIAL.uri()).hasToString("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");
    assertThat(Cifar10.OFFICIAL.size()).isEqualTo(170_052_171L);
    assertThat(Cifar10.OFFICIAL.md5()).isEqualTo("c32a1d4ab5d03f1284b67883e8d87530");
  }

  @Test
  void defaultDirectory_followsTheSystemProperty() {
    String old = System.getProperty("gan4j.data.dir");
    try {
      System.setProperty("gan4j.data.dir", dir.toString());
      assertThat(Cifar10.defaultDirectory()).isEqualTo(dir.resolve("cifar10"));
    } finally {
      if (old == null) {
        System.clearProperty("gan4j.data.dir");
      } else {
        System.setProperty("gan4j.data.dir", old);
      }
    }
  }
}
