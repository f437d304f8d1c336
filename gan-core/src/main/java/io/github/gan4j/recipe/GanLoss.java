package io.github.gan4j.recipe;

/**
 * The adversarial loss. The discriminator always minimizes the binary cross-entropy of its
 * logits against real = 1, fake = 0; the variants differ in the generator's objective.
 * Losses with other discriminator objectives or penalty terms will join this family.
 */
public enum GanLoss {
  /**
   * The generator minimizes {@code BCE(D(G(z)), 1) = -log sigmoid(D(G(z)))}: the reference
   * DCGAN's "train the combined model on labels 1", and the default. Strong gradients early
   * in training when D rejects the fakes.
   */
  NON_SATURATING,
  /**
   * The generator maximizes the discriminator's loss on fakes, i.e. minimizes
   * {@code log(1 - sigmoid(D(G(z))))}: Goodfellow's original minimax game. Its gradients
   * vanish when D is confident, so it usually trains slower.
   */
  MINIMAX
}
