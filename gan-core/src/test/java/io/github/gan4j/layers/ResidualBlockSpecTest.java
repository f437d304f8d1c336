package io.github.gan4j.layers;

import static io.github.gan4j.layers.Layers.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gan4j.Gan;
import io.github.gan4j.GanBuilder;
import io.github.gan4j.GanConfigurationException;
import io.github.gan4j.NetworkLayer;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Residual blocks and the pooling layers as specs: shapes, weights, counts, errors, summaries; no native code. */
class ResidualBlockSpecTest {

  private static List<String> names(List<Layer> path) {
    return path.stream().map(l -> l.name() + "=" + l.describe()).toList();
  }

  private static List<String> weightNames(List<WeightSpec> weights) {
    return weights.stream().map(w -> w.name() + w.shape()).toList();
  }

  @Nested
  class Paths {
    @Test
    void up_isBnReluUpsampleConvBnReluConv_shortcutUpsampleConv1x1() {
      ResidualBlock b = resBlockUp(16);
      Shape in = Shape.of(4, 4, 8);
      assertThat(names(b.residualPath(in))).containsExactly("bn_1=batchNorm(momentum=0.9, epsilon=2.0E-5)",
          "relu_1=relu()", "upsample=upSampling2d(2)", "conv_1=conv2d(filters=16, kernelSize=3, padding=same)",
          "bn_2=batchNorm(momentum=0.9, epsilon=2.0E-5)", "relu_2=relu()",
          "conv_2=conv2d(filters=16, kernelSize=3, padding=same)");
      assertThat(names(b.shortcutPath(in))).containsExactly("shortcut_upsample=upSampling2d(2)",
          "shortcut_conv=conv2d(filters=16, kernelSize=1)");
      assertThat(b.outputShape(in)).isEqualTo(Shape.of(8, 8, 16));
    }

    @Test
    void down_isReluConvReluConvPool_hiddenAsInput_shortcutConv1x1ThenPool() {
      ResidualBlock b = resBlockDown(16);
      Shape in = Shape.of(8, 6, 8);
      assertThat(names(b.residualPath(in))).containsExactly("relu_1=relu()",
          "conv_1=conv2d(filters=8, kernelSize=3, padding=same)", "relu_2=relu()",
          "conv_2=conv2d(filters=16, kernelSize=3, padding=same)", "pool=averagePooling2d(2)");
      assertThat(names(b.shortcutPath(in))).containsExactly("shortcut_conv=conv2d(filters=16, kernelSize=1)",
          "shortcut_pool=averagePooling2d(2)");
      assertThat(b.outputShape(in)).isEqualTo(Shape.of(4, 3, 16));
    }

    @Test
    void optimized_hasNoFirstRelu_andPoolsBeforeTheShortcutConv() {
      ResidualBlock b = resBlockDownOptimized(16);
      Shape in = Shape.of(8, 8, 3);
      assertThat(names(b.residualPath(in))).containsExactly("conv_1=conv2d(filters=16, kernelSize=3, padding=same)",
          "relu_1=relu()", "conv_2=conv2d(filters=16, kernelSize=3, padding=same)", "pool=averagePooling2d(2)");
      assertThat(names(b.shortcutPath(in))).containsExactly("shortcut_pool=averagePooling2d(2)",
          "shortcut_conv=conv2d(filters=16, kernelSize=1)");
      assertThat(b.outputShape(in)).isEqualTo(Shape.of(4, 4, 16));
    }

    @Test
    void plain_hasAnIdentityShortcut_onlyWhenChannelsMatch() {
      assertThat(resBlock(8).shortcutPath(Shape.of(4, 4, 8))).isEmpty();
      assertThat(names(resBlock(8).shortcutPath(Shape.of(4, 4, 5))))
          .containsExactly("shortcut_conv=conv2d(filters=8, kernelSize=1)");
      assertThat(resBlock(8).outputShape(Shape.of(4, 4, 5))).isEqualTo(Shape.of(4, 4, 8));
      assertThat(names(resBlock(8).batchNorm(batchNorm()).residualPath(Shape.of(4, 4, 8))))
          .startsWith("bn_1=batchNorm()", "relu_1=relu()");
    }
  }

