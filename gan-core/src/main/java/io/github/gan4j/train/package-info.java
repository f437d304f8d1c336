/**
 * Training: {@link io.github.gan4j.train.Trainer} (the frozen-discriminator procedure on a
 * TensorFlow graph), its optimizers and losses, step metrics and listeners, checkpoints,
 * and the exported {@link io.github.gan4j.train.TrainedGenerator}.
 */
package io.github.gan4j.train;
