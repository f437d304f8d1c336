package io.github.gan4j.recipe;

import java.util.Locale;

/**
 * An exponential moving average of the generator's weights (Karras et al. 2018, Yazici et al.
 * 2019), kept in the graph beside the weights the optimizer trains: after every generator
 * update, {@code ema = decay * ema + (1 - decay) * weight} for every trainable weight, and the
 * other variables (BatchNorm moving statistics, a spectral norm's {@code u}) are copied. Before {@code startStep} the average just copies
 * the weights, so that it does not remember the untrained start. Samples from the average are
 * usually much smoother than from the last weights.
 *
 * @param decay the weight of the old average per update, in (0, 1); 0.999 is the common choice
 *     (an average over about the last 1,000 updates)
 * @param startStep the first step (counting from 1) whose update is averaged; earlier steps copy
 */
public record GeneratorEma(float decay, long startStep) {

  /** Checks the decay and the start step. */
  public GeneratorEma {
    if (!(decay > 0f && decay < 1f)) {
      throw new IllegalArgumentException("the generator EMA's decay must be in (0, 1), was " + decay
          + "; 0.999 averages over about the last 1,000 updates");
    }
    if (startStep < 0) {
      throw new IllegalArgumentException("the generator EMA's start step must not be negative, was " + startStep);
    }
  }

  /** One line for logs and manifests, e.g. {@code ema(decay=0.999, start=1000)}. */
  public String describe() {
    return String.format(Locale.ROOT, "ema(decay=%s, start=%d)", Float.toString(decay), startStep);
  }
}