  @Nested
  class WeightsAndCounts {
    @Test
    void up_weights_areTheSublayers_namedInside_withHandCountedParameters() {
      List<WeightSpec> w = resBlockUp(16).weights(Shape.of(4, 4, 8));
      assertThat(weightNames(w)).containsExactly("bn_1/gamma(8)", "bn_1/beta(8)", "bn_1/moving_mean(8)",
          "bn_1/moving_variance(8)", "conv_1/kernel(3, 3, 8, 16)", "conv_1/bias(16)", "bn_2/gamma(16)", "bn_2/beta(16)",
          "bn_2/moving_mean(16)", "bn_2/moving_variance(16)", "conv_2/kernel(3, 3, 16, 16)", "conv_2/bias(16)",
          "shortcut_conv/kernel(1, 1, 8, 16)", "shortcut_conv/bias(16)");
      long trainable = w.stream().filter(WeightSpec::trainable).mapToLong(WeightSpec::size).sum();
      long frozen = w.stream().filter(x -> !x.trainable()).mapToLong(WeightSpec::size).sum();
      // bn_1 2*8, conv_1 9*8*16+16, bn_2 2*16, conv_2 9*16*16+16, shortcut 8*16+16
      assertThat(trainable).isEqualTo(16 + (1152 + 16) + 32 + (2304 + 16) + (128 + 16));
      assertThat(frozen).isEqualTo(16 + 32);
    }

    @Test
    void multiplyAdds_areTheConvolutions_atTheirOutputSizes() {
      // up 4x4x8 -> 8x8x16: conv_1 64*16*9*8, conv_2 64*16*9*16, shortcut 64*16*8
      assertThat(resBlockUp(16).multiplyAdds(Shape.of(4, 4, 8)))
          .isEqualTo(64L * 16 * 9 * 8 + 64L * 16 * 9 * 16 + 64L * 16 * 8);
      // down 8x8x8 -> 4x4x16: conv_1 at 8x8 (8 -> 8), conv_2 at 8x8 (8 -> 16), shortcut at 8x8 (8 -> 16)
      assertThat(resBlockDown(16).multiplyAdds(Shape.of(8, 8, 8)))
          .isEqualTo(64L * 8 * 9 * 8 + 64L * 16 * 9 * 8 + 64L * 16 * 8);
      // optimized: the shortcut conv runs after pooling, at 4x4
      assertThat(resBlockDownOptimized(16).multiplyAdds(Shape.of(8, 8, 3)))
          .isEqualTo(64L * 16 * 9 * 3 + 64L * 16 * 9 * 16 + 16L * 16 * 3);
    }

    @Test
    void inAStack_theBlockIsOneRow_withItsCountsAndShape() {
      Gan gan = GanBuilder.forImages(8, 8, 3).latentDim(4)
          .generator(dense(4 * 4 * 8), reshape(4, 4, 8), resBlockUp(8), relu(), conv2d(3, 3).padding(Padding.SAME))
          .discriminator(resBlockDownOptimized(8), resBlock(8), relu(), globalSumPooling2d(), dense(1))
          .build();
      NetworkLayer block = gan.discriminator().layers().get(0);
      assertThat(block.name()).isEqualTo("res_block");
      assertThat(gan.discriminator().layers().get(1).name()).isEqualTo("res_block_1");
      // (9*3*8+8) + (9*8*8+8) + (3*8+8); the plain block 2*(9*8*8+8), identity shortcut
      assertThat(block.params()).isEqualTo(224 + 584 + 32);
      assertThat(gan.discriminator().layers().get(1).params()).isEqualTo(2 * 584);
      assertThat(gan.discriminator().summary())
          .containsPattern("res_block \\(ResBlockDownOptimized\\) +\\(None, 4, 4, 8\\) +840\n")
          .containsPattern("res_block_1 \\(ResBlock\\) +\\(None, 4, 4, 8\\) +1,168\n")
          .containsPattern("global_sum_pooling2d \\(GlobalSumPooling2D\\) +\\(None, 8\\) +0\n");
      // G: up block 2*8 + 584 + 2*8 + 584 + 72 trainable, 32 non-trainable
      assertThat(gan.generator().layers().get(2).trainableParams()).isEqualTo(16 + 584 + 16 + 584 + 72);
      assertThat(gan.generator().layers().get(2).nonTrainableParams()).isEqualTo(32);
      assertThat(gan.generator().summary()).containsPattern("res_block \\(ResBlockUp\\) +\\(None, 8, 8, 8\\) +1,304\n");
    }

