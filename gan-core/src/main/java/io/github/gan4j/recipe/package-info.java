/**
 * What a training run is, as plain values without TensorFlow: the
 * {@link io.github.gan4j.recipe.TrainingRecipe} (built by {@code Trainer.Builder}), the
 * {@link io.github.gan4j.recipe.Optimizer}s, the {@link io.github.gan4j.recipe.GanLoss},
 * the update procedure ({@link io.github.gan4j.recipe.DiscriminatorUpdate},
 * {@link io.github.gan4j.recipe.FakeBatches}), the {@link io.github.gan4j.recipe.Precision},
 * the training aids ({@link io.github.gan4j.recipe.GeneratorEma},
 * {@link io.github.gan4j.recipe.DiffAugment}) and the named random streams a run draws from.
 */
package io.github.gan4j.recipe;
