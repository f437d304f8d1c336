/**
 * The advanced door: layers and losses written by the user on TensorFlow Java operands.
 * Entry types: {@link io.github.gan4j.extension.CustomLayer} (with the
 * {@link io.github.gan4j.extension.LayerContext} of each pass) and
 * {@link io.github.gan4j.extension.CustomLoss}.
 *
 * <p>Unlike the rest of gan4j's public API, this package speaks TensorFlow Java
 * ({@code Ops}, {@code Operand<TFloat32>}). A custom part takes part in everything a built-in
 * one does:
 * <ul>
 *   <li>shape inference and checks at {@code GanBuilder.build()} (its {@code kind()},
 *       {@code name()}, {@code describe()}, {@code outputShape} and declared weights are
 *       checked there), {@code summary()} and parameter counts;</li>
 *   <li>its declared weights become variables named {@code <network>/<layer>/<weight>}
 *       (e.g. {@code generator/pixel_norm/gain}) with the declared initializer, trained by the
 *       network's optimizer in the frozen-discriminator step unless declared non-trainable;</li>
 *   <li>checkpoints, bit-exact resume, {@code Trainer.variables()}, the model fingerprint
 *       (built from {@code describe()}, so make it name every setting) and the generator
 *       export that {@code TrainedGenerator} loads.</li>
 * </ul>
 *
 * <p>What only a TensorFlow graph shows is checked when a trainer (or a {@code ForwardPass})
 * builds it, before anything runs: a {@code forward} whose output shape disagrees with
 * {@code outputShape}, a declared trainable weight that {@code forward} never reads, and a
 * layer that implements {@code Layer.Custom} without {@code CustomLayer} are refused with a
 * {@code GanConfigurationException} naming the network, the layer index and the layer;
 * reading an undeclared weight throws {@link java.lang.IllegalArgumentException}.
 *
 * <p>Randomness comes from stateless ops seeded with {@link
 * io.github.gan4j.extension.LayerContext#randomKey()}, so runs stay reproducible and resumable.
 * TensorFlow's C++ gradient registry, which graph-mode training uses, has no gradient for
 * those ops: wrap a draw whose shape depends on the input in {@code tf.stopGradient}.
 *
 * <p>Worked examples (ProGAN's minibatch standard deviation, a pixel norm with a learned gain,
 * a softplus hinge loss) are in the README's "Your own layers and losses" and in
 * {@code gan-examples}' {@code io.github.gan4j.examples.CustomParts}.
 */
package io.github.gan4j.extension;
