package io.github.gan4j.sample;

import java.util.SplittableRandom;

/** Independent random streams from (seed, stream) pairs. */
final class Streams {
  private Streams() {}

  static SplittableRandom random(long seed, long stream) {
    // SplittableRandom's constructor mixes its seed; combine both with an odd multiplier first
    return new SplittableRandom(seed * 0xBF58476D1CE4E5B9L ^ (stream + 0x632BE59BD9B4E019L) * 0x94D049BB133111EBL);
  }
}
