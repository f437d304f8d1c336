package io.github.gan4j.recipe;

/** How the discriminator learns from a real and a generated batch. */
public enum DiscriminatorUpdate {
  /**
   * Two optimizer updates per discriminator step: one on the real batch (label 1), then
   * one on the generated batch (label 0), as the reference's two {@code train_on_batch}
   * calls. The default.
   */
  SEPARATE_BATCHES,
  /**
   * One optimizer update on the loss averaged over the real and the generated batch.
   * Half the optimizer steps; with no BatchNorm in the discriminator, the same gradient as
   * averaging the two separate ones.
   */
  COMBINED_BATCH
}
