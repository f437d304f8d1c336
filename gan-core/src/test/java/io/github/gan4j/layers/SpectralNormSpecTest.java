package io.github.gan4j.layers;

import static io.github.gan4j.layers.Layers.*;
import static io.github.gan4j.layers.Padding.SAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gan4j.Gan;
import io.github.gan4j.GanBuilder;
import io.github.gan4j.GanConfigurationException;
import io.github.gan4j.Network;
import io.github.gan4j.NetworkLayer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SpectralNorm} as a spec: shapes, weights, parameter counts, names, descriptions, errors. */
class SpectralNormSpecTest {

  @Test
  void shapeAndMultiplyAdds_areTheWrappedLayers() {
    Conv2D conv = conv2d(64, 3).strides(2).padding(SAME);
    SpectralNorm sn = spectralNorm(conv);
    Shape in = Shape.of(32, 32, 3);
    assertThat(sn.outputShape(in)).isEqualTo(conv.outputShape(in));
    assertThat(sn.multiplyAdds(in)).isEqualTo(conv.multiplyAdds(in));
    assertThat(sn.powerIterations()).isEqualTo(1);
    assertThat(sn.epsilon()).isEqualTo(1e-12f);
  }

  @Test
  void weights_areTheWrappedLayersPlusANonTrainableU_ofTheKernelsLastDimension() {
    assertThat(spectralNorm(conv2d(64, 3)).weights(Shape.of(8, 8, 3))).containsExactly(
        new WeightSpec("kernel", Shape.of(3, 3, 3, 64), true, Initializer.glorotUniform()),
        new WeightSpec("bias", Shape.of(64), true, Initializer.zeros()),
        new WeightSpec("u", Shape.of(1, 64), false, Initializer.normal(1f)));
    assertThat(spectralNorm(dense(10).useBias(false)).weights(Shape.of(7))).containsExactly(
        new WeightSpec("kernel", Shape.of(7, 10), true, Initializer.glorotUniform()),
        new WeightSpec("u", Shape.of(1, 10), false, Initializer.normal(1f)));
    // a transposed convolution's kernel is (k, k, filters, in): u has the input's channels
    assertThat(spectralNorm(conv2dTranspose(16, 4)).weights(Shape.of(4, 4, 32)).get(2).shape())
        .isEqualTo(Shape.of(1, 32));
  }

  @Test
  void network_countsUAsNonTrainable_namesItLikeTheWrappedLayer_andSummaryShowsTheWrapper() {
    Gan gan = GanBuilder.forImages(8, 8, 1).latentDim(4)
        .generator(dense(8 * 8), reshape(8, 8, 1))
        .discriminator(spectralNorm(conv2d(4, 3).strides(2).padding(SAME)), leakyRelu(0.2f),
            spectralNorm(conv2d(8, 3).strides(2).padding(SAME)), flatten(), spectralNorm(dense(1)))
        .build();
    Network d = gan.discriminator();
    NetworkLayer first = d.layers().get(0);
    assertThat(first.name()).isEqualTo("conv2d");
    assertThat(d.layers().get(2).name()).isEqualTo("conv2d_1");
    assertThat(d.layers().get(4).name()).isEqualTo("dense");
    assertThat(first.weights().stream().map(WeightSpec::name).toList()).containsExactly("kernel", "bias", "u");
    assertThat(first.trainableParams()).isEqualTo(3 * 3 * 1 * 4 + 4);
    assertThat(first.nonTrainableParams()).isEqualTo(4);
    assertThat(d.trainableParams()).isEqualTo((9 * 4 + 4) + (9 * 4 * 8 + 8) + (2 * 2 * 8 + 1));
    assertThat(d.nonTrainableParams()).isEqualTo(4 + 8 + 1);
    assertThat(d.summary()).contains("conv2d (SpectralNorm(Conv2D))", "dense (SpectralNorm(Dense))",
        "Non-trainable params: 13");
  }

  @Test
  void describe_wrapsTheLayer_andShowsNonDefaultSettings() {
    assertThat(spectralNorm(conv2d(64, 3).strides(2)).describe())
        .isEqualTo("spectralNorm(conv2d(filters=64, kernelSize=3, strides=2))");
    assertThat(spectralNorm(dense(1)).powerIterations(2).epsilon(1e-6f).describe())
        .isEqualTo("spectralNorm(dense(units=1), powerIterations=2, epsilon=1.0E-6)");
  }

  @Test
  void name_namesTheWrappedLayer() {
    SpectralNorm sn = spectralNorm(conv2dTranspose(8, 4)).name("up1");
    assertThat(sn.name()).isEqualTo("up1");
    assertThat(sn.layer().name()).isEqualTo("up1");
    assertThat(spectralNorm(dense(3).name("head")).name()).isEqualTo("head");
    assertThat(sn.kind()).isEqualTo("conv2d_transpose");
  }

  @Test
  void wrapsOnlyWeightLayers_sayingWhichItAccepts() {
    for (Layer l : List.of(batchNorm(), leakyRelu(0.2f), flatten(), spectralNorm(dense(2)))) {
      assertThatThrownBy(() -> spectralNorm(l))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("spectralNorm wraps a dense, conv2d or conv2dTranspose layer, not " + l.describe());
    }
    assertThatThrownBy(() -> spectralNorm(null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not null");
  }

  @Test
  void settings_areValidated() {
    assertThatThrownBy(() -> spectralNorm(dense(1)).powerIterations(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("spectralNorm powerIterations must be positive, was 0");
    assertThatThrownBy(() -> spectralNorm(dense(1)).epsilon(0f))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epsilon must be positive and finite");
    assertThatThrownBy(() -> spectralNorm(dense(1)).epsilon(Float.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void discriminatorsFinalActivation_isCheckedThroughTheWrapper() {
    assertThatThrownBy(() -> GanBuilder.forImages(4, 4, 1).latentDim(4)
        .generator(dense(16), reshape(4, 4, 1))
        .discriminator(flatten(), spectralNorm(dense(1).activation(Activation.SIGMOID))).build())
        .isInstanceOf(GanConfigurationException.class)
        .hasMessageContaining("must output a logit");
  }

  @Test
  void generatorShapeMismatch_throughTheWrapper_suggestsPaddingSameForTheWrappedConvolutions() {
    GanConfigurationException e = org.junit.jupiter.api.Assertions.assertThrows(GanConfigurationException.class,
        () -> GanBuilder.forImages(16, 16, 1).latentDim(4)
            .generator(dense(4 * 4 * 8), reshape(4, 4, 8),
                spectralNorm(conv2dTranspose(8, 4).strides(2)), leakyRelu(0.2f),
                spectralNorm(conv2dTranspose(1, 4).strides(2).padding(SAME)))
            .discriminator(flatten(), dense(1))
            .build());
    assertThat(e.getMessage()).contains("generator output (20, 20, 1) does not match image shape (16, 16, 1)")
        .contains("generator[2] spectralNorm(conv2dTranspose(filters=8, kernelSize=4, strides=2)): 4 -> 10")
        .contains("conv2dTranspose defaults to padding VALID as in Keras");
    assertThat(e.fix()).startsWith("add .padding(SAME) to generator[2] conv2dTranspose;");
  }
}
