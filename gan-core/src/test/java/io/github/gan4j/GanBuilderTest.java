package io.github.gan4j;

import static io.github.gan4j.layers.Activation.RELU;
import static io.github.gan4j.layers.Activation.SIGMOID;
import static io.github.gan4j.layers.Activation.TANH;
import static io.github.gan4j.layers.Layers.batchNorm;
import static io.github.gan4j.layers.Layers.conv2d;
import static io.github.gan4j.layers.Layers.conv2dTranspose;
import static io.github.gan4j.layers.Layers.dense;
import static io.github.gan4j.layers.Layers.dropout;
import static io.github.gan4j.layers.Layers.flatten;
import static io.github.gan4j.layers.Layers.leakyRelu;
import static io.github.gan4j.layers.Layers.reshape;
import static io.github.gan4j.layers.Layers.sigmoid;
import static io.github.gan4j.layers.Layers.tanh;
import static io.github.gan4j.layers.Layers.upSampling2d;
import static io.github.gan4j.layers.Padding.SAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gan4j.layers.Layer;
import io.github.gan4j.layers.Initializer;
import io.github.gan4j.layers.Shape;
import io.github.gan4j.layers.WeightSpec;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class GanBuilderTest {

  static final List<Layer> REFERENCE_G = List.of(
      dense(8 * 8 * 256).activation(RELU), reshape(8, 8, 256), batchNorm().momentum(0.8f),
      conv2dTranspose(128, 4).strides(2).padding(SAME), leakyRelu(0.2f), batchNorm().momentum(0.8f),
      conv2dTranspose(64, 4).strides(2).padding(SAME), leakyRelu(0.2f), batchNorm().momentum(0.8f),
      conv2d(3, 3).padding(SAME).activation(TANH));
  static final List<Layer> REFERENCE_D = List.of(
      conv2d(64, 3).strides(2).padding(SAME), leakyRelu(0.2f),
      conv2d(128, 3).strides(2).padding(SAME), leakyRelu(0.2f),
      conv2d(256, 3).strides(2).padding(SAME), leakyRelu(0.2f),
      flatten(), dense(1));

  static GanBuilder reference() {
    return GanBuilder.forImages(32, 32, 3).latentDim(100).generator(REFERENCE_G).discriminator(REFERENCE_D);
  }

  @Nested
  class ReferenceDcgan {
    final Gan gan = reference().build();

    @Test
    void build_parameterCounts_matchKeras() {
      assertThat(gan.generator().params()).isEqualTo(2_313_859);
      assertThat(gan.generator().nonTrainableParams()).isEqualTo(896);
      assertThat(gan.generator().trainableParams()).isEqualTo(2_312_963);
      assertThat(gan.discriminator().params()).isEqualTo(374_913);
      assertThat(gan.discriminator().nonTrainableParams()).isZero();
    }

    @Test
    void build_infersEveryShape() {
      assertThat(gan.generator().layers()).extracting(NetworkLayer::output).containsExactly(
          Shape.of(16384), Shape.of(8, 8, 256), Shape.of(8, 8, 256),
          Shape.of(16, 16, 128), Shape.of(16, 16, 128), Shape.of(16, 16, 128),
          Shape.of(32, 32, 64), Shape.of(32, 32, 64), Shape.of(32, 32, 64),
          Shape.of(32, 32, 3));
      assertThat(gan.discriminator().layers()).extracting(NetworkLayer::output).containsExactly(
          Shape.of(16, 16, 64), Shape.of(16, 16, 64), Shape.of(8, 8, 128), Shape.of(8, 8, 128),
          Shape.of(4, 4, 256), Shape.of(4, 4, 256), Shape.of(4096), Shape.of(1));
    }

    @Test
    void build_namesLayersLikeKeras() {
      assertThat(gan.generator().layers()).extracting(NetworkLayer::name).containsExactly(
          "dense", "reshape", "batch_normalization", "conv2d_transpose", "leaky_re_lu",
          "batch_normalization_1", "conv2d_transpose_1", "leaky_re_lu_1", "batch_normalization_2", "conv2d");
    }

    @Test
    void trainingFlops_matchTheAnalyticCount() {
      // 0.717 GFLOP per image per step, as ../shared/peer/dcgan_torch.py counts it
      assertThat(2.0 * gan.trainingMultiplyAddsPerImage() / 1e9).isCloseTo(0.717, org.assertj.core.data.Offset.offset(0.0005));
    }

    @Test
    void summary_isAKerasLikeTable() {
      String s = gan.summary();
      assertThat(s).contains("Model: \"generator\"", "Model: \"discriminator\"")
          .contains("conv2d_transpose (Conv2DTranspose)", "(None, 16, 16, 128)", "524,416")
          .contains("Total params: 2,313,859", "Non-trainable params: 896", "Total params: 374,913")
          .contains("Trainable params: 2,312,963");
    }

    @Test
    void summary_alignsEveryColumn_alsoForBatchNormalizationRows() {
      for (Network net : List.of(gan.generator(), gan.discriminator())) {
        String[] lines = net.summary().split("\n");
        int rule = lines[1].length();
        int shapeColumn = lines[2].indexOf("Output Shape");
        int paramEnd = lines[2].length();
        assertThat(paramEnd).isEqualTo(rule);
        for (String line : lines) {
          if (line.contains("(None, ")) {
            assertThat(line.indexOf("(None, ")).as(line).isEqualTo(shapeColumn);
            assertThat(line.length()).as(line).isEqualTo(paramEnd);
            assertThat(line.charAt(shapeColumn - 1)).as(line).isEqualTo(' ');
          }
        }
      }
      assertThat(gan.generator().summary()).contains("batch_normalization_2 (BatchNormalization)");
    }

    @Test
    void build_canBeCalledAgain_andGivesEqualModels() {
      GanBuilder b = reference();
      assertThat(b.build().fingerprint()).isEqualTo(b.build().fingerprint());
    }

    @Test
    void fingerprint_differsForAnotherModel() {
      Gan other = GanBuilder.forImages(32, 32, 3).latentDim(64).generator(REFERENCE_G.subList(1, 10))
          .generator(dense(8 * 8 * 256).activation(RELU), reshape(8, 8, 256),
              conv2dTranspose(3, 4).strides(4).activation(TANH))
          .discriminator(REFERENCE_D).build();
      assertThat(other.fingerprint()).isNotEqualTo(gan.fingerprint());
    }
  }

  @Nested
  class ConfigurationErrors {

    @Test
    void build_generatorOutputMismatch_namesLayerAndSuggestsFix() {
      GanBuilder b = GanBuilder.forImages(32, 32, 3).generator(
              dense(7 * 7 * 64), reshape(7, 7, 64),
              conv2dTranspose(64, 4).strides(2).padding(SAME),
              conv2dTranspose(3, 4).strides(2).padding(SAME).activation(TANH))
          .discriminator(REFERENCE_D);
      assertThatThrownBy(b::build).isInstanceOfSatisfying(GanConfigurationException.class, e -> {
        assertThat(e.network()).isEqualTo("generator");
        assertThat(e.layerIndex()).isEqualTo(3);
        assertThat(e.layer()).isEqualTo("conv2dTranspose(filters=3, kernelSize=4, strides=2, padding=same, activation=tanh)");
        assertThat(e.received()).isEqualTo(Shape.of(14, 14, 64));
        assertThat(e.getMessage())
            .contains("generator output (28, 28, 3) does not match image shape (32, 32, 3)")
            .contains("(14, 14, 64) -> (28, 28, 3)")
            .contains("7 -> 14 -> 28")
            .contains("start from reshape(8, 8, C)")
            .contains("GanBuilder.forImages(28, 28, 3)");
        assertThat(e.fix()).isEqualTo(
            "start from reshape(8, 8, C) so the x4 upsampling ends at 32 x 32, or declare GanBuilder.forImages(28, 28, 3).");
      });
    }

    @Test
    void build_referenceGeneratorWithoutPaddingSame_namesTheLayersAndSuggestsPaddingSame() {
      // the reference generator with padding left at Keras's default, VALID
      GanBuilder b = GanBuilder.forImages(32, 32, 3).generator(
              dense(8 * 8 * 256).activation(RELU), reshape(8, 8, 256), batchNorm().momentum(0.8f),
              conv2dTranspose(128, 4).strides(2), leakyRelu(0.2f), batchNorm().momentum(0.8f),
              conv2dTranspose(64, 4).strides(2), leakyRelu(0.2f), batchNorm().momentum(0.8f),
              conv2d(3, 3).activation(TANH))
          .discriminator(REFERENCE_D);
      assertThatThrownBy(b::build).isInstanceOfSatisfying(GanConfigurationException.class, e -> {
        assertThat(e.network()).isEqualTo("generator");
        assertThat(e.layerIndex()).isEqualTo(9);
        assertThat(e.received()).isEqualTo(Shape.of(38, 38, 64));
        assertThat(e.getMessage())
            .contains("generator output (36, 36, 3) does not match image shape (32, 32, 3)")
            .contains("Height through the generator: 8 -> 18 -> 38 -> 36.")
            .contains("generator[3] conv2dTranspose(filters=128, kernelSize=4, strides=2): 8 -> 18")
            .contains("generator[6] conv2dTranspose(filters=64, kernelSize=4, strides=2): 18 -> 38")
            .contains("generator[9] conv2d(filters=3, kernelSize=3, activation=tanh): 38 -> 36")
            .contains("default to padding VALID as in Keras")
            .contains("out = in * strides + max(kernelSize - strides, 0)")
            .contains("DCGAN-style stacks use .padding(SAME)")
            .doesNotContain("multiplies height and width");
        assertThat(e.fix()).isEqualTo("add .padding(SAME) to generator[3] conv2dTranspose, generator[6] "
            + "conv2dTranspose and generator[9] conv2d; the generator then ends at 32 x 32.");
      });
    }

    @Test
    void build_generatorMismatchWithValidPadding_suggestsAStartThatWorks() {
      // padding VALID: 2 * 2 + max(4 - 2, 0) = 6 is no x3 upsampling; 5 * 2 + 2 = 12 is the image
      GanBuilder b = GanBuilder.forImages(12, 12, 1)
          .generator(dense(2 * 2 * 8), reshape(2, 2, 8), conv2dTranspose(1, 4).strides(2).activation(TANH))
          .discriminator(flatten(), dense(1));
      assertThatThrownBy(b::build).isInstanceOfSatisfying(GanConfigurationException.class, e -> {
        assertThat(e.getMessage())
            .contains("generator[2] conv2dTranspose(filters=1, kernelSize=4, strides=2, activation=tanh): 2 -> 6")
            .contains("conv2dTranspose defaults to padding VALID as in Keras: "
                + "out = in * strides + max(kernelSize - strides, 0). DCGAN-style stacks use .padding(SAME).");
        assertThat(e.fix())
            .isEqualTo("start from reshape(5, 5, C) so the generator ends at 12 x 12, or declare GanBuilder.forImages(6, 6, 1).");
      });
      Gan fixed = GanBuilder.forImages(12, 12, 1)
          .generator(dense(5 * 5 * 8), reshape(5, 5, 8), conv2dTranspose(1, 4).strides(2).activation(TANH))
          .discriminator(flatten(), dense(1)).build();
      assertThat(fixed.generator().output()).isEqualTo(Shape.of(12, 12, 1));
    }

    @Test
    void build_generatorChannelMismatch_suggestsFilters() {
      GanBuilder b = GanBuilder.forImages(32, 32, 3).generator(
              dense(8 * 8 * 16), reshape(8, 8, 16), upSampling2d(4), conv2d(1, 3).padding(SAME).activation(TANH))
          .discriminator(REFERENCE_D);
      assertThatThrownBy(b::build).isInstanceOf(GanConfigurationException.class)
          .hasMessageContaining("generator output (32, 32, 1) does not match image shape (32, 32, 3)")
          .hasMessageContaining("filters=3");
    }

    @Test
    void build_reshapeElementCountMismatch_showsArithmetic() {
      GanBuilder b = GanBuilder.forImages(32, 32, 3).generator(
              dense(8 * 8 * 128), reshape(8, 8, 256), conv2dTranspose(3, 4).strides(4))
          .discriminator(REFERENCE_D);
      assertThatThrownBy(b::build).isInstanceOfSatisfying(GanConfigurationException.class, e -> {
        assertThat(e.network()).isEqualTo("generator");
        assertThat(e.layerIndex()).isEqualTo(1);
        assertThat(e.received()).isEqualTo(Shape.of(8192));
        assertThat(e.getMessage())
            .contains("generator[1] reshape(8, 8, 256)")
            .contains("needs 8 * 8 * 256 = 16384 elements but received (8192) with 8192 elements")
            .contains("dense(16384)");
      });
    }

    @Test
    void build_denseOnRank3InputWithoutFlatten_suggestsFlatten() {
      GanBuilder b = GanBuilder.forImages(32, 32, 3).generator(REFERENCE_G)
          .discriminator(conv2d(64, 3).strides(2).padding(SAME), leakyRelu(0.2f), dense(1));
      assertThatThrownBy(b::build).isInstanceOfSatisfying(GanConfigurationException.class, e -> {
        assertThat(e.network()).isEqualTo("discriminator");
        assertThat(e.layerIndex()).isEqualTo(2);
        assertThat(e.received()).isEqualTo(Shape.of(16, 16, 64));
        assertThat(e.fix()).contains("flatten()").contains("(16384)");
        assertThat(e.getMessage()).contains("Shapes so far: discriminator input (32, 32, 3) -> (16, 16, 64) -> (16, 16, 64)");
      });
    }

    @Test
    void build_discriminatorOutputNotSingleLogit_suggestsDense1() {
      GanBuilder b = reference().discriminator(conv2d(64, 3).strides(2), flatten(), dense(10));
      assertThatThrownBy(b::build).isInstanceOfSatisfying(GanConfigurationException.class, e -> {
        assertThat(e.network()).isEqualTo("discriminator");
        assertThat(e.layerIndex()).isEqualTo(2);
        assertThat(e.getMessage()).contains("discriminator output (10) is not one logit per image (1)");
        assertThat(e.fix()).contains("dense(1)");
      });
    }

    @Test
    void build_discriminatorOutputImage_suggestsFlattenAndDense() {
      GanBuilder b = reference().discriminator(conv2d(64, 3).strides(2).padding(SAME), conv2d(1, 3).padding(SAME));
      assertThatThrownBy(b::build).isInstanceOf(GanConfigurationException.class)
          .hasMessageContaining("discriminator output (16, 16, 1)")
          .hasMessageContaining("flatten(), dense(1)");
    }

    @Test
    void build_discriminatorEndingInSigmoid_isRefused() {
      assertThatThrownBy(() -> reference().discriminator(flatten(), dense(1).activation(SIGMOID)).build())
          .isInstanceOf(GanConfigurationException.class)
          .hasMessageContaining("must output a logit")
          .hasMessageContaining("remove .activation(SIGMOID)");
      assertThatThrownBy(() -> reference().discriminator(flatten(), dense(1), sigmoid()).build())
          .isInstanceOf(GanConfigurationException.class)
          .hasMessageContaining("remove the final sigmoid() layer");
    }

    @Test
    void nonPositiveSizes_failAtOnce() {
      assertThatThrownBy(() -> dense(0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("dense units must be positive, was 0");
      assertThatThrownBy(() -> conv2d(64, -3)).hasMessage("conv2d kernelSize must be positive, was -3");
      assertThatThrownBy(() -> conv2dTranspose(64, 3).strides(0))
          .hasMessage("conv2dTranspose strides must be positive, was 0");
      assertThatThrownBy(() -> reshape(8, 0, 3)).hasMessageContaining("every dimension must be positive");
      assertThatThrownBy(() -> GanBuilder.forImages(32, 0, 3)).hasMessageContaining("must be positive");
      assertThatThrownBy(() -> GanBuilder.forImages(32, 32, 3).latentDim(0))
          .hasMessage("latentDim must be positive, was 0");
      assertThatThrownBy(() -> dropout(1f)).hasMessageContaining("[0, 1)");
      assertThatThrownBy(() -> batchNorm().momentum(1.5f)).hasMessageContaining("momentum");
      assertThatThrownBy(() -> leakyRelu(-0.1f)).hasMessageContaining("alpha");
    }

    @Test
    void build_duplicateLayerNames_namesBothLayers() {
      GanBuilder b = reference().discriminator(
          conv2d(64, 3).strides(2).name("features"), leakyRelu(0.2f),
          conv2d(128, 3).strides(2).name("features"), flatten(), dense(1));
      assertThatThrownBy(b::build).isInstanceOfSatisfying(GanConfigurationException.class, e -> {
        assertThat(e.network()).isEqualTo("discriminator");
        assertThat(e.layerIndex()).isEqualTo(2);
        assertThat(e.getMessage()).contains("named 'features'").contains("discriminator[0]");
      });
    }

    @Test
    void build_explicitNameTakenByDefault_defaultSkipsIt() {
      Gan gan = reference().discriminator(
          conv2d(64, 3).strides(2), conv2d(128, 3).strides(2).name("conv2d_1"),
          conv2d(256, 3).strides(2), flatten(), dense(1)).build();
      assertThat(gan.discriminator().layers()).extracting(NetworkLayer::name)
          .containsExactly("conv2d", "conv2d_1", "conv2d_2", "flatten", "dense");
    }

    @Test
    void build_emptyStack_saysHowToDeclareIt() {
      assertThatThrownBy(() -> GanBuilder.forImages(32, 32, 3).discriminator(REFERENCE_D).build())
          .isInstanceOf(GanConfigurationException.class)
          .hasMessageContaining("the generator has no layers")
          .hasMessageContaining(".generator(layer, layer, ...)");
    }

    @Test
    void build_convOnVector_suggestsReshape() {
      GanBuilder b = GanBuilder.forImages(32, 32, 3).generator(dense(64), conv2d(3, 3)).discriminator(REFERENCE_D);
      assertThatThrownBy(b::build).isInstanceOf(GanConfigurationException.class)
          .hasMessageContaining("generator[1] conv2d(filters=3, kernelSize=3)")
          .hasMessageContaining("put reshape(h, w, c) before it, with h * w * c = 64");
    }

    @Test
    void nullLayer_isRefusedAtOnce() {
      assertThatThrownBy(() -> GanBuilder.forImages(32, 32, 3).generator(dense(1), null))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("generator layer 1 is null");
    }
  }

  @Test
  void build_doesNotChangeTheBuilder() {
    GanBuilder b = reference();
    Gan first = b.build();
    b.latentDim(64);
    Gan second = b.build();
    assertThat(first.latentDim()).isEqualTo(100);
    assertThat(second.latentDim()).isEqualTo(64);
    assertThat(second.generator().layers().get(0).weights().get(0).shape()).isEqualTo(Shape.of(64, 16384));
  }

  @Test
  void otherLayers_inferShapes() {
    Gan gan = GanBuilder.forImages(28, 28, 1).latentDim(16).generator(
            dense(7 * 7 * 8), batchNorm(), reshape(7, 7, 8), upSampling2d(), conv2d(8, 3).padding(SAME), tanh(),
            upSampling2d(2), conv2d(1, 5).padding(SAME).activation(TANH))
        .discriminator(conv2d(8, 3), dropout(0.3f), flatten(), dense(1))
        .build();
    assertThat(gan.generator().output()).isEqualTo(Shape.of(28, 28, 1));
    assertThat(gan.discriminator().layers().get(0).output()).isEqualTo(Shape.of(26, 26, 8));
    assertThat(gan.generator().layers().get(1).nonTrainableParams()).isEqualTo(2 * 392);
  }

  /** Custom layers on the TensorFlow-free side: shape inference, summaries and their checks. */
  @Nested
  class CustomLayers {

    /** A learned per-channel scale with a frozen offset; any behaviour of the fields below can be swapped in. */
    record Scale(String name, String kind, String describe, boolean failShape, List<WeightSpec> weights)
        implements Layer.Custom {
      static Scale ok() {
        return new Scale(null, "scale", "scale()", false, null);
      }

      @Override
      public Shape outputShape(Shape in) {
        if (failShape) {
          throw new IllegalStateException("boom");
        }
        return in;
      }

      @Override
      public List<WeightSpec> weights(Shape in) {
        return weights != null ? weights : List.of(
            new WeightSpec("gamma", Shape.of(in.last()), true, Initializer.ones()),
            new WeightSpec("offset", Shape.of(in.last()), false, Initializer.zeros()));
      }
    }

    GanBuilder withD(Layer custom) {
      return GanBuilder.forImages(4, 4, 2).latentDim(8).generator(dense(32), reshape(4, 4, 2))
          .discriminator(conv2d(8, 3).padding(SAME), custom, custom, flatten(), dense(1));
    }

    @Test
    void build_customLayer_takesPartInShapesNamesSummariesAndParameterCounts() {
      Gan gan = withD(Scale.ok()).build();
      NetworkLayer first = gan.discriminator().layers().get(1);
      assertThat(first.name()).isEqualTo("scale");
      assertThat(gan.discriminator().layers().get(2).name()).isEqualTo("scale_1");
      assertThat(first.output()).isEqualTo(Shape.of(4, 4, 8));
      assertThat(first.trainableParams()).isEqualTo(8);
      assertThat(first.nonTrainableParams()).isEqualTo(8);
      assertThat(gan.discriminator().summary()).containsPattern("scale_1 \\(Scale\\) +\\(None, 4, 4, 8\\) +16\n");
      assertThat(gan.fingerprint()).isNotEqualTo(reference().build().fingerprint());
    }

    @Test
    void typeName_ofAnAnonymousCustomLayer_isCustom() {
      Layer.Custom anonymous = new Layer.Custom() {
        public String kind() { return "anon"; }
        public String name() { return null; }
        public Shape outputShape(Shape in) { return in; }
        public String describe() { return "anon()"; }
      };
      assertThat(anonymous.typeName()).isEqualTo("Custom");
      assertThat(Scale.ok().typeName()).isEqualTo("Scale");
    }

    @Test
    void build_customLayerWithoutKind_isRefused() {
      assertThatThrownBy(() -> withD(new Scale(null, null, "scale()", false, null)).build())
          .isInstanceOfSatisfying(GanConfigurationException.class, e -> {
            assertThat(e.network()).isEqualTo("discriminator");
            assertThat(e.layerIndex()).isEqualTo(1);
          })
          .hasMessageContaining("discriminator[1] scale() has the kind null")
          .hasMessageContaining("Fix: return a snake_case stem from kind()");
    }

    @Test
    void build_customLayerWithABadName_isRefused() {
      assertThatThrownBy(() -> withD(new Scale("my scale", "scale", "scale()", false, null)).build())
          .isInstanceOf(GanConfigurationException.class)
          .hasMessageContaining("discriminator[1] scale() is named 'my scale'");
    }

    @Test
    void build_customLayerWithoutDescription_namesItsClass() {
      assertThatThrownBy(() -> withD(new Scale(null, "scale", null, false, null)).build())
          .isInstanceOf(GanConfigurationException.class)
          .hasMessageContaining("the custom layer " + Scale.class.getName() + " at discriminator[1] describes itself"
              + " as 'null'");
    }

    @Test
    void build_customLayerWhoseOutputShapeThrows_isReportedWithTheShapesSoFar() {
      assertThatThrownBy(() -> withD(new Scale(null, "scale", "scale()", true, null)).build())
          .isInstanceOfSatisfying(GanConfigurationException.class,
              e -> assertThat(e.received()).isEqualTo(Shape.of(4, 4, 8)))
          .hasMessageContaining("discriminator[1] scale() failed to infer its output shape:"
              + " java.lang.IllegalStateException: boom.")
          .hasMessageContaining("Shapes so far: discriminator input (4, 4, 2) -> (4, 4, 8)")
          .hasMessageContaining("Fix: throw LayerShapeException(problem, fix)");
    }

    @Test
    void build_customLayerWithTwoWeightsOfOneName_isRefused() {
      WeightSpec w = new WeightSpec("w", Shape.of(8), true, Initializer.ones());
      assertThatThrownBy(() -> withD(new Scale(null, "scale", "scale()", false, List.of(w, w))).build())
          .isInstanceOf(GanConfigurationException.class)
          .hasMessageContaining("discriminator[1] scale() declares two weights named 'w'")
          .hasMessageContaining("it becomes the variable discriminator/<layer>/<name>");
    }

    @Test
    void build_customLayerWithAnUnusableWeightName_isRefused() {
      WeightSpec w = new WeightSpec("_w/x", Shape.of(8), true, Initializer.ones());
      assertThatThrownBy(() -> withD(new Scale(null, "scale", "scale()", false, List.of(w))).build())
          .isInstanceOf(GanConfigurationException.class)
          .hasMessageContaining("declares a weight named '_w/x'");
    }
  }
}
