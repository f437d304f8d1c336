package io.github.gan4j.train;

/**
 * What one training step measured.
 *
 * <p>What {@code dReal} and {@code dFake} are depends on the loss
 * ({@link io.github.gan4j.recipe.GanLoss#outputs()}): for the cross-entropy losses
 * (non-saturating, minimax, and custom losses that say so) they are D's mean probability of
 * "real", {@code mean sigmoid(D(x))} and {@code mean sigmoid(D(G(z)))}, in [0, 1]; for least
 * squares, hinge and Wasserstein they are D's (the critic's) mean raw scores, unbounded.
 *
 * <p>A step scores generated images twice, and the two numbers differ, often a lot:
 * {@code dFake} is what D, after this step's updates, makes of the fakes the generator learns
 * from (the generator in training mode, its BatchNorm on batch statistics); this is the D(G(z))
 * the generator's loss is computed from, and the one logs and {@code metrics.jsonl} call
 * {@code d_g_z}. {@code dFakeInDUpdate} is what D made of the fakes it trained on, before each
 * of its updates; by default those fakes come from the generator in inference mode (as Keras's
 * {@code generator.predict}), whose BatchNorm uses moving statistics that lag behind early in
 * training. (PyTorch's DCGAN tutorial prints the same pair as {@code D(G(z)): a / b}.)
 *
 * @param step the step number, counting from 1 (the step just finished)
 * @param dLoss discriminator loss: {@code termWeight * (real term + fake term)} of the loss
 *     (for cross-entropy, the mean over the real and the generated batch), averaged over the
 *     step's D updates; gradient penalties are not included (see {@code penalty}). NaN after a
 *     generator-only step
 * @param gLoss generator loss (NaN after a discriminator-only step)
 * @param dReal mean D(x) on the real batch, before D's update: a probability for
 *     cross-entropy losses, a raw score otherwise
 * @param dFake mean D(G(z)) on the generated batch of the generator's update, scored by D after
 *     this step's D updates, read as {@code dReal}; NaN after a discriminator-only step
 * @param dFakeInDUpdate mean D(G(z)) on the generated batches of D's updates, before each
 *     update, averaged over them, read as {@code dReal}; NaN after a generator-only step
 * @param penalty the gradient penalties D minimized on top of {@code dLoss} in this step:
 *     their values as added to D's loss (lazy ones multiplied by their interval), summed over
 *     the penalties and averaged over the step's D updates. NaN when the step applied none
 *     (no penalty configured, a lazy penalty's off step, or a generator-only step)
 * @param stepNanos wall-clock time of the step, feeding and fetching included
 * @param weightsFinite whether every weight of both networks is a finite number after the step
 */
public record StepMetrics(long step, float dLoss, float gLoss, float dReal, float dFake, float dFakeInDUpdate,
    float penalty, long stepNanos, boolean weightsFinite) {

  /**
   * Metrics of a step that applied no gradient penalty ({@code penalty} NaN) and whose
   * discriminator updates' D(G(z)) is not known ({@code dFakeInDUpdate} NaN); for listeners'
   * tests and replays.
   */
  public StepMetrics(long step, float dLoss, float gLoss, float dReal, float dFake, long stepNanos,
      boolean weightsFinite) {
    this(step, dLoss, gLoss, dReal, dFake, Float.NaN, Float.NaN, stepNanos, weightsFinite);
  }

  /**
   * Whether the step is sound: every weight finite after it, no loss or penalty infinite, and
   * at least one loss a number. (A half-step reports the loss it did not compute as NaN; a NaN
   * in a loss or penalty it did compute reaches the weights through the gradients.)
   */
  public boolean finite() {
    return weightsFinite && !Float.isInfinite(dLoss) && !Float.isInfinite(gLoss) && !Float.isInfinite(penalty)
        && !(Float.isNaN(dLoss) && Float.isNaN(gLoss));
  }

  /** Steps per second this step would sustain. */
  public double stepsPerSecond() {
    return stepNanos <= 0 ? Double.POSITIVE_INFINITY : 1e9 / stepNanos;
  }
}
