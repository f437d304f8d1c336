package io.github.gan4j.layers;

import static io.github.gan4j.layers.Layers.*;
import static io.github.gan4j.layers.Padding.SAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LayersTest {

  @Nested
  class Convolutions {
    @Test
    void defaults_areKeras_paddingValid() {
      assertThat(conv2d(8, 3).padding()).isEqualTo(Padding.VALID);
      assertThat(conv2dTranspose(8, 3).padding()).isEqualTo(Padding.VALID);
      assertThat(conv2d(8, 3).outputShape(Shape.of(28, 28, 1))).isEqualTo(Shape.of(26, 26, 8));
      assertThat(conv2dTranspose(8, 4).strides(2).outputShape(Shape.of(7, 7, 3))).isEqualTo(Shape.of(16, 16, 8));
    }

    @Test
    void conv2d_same_isCeilOfInputOverStrides() {
      assertThat(conv2d(8, 3).strides(2).padding(SAME).outputShape(Shape.of(32, 32, 3))).isEqualTo(Shape.of(16, 16, 8));
      assertThat(conv2d(8, 3).strides(2).padding(SAME).outputShape(Shape.of(7, 5, 3))).isEqualTo(Shape.of(4, 3, 8));
      assertThat(conv2d(8, 3).padding(SAME).outputShape(Shape.of(7, 5, 3))).isEqualTo(Shape.of(7, 5, 8));
    }

    @Test
    void conv2d_valid_isFloorOfInputMinusKernelOverStridesPlusOne() {
      Conv2D c = conv2d(4, 3).padding(Padding.VALID);
      assertThat(c.outputShape(Shape.of(28, 28, 1))).isEqualTo(Shape.of(26, 26, 4));
      assertThat(c.strides(2).outputShape(Shape.of(28, 28, 1))).isEqualTo(Shape.of(13, 13, 4));
    }

    @Test
    void conv2d_valid_kernelLargerThanInput_explains() {
      assertThatThrownBy(() -> conv2d(4, 5).padding(Padding.VALID).outputShape(Shape.of(3, 3, 1)))
          .isInstanceOf(LayerShapeException.class)
          .hasMessageContaining("height 3 is smaller than kernelSize 5")
          .satisfies(e -> assertThat(((LayerShapeException) e).fix()).contains(".padding(SAME)"));
    }

    @Test
    void conv2dTranspose_same_multipliesByStrides() {
      assertThat(conv2dTranspose(128, 4).strides(2).padding(SAME).outputShape(Shape.of(8, 8, 256)))
          .isEqualTo(Shape.of(16, 16, 128));
    }

    @Test
    void conv2dTranspose_valid_addsKernelMinusStrides() {
      // Keras: in * strides + max(kernel - strides, 0)
      assertThat(conv2dTranspose(8, 4).strides(2).padding(Padding.VALID).outputShape(Shape.of(7, 7, 3)))
          .isEqualTo(Shape.of(16, 16, 8));
      assertThat(conv2dTranspose(8, 1).strides(2).padding(Padding.VALID).outputShape(Shape.of(7, 7, 3)))
          .isEqualTo(Shape.of(14, 14, 8));
    }

    @Test
    void weights_haveKerasShapes() {
      assertThat(conv2d(64, 3).weights(Shape.of(32, 32, 3))).extracting(WeightSpec::shape)
          .containsExactly(Shape.of(3, 3, 3, 64), Shape.of(64));
      assertThat(conv2dTranspose(128, 4).weights(Shape.of(8, 8, 256))).extracting(WeightSpec::shape)
          .containsExactly(Shape.of(4, 4, 128, 256), Shape.of(128));
      assertThat(conv2d(64, 3).useBias(false).weights(Shape.of(32, 32, 3))).hasSize(1);
    }

    @Test
    void multiplyAdds_countKernelWork() {
      assertThat(conv2d(64, 3).strides(2).padding(SAME).multiplyAdds(Shape.of(32, 32, 3))).isEqualTo(3L * 64 * 9 * 16 * 16);
      assertThat(conv2d(64, 3).strides(2).multiplyAdds(Shape.of(32, 32, 3))).isEqualTo(3L * 64 * 9 * 15 * 15);
      assertThat(conv2dTranspose(128, 4).strides(2).multiplyAdds(Shape.of(8, 8, 256)))
          .isEqualTo(256L * 128 * 16 * 8 * 8);
      assertThat(dense(10).multiplyAdds(Shape.of(100))).isEqualTo(1000);
    }
  }

  @Test
  void describe_showsTheLayerAsWritten() {
    assertThat(conv2dTranspose(128, 4).strides(2).describe()).isEqualTo("conv2dTranspose(filters=128, kernelSize=4, strides=2)");
    assertThat(conv2dTranspose(128, 4).strides(2).padding(SAME).describe())
        .isEqualTo("conv2dTranspose(filters=128, kernelSize=4, strides=2, padding=same)");
    assertThat(conv2d(3, 3).activation(Activation.TANH).padding(SAME).useBias(false).describe())
        .isEqualTo("conv2d(filters=3, kernelSize=3, padding=same, activation=tanh, useBias=false)");
    assertThat(conv2d(3, 3).padding(Padding.VALID).describe()).isEqualTo("conv2d(filters=3, kernelSize=3)");
    assertThat(dense(16384).activation(Activation.RELU).describe()).isEqualTo("dense(units=16384, activation=relu)");
    assertThat(batchNorm().momentum(0.8f).describe()).isEqualTo("batchNorm(momentum=0.8)");
    assertThat(batchNorm().describe()).isEqualTo("batchNorm()");
    assertThat(reshape(8, 8, 256).describe()).isEqualTo("reshape(8, 8, 256)");
    assertThat(leakyRelu(0.2f).describe()).isEqualTo("leakyRelu(0.2)");
    assertThat(upSampling2d().describe()).isEqualTo("upSampling2d(2)");
    assertThat(tanh().describe()).isEqualTo("tanh()");
  }

  @Test
  void batchNorm_hasKerasDefaultsAndWeights() {
    BatchNorm bn = batchNorm();
    assertThat(bn.momentum()).isEqualTo(0.99f);
    assertThat(bn.epsilon()).isEqualTo(0.001f);
    assertThat(bn.weights(Shape.of(8, 8, 256))).extracting(WeightSpec::name, WeightSpec::trainable)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("gamma", true), org.assertj.core.groups.Tuple.tuple("beta", true),
            org.assertj.core.groups.Tuple.tuple("moving_mean", false),
            org.assertj.core.groups.Tuple.tuple("moving_variance", false));
  }

  @Test
  void leakyRelu_defaultsToKerasAlpha() {
    assertThat(leakyRelu().alpha()).isEqualTo(0.3f);
  }

  @Test
  void withers_returnNewValues_andLeaveTheOriginal() {
    Conv2D base = conv2d(8, 3);
    Conv2D strided = base.strides(2);
    assertThat(base.strides()).isEqualTo(1);
    assertThat(strided.strides()).isEqualTo(2);
    assertThat(strided).isNotSameAs(base);
  }

  @Test
  void flattenAndUpsampling_shapes() {
    assertThat(flatten().outputShape(Shape.of(4, 4, 256))).isEqualTo(Shape.of(4096));
    assertThat(upSampling2d(3).outputShape(Shape.of(5, 6, 2))).isEqualTo(Shape.of(15, 18, 2));
  }

  @Test
  void invalidNames_areRefused() {
    assertThatThrownBy(() -> dense(3).name("my layer")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'my layer'");
  }

  @Test
  void shape_basics() {
    Shape s = Shape.of(8, 8, 256);
    assertThat(s.size()).isEqualTo(16384);
    assertThat(s.toString()).isEqualTo("(8, 8, 256)");
    assertThat(s.withBatch(32)).containsExactly(32, 8, 8, 256);
    assertThat(s).isEqualTo(Shape.of(8, 8, 256)).hasSameHashCodeAs(Shape.of(8, 8, 256));
    assertThatThrownBy(() -> Shape.of()).hasMessageContaining("at least one dimension");
    int[] dims = {1, 2};
    Shape copy = Shape.of(dims);
    dims[0] = 5;
    assertThat(copy.dim(0)).isEqualTo(1);
  }
}
