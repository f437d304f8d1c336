package io.github.gan4j.tests;

import static io.github.gan4j.layers.Layers.averagePooling2d;
import static io.github.gan4j.layers.Layers.conv2d;
import static io.github.gan4j.layers.Layers.dense;
import static io.github.gan4j.layers.Layers.globalSumPooling2d;
import static io.github.gan4j.layers.Layers.leakyRelu;
import static io.github.gan4j.layers.Layers.relu;
import static io.github.gan4j.layers.Layers.resBlockDown;
import static io.github.gan4j.layers.Layers.resBlockDownOptimized;
import static io.github.gan4j.layers.Layers.resBlockUp;
import static io.github.gan4j.layers.Layers.reshape;
import static io.github.gan4j.layers.Layers.selfAttention;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.gan4j.Gan;
import io.github.gan4j.Network;
import io.github.gan4j.data.Dataset;
import io.github.gan4j.data.Datasets;
import io.github.gan4j.examples.ReferenceModels;
import io.github.gan4j.recipe.DiscriminatorUpdate;
import io.github.gan4j.recipe.FakeBatches;
import io.github.gan4j.recipe.GanLoss;
import io.github.gan4j.recipe.GradientPenalty;
import io.github.gan4j.recipe.Optimizer;
import io.github.gan4j.sample.Sampler;
import io.github.gan4j.train.ForwardPass;
import io.github.gan4j.train.StepMetrics;
import io.github.gan4j.train.TrainedGenerator;
import io.github.gan4j.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Residual blocks and the pooling layers lowered to TensorFlow: golden values, training, checkpoints, export. */
class ResidualBlockTest {

  /** A 3x3 kernel (one channel in, one out) with {@code centre} in the middle and {@code rest} elsewhere. */
  static float[] kernel3x3(float rest, float centre) {
    float[] k = LayerGoldenValueTest.ones(9);
    java.util.Arrays.fill(k, rest);
    k[4] = centre;
    return k;
  }

  /** The SNGAN recipe's update procedure, scaled down. */
  static Trainer.Builder hingeTrainer(Gan gan) {
    return Trainer.of(gan).loss(GanLoss.hinge())
        .optimizer(Optimizer.adam().learningRate(2e-4f).beta1(0f).beta2(0.9f))
        .discriminatorSteps(2).discriminatorUpdate(DiscriminatorUpdate.COMBINED_BATCH)
        .fakeBatches(FakeBatches.TRAINING_MODE);
  }

  @Nested
  class GoldenValues {
    @Test
    void downBlock_reluBeforeTheResidualOnly_convolutions_thenAveragePooling() {
      Network net = LayerGoldenValueTest.network(2, 2, 1, resBlockDown(1));
      float[] y = LayerGoldenValueTest.layerOutput(net, Map.of(
          "discriminator/res_block/conv_1/kernel", kernel3x3(1, 1),
          "discriminator/res_block/conv_1/bias", new float[] {0},
          "discriminator/res_block/conv_2/kernel", kernel3x3(0, 0.5f),
          "discriminator/res_block/conv_2/bias", new float[] {0},
          "discriminator/res_block/shortcut_conv/kernel", new float[] {2},
          "discriminator/res_block/shortcut_conv/bias", new float[] {1}), new float[] {1, -2, 3, 4}, false);
      // residual: relu(x) = [1, 0, 3, 4]; conv_1 (ones, SAME: every window covers the 2x2 image) = 8;
      // relu; conv_2 (centre 0.5) = 4; pool = 4. Shortcut, no relu: 2x + 1 = [3, -3, 7, 9]; pool = 4.
      assertThat(y).containsExactly(8f);
    }

