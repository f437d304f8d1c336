package io.github.gan4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.gan4j.data.Dataset;
import io.github.gan4j.layers.Shape;
import io.github.gan4j.train.Steps;
import io.github.gan4j.train.Trainer;
import org.junit.jupiter.api.Test;

/** A dataset writing NaN or pixels outside [-1, 1] fails at once, naming the image, not trains into NaN. */
class DatasetRangeTest {

  /** {@link Fixtures#squares()} with one value replaced once {@code fromCall} images have been read. */
  private static final class Corrupted implements Dataset {
    private final Dataset base = Fixtures.squares();
    private final int image;
    private final int position;
    private final float value;
    private final long fromCall;
    private long calls;

    Corrupted(int image, int position, float value, long fromCall) {
      this.image = image;
      this.position = position;
      this.value = value;
      this.fromCall = fromCall;
    }

    @Override
    public Shape imageShape() {
      return base.imageShape();
    }

    @Override
    public int size() {
      return base.size();
    }

    @Override
    public void copyImage(int index, float[] dst, int offset) {
      base.copyImage(index, dst, offset);
      if (calls++ >= fromCall && (image < 0 || index == image)) {
        dst[offset + position] = value;
      }
    }

    @Override
    public String name() {
      return "corrupted squares";
    }
  }

  private static IllegalArgumentException failure(Dataset data, int steps) {
    try (Trainer trainer = Trainer.of(Fixtures.tiny()).batchSize(256).seed(1).build()) {
      return assertThrows(IllegalArgumentException.class, () -> trainer.fit(data, Steps.of(steps)));
    }
  }

  @Test
  void nanInImageThreeIsNamed() {
    IllegalArgumentException e = failure(new Corrupted(3, 10, Float.NaN, 0), 1);
    assertEquals("dataset corrupted squares: image 3 has value NaN at position 10 (row 1, column 2, channel 0),"
        + " read at step 0; pixels must be finite and in [-1, 1]: scale them in copyImage, e.g. b / 127.5f - 1"
        + " for 8-bit values b", e.getMessage());
  }

  @Test
  void valueAboveOneIsNamed() {
    IllegalArgumentException e = failure(new Corrupted(17, 63, 1.5f, 0), 1);
    assertTrue(e.getMessage().startsWith("dataset corrupted squares: image 17 has value 1.5 at position 63 (row 7,"
        + " column 7, channel 0)"), e.getMessage());
  }

  @Test
  void valueAtALaterStepIsCaught() {
    // every image read from the 21st step on has -7 at one position: past the fully checked steps
    long later = 20L * 256;
    IllegalArgumentException e = failure(new Corrupted(-1, 5, -7f, later), 40);
    assertTrue(e.getMessage().contains("has value -7.0 at position 5 (row 0, column 5, channel 0), read at step 20;"),
        e.getMessage());
  }

  @Test
  void inRangeDataTrains() {
    try (Trainer trainer = Trainer.of(Fixtures.tiny()).batchSize(32).seed(1).build()) {
      assertEquals(30, trainer.fit(Fixtures.squares(), Steps.of(30)).steps());
    }
  }
}
