package io.github.gan4j.sample;

import java.util.SplittableRandom;

/**
 * Normal distribution N(mean, stddev^2); generated in-graph during training.
 *
 * @param mean mean
 * @param stddev standard deviation, positive
 */
public record Normal(float mean, float stddev) implements Sampler {

  /** Validates the arguments. */
  public Normal {
    if (!Float.isFinite(mean) || !(stddev > 0f) || !Float.isFinite(stddev)) {
      throw new IllegalArgumentException("normal sampler needs a finite mean and a positive finite stddev, got mean="
          + mean + ", stddev=" + stddev);
    }
  }

  @Override
  public void sample(long seed, long stream, float[] out) {
    SplittableRandom r = Streams.random(seed, stream);
    for (int i = 0; i < out.length; i++) {
      out[i] = mean + stddev * (float) r.nextGaussian();
    }
  }

  @Override
  public String describe() {
    return "normal(mean=" + mean + ", stddev=" + stddev + ")";
  }
}
