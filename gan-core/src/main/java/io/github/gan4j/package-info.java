/**
 * gan4j: generative adversarial networks on TensorFlow Java. Start with
 * {@link io.github.gan4j.GanBuilder}, which validates a {@link io.github.gan4j.Gan};
 * train it with {@code io.github.gan4j.train.Trainer}.
 */
package io.github.gan4j;
