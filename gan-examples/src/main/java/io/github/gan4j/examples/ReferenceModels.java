package io.github.gan4j.examples;

import static io.github.gan4j.layers.Activation.RELU;
import static io.github.gan4j.layers.Activation.TANH;
import static io.github.gan4j.layers.Layers.batchNorm;
import static io.github.gan4j.layers.Layers.conv2d;
import static io.github.gan4j.layers.Layers.conv2dTranspose;
import static io.github.gan4j.layers.Layers.dense;
import static io.github.gan4j.layers.Layers.flatten;
import static io.github.gan4j.layers.Layers.globalSumPooling2d;
import static io.github.gan4j.layers.Layers.leakyRelu;
import static io.github.gan4j.layers.Layers.relu;
import static io.github.gan4j.layers.Layers.resBlock;
import static io.github.gan4j.layers.Layers.resBlockDown;
import static io.github.gan4j.layers.Layers.resBlockDownOptimized;
import static io.github.gan4j.layers.Layers.resBlockUp;
import static io.github.gan4j.layers.Layers.reshape;
import static io.github.gan4j.layers.Layers.spectralNorm;
import static io.github.gan4j.layers.Layers.tanh;
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
import io.github.gan4j.layers.ResidualBlock;
import io.github.gan4j.layers.SelfAttention;
import io.github.gan4j.recipe.DiscriminatorUpdate;
import io.github.gan4j.recipe.FakeBatches;
import io.github.gan4j.recipe.GanLoss;
import io.github.gan4j.recipe.LearningRateSchedule;
import io.github.gan4j.recipe.Optimizer;
import io.github.gan4j.train.Trainer;

