package io.github.gan4j.recipe;

/**
 * How the generator runs when it makes the fake batch for the discriminator's update.
 * Either way the generator's variables, BatchNorm moving statistics included, are not
 * changed by the discriminator's update.
 */
public enum FakeBatches {
  /**
   * Generator in inference mode: BatchNorm normalizes with its moving statistics. This is
   * the reference's {@code generator.predict(noise)} and the default. Early in training the
   * moving statistics lag behind, so D sees somewhat different fakes than G trains on.
   */
  INFERENCE_MODE,
  /**
   * Generator in training mode: BatchNorm normalizes with the fake batch's own statistics,
   * exactly as in the generator's update (PyTorch DCGAN's usual {@code G(z)} under
   * {@code no_grad}). The moving statistics are still not updated here.
   */
  TRAINING_MODE
}