    @Test
    void spectralNormInsideABlock_dividesEachKernelByItsLargestSingularValue() {
      Network net = LayerGoldenValueTest.network(2, 2, 1, resBlockDown(1).spectralNorm());
      float[] y = LayerGoldenValueTest.layerOutput(net, Map.of(
          "discriminator/res_block/conv_1/kernel", kernel3x3(1, 1),
          "discriminator/res_block/conv_1/bias", new float[] {0},
          "discriminator/res_block/conv_2/kernel", kernel3x3(0, 0.5f),
          "discriminator/res_block/conv_2/bias", new float[] {0},
          "discriminator/res_block/shortcut_conv/kernel", new float[] {2},
          "discriminator/res_block/shortcut_conv/bias", new float[] {1}), new float[] {1, -2, 3, 4}, false);
      // one output channel: sigma is the kernel's norm, 3 (nine ones), 0.5 and 2. Residual: relu(x) summed
      // / 3 = 8/3; relu; conv_2 (centre 0.5 / 0.5) = 8/3; pool. Shortcut: x / 1 * 1 + 1 = [2, -1, 4, 5]; pool = 2.5.
      assertThat(y).containsExactly(new float[] {8f / 3 + 2.5f}, within(1e-5f));
      ForwardPass.Result r = ForwardPass.run(new Network(net.name(), net.input(), net.layers().subList(0, 1)),
          Map.of(), new float[] {1, -2, 3, 4}, 1, true);
      assertThat(r.variables()).containsKeys("discriminator/res_block/conv_1/u", "discriminator/res_block/conv_2/u",
          "discriminator/res_block/shortcut_conv/u");
    }

    @Test
    void optimizedBlock_noReluOnTheInput_shortcutPoolsThenConvolves() {
      Network net = LayerGoldenValueTest.network(2, 2, 1, resBlockDownOptimized(1));
      float[] y = LayerGoldenValueTest.layerOutput(net, Map.of(
          "discriminator/res_block/conv_1/kernel", kernel3x3(1, 1),
          "discriminator/res_block/conv_1/bias", new float[] {-5},
          "discriminator/res_block/conv_2/kernel", kernel3x3(0, 0.5f),
          "discriminator/res_block/conv_2/bias", new float[] {0},
          "discriminator/res_block/shortcut_conv/kernel", new float[] {2},
          "discriminator/res_block/shortcut_conv/bias", new float[] {1}), new float[] {1, -2, 3, 4}, false);
      // residual: conv_1 = 1 - 2 + 3 + 4 - 5 = 1 (a ReLU first would give 3); relu; conv_2 = 0.5; pool = 0.5.
      // Shortcut: pool = 1.5; 2 * 1.5 + 1 = 4.
      assertThat(y).containsExactly(4.5f);
    }

    @Test
    void upBlock_batchNormReluUpsampleConv_twice_plusUpsampledShortcut() {
      Network net = LayerGoldenValueTest.network(1, 1, 1, resBlockUp(1));
      float[] y = LayerGoldenValueTest.layerOutput(net, Map.of(
          "discriminator/res_block/conv_1/kernel", kernel3x3(1, 1),
          "discriminator/res_block/conv_1/bias", new float[] {1},
          "discriminator/res_block/conv_2/kernel", kernel3x3(1, 1),
          "discriminator/res_block/conv_2/bias", new float[] {0},
          "discriminator/res_block/shortcut_conv/kernel", new float[] {3},
          "discriminator/res_block/shortcut_conv/bias", new float[] {0}), new float[] {2}, false);
      // inference BatchNorm with moving mean 0, variance 1: x / s, s = sqrt(1 + 2e-5).
      // bn_1, relu: 2/s; upsample to 2x2; conv_1 (ones: sums the 2x2) 8/s + 1; bn_2, relu: (8/s + 1)/s;
      // conv_2: 4 (8/s + 1)/s. Shortcut: upsample, 3 * 2 = 6.
      double s = Math.sqrt(1 + 2e-5);
      float expected = (float) (4 * (8 / s + 1) / s + 6);
      assertThat(y).containsExactly(new float[] {expected, expected, expected, expected}, within(1e-4f));
    }

    @Test
    void batchNormInsideABlock_trains_andUpdatesItsOwnNestedVariables() {
      Network net = LayerGoldenValueTest.network(1, 2, 1, resBlockUp(1));
      ForwardPass.Result r = ForwardPass.run(new Network(net.name(), net.input(), net.layers().subList(0, 1)),
          Map.of(), new float[] {1, 3}, 1, true);
      // decay 0.9: moving = 0.9 * 0 + 0.1 * mean(1, 3)
      assertThat(r.variables().get("discriminator/res_block/bn_1/moving_mean")[0]).isCloseTo(0.2f, within(1e-6f));
      assertThat(r.variables()).containsKeys("discriminator/res_block/conv_1/kernel",
          "discriminator/res_block/bn_2/moving_variance", "discriminator/res_block/shortcut_conv/bias");
      assertThat(r.variables().keySet()).allMatch(n -> n.startsWith("discriminator/res_block/")
          || n.startsWith("discriminator/probe_"));
    }

