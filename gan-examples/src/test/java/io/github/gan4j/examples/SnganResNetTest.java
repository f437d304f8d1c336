package io.github.gan4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gan4j.Gan;
import io.github.gan4j.Network;
import io.github.gan4j.NetworkLayer;
import io.github.gan4j.layers.Shape;
import io.github.gan4j.recipe.DiscriminatorUpdate;
import io.github.gan4j.recipe.FakeBatches;
import io.github.gan4j.recipe.GanLoss;
import io.github.gan4j.recipe.LearningRateSchedule;
import io.github.gan4j.recipe.Optimizer;
import io.github.gan4j.recipe.TrainingRecipe;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SNGAN's ResNet for CIFAR-10 as a spec (no native code): its parameter counts equal those of
 * the paper's code ({@code pfnet-research/sngan_projection}: {@code gen_models/resnet_32.py},
 * {@code dis_models/snresnet_32.py}), computed here by hand from the layers' shapes.
 */
class SnganResNetTest {

  /** A 2-D convolution's parameters with bias: k * k * in * out + out. */
  private static long conv(int k, int in, int out) {
    return (long) k * k * in * out + out;
  }

  @Test
  void parameterCounts_areThePapersCode() {
    Gan gan = ReferenceModels.snganResNet(32, 32, 3);
    // G: l1 Linear(128, 4*4*256); 3 x Block(256, 256, upsample): b1, c1 3x3, b2, c2 3x3, c_sc 1x1;
    // b5 BatchNorm(256); c5 Convolution2D(256, 3, 3x3). Chainer's BatchNorm has gamma and beta (2 * ch)
    // as parameters and the running mean and variance as persistent values (here non-trainable).
    long l1 = 128L * 4 * 4 * 256 + 4 * 4 * 256;
    long block = 2 * 256 + conv(3, 256, 256) + 2 * 256 + conv(3, 256, 256) + conv(1, 256, 256);
    long g = l1 + 3 * block + 2 * 256 + conv(3, 256, 3);
    assertThat(l1).isEqualTo(528_384);
    assertThat(block).isEqualTo(1_246_976);
    assertThat(g).isEqualTo(4_276_739);
    assertThat(gan.generator().trainableParams()).isEqualTo(g);
    assertThat(gan.generator().nonTrainableParams()).isEqualTo(3 * (2 * 256 + 2 * 256) + 2 * 256);

    // D: OptimizedBlock(3, 128): c1 3x3 3->128, c2 3x3 128->128, c_sc 1x1 3->128;
    // Block(128, 128, downsample): c1, c2 3x3 128->128 (hidden = in), c_sc 1x1;
    // 2 x Block(128, 128): c1, c2, identity shortcut; l5 SNLinear(128, 1, nobias=True)
    long optimized = conv(3, 3, 128) + conv(3, 128, 128) + conv(1, 3, 128);
    long down = 2 * conv(3, 128, 128) + conv(1, 128, 128);
    long plain = 2 * conv(3, 128, 128);
    long d = optimized + down + 2 * plain + 128;
    assertThat(optimized).isEqualTo(151_680);
    assertThat(down).isEqualTo(311_680);
    assertThat(d).isEqualTo(1_053_824);
    assertThat(gan.discriminator().trainableParams()).isEqualTo(d);
    // SNConvolution2D and SNLinear keep u (1, out channels) as a persistent value, not a parameter:
    // 3 convolutions in each down block, 2 in each plain block, and l5's (1, 1)
    assertThat(gan.discriminator().nonTrainableParams()).isEqualTo((3 + 3 + 2 + 2) * 128 + 1);
  }

