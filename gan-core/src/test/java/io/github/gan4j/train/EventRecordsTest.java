package io.github.gan4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gan4j.data.DataFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/** TFRecord framing and the resume rewrite of event files, without native code. */
class EventRecordsTest {
  @TempDir
  Path dir;

  static byte[] header() {
    return Event.newBuilder().setWallTime(1).setFileVersion("brain.Event:2").build().toByteArray();
  }

  static byte[] scalar(long step, String tag, float value) {
    return Event.newBuilder().setStep(step).setWallTime(1 + step).setSummary(Summary.newBuilder()
        .addValue(Summary.Value.newBuilder().setTag(tag).setSimpleValue(value))).build().toByteArray();
  }

  Path file(String name, long... steps) throws IOException {
    Path f = dir.resolve(name);
    try (EventRecords.Writer w = new EventRecords.Writer(f)) {
      w.write(header());
      for (long s : steps) {
        w.write(scalar(s, "losses/d_loss", s / 10f));
      }
    }
    return f;
  }

  @Test
  void maskedCrc_isTfRecordsMask_ofCrc32c() {
    // CRC32C("123456789") = 0xe3069283 (the standard check value); masked: rotate right 15, add 0xa282ead8
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
    int c = 0xe3069283;
    assertThat(EventRecords.maskedCrc(check, 0, check.length)).isEqualTo(((c >>> 15) | (c << 17)) + 0xa282ead8);
  }

  @Test
  void writtenRecords_readBack_inFileNameOrder() throws IOException {
    file("events.out.tfevents.0000000002.host.1.0", 3, 4);
    file("events.out.tfevents.0000000001.host.9.0", 1, 2);
    Files.writeString(dir.resolve("notes.txt"), "not an event file");
    List<EventFiles.Entry> read = EventFiles.read(dir);
    assertThat(read).extracting(EventFiles.Entry::step).containsExactly(1L, 2L, 3L, 4L);
    assertThat(read.get(2)).isEqualTo(new EventFiles.Scalar(3, "losses/d_loss", 4, 0.3f));
  }

  @Test
  void damagedLength_isAnError_andALengthTooShortToHoldAHeader_endsTheFile() throws IOException {
    Path f = file("events.out.tfevents.0000000001.host.1.0", 1, 2);
    byte[] bytes = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(bytes, bytes.length + 5));   // 5 bytes of a next header
    assertThat(EventFiles.read(f)).hasSize(2);
    bytes[header().length + 16] ^= 1;   // the length of the second record
    Files.write(f, bytes);
    assertThatThrownBy(() -> EventFiles.read(f)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("at byte " + (header().length + 16))
        .hasMessageContaining("checksum of the record length does not match");
  }

  @Test
  void keepUpTo_removesLaterSteps_deletesEmptiedFiles_dropsCutRecords_andLeftovers() throws IOException {
    Path first = file("events.out.tfevents.0000000001.host.1.0", 1, 2, 3, 4, 5, 6);
    Path second = file("events.out.tfevents.0000000002.host.2.0", 7, 8);
    Path third = file("events.out.tfevents.0000000003.host.3.0", 3);   // an evaluation of step 3 written late
    byte[] cut = Files.readAllBytes(third);
    Files.write(third, Arrays.copyOf(cut, cut.length - 3));   // and killed while writing its last record
    Files.writeString(dir.resolve(".gan4j-rewrite-123.tmp"), "an interrupted rewrite");
    long untouched = Files.getLastModifiedTime(first).toMillis();

    assertThat(TensorBoard.keepUpTo(dir, 8)).isEqualTo(8);
    assertThat(Files.getLastModifiedTime(first).toMillis()).isEqualTo(untouched);

    assertThat(TensorBoard.keepUpTo(dir, 4)).isEqualTo(4);
    assertThat(EventFiles.list(dir)).containsExactly(first);   // the second emptied, the third's only record cut
    assertThat(EventFiles.read(dir)).extracting(EventFiles.Entry::step).containsExactly(1L, 2L, 3L, 4L);
    try (EventRecords.Reader r = new EventRecords.Reader(first)) {
      assertThat(EventFiles.parse(first, r.next()).getFileVersion()).isEqualTo("brain.Event:2");
    }
    try (var s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".gan4j-rewrite"));
    }
    assertThat(second).doesNotExist();
  }

  @Test
  void secondOf_readsTensorFlowsFileName() {
    assertThat(TensorBoard.secondOf("events.out.tfevents.1795937911.vm.30105.0")).isEqualTo(1795937911L);
    assertThat(TensorBoard.secondOf("events.out.tfevents.x")).isEqualTo(-1);
  }
}
