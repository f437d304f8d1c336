/**
 * The training runtime: {@link io.github.gan4j.train.Trainer} (runs a
 * {@link io.github.gan4j.recipe.TrainingRecipe} on a TensorFlow graph), step metrics and
 * listeners, checkpoints, and the exported {@link io.github.gan4j.train.TrainedGenerator}.
 */
package io.github.gan4j.train;
