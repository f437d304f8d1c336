package io.github.gan4j.recipe;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A named source of randomness of a training run: the latent noise of the discriminator's
 * fakes, the dropout masks of each pass, later a gradient penalty's interpolation or data
 * augmentation. Every draw is keyed by (seed, step, stream name) through {@link #key}, and
 * nothing else: streams never need numbering by hand, a new stream cannot shift an existing
 * one, and a restored run (the step is checkpointed) draws exactly what an uninterrupted one
 * would.
 *
 * <p>The key is a pair {@code {word, step}}: {@code word} mixes the seed with a 64-bit hash
 * of the name ({@link #seedWord}), {@code step} is the step counter. The training graph
 * passes it as the seed of TensorFlow's stateless random ops (the word as a constant, the
 * step read from the checkpointed counter); latent noise from a custom
 * {@link io.github.gan4j.sample.Sampler} is drawn in Java as {@code sample(word, step, out)}.
 *
 * @param name the stream's name, e.g. {@code "g_noise"} or {@code "d_fake_noise/0"}; a
 *     stream derived with {@link #child} appends {@code "/part"}
 */
public record RandomStream(String name) {

  /** Latent noise of the generator's update. */
  public static final RandomStream GENERATOR_NOISE = new RandomStream("g_noise");
  /** Dropout masks of the generator's update (its generator and discriminator passes). */
  public static final RandomStream GENERATOR_DROPOUT = new RandomStream("g_dropout");
  /**
   * Interpolation between real and fake images of a gradient penalty (WGAN-GP); update
   * {@code j} of a step draws from {@link #penaltyInterpolation(int)}, a child of this stream.
   */
  public static final RandomStream PENALTY_INTERPOLATION = new RandomStream("gp_interpolation");
  /** Class labels of the generator's update's fakes, for a conditional GAN. */
  public static final RandomStream GENERATOR_LABELS = new RandomStream("g_labels");
  /**
   * Differentiable augmentation ({@link DiffAugment}): each batch D sees draws from a child,
   * {@link #augmentReal(int)}, {@link #augmentFake(int)} or {@link #augmentGenerator()}, and
   * each transformation from a child of that ({@code augment/d_real/0/brightness}).
   */
  public static final RandomStream AUGMENT = new RandomStream("augment");

  /** Validates the name. */
  public RandomStream {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a random stream needs a name");
    }
  }

  /** Latent noise of the fake batch of the discriminator's update {@code j} of a step (from 0). */
  public static RandomStream discriminatorFakeNoise(int j) {
    return new RandomStream("d_fake_noise/" + j);
  }

  /** Class labels of the fake batch of the discriminator's update {@code j}, for a conditional GAN. */
  public static RandomStream discriminatorFakeLabels(int j) {
    return new RandomStream("d_fake_labels/" + j);
  }

  /** Dropout of the generator while it makes the fake batch of the discriminator's update {@code j}. */
  public static RandomStream discriminatorFakeGeneratorDropout(int j) {
    return new RandomStream("d_fake_generator_dropout/" + j);
  }

  /** Dropout of the discriminator's pass on the real (or the combined) batch of its update {@code j}. */
  public static RandomStream discriminatorRealDropout(int j) {
    return new RandomStream("d_real_dropout/" + j);
  }

  /** Dropout of the discriminator's pass on the fake batch of its update {@code j}. */
  public static RandomStream discriminatorFakeDropout(int j) {
    return new RandomStream("d_fake_dropout/" + j);
  }

  /** WGAN-GP's per-sample interpolation weights in the discriminator's update {@code j}: {@code gp_interpolation/j}. */
  public static RandomStream penaltyInterpolation(int j) {
    return PENALTY_INTERPOLATION.child(String.valueOf(j));
  }

  /** Dropout of the discriminator's pass on WGAN-GP's interpolated batch in its update {@code j}. */
  public static RandomStream penaltyDropout(int j) {
    return new RandomStream("gp_dropout/" + j);
  }

  /** Augmentation of the real (or, combined, the real half of the) batch of the discriminator's update {@code j}: {@code augment/d_real/j}. */
  public static RandomStream augmentReal(int j) {
    return AUGMENT.child("d_real/" + j);
  }

  /** Augmentation of the fake batch of the discriminator's update {@code j}: {@code augment/d_fake/j}. */
  public static RandomStream augmentFake(int j) {
    return AUGMENT.child("d_fake/" + j);
  }

  /** Augmentation of the fakes of the generator's update, on their way into D: {@code augment/g}. */
  public static RandomStream augmentGenerator() {
    return AUGMENT.child("g");
  }

  /** A sub-stream, e.g. one per layer: {@code name + "/" + part}. */
  public RandomStream child(String part) {
    return new RandomStream(name + "/" + part);
  }

  /** 64-bit hash of the name (FNV-1a over its UTF-8 bytes, then mixed). */
  public long nameHash() {
    long h = 0xcbf29ce484222325L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    return mix(h);
  }

  /** The first word of every key of this stream under {@code seed}: seed and name mixed. */
  public long seedWord(long seed) {
    return mix(nameHash() ^ mix(seed + 0x9E3779B97F4A7C15L));
  }

  /** The key of this stream's draw at {@code step}: {@code {seedWord(seed), step}}. */
  public long[] key(long seed, long step) {
    return new long[] {seedWord(seed), step};
  }

  /** SplitMix64's finalizer: a bijection of 64-bit values that spreads every input bit. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
