package io.github.gan4j.layers;

import static io.github.gan4j.layers.Layers.conv2d;
import static io.github.gan4j.layers.Layers.conv2dTranspose;
import static io.github.gan4j.layers.Layers.dense;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InitializerSpecTest {

  @Test
  void kernels_defaultToGlorotUniform_biasesToZeros_batchNormAsBefore() {
    assertThat(dense(4).weights(Shape.of(3))).extracting(WeightSpec::initializer)
        .containsExactly(Initializer.glorotUniform(), Initializer.zeros());
    assertThat(conv2d(4, 3).weights(Shape.of(8, 8, 1)).get(0).initializer()).isEqualTo(Initializer.glorotUniform());
    assertThat(Layers.batchNorm().weights(Shape.of(4, 4, 2))).extracting(WeightSpec::initializer)
        .containsExactly(Initializer.ones(), Initializer.zeros(), Initializer.zeros(), Initializer.ones());
  }

  @Test
  void kernelInitializer_setsTheKernelOnly_andShowsInDescribe() {
    Conv2DTranspose up = conv2dTranspose(8, 4).strides(2).kernelInitializer(Initializer.heNormal());
    assertThat(up.weights(Shape.of(4, 4, 16))).extracting(WeightSpec::initializer)
        .containsExactly(Initializer.heNormal(), Initializer.zeros());
    assertThat(up.describe()).isEqualTo("conv2dTranspose(filters=8, kernelSize=4, strides=2, kernelInitializer=heNormal())");
    assertThat(up.strides(1).kernelInitializer()).isEqualTo(Initializer.heNormal());
    assertThat(dense(1).kernelInitializer(Initializer.normal(0.02f)).describe())
        .isEqualTo("dense(units=1, kernelInitializer=normal(stddev=0.02))");
  }

  @Test
  void badInitializers_failAtOnce() {
    assertThatThrownBy(() -> Initializer.normal(0f))
        .hasMessage("normal initializer stddev must be positive and finite, was 0.0");
    assertThatThrownBy(() -> dense(1).kernelInitializer(null))
        .hasMessage("dense kernelInitializer must not be null; the default is Initializer.glorotUniform()");
  }
}
