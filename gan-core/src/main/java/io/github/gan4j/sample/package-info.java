/**
 * Latent noise ({@link io.github.gan4j.sample.Sampler}, standard normal by default) and
 * image grids of samples ({@link io.github.gan4j.sample.ImageGrid}).
 */
package io.github.gan4j.sample;
