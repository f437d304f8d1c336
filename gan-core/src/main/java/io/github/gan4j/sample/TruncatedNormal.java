package io.github.gan4j.sample;

import java.util.SplittableRandom;

/**
 * Normal distribution N(0, stddev^2) truncated at two standard deviations, as TensorFlow's
 * {@code truncated_normal}; generated in-graph during training.
 *
 * @param stddev standard deviation, positive
 */
public record TruncatedNormal(float stddev) implements Sampler {

  /** Validates the arguments. */
  public TruncatedNormal {
    if (!(stddev > 0f) || !Float.isFinite(stddev)) {
      throw new IllegalArgumentException("truncated normal sampler needs a positive finite stddev, got " + stddev);
    }
  }

  @Override
  public void sample(long seed, long stream, float[] out) {
    SplittableRandom r = Streams.random(seed, stream);
    for (int i = 0; i < out.length; i++) {
      double g;
      do {
        g = r.nextGaussian();
      } while (Math.abs(g) > 2.0);
      out[i] = stddev * (float) g;
    }
  }

  @Override
  public String describe() {
    return "truncatedNormal(stddev=" + stddev + ")";
  }
}
