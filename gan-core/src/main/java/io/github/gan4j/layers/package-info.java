/**
 * Layer specifications: plain, immutable records with Keras's argument names and defaults,
 * created with the factories of {@link io.github.gan4j.layers.Layers}. Each layer infers its
 * output {@link io.github.gan4j.layers.Shape} and declares its weights; no TensorFlow type
 * appears here, so configurations can be built and checked without native code.
 *
 * <p>Composite layers hold ordinary layer specs and are one entry in a stack:
 * {@link io.github.gan4j.layers.ResidualBlock} (SNGAN's residual blocks: their two paths),
 * {@link io.github.gan4j.layers.SelfAttention} (its projections) and
 * {@link io.github.gan4j.layers.SpectralNorm} (the layer it wraps).
 *
 * <p>As in Keras, convolutions default to padding {@link io.github.gan4j.layers.Padding#VALID};
 * DCGAN-style stacks write {@code .padding(SAME)}.
 */
package io.github.gan4j.layers;
