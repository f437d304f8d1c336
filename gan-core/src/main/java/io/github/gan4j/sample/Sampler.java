package io.github.gan4j.sample;

/**
 * The latent distribution the generator draws from.
 *
 * <p>The built-in samplers ({@link #normal()}, {@link #uniform(float, float)},
 * {@link #truncatedNormal()}) are generated inside the training graph with stateless random
 * ops keyed by the seed and the step, so they cost no feeding and a resumed run draws the
 * same noise. Any other implementation is called from Java once per step and fed to the
 * graph; it must be a pure function of its arguments for runs to be reproducible.
 */
public interface Sampler {

  /**
   * Fills all of {@code out} with latent values, as a pure function of {@code seed} and
   * {@code stream}; the caller sizes {@code out} as a whole number of latent vectors
   * ({@code count * latentDim} values). During training the trainer passes the key of a named
   * random stream ({@code io.github.gan4j.recipe.RandomStream#key(seed, step)}: the run's
   * seed mixed with the stream's name, and the step), a different pair for every draw.
   */
  void sample(long seed, long stream, float[] out);

  /** A short description, for logs and saved configurations. */
  String describe();

  /** Standard normal N(0, 1), the default (and the reference DCGAN's choice). */
  static Sampler normal() {
    return new Normal(0f, 1f);
  }

  /**
   * Uniform on {@code [low, high)}.
   *
   * @throws IllegalArgumentException unless {@code low < high}, both finite
   */
  static Sampler uniform(float low, float high) {
    return new Uniform(low, high);
  }

  /** Standard normal truncated at two standard deviations (values beyond are redrawn). */
  static Sampler truncatedNormal() {
    return new TruncatedNormal(1f);
  }
}
