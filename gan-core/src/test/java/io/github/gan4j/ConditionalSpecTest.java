package io.github.gan4j;

import static io.github.gan4j.Conditioning.DiscriminatorInput.LABEL_MAPS;
import static io.github.gan4j.Conditioning.GeneratorInput.CONDITIONAL_BATCH_NORM;
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
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gan4j.layers.Shape;
import io.github.gan4j.layers.WeightSpec;
import io.github.gan4j.recipe.FakeLabels;
import io.github.gan4j.recipe.GradientPenalty;
import io.github.gan4j.recipe.GanLoss;
import io.github.gan4j.train.Trainer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Conditional GANs without native code: the builder's checks, shapes, variables and summary. */
class ConditionalSpecTest {

  /** A DCGAN-shaped model for 8x8x1 images; dense(2 * 2 * 16) follows the latent vector. */
  static GanBuilder tiny() {
    return GanBuilder.forImages(8, 8, 1).latentDim(8)
        .generator(dense(2 * 2 * 16).activation(RELU), reshape(2, 2, 16), batchNorm().momentum(0.8f),
            conv2dTranspose(8, 4).strides(2).padding(SAME), leakyRelu(0.2f), batchNorm().momentum(0.8f),
            conv2dTranspose(1, 4).strides(2).padding(SAME).activation(TANH))
        .discriminator(conv2d(8, 3).strides(2).padding(SAME), leakyRelu(0.2f),
            conv2d(16, 3).strides(2).padding(SAME), leakyRelu(0.2f), flatten(), dense(1));
  }

  @Nested
  class Defaults {
    private final Gan plain = tiny().build();
    private final Gan gan = tiny().conditional(3).build();

    @Test
    void conditional_embedsTheLabelIntoTheGeneratorsInputAndProjectsInTheDiscriminator() {
      assertThat(gan.conditioning()).contains(Conditioning.of(3));
      assertThat(gan.numClasses()).isEqualTo(3);
      assertThat(plain.numClasses()).isZero();
      LabelInput g = gan.generator().labels().orElseThrow();
      assertThat(g.name()).isEqualTo("label_embedding");
      assertThat(g.weights()).containsExactly(new WeightSpec("embeddings", Shape.of(3, 50), true,
          g.weights().get(0).initializer()));
      // the first layer takes latent and embedding: (8 + 50) x 64 kernel
      assertThat(gan.generator().input()).isEqualTo(Shape.of(58));
      assertThat(gan.generator().dataInput()).isEqualTo(Shape.of(8));
      assertThat(gan.generator().layers().get(0).weights().get(0).shape()).isEqualTo(Shape.of(58, 64));
      LabelInput d = gan.discriminator().labels().orElseThrow();
      assertThat(d.name()).isEqualTo("label_projection");
      // h, the input of the last dense(1), is flatten(2 x 2 x 16) = 64
      assertThat(d.weights().get(0).shape()).isEqualTo(Shape.of(3, 64));
      assertThat(gan.discriminator().input()).isEqualTo(Shape.of(8, 8, 1));
    }

    @Test
    void summary_countsTheLabelWeights() {
      assertThat(gan.generator().trainableParams())
          .isEqualTo(plain.generator().trainableParams() + 3 * 50 + 50 * 64);
      assertThat(gan.discriminator().trainableParams()).isEqualTo(plain.discriminator().trainableParams() + 3 * 64);
      assertThat(gan.generator().summary()).contains("label_embedding (Embedding)").contains("(None, 50)")
          .contains("150");
      String d = gan.discriminator().summary();
      assertThat(d).contains("label_projection (Embedding)");
      assertThat(d.indexOf("label_projection")).isGreaterThan(d.indexOf("dense (Dense)"));
      assertThat(gan.summary()).startsWith("Conditional on 3 classes: Conditioning.of(3)");
      assertThat(gan.toString()).contains("classes=3");
    }

    @Test
    void fingerprint_dependsOnTheConditioning() {
      assertThat(gan.fingerprint()).isNotEqualTo(plain.fingerprint())
          .isNotEqualTo(tiny().conditional(4).build().fingerprint())
          .isNotEqualTo(tiny().conditional(Conditioning.of(3).embeddingDim(10)).build().fingerprint())
          .isEqualTo(tiny().conditional(Conditioning.of(3)).build().fingerprint());
    }