/**
 * The reference models: the DCGAN of the Keras CIFAR-10 tutorial and SNGAN's ResNet
 * (Miyato et al. 2018), each also for other image sizes.
 */
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
   * SNGAN's ResNet for CIFAR-10 ({@code sngan_projection}'s {@code ResNetGenerator} and
   * {@code SNResNetProjectionDiscriminator}, unconditional, {@code ch} 256 and 128) for
   * {@code height x width x channels} images whose height and width are divisible by 8:
   * <ul>
   * <li>generator: z (128) -> dense(h/8 * w/8 * 256) -> reshape(h/8, w/8, 256) -> 3 x
   *     {@link io.github.gan4j.layers.Layers#resBlockUp resBlockUp(256)} -> BatchNorm -> ReLU ->
   *     conv 3x3 (channels) -> tanh;
   * <li>discriminator: {@link io.github.gan4j.layers.Layers#resBlockDownOptimized
   *     resBlockDownOptimized(128)} -> resBlockDown(128) -> resBlock(128) -> resBlock(128) ->
   *     ReLU -> {@link io.github.gan4j.layers.Layers#globalSumPooling2d globalSumPooling2d()} ->
   *     dense(1) without bias; every convolution (inside the blocks) and the dense layer with
   *     {@link io.github.gan4j.layers.Layers#spectralNorm spectral normalization}.
   * </ul>
   * For 32x32x3 the generator has 4,276,739 trainable parameters (plus 3,584 BatchNorm moving
   * statistics) and the discriminator 1,053,824, the counts of the paper's code: G's dense
   * 128 * 4096 + 4096 = 528,384; each up block 2 * (9 * 256 * 256 + 256) + (256 * 256 + 256) +
   * 2 * 512 = 1,246,976; the final BatchNorm 512 and conv 9 * 256 * 3 + 3 = 6,915. D's first
   * block (9 * 3 * 128 + 128) + (9 * 128 * 128 + 128) + (3 * 128 + 128) = 151,680, the second
   * 2 * 147,584 + 16,512 = 311,680, the plain blocks 295,168 each (identity shortcuts), the
   * dense 128. D's spectral norms add 1,281 non-trainable values (a {@code u} of 128 per
   * convolution, 1 for the dense layer), Chainer's persistent {@code u}.
   *
   * <p>Differences from the paper's code: kernels start Glorot uniform where Chainer scales the
   * residual convolutions' by sqrt(2). The generator's BatchNorm uses Chainer's decay 0.9 and
   * epsilon 2e-5. Train it with {@link #snganRecipe(Gan)}.
   *
   * @throws IllegalArgumentException if height or width is not divisible by 8 (28x28 images,
   *     MNIST and Fashion-MNIST, do not fit: the generator doubles its size three times; pad
   *     them to 32x32 or use {@link #dcgan})
   */
  public static Gan snganResNet(int height, int width, int channels) {
    if (height <= 0 || width <= 0 || channels <= 0 || height % 8 != 0 || width % 8 != 0) {
      throw new IllegalArgumentException("snganResNet needs a height and width divisible by 8 (its generator doubles"
          + " h/8 x w/8 three times) and positive channels, got " + height + "x" + width + "x" + channels
          + (height > 0 && width > 0 && (height % 8 != 0 || width % 8 != 0) ? "; " + height + "x" + width
              + " would need a start of " + height / 8.0 + " x " + width / 8.0 + ". Pad the images to "
              + (height + 7) / 8 * 8 + "x" + (width + 7) / 8 * 8 + ", or use dcgan(" + height + ", " + width
              + ", " + channels + ")" : ""));
    }
    // BEGIN README RESNET
    Gan gan = GanBuilder.forImages(height, width, channels)
        .latentDim(128)
        .generator(
            dense(height / 8 * width / 8 * 256), reshape(height / 8, width / 8, 256),
            resBlockUp(256), resBlockUp(256), resBlockUp(256),   // each doubles height and width
            ResidualBlock.SNGAN_BATCH_NORM, relu(), conv2d(channels, 3).padding(SAME), tanh())
        .discriminator(                                          // spectral norm on every weight layer
            resBlockDownOptimized(128).spectralNorm(),           // halves height and width
            resBlockDown(128).spectralNorm(),                    // halves height and width
            resBlock(128).spectralNorm(), resBlock(128).spectralNorm(),
            relu(), globalSumPooling2d(), spectralNorm(dense(1).useBias(false)))
        .build();
    // END README RESNET
    return gan;
  }

  /**
   * The training recipe of SNGAN's CIFAR-10 runs ({@code sngan_projection}'s
   * {@code sn_cifar10_unconditional.yml}) for {@code gan}: the hinge loss; Adam with learning
   * rate 2e-4, beta1 0, beta2 0.9 for both networks; five discriminator updates per generator
   * update, each on real and fake images together; fakes made with the generator's BatchNorm
   * on batch statistics (Chainer's training mode); batch 64; the learning rate decaying
   * linearly to 0 over the paper's 50,000 steps (for runs of another length replace it with
   * {@code learningRateSchedule(LearningRateSchedule.linearDecay(steps, 0))}). The paper's
   * generator update uses 128 fakes; here it uses the batch size.
   */
  public static Trainer.Builder snganRecipe(Gan gan) {
    // BEGIN README SNGAN RECIPE
    Trainer.Builder recipe = Trainer.of(gan)
        .batchSize(64)
        .loss(GanLoss.hinge())
        .optimizer(Optimizer.adam().learningRate(2e-4f).beta1(0f).beta2(0.9f))
        .discriminatorSteps(5)                                   // five D updates per G update
        .discriminatorUpdate(DiscriminatorUpdate.COMBINED_BATCH)
        .fakeBatches(FakeBatches.TRAINING_MODE)
        .learningRateSchedule(LearningRateSchedule.linearDecay(50_000, 0f));
    // END README SNGAN RECIPE
    return recipe;
  }

  /**
   * {@code gan} with every dense, conv2d and conv2dTranspose layer of the chosen networks wrapped
   * in {@code spectralNorm(...)}, also those inside residual blocks and self-attention layers
   * (the layers keep their names, so variables read {@code discriminator/conv2d/kernel} and
   * {@code discriminator/conv2d/u}); the command line's
   * {@code train --spectral-norm discriminator|generator|both}.
   */
  public static Gan withSpectralNorm(Gan gan, boolean generator, boolean discriminator) {
    GanBuilder builder = GanBuilder.forImages(gan.imageShape().dim(0), gan.imageShape().dim(1),
            gan.imageShape().dim(2))
        .latentDim(gan.latentDim())
        .generator(layers(gan.generator(), generator))
        .discriminator(layers(gan.discriminator(), discriminator));
    return gan.conditioning().map(c -> builder.conditional(c).build()).orElseGet(builder::build);
  }

  /**
   * {@code gan} conditioned on class labels as {@code conditioning} says (the same layers; the
   * label paths are added by {@link GanBuilder#conditional(Conditioning)}), e.g. a conditional
   * {@link #snganResNet} with a label embedding into G and a projection discriminator.
   *
   * @throws io.github.gan4j.GanConfigurationException if the networks cannot take the labels
   *     that way (a projection discriminator that does not end with dense(1); conditional
   *     BatchNorm in a generator whose BatchNorm sits inside residual blocks)
   */
  public static Gan conditioned(Gan gan, Conditioning conditioning) {
    return GanBuilder.forImages(gan.imageShape().dim(0), gan.imageShape().dim(1), gan.imageShape().dim(2))
        .latentDim(gan.latentDim())
        .generator(layers(gan.generator(), false))
        .discriminator(layers(gan.discriminator(), false))
        .conditional(conditioning)
        .build();
  }

  private static Layer[] layers(Network network, boolean normalized) {
    return network.layers().stream().map(NetworkLayer::layer)
        .map(l -> !normalized ? l
            : l instanceof Dense || l instanceof Conv2D || l instanceof Conv2DTranspose ? spectralNorm(l)
            : l instanceof ResidualBlock b ? b.spectralNorm(true)
            : l instanceof SelfAttention a ? a.spectralNorm()
            : l)
        .toArray(Layer[]::new);
  }
}