    @Test
    void selfAttention_addsGammaTimesTheSoftmaxWeightedValues() {
      Network net = LayerGoldenValueTest.network(1, 2, 1, selfAttention());
      float[] one = {1};
      float[] y = LayerGoldenValueTest.layerOutput(net, Map.of(
          "discriminator/self_attention/query/kernel", one, "discriminator/self_attention/key/kernel", one,
          "discriminator/self_attention/value/kernel", one, "discriminator/self_attention/output/kernel", one,
          "discriminator/self_attention/gamma", new float[] {0.5f}), new float[] {1, 2}, false);
      // q = k = v = x = (1, 2): scores x_i x_j = [[1, 2], [2, 4]], softmax per row;
      // o_0 = (1 + 2e) / (1 + e), o_1 = (1 + 2e^2) / (1 + e^2); y = x + 0.5 o
      double e = Math.E;
      assertThat(y).containsExactly(new float[] {(float) (1 + 0.5 * (1 + 2 * e) / (1 + e)),
          (float) (2 + 0.5 * (1 + 2 * e * e) / (1 + e * e))}, within(1e-6f));
      // gamma starts at 0: the layer starts as the identity
      float[] start = LayerGoldenValueTest.layerOutput(net, Map.of(), new float[] {1, 2}, false);
      assertThat(start).containsExactly(1f, 2f);
    }

    @Test
    void averagePooling_dropsRowsPastTheLastWindow_andGlobalSumPoolingAddsEveryPixel() {
      float[] x = new float[3 * 4];
      for (int i = 0; i < x.length; i++) {
        x[i] = i;   // rows 0..3, 4..7, 8..11
      }
      float[] pooled = LayerGoldenValueTest.layerOutput(LayerGoldenValueTest.network(3, 4, 1, averagePooling2d(2)),
          Map.of(), x, false);
      assertThat(pooled).containsExactly((0 + 1 + 4 + 5) / 4f, (2 + 3 + 6 + 7) / 4f);
      Network sum = LayerGoldenValueTest.network(3, 4, 1, globalSumPooling2d());
      float[] y = ForwardPass.run(new Network(sum.name(), sum.input(), sum.layers().subList(0, 1)), Map.of(), x, 1,
          false).output();
      assertThat(y).containsExactly(66f);
    }
  }

  @Nested
  class Training {
    private final Dataset data = Fixtures.squares();

    @Test
    void snganResNet_trainsAFewSteps_withItsRecipe_andFiniteLosses() {
      SplittableRandom r = new SplittableRandom(3);
      float[] px = new float[16 * 32 * 32 * 3];
      for (int i = 0; i < px.length; i++) {
        px[i] = (float) r.nextDouble(-1, 1);
      }
      Dataset images = Datasets.fromFloats(px, 32, 32, 3);
      try (Trainer t = ReferenceModels.snganRecipe(ReferenceModels.snganResNet(32, 32, 3)).batchSize(2).seed(1)
          .build()) {
        Map<String, float[]> before = t.variables();
        for (int i = 0; i < 2; i++) {
          StepMetrics m = t.step(images);
          for (float loss : TrainerContractTest.losses(m)) {
            assertThat(loss).as("step %d: %s", m.step(), m).isFinite();
          }
        }
        Map<String, float[]> after = t.variables();
        assertThat(after.get("discriminator/res_block_1/conv_2/kernel"))
            .isNotEqualTo(before.get("discriminator/res_block_1/conv_2/kernel"));
        assertThat(after.get("generator/res_block_2/shortcut_conv/kernel"))
            .isNotEqualTo(before.get("generator/res_block_2/shortcut_conv/kernel"));
      }
    }