  @Test
  void shapes_followThePapersCode() {
    Gan gan = ReferenceModels.snganResNet(32, 32, 3);
    assertThat(gan.latentDim()).isEqualTo(128);
    assertThat(outputs(gan.generator())).containsExactly(Shape.of(4096), Shape.of(4, 4, 256), Shape.of(8, 8, 256),
        Shape.of(16, 16, 256), Shape.of(32, 32, 256), Shape.of(32, 32, 256), Shape.of(32, 32, 256),
        Shape.of(32, 32, 3), Shape.of(32, 32, 3));
    assertThat(outputs(gan.discriminator())).containsExactly(Shape.of(16, 16, 128), Shape.of(8, 8, 128),
        Shape.of(8, 8, 128), Shape.of(8, 8, 128), Shape.of(8, 8, 128), Shape.of(128), Shape.of(1));
    assertThat(gan.discriminator().layers().stream().map(l -> l.layer().typeName()).toList()).containsExactly(
        "ResBlockDownOptimized", "ResBlockDown", "ResBlock", "ResBlock", "Activation", "GlobalSumPooling2D",
        "SpectralNorm(Dense)");
    assertThat(gan.discriminator().layers().get(1).weights().stream().map(w -> w.name()).toList())
        .containsExactly("conv_1/kernel", "conv_1/bias", "conv_1/u", "conv_2/kernel", "conv_2/bias", "conv_2/u",
            "shortcut_conv/kernel", "shortcut_conv/bias", "shortcut_conv/u");
    assertThat(gan.generator().layers().stream().map(NetworkLayer::layer).map(l -> l.describe()).toList())
        .noneMatch(d -> d.contains("spectralNorm"));
    assertThat(gan.discriminator().summary()).contains("Trainable params: 1,053,824");
    assertThat(gan.generator().summary()).contains("Trainable params: 4,276,739");
  }

  @Test
  void withSpectralNorm_reachesIntoTheBlocks_andLeavesANormalizedNetworkAsItIs() {
    Gan gan = ReferenceModels.snganResNet(32, 32, 3);
    Gan both = ReferenceModels.withSpectralNorm(gan, true, true);
    assertThat(both.discriminator().summary()).isEqualTo(gan.discriminator().summary());
    assertThat(both.generator().layers().get(2).layer().describe()).isEqualTo("resBlockUp(filters=256).spectralNorm()");
    assertThat(both.generator().trainableParams()).isEqualTo(gan.generator().trainableParams());
    // a u per convolution: 3 in each up block, the dense's (1, 4096) and the last conv's (1, 3)
    assertThat(both.generator().nonTrainableParams() - gan.generator().nonTrainableParams())
        .isEqualTo(3 * 3 * 256 + 4096 + 3);
  }

  @Test
  void otherSizes_divisibleBy8_work_andOthersAreRefusedWithTheFix() {
    Gan gan = ReferenceModels.snganResNet(48, 64, 1);
    assertThat(gan.generator().layers().get(1).output()).isEqualTo(Shape.of(6, 8, 256));
    assertThat(gan.discriminator().layers().get(3).output()).isEqualTo(Shape.of(12, 16, 128));
    assertThatThrownBy(() -> ReferenceModels.snganResNet(28, 28, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("divisible by 8").hasMessageContaining("got 28x28x1")
        .hasMessageContaining("Pad the images to 32x32, or use dcgan(28, 28, 1)");
  }

  @Test
  void recipe_isThePapersCifar10Configuration() {
    TrainingRecipe r = ReferenceModels.snganRecipe(ReferenceModels.snganResNet(32, 32, 3)).recipe();
    assertThat(r.loss()).isEqualTo(GanLoss.hinge());
    Optimizer adam = Optimizer.adam().learningRate(2e-4f).beta1(0f).beta2(0.9f);
    assertThat(r.discriminatorOptimizer()).isEqualTo(adam);
    assertThat(r.generatorOptimizer()).isEqualTo(adam);
    assertThat(r.discriminatorSteps()).isEqualTo(5);
    assertThat(r.batchSize()).isEqualTo(64);
    assertThat(r.discriminatorUpdate()).isEqualTo(DiscriminatorUpdate.COMBINED_BATCH);
    assertThat(r.fakeBatches()).isEqualTo(FakeBatches.TRAINING_MODE);
    assertThat(r.generatorSchedule()).isEqualTo(LearningRateSchedule.linearDecay(50_000, 0f));
  }

  private static List<Shape> outputs(Network n) {
    return n.layers().stream().map(NetworkLayer::output).toList();
  }
}
