/**
 * The advanced door: layers and losses written by the user on TensorFlow Java operands.
 * Entry types: {@link io.github.gan4j.extension.CustomLayer} and
 * {@link io.github.gan4j.extension.CustomLoss}.
 *
 * <p>Unlike the rest of gan4j's public API, this package speaks TensorFlow Java
 * ({@code Ops}, {@code Operand<TFloat32>}). A custom part takes part in everything a built-in
 * one does: shape inference and checks at {@code GanBuilder.build()}, {@code summary()} and
 * parameter counts, the frozen-discriminator training step, checkpoints (its weights are
 * variables named {@code <network>/<layer>/<weight>}), bit-exact resume and the generator
 * export.
 */
package io.github.gan4j.extension;
