/**
 * Layer specifications: plain, immutable records with Keras's argument names and defaults,
 * created with the factories of {@link io.github.gan4j.layers.Layers}. Each layer infers its
 * output {@link io.github.gan4j.layers.Shape} and declares its weights; no TensorFlow type
 * appears here, so configurations can be built and checked without native code.
 *
 * <p>As in Keras, convolutions default to padding {@link io.github.gan4j.layers.Padding#VALID};
 * DCGAN-style stacks write {@code .padding(SAME)}.
 */
package io.github.gan4j.layers;
