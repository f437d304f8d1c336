package io.github.gan4j.examples;

import static io.github.gan4j.layers.Activation.RELU;
import static io.github.gan4j.layers.Activation.TANH;
import static io.github.gan4j.layers.Layers.batchNorm;
import static io.github.gan4j.layers.Layers.conv2d;
import static io.github.gan4j.layers.Layers.conv2dTranspose;
import static io.github.gan4j.layers.Layers.dense;
import static io.github.gan4j.layers.Layers.flatten;
import static io.github.gan4j.layers.Layers.leakyRelu;
import static io.github.gan4j.layers.Layers.reshape;
import static io.github.gan4j.layers.Layers.spectralNorm;
import static io.github.gan4j.layers.Padding.SAME;

import io.github.gan4j.Conditioning;
import io.github.gan4j.Gan;
import io.github.gan4j.GanBuilder;
import io.github.gan4j.Network;
import io.github.gan4j.NetworkLayer;
import io.github.gan4j.layers.Conv2D;
import io.github.gan4j.layers.Conv2DTranspose;
import io.github.gan4j.layers.Dense;
import io.github.gan4j.layers.Initializer;
import io.github.gan4j.layers.Layer;

/** The reference DCGAN of the Keras CIFAR-10 tutorial, and the same design for other sizes. */
public final class ReferenceModels {
  private ReferenceModels() {}

  /**
   * The reference DCGAN for 32x32x3 images (CIFAR-10): generator 2,313,859 parameters
   * (896 non-trainable), discriminator 374,913.
   */
  public static Gan cifar10() {
    return dcgan(32, 32, 3);
  }

  /** The same design for 28x28x1 images (MNIST, Fashion-MNIST), starting from 7x7. */
  public static Gan mnist() {
    return dcgan(28, 28, 1);
  }

  /**
   * The reference design for {@code height x width x channels} images whose height and width
   * are divisible by 4: two stride-2 transposed convolutions up from a quarter of the size.
   */
  public static Gan dcgan(int height, int width, int channels) {
    return dcgan(height, width, channels, Initializer.glorotUniform());
  }

  /** {@link #dcgan(int, int, int)} with {@code init} for every kernel (e.g. the DCGAN paper's normal(0, 0.02)). */
  public static Gan dcgan(int height, int width, int channels, Initializer init) {
    return dcgan(height, width, channels, init, null);
  }

  /**
   * {@link #dcgan(int, int, int, Initializer)} conditioned on class labels as {@code conditioning}
   * says, or unconditioned for null.
   */
  public static Gan dcgan(int height, int width, int channels, Initializer init, Conditioning conditioning) {
    int h0 = height / 4;
    int w0 = width / 4;
    GanBuilder builder = GanBuilder.forImages(height, width, channels)
        .latentDim(100)
        .generator(
            dense(h0 * w0 * 256).activation(RELU).kernelInitializer(init), reshape(h0, w0, 256),
            batchNorm().momentum(0.8f),
            conv2dTranspose(128, 4).strides(2).padding(SAME).kernelInitializer(init), leakyRelu(0.2f),
            batchNorm().momentum(0.8f),
            conv2dTranspose(64, 4).strides(2).padding(SAME).kernelInitializer(init), leakyRelu(0.2f),
            batchNorm().momentum(0.8f),
            conv2d(channels, 3).padding(SAME).activation(TANH).kernelInitializer(init))
        .discriminator(
            conv2d(64, 3).strides(2).padding(SAME).kernelInitializer(init), leakyRelu(0.2f),
            conv2d(128, 3).strides(2).padding(SAME).kernelInitializer(init), leakyRelu(0.2f),
            conv2d(256, 3).strides(2).padding(SAME).kernelInitializer(init), leakyRelu(0.2f),
            flatten(), dense(1).kernelInitializer(init));
    return conditioning == null ? builder.build() : builder.conditional(conditioning).build();
  }

  /**
   * {@code gan} with every dense, conv2d and conv2dTranspose layer of the chosen networks wrapped
   * in {@code spectralNorm(...)} (the layers keep their names, so variables read
   * {@code discriminator/conv2d/kernel} and {@code discriminator/conv2d/u}); the command line's
   * {@code train --spectral-norm discriminator|generator|both}.
   */
  public static Gan withSpectralNorm(Gan gan, boolean generator, boolean discriminator) {
    return GanBuilder.forImages(gan.imageShape().dim(0), gan.imageShape().dim(1), gan.imageShape().dim(2))
        .latentDim(gan.latentDim())
        .generator(layers(gan.generator(), generator))
        .discriminator(layers(gan.discriminator(), discriminator))
        .build();
  }

  private static Layer[] layers(Network network, boolean normalized) {
    return network.layers().stream().map(NetworkLayer::layer)
        .map(l -> normalized && (l instanceof Dense || l instanceof Conv2D || l instanceof Conv2DTranspose)
            ? spectralNorm(l) : l)
        .toArray(Layer[]::new);
  }
}
