package io.github.gan4j.examples;

import io.github.gan4j.Gan;

/**
 * {@code --spectral-norm}: which of the reference model's networks get spectral normalization on
 * every dense and convolution layer ({@link ReferenceModels#withSpectralNorm}).
 */
enum SpectralNormTarget {
  NONE(false, false),
  DISCRIMINATOR(false, true),
  GENERATOR(true, false),
  BOTH(true, true);

  private final boolean generator;
  private final boolean discriminator;

  SpectralNormTarget(boolean generator, boolean discriminator) {
    this.generator = generator;
    this.discriminator = discriminator;
  }

  /** {@code gan} with spectral normalization in the chosen networks ({@code gan} itself for none). */
  Gan apply(Gan gan) {
    return this == NONE ? gan : ReferenceModels.withSpectralNorm(gan, generator, discriminator);
  }
}