    @Test
    void restoreAndContinue_withBlocks_isBitIdenticalToNeverHavingStopped(@TempDir Path dir) {
      List<StepMetrics> uninterrupted = new ArrayList<>();
      Map<String, float[]> expected;
      try (Trainer t = hingeTrainer(Fixtures.tinyResNet()).batchSize(8).seed(21).build()) {
        for (int i = 0; i < 3; i++) {
          t.step(data);
        }
        t.save(dir);
        for (int i = 0; i < 3; i++) {
          uninterrupted.add(t.step(data));
        }
        expected = t.variables();
      }
      assertThat(expected).containsKeys("generator/res_block_1/bn_2/moving_mean",
          "discriminator/res_block_2/conv_1/kernel");
      try (Trainer t = hingeTrainer(Fixtures.tinyResNet()).batchSize(8).seed(21).build()) {
        t.restore(dir);
        for (int i = 0; i < 3; i++) {
          StepMetrics m = t.step(data);
          assertThat(TrainerContractTest.losses(m)).as("step %d", m.step())
              .containsExactly(TrainerContractTest.losses(uninterrupted.get(i)));
        }
        TrainerContractTest.assertBitIdentical(expected, t.variables());
      }
    }

    @Test
    void selfAttention_inBothNetworks_trains_andGammaMoves() {
      Gan gan = io.github.gan4j.GanBuilder.forImages(8, 8, 1).latentDim(8)
          .generator(dense(4 * 4 * 8), reshape(4, 4, 8), resBlockUp(8), selfAttention(), relu(),
              conv2d(1, 3).padding(io.github.gan4j.layers.Padding.SAME))
          .discriminator(resBlockDownOptimized(8), selfAttention(), resBlockDown(8), relu(), globalSumPooling2d(),
              dense(1))
          .build();
      try (Trainer t = hingeTrainer(gan).batchSize(8).seed(2).build()) {
        for (int i = 0; i < 2; i++) {
          for (float loss : TrainerContractTest.losses(t.step(data))) {
            assertThat(loss).isFinite();
          }
        }
        assertThat(t.variables().get("discriminator/self_attention/gamma")[0]).isNotZero();
        assertThat(t.variables().get("generator/self_attention/gamma")[0]).isNotZero();
      }
    }

    @Test
    void gradientPenalty_throughPoolingAndAttention_hasItsSecondDerivative() {
      // average pooling is lowered as a mean over reshaped windows: AvgPoolGrad has no gradient in TensorFlow
      Gan gan = io.github.gan4j.GanBuilder.forImages(8, 8, 1).latentDim(8)
          .generator(dense(64), reshape(8, 8, 1))
          .discriminator(conv2d(4, 3).padding(io.github.gan4j.layers.Padding.SAME), leakyRelu(0.2f),
              averagePooling2d(), selfAttention(), globalSumPooling2d(), dense(1))
          .build();
      try (Trainer t = Trainer.of(gan).penalty(GradientPenalty.r1(10f)).batchSize(8).seed(3).build()) {
        StepMetrics m = t.step(data);
        assertThat(m.penalty()).as("R1 was applied").isFinite().isPositive();
        assertThat(m.finite()).as("%s", m).isTrue();
      }
    }

    @Test
    void gradientPenalty_onBlocksWithRelu_isRefused_namingTheLayersInsideTheBlocks() {
      assertThatThrownBy(() -> hingeTrainer(Fixtures.tinyResNet()).penalty(GradientPenalty.r1(10f)).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("TensorFlow has none for ReluGrad")
          .hasMessageContaining("discriminator[0] res_block/relu_1 relu()")
          .hasMessageContaining("discriminator[1] res_block_1/relu_2 relu()")
          .hasMessageContaining("discriminator[3] relu()");
    }

    @Test
    void exportedGenerator_withBlocksAndEma_generatesExactlyWhatTheTrainerGenerates(@TempDir Path dir) throws Exception {
      float[] z = new float[6 * 8];
      Sampler.normal().sample(9, 0, z);
      float[] fromTrainer;
      try (Trainer t = hingeTrainer(Fixtures.tinyResNet()).batchSize(8).seed(4).generatorEma(0.9f).build()) {
        for (int i = 0; i < 3; i++) {
          t.step(data);   // BatchNorm moving statistics away from their initial values
        }
        assertThat(t.variables()).containsKeys("generator_ema/res_block/conv_1/kernel",
            "generator_ema/res_block_1/bn_2/moving_mean");
        fromTrainer = t.generate(z);   // the moving average, as the export
        t.exportGenerator(dir.resolve("generator"));
      }
      try (TrainedGenerator g = TrainedGenerator.load(dir.resolve("generator"))) {
        assertThat(g.generate(z)).containsExactly(fromTrainer);
      }
    }
  }
}
