package io.github.gan4j.sample;

import java.util.SplittableRandom;

/**
 * Uniform distribution on {@code [low, high)}; generated in-graph during training.
 *
 * @param low lower bound (inclusive)
 * @param high upper bound (exclusive), greater than {@code low}
 */
public record Uniform(float low, float high) implements Sampler {

  /** Validates the arguments. */
  public Uniform {
    if (!Float.isFinite(low) || !Float.isFinite(high) || !(low < high)) {
      throw new IllegalArgumentException("uniform sampler needs finite low < high, got [" + low + ", " + high + ")");
    }
  }

  @Override
  public void sample(long seed, long stream, float[] out) {
    SplittableRandom r = Streams.random(seed, stream);
    for (int i = 0; i < out.length; i++) {
      out[i] = low + (high - low) * (float) r.nextDouble();
    }
  }

  @Override
  public String describe() {
    return "uniform(" + low + ", " + high + ")";
  }
}