    @Test
    void spectralNorm_wrapsEveryConvolution_addingAUPerConvolution_andKeepsTheTrainableCount() {
      Shape in = Shape.of(8, 8, 8);
      ResidualBlock b = resBlockDown(16).spectralNorm();
      assertThat(names(b.residualPath(in))).contains(
          "conv_1=spectralNorm(conv2d(filters=8, kernelSize=3, padding=same))",
          "conv_2=spectralNorm(conv2d(filters=16, kernelSize=3, padding=same))");
      assertThat(names(b.shortcutPath(in))).startsWith("shortcut_conv=spectralNorm(conv2d(filters=16, kernelSize=1))");
      List<WeightSpec> w = b.weights(in);
      assertThat(weightNames(w)).contains("conv_1/u(1, 8)", "conv_2/u(1, 16)", "shortcut_conv/u(1, 16)");
      assertThat(w.stream().filter(WeightSpec::trainable).mapToLong(WeightSpec::size).sum())
          .isEqualTo(resBlockDown(16).weights(in).stream().mapToLong(WeightSpec::size).sum());
      assertThat(w.stream().filter(x -> !x.trainable()).mapToLong(WeightSpec::size).sum()).isEqualTo(8 + 16 + 16);
      assertThat(b.multiplyAdds(in)).isEqualTo(resBlockDown(16).multiplyAdds(in));
      assertThat(b.describe()).isEqualTo("resBlockDown(filters=16).spectralNorm()");
      assertThat(b.spectralNorm(false)).isEqualTo(resBlockDown(16));
      assertThat(names(selfAttention().spectralNorm().projections(in)))
          .allMatch(n -> n.contains("=spectralNorm(conv2d("));
    }

    @Test
    void describe_namesTheFactory_andANonDefaultBatchNorm() {
      assertThat(resBlockUp(256).describe()).isEqualTo("resBlockUp(filters=256)");
      assertThat(resBlockUp(256).batchNorm(null).describe()).isEqualTo("resBlockUp(filters=256, batchNorm=none)");
      assertThat(resBlockDown(128).batchNorm(batchNorm()).describe())
          .isEqualTo("resBlockDown(filters=128, batchNorm=batchNorm())");
      assertThat(resBlockDownOptimized(128).describe()).isEqualTo("resBlockDownOptimized(filters=128)");
      assertThat(resBlock(64).name("b").describe()).isEqualTo("resBlock(filters=64)");
    }
  }

  @Nested
  class Pooling {
    @Test
    void averagePooling_floorsLikeKeras_andSumPoolingKeepsChannels() {
      assertThat(averagePooling2d().outputShape(Shape.of(7, 8, 3))).isEqualTo(Shape.of(3, 4, 3));
      assertThat(averagePooling2d(4).outputShape(Shape.of(8, 8, 3))).isEqualTo(Shape.of(2, 2, 3));
      assertThat(globalSumPooling2d().outputShape(Shape.of(7, 8, 3))).isEqualTo(Shape.of(3));
      assertThat(averagePooling2d().weights(Shape.of(4, 4, 1))).isEmpty();
      assertThat(averagePooling2d(3).describe()).isEqualTo("averagePooling2d(3)");
    }