    @Test
    void shapeError_saysTheInputHoldsTheLabelEmbedding() {
      GanBuilder b = GanBuilder.forImages(1, 1, 2).latentDim(2).generator(reshape(1, 1, 2))
          .discriminator(flatten(), dense(1)).conditional(3);
      assertThatThrownBy(b::build).isInstanceOf(GanConfigurationException.class)
          .hasMessageContaining("Shapes so far: generator input (52) (latent 2 + label embedding 50)");
    }

    @Test
    void embeddingDim_setsTheEmbeddingAndTheGeneratorsInput() {
      Gan small = tiny().conditional(Conditioning.of(3).embeddingDim(4)).build();
      assertThat(small.generator().input()).isEqualTo(Shape.of(12));
      assertThat(small.generator().labels().orElseThrow().weights().get(0).shape()).isEqualTo(Shape.of(3, 4));
      assertThat(Conditioning.of(3).embeddingDim(4).describe()).isEqualTo("Conditioning.of(3).embeddingDim(4)");
    }
  }

  @Nested
  class Alternatives {
    @Test
    void conditionalBatchNorm_givesEveryGeneratorBatchNormPerClassGammaAndBeta() {
      Gan gan = tiny().conditional(Conditioning.of(3).generator(CONDITIONAL_BATCH_NORM)).build();
      assertThat(gan.generator().input()).isEqualTo(Shape.of(8));
      NetworkLayer bn = gan.generator().layers().get(2);
      assertThat(bn.weights()).extracting(WeightSpec::name)
          .containsExactly("class_gamma", "class_beta", "moving_mean", "moving_variance");
      assertThat(bn.weights().get(0).shape()).isEqualTo(Shape.of(3, 16));
      assertThat(bn.weights().get(0).initializer().describe()).isEqualTo("ones()");
      assertThat(bn.weights().get(1).initializer().describe()).isEqualTo("zeros()");
      assertThat(gan.generator().layers().get(5).weights().get(0).shape()).isEqualTo(Shape.of(3, 8));
      // per-class gamma and beta replace the shared ones: (3 - 1) * 2 * (16 + 8) more parameters
      assertThat(gan.generator().trainableParams())
          .isEqualTo(tiny().build().generator().trainableParams() + 2 * 2 * (16 + 8));
      assertThat(gan.generator().summary()).doesNotContain("conditional_batch_norm");
    }

    @Test
    void conditionalBatchNorm_withoutBatchNorm_isRefused() {
      GanBuilder b = GanBuilder.forImages(8, 8, 1).latentDim(8)
          .generator(dense(64).activation(TANH), reshape(8, 8, 1))
          .discriminator(flatten(), dense(1))
          .conditional(Conditioning.of(3).generator(CONDITIONAL_BATCH_NORM));
      assertThatThrownBy(b::build).isInstanceOf(GanConfigurationException.class)
          .hasMessageContaining("conditional BatchNorm needs BatchNorm layers in the generator")
          .hasMessageContaining("Fix: add batchNorm() layers")
          .extracting(e -> ((GanConfigurationException) e).network()).isEqualTo("generator");
    }

    @Test
    void conditionalBatchNorm_withBatchNormInsideResidualBlocks_isRefused_notHalfApplied() {
      GanBuilder b = GanBuilder.forImages(8, 8, 1).latentDim(8)
          .generator(dense(4 * 4 * 8), reshape(4, 4, 8), io.github.gan4j.layers.Layers.resBlockUp(8), batchNorm(),
              conv2d(1, 3).padding(SAME).activation(TANH))
          .discriminator(flatten(), dense(1))
          .conditional(Conditioning.of(3).generator(CONDITIONAL_BATCH_NORM));
      assertThatThrownBy(b::build).isInstanceOf(GanConfigurationException.class)
          .hasMessageContaining("conditional BatchNorm cannot reach the BatchNorm inside a residual block")
          .hasMessageContaining("GeneratorInput.EMBEDDING_CONCAT")
          .extracting(e -> ((GanConfigurationException) e).network()).isEqualTo("generator");
      // by the embedding, the same generator takes the label
      assertThat(GanBuilder.forImages(8, 8, 1).latentDim(8)
          .generator(dense(4 * 4 * 8), reshape(4, 4, 8), io.github.gan4j.layers.Layers.resBlockUp(8), batchNorm(),
              conv2d(1, 3).padding(SAME).activation(TANH))
          .discriminator(flatten(), dense(1)).conditional(3).build().numClasses()).isEqualTo(3);
    }

