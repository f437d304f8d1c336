package io.github.gan4j.tf;

/**
 * What one run of a step target measured. A value the target did not compute (the
 * generator's loss of a discriminator-only step, say) is NaN.
 *
 * @param dLoss discriminator loss, averaged over its updates, without gradient penalties
 * @param gLoss generator loss
 * @param dReal mean score of D on the real batches (a probability for cross-entropy losses)
 * @param dFake mean score of D on the fake batch of G's update (D after its updates, G in
 *     training mode): the scores G's loss is computed from
 * @param dFakeInDUpdate mean score of D on the fake batches of D's updates, before each update
 * @param penalty the gradient penalties D's updates added to their losses (summed over the
 *     penalties, averaged over the updates); NaN when the step applied none
 * @param weightsFinite whether every weight of both networks is finite after the step
 * @param gradients when asked for, the gradient each trainable variable's update applied, by
 *     variable name (see {@code StepAssembly.Target}); otherwise empty
 */
public record StepResult(float dLoss, float gLoss, float dReal, float dFake, float dFakeInDUpdate, float penalty,
    boolean weightsFinite, java.util.Map<String, float[]> gradients) {}
