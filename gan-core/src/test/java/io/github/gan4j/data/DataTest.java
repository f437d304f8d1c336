package io.github.gan4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataTest {

  @Nested
  class Schedule {
    @Test
    void sameSeed_sameBatches_anyStartingPoint() {
      BatchSchedule a = new BatchSchedule(100, 8, 42);
      BatchSchedule b = new BatchSchedule(100, 8, 42);
      int[] x = new int[8];
      int[] y = new int[8];
      for (long n = 0; n < 40; n++) {
        a.indices(n, x);
      }
      a.indices(37, x);
      b.indices(37, y);   // a fresh schedule jumping straight to batch 37, as after a restore
      assertThat(x).containsExactly(y);
    }

    @Test
    void epoch_visitsEveryImageAtMostOnce_andDropsTheRemainder() {
      BatchSchedule s = new BatchSchedule(100, 8, 7);
      assertThat(s.batchesPerEpoch()).isEqualTo(12);
      Set<Integer> seen = new HashSet<>();
      int[] idx = new int[8];
      for (int n = 0; n < 12; n++) {
        s.indices(n, idx);
        for (int i : idx) {
          assertThat(seen.add(i)).as("index %d repeated within an epoch", i).isTrue();
        }
      }
      assertThat(seen).hasSize(96);
    }

    @Test
    void epochs_areShuffledDifferently_andSeedsDiffer() {
      int[] e0 = new int[8];
      int[] e1 = new int[8];
      int[] other = new int[8];
      new BatchSchedule(64, 8, 1).indices(0, e0);
      new BatchSchedule(64, 8, 1).indices(8, e1);
      new BatchSchedule(64, 8, 2).indices(0, other);
      assertThat(e0).isNotEqualTo(e1);
      assertThat(e0).isNotEqualTo(other);
    }

    @Test
    void datasetSmallerThanBatch_isExplained() {
      assertThatThrownBy(() -> new BatchSchedule(10, 32, 0))
          .hasMessageContaining("10 images, fewer than one batch of 32");
    }
  }

  @Nested
  class InMemory {
    @Test
    void fromFloats_copiesImages() {
      float[] px = new float[2 * 2 * 2 * 1];
      for (int i = 0; i < px.length; i++) {
        px[i] = i / 10f;
      }
      Dataset d = Datasets.fromFloats(px, 2, 2, 1);
      assertThat(d.size()).isEqualTo(2);
      float[] dst = new float[6];
      d.copyImage(1, dst, 1);
      assertThat(dst).containsExactly(0f, 0.4f, 0.5f, 0.6f, 0.7f, 0f);
      assertThat(d.hasLabels()).isFalse();
      assertThatThrownBy(() -> d.label(0)).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> d.copyImage(2, dst, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void fromFloats_outOfRangePixel_namesImageAndPixel() {
      float[] px = new float[8];
      px[6] = 255f;
      assertThatThrownBy(() -> Datasets.fromFloats(px, 2, 2, 1))
          .hasMessageContaining("pixel 2 of image 1 is 255.0")
          .hasMessageContaining("v / 127.5 - 1");
      px[6] = Float.NaN;
      assertThatThrownBy(() -> Datasets.fromFloats(px, 2, 2, 1)).hasMessageContaining("NaN");
    }

    @Test
    void fromFloats_partialImage_isRefused() {
      assertThatThrownBy(() -> Datasets.fromFloats(new float[7], 2, 2, 1))
          .hasMessageContaining("length 7 is not a whole, non-zero number of (2, 2, 1) images");
    }

    @Test
    void fromBytes_mapsToMinusOneToOne() {
      Dataset d = Datasets.fromBytes(new byte[] {0, (byte) 255, (byte) 128, 64}, new int[] {3}, 2, 2, 1);
      float[] dst = new float[4];
      d.copyImage(0, dst, 0);
      assertThat(dst[0]).isEqualTo(-1f);
      assertThat(dst[1]).isEqualTo(1f);
      assertThat(dst[2]).isCloseTo(0.00392f, org.assertj.core.data.Offset.offset(1e-4f));
      assertThat(d.label(0)).isEqualTo(3);
    }
  }

  @Nested
  class IdxFiles {
    @TempDir
    Path dir;

    byte[] images(int magic, int count, int rows, int cols, int dataBytes) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(magic);
      out.writeInt(count);
      out.writeInt(rows);
      out.writeInt(cols);
      for (int i = 0; i < dataBytes; i++) {
        out.writeByte(i * 7);
      }
      return bytes.toByteArray();
    }

    byte[] labels(int count) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(0x801);
      out.writeInt(count);
      for (int i = 0; i < count; i++) {
        out.writeByte(i % 10);
      }
      return bytes.toByteArray();
    }

    Path write(String name, byte[] data, boolean gzip) throws IOException {
      Path p = dir.resolve(name);
      try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
        out.write(data);
      }
      return p;
    }

    @Test
    void reads_plainAndGzipped_withLabels() throws IOException {
      byte[] img = images(0x803, 3, 4, 5, 60);
      Path plain = write("img", img, false);
      Path gz = write("img.gz", img, true);
      Path lab = write("lab.gz", labels(3), true);
      Dataset a = Idx.read(plain, lab);
      Dataset b = Idx.read(gz, lab);
      assertThat(a.imageShape()).isEqualTo(io.github.gan4j.layers.Shape.of(4, 5, 1));
      assertThat(a.size()).isEqualTo(3);
      float[] x = new float[20];
      float[] y = new float[20];
      a.copyImage(2, x, 0);
      b.copyImage(2, y, 0);
      assertThat(x).containsExactly(y);
      assertThat(x[0]).isEqualTo(((40 * 7) & 0xff) / 127.5f - 1f);
      assertThat(a.label(2)).isEqualTo(2);
    }

    @Test
    void wrongMagic_namesFileAndOffset() throws IOException {
      Path p = write("labels-as-images", labels(30), false);
      assertThatThrownBy(() -> Idx.readImages(p)).isInstanceOfSatisfying(DataFormatException.class, e -> {
        assertThat(e.file()).isEqualTo(p);
        assertThat(e.offset()).isZero();
        assertThat(e.getMessage()).contains("magic number 0x00000801, expected 0x00000803");
      });
    }

    @Test
    void truncated_saysHowMuchIsMissing() throws IOException {
      Path p = write("short.gz", images(0x803, 3, 4, 5, 45), true);
      assertThatThrownBy(() -> Idx.readImages(p)).isInstanceOf(DataFormatException.class)
          .hasMessageContaining("at byte 61")
          .hasMessageContaining("file ends after 45 of 60 declared data bytes (2 of 3 records complete)");
    }

    @Test
    void hugeDeclaredSize_isRefusedWithoutAllocating() throws IOException {
      Path p = write("huge", images(0x803, 2_000_000_000, 28, 28, 10), false);
      assertThatThrownBy(() -> Idx.readImages(p)).isInstanceOf(DataFormatException.class)
          .hasMessageContaining("larger than supported");
      Path q = write("big", images(0x803, 1_000_000, 28, 28, 10), false);
      assertThatThrownBy(() -> Idx.readImages(q)).isInstanceOf(DataFormatException.class)
          .hasMessageContaining("file ends after 10 of 784000000 declared data bytes");
    }

    @Test
    void labelCountMismatch_isRefused() throws IOException {
      Path img = write("img", images(0x803, 3, 4, 5, 60), false);
      Path lab = write("lab", labels(4), false);
      assertThatThrownBy(() -> Idx.read(img, lab)).hasMessageContaining("4 labels for 3 images");
    }

    @Test
    void missingFile_pointsAtTheDebianPackage() {
      assertThatThrownBy(() -> Idx.readImages(dir.resolve("nope")))
          .hasMessageContaining("dataset-fashion-mnist");
    }

    @Test
    void trailingBytes_areRefused() throws IOException {
      Path p = write("long", images(0x803, 3, 4, 5, 61), false);
      assertThatThrownBy(() -> Idx.readImages(p)).hasMessageContaining("extra bytes");
    }
  }

  static float[] arr(int n) {
    float[] a = new float[n];
    Arrays.fill(a, 0.5f);
    return a;
  }
}