    @Test
    void labelMaps_addOneChannelPerClassToTheDiscriminatorsInput() {
      Gan gan = tiny().conditional(Conditioning.of(3).discriminator(LABEL_MAPS)).build();
      assertThat(gan.discriminator().input()).isEqualTo(Shape.of(8, 8, 4));
      assertThat(gan.discriminator().dataInput()).isEqualTo(Shape.of(8, 8, 1));
      assertThat(gan.discriminator().layers().get(0).weights().get(0).shape()).isEqualTo(Shape.of(3, 3, 4, 8));
      assertThat(gan.discriminator().summary()).contains("label_maps (LabelMaps)").contains("(None, 8, 8, 3)");
      assertThat(gan.discriminator().labels().orElseThrow().weights()).isEmpty();
    }

    @Test
    void projection_withoutAFinalDense_isRefusedNamingTheLayerAndTheFix() {
      // conv2d(1, 8) on 8x8 gives (1, 1, 1) and flatten() one logit: fine unconditioned, not for projection
      GanBuilder b = tiny().discriminator(conv2d(1, 8), flatten()).conditional(3);
      GanBuilder unconditioned = tiny().discriminator(conv2d(1, 8), flatten());
      assertThat(unconditioned.build().discriminator().output()).isEqualTo(Shape.of(1));
      assertThatThrownBy(b::build).isInstanceOfSatisfying(GanConfigurationException.class, e -> {
        assertThat(e.network()).isEqualTo("discriminator");
        assertThat(e.layerIndex()).isEqualTo(1);
        assertThat(e.layer()).isEqualTo("flatten()");
        assertThat(e.getMessage()).contains("a projection discriminator must end with dense(1), but it ends with flatten()")
            .contains("h is the input of the last dense(1) layer");
        assertThat(e.fix()).contains("flatten(), dense(1)").contains("DiscriminatorInput.LABEL_MAPS");
      });
      assertThat(tiny().discriminator(conv2d(8, 3).strides(2).padding(SAME), leakyRelu(0.2f), flatten(),
          spectralNorm(dense(1))).conditional(3).build().discriminator().labels().orElseThrow().weights().get(0)
          .shape()).isEqualTo(Shape.of(3, 4 * 4 * 8));
      assertThat(tiny().discriminator(conv2d(1, 8), flatten())
          .conditional(Conditioning.of(3).discriminator(LABEL_MAPS)).build().numClasses()).isEqualTo(3);
    }
  }

  @Nested
  class Values {
    @Test
    void conditioning_checksItsValues() {
      assertThatThrownBy(() -> Conditioning.of(1)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at least 2 classes, was numClasses=1");
      assertThatThrownBy(() -> Conditioning.of(3).embeddingDim(0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("embeddingDim must be positive");
      assertThatThrownBy(() -> Conditioning.of(3).generator(null)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> tiny().conditional(null)).isInstanceOf(NullPointerException.class);
      assertThat(Conditioning.of(10).generator(CONDITIONAL_BATCH_NORM).discriminator(LABEL_MAPS).describe())
          .isEqualTo("Conditioning.of(10).generator(CONDITIONAL_BATCH_NORM).discriminator(LABEL_MAPS)");
    }

    @Test
    void builder_isNotChangedByBuild() {
      GanBuilder b = tiny();
      Gan first = b.build();
      b.conditional(3);
      assertThat(first.conditioning()).isEmpty();
      assertThat(b.build().conditioning()).isPresent();
    }

    @Test
    void trainer_refusesWganGpForAConditionalGanAndFakeLabelsForAnUnconditionalOne() {
      assertThatThrownBy(() -> Trainer.of(tiny().conditional(3).build()).loss(GanLoss.wasserstein())
          .penalty(GradientPenalty.wganGp()).build()).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("WGAN-GP is not supported for a conditional GAN")
          .hasMessageContaining("GradientPenalty.r1");
      assertThatThrownBy(() -> Trainer.of(tiny().build()).fakeLabels(FakeLabels.DATASET_FREQUENCIES).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("fakeLabels(DATASET_FREQUENCIES) needs a conditional GAN");
      assertThat(Trainer.of(tiny().conditional(3).build()).fakeLabels(FakeLabels.DATASET_FREQUENCIES).recipe()
          .fakeLabels()).isEqualTo(FakeLabels.DATASET_FREQUENCIES);
      assertThat(Trainer.of(tiny().build()).recipe().fakeLabels()).isEqualTo(FakeLabels.UNIFORM);
    }
  }
}
