package io.github.gan4j.recipe;

/**
 * How a conditional GAN's training draws the class labels of its fakes (the fake batch of each
 * discriminator update and the generator's update). Either way the labels come from named
 * random streams keyed by the seed and the step ({@link RandomStream#discriminatorFakeLabels},
 * {@link RandomStream#GENERATOR_LABELS}), so a resumed run draws what an uninterrupted one would.
 */
public enum FakeLabels {
  /** Every class equally likely. The default. */
  UNIFORM,
  /**
   * Each class as often as in the training dataset (its labels counted once, when training on
   * it starts), so fakes follow the real class balance of an imbalanced dataset.
   */
  DATASET_FREQUENCIES
}