    @Test
    void pooling_refusesTooSmallOrNonImageInputs() {
      assertThatThrownBy(() -> averagePooling2d(4).outputShape(Shape.of(3, 8, 1)))
          .isInstanceOf(LayerShapeException.class).hasMessageContaining("at least 4 but received (3, 8, 1)");
      assertThatThrownBy(() -> globalSumPooling2d().outputShape(Shape.of(10)))
          .isInstanceOf(LayerShapeException.class).hasMessageContaining("globalSumPooling2d needs an image");
      assertThatThrownBy(() -> averagePooling2d(0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("poolSize must be positive, was 0");
    }
  }

  @Nested
  class Errors {
    @Test
    void downBlock_onAnOddSize_explainsAndSaysWhere() {
      assertThatThrownBy(() -> GanBuilder.forImages(6, 6, 3).latentDim(4)
          .generator(dense(6 * 6 * 3), reshape(6, 6, 3))
          .discriminator(resBlockDownOptimized(8), resBlockDown(8), globalSumPooling2d(), dense(1)).build())
          .isInstanceOf(GanConfigurationException.class)
          .hasMessageContaining("discriminator[1] resBlockDown(filters=8) cannot take its input")
          .hasMessageContaining("halves height and width but received (3, 3, 8): height 3 is odd")
          .hasMessageContaining("Fix: give the block an input of even height and width");
    }

    @Test
    void block_onAVector_namesTheFactory() {
      assertThatThrownBy(() -> resBlock(8).outputShape(Shape.of(16)))
          .isInstanceOf(LayerShapeException.class).hasMessageContaining("resBlock needs an image");
    }

    @Test
    void generatorWithTooFewUpBlocks_countsThemAsUpsampling() {
      assertThatThrownBy(() -> GanBuilder.forImages(16, 16, 3).latentDim(4)
          .generator(dense(2 * 2 * 8), reshape(2, 2, 8), resBlockUp(8), resBlockUp(8), conv2d(3, 3)
              .padding(Padding.SAME))
          .discriminator(flatten(), dense(1)).build())
          .isInstanceOf(GanConfigurationException.class)
          .hasMessageContaining("Height through the generator: 2 -> 4 -> 8.")
          .hasMessageContaining("resBlockUp by 2")
          .hasMessageContaining("start from reshape(4, 4, C)");
    }

    @Test
    void arguments_areCheckedAtOnce() {
      assertThatThrownBy(() -> resBlockUp(0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("residual block filters must be positive, was 0");
      assertThatThrownBy(() -> resBlockUp(8).batchNorm(batchNorm().name("x")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names its BatchNorms bn_1 and bn_2");
      assertThatThrownBy(() -> resBlock(8).name("a/b")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class SelfAttentionSpec {
    @Test
    void keepsTheShape_declaresFourProjectionsAndGamma_withHandCountedCosts() {
      Shape in = Shape.of(4, 4, 16);
      assertThat(selfAttention().outputShape(in)).isEqualTo(in);
      assertThat(weightNames(selfAttention().weights(in))).containsExactly("query/kernel(1, 1, 16, 2)",
          "key/kernel(1, 1, 16, 2)", "value/kernel(1, 1, 16, 2)", "output/kernel(1, 1, 2, 16)", "gamma(1)");
      assertThat(selfAttention().weights(in).get(4).initializer()).isEqualTo(Initializer.zeros());
      // c' = 16 / 8 = 2, N = 16: projections 4 * 16 * 16 * 2, scores and weighted sum 2 * 16 * 16 * 2
      assertThat(selfAttention().multiplyAdds(in)).isEqualTo(4L * 16 * 16 * 2 + 2L * 16 * 16 * 2);
      assertThat(SelfAttention.reducedChannels(3)).isEqualTo(1);
      Gan gan = GanBuilder.forImages(4, 4, 16).latentDim(4).generator(dense(256), reshape(4, 4, 16))
          .discriminator(selfAttention(), flatten(), dense(1)).build();
      assertThat(gan.discriminator().layers().get(0).params()).isEqualTo(4 * 16 * 2 + 1);
      assertThat(gan.discriminator().summary())
          .containsPattern("self_attention \\(SelfAttention\\) +\\(None, 4, 4, 16\\) +129\n");
      assertThatThrownBy(() -> selfAttention().outputShape(Shape.of(8))).isInstanceOf(LayerShapeException.class)
          .hasMessageContaining("selfAttention needs an image");
    }
  }
}
