package io.github.gan4j.tests;

import static io.github.gan4j.layers.Layers.batchNorm;
import static io.github.gan4j.layers.Layers.conv2d;
import static io.github.gan4j.layers.Layers.conv2dTranspose;
import static io.github.gan4j.layers.Layers.dense;
import static io.github.gan4j.layers.Layers.dropout;
import static io.github.gan4j.layers.Layers.flatten;
import static io.github.gan4j.layers.Layers.leakyRelu;
import static io.github.gan4j.layers.Layers.reshape;
import static io.github.gan4j.layers.Layers.spectralNorm;
import static io.github.gan4j.layers.Layers.upSampling2d;
import static io.github.gan4j.layers.Padding.SAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.gan4j.GanBuilder;
import io.github.gan4j.Network;
import io.github.gan4j.layers.Activation;
import io.github.gan4j.layers.Layer;
import io.github.gan4j.layers.Padding;
import io.github.gan4j.train.ForwardPass;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Known weights, hand-computed outputs: the lowering of each layer to TensorFlow ops. */
class LayerGoldenValueTest {

  /** A discriminator-side network from the image shape through {@code layers}; shapes must end in (1). */
  static Network network(int h, int w, int c, Layer... layers) {
    Layer[] all = Arrays.copyOf(layers, layers.length + 2);
    all[layers.length] = flatten().name("probe_flatten");
    all[layers.length + 1] = dense(1).name("probe_dense");
    return GanBuilder.forImages(h, w, c).generator(dense(h * w * c), reshape(h, w, c))
        .discriminator(all).build().discriminator();
  }

  static float[] ones(int n) {
    float[] a = new float[n];
    Arrays.fill(a, 1f);
    return a;
  }

  /** Output of the layers under test: the network without the probe's flatten and dense. */
  static float[] layerOutput(Network net, Map<String, float[]> weights, float[] input, boolean training) {
    Network trimmed = new Network(net.name(), net.input(), net.layers().subList(0, net.layers().size() - 2));
    return ForwardPass.run(trimmed, weights, input, 1, training).output();
  }

  @Test
  void dense_isXTimesKernelPlusBias_thenActivation() {
    Network net = GanBuilder.forImages(1, 1, 1).latentDim(3).generator(dense(2).activation(Activation.RELU),
        reshape(1, 1, 2), conv2d(1, 1)).discriminator(flatten(), dense(1)).build().generator();
    Network denseOnly = new Network(net.name(), net.input(), net.layers().subList(0, 1));
    float[] y = ForwardPass.run(denseOnly, Map.of(
        "generator/dense/kernel", new float[] {1, -1, 2, -2, 3, -3},   // (3, 2), row-major
        "generator/dense/bias", new float[] {0.5f, 0.5f}), new float[] {1, 1, 1}, 1, false).output();
    // [1+2+3+0.5, relu(-1-2-3+0.5)]
    assertThat(y).containsExactly(6.5f, 0f);
  }

  @Test
  void conv2d_same_sumsTheNeighbourhood() {
    Network net = network(3, 3, 1, conv2d(1, 3).padding(SAME));
    float[] y = layerOutput(net, Map.of("discriminator/conv2d/kernel", ones(9),
        "discriminator/conv2d/bias", new float[] {0}), ones(9), false);
    assertThat(y).containsExactly(4, 6, 4, 6, 9, 6, 4, 6, 4);
  }

  @Test
  void conv2d_validStrided_picksWindows() {
    Network net = network(4, 4, 1, conv2d(1, 2).strides(2).padding(Padding.VALID));
    float[] x = new float[16];
    for (int i = 0; i < 16; i++) {
      x[i] = i;
    }
    float[] y = layerOutput(net, Map.of("discriminator/conv2d/kernel", ones(4),
        "discriminator/conv2d/bias", new float[] {1}), x, false);
    // windows {0,1,4,5}, {2,3,6,7}, {8,9,12,13}, {10,11,14,15}, plus bias 1
    assertThat(y).containsExactly(11, 19, 43, 51);
  }

  @Test
  void conv2dTranspose_stride2_spreadsEachPixelOverABlock() {
    Network net = network(2, 2, 1, conv2dTranspose(1, 2).strides(2).padding(SAME));
    float[] y = layerOutput(net, Map.of("discriminator/conv2d_transpose/kernel", ones(4),
        "discriminator/conv2d_transpose/bias", new float[] {0}), new float[] {1, 2, 3, 4}, false);
    assertThat(y).containsExactly(1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4);
  }

  @Test
  void conv2dTranspose_validDefault_overlapsBlocksAndGrowsByKernelMinusStrides() {
    // Keras's default padding "valid": 2 * 2 + max(3 - 2, 0) = 5; pixel (i, j) covers rows and
    // columns 2i..2i+2 and 2j..2j+2, so row and column 2 sum two or four pixels
    Network net = network(2, 2, 1, conv2dTranspose(1, 3).strides(2));
    assertThat(net.layers().get(0).output().dims()).containsExactly(5, 5, 1);
    float[] y = layerOutput(net, Map.of("discriminator/conv2d_transpose/kernel", ones(9),
        "discriminator/conv2d_transpose/bias", new float[] {0}), new float[] {1, 2, 3, 4}, false);
    assertThat(y).containsExactly(
        1, 1, 3, 2, 2,
        1, 1, 3, 2, 2,
        4, 4, 10, 6, 6,
        3, 3, 7, 4, 4,
        3, 3, 7, 4, 4);
  }

  @Test
  void batchNorm_training_normalizesAndUpdatesMovingStatistics_likeKeras() {
    Network net = network(1, 2, 1, batchNorm().momentum(0.8f));
    ForwardPass.Result out = ForwardPass.run(
        new Network(net.name(), net.input(), net.layers().subList(0, 1)), Map.of(), new float[] {1, 3}, 1, true);
    float s = (float) (1 / Math.sqrt(1 + 0.001));
    assertThat(out.output()[0]).isCloseTo(-s, within(1e-6f));
    assertThat(out.output()[1]).isCloseTo(s, within(1e-6f));
    // moving = 0.8 * moving + 0.2 * batch; variance unbiased (n - 1), as Keras's fused BatchNorm
    assertThat(out.variables().get("discriminator/batch_normalization/moving_mean")[0]).isCloseTo(0.4f, within(1e-6f));
    assertThat(out.variables().get("discriminator/batch_normalization/moving_variance")[0])
        .isCloseTo(0.8f + 0.2f * 2f, within(1e-6f));
  }

  @Test
  void batchNorm_inference_usesMovingStatistics() {
    Network net = network(1, 2, 1, batchNorm());
    float[] y = ForwardPass.run(new Network(net.name(), net.input(), net.layers().subList(0, 1)), Map.of(
        "discriminator/batch_normalization/moving_mean", new float[] {1},
        "discriminator/batch_normalization/moving_variance", new float[] {4},
        "discriminator/batch_normalization/gamma", new float[] {2},
        "discriminator/batch_normalization/beta", new float[] {10}), new float[] {1, 3}, 1, false).output();
    assertThat(y[0]).isCloseTo(10f, within(1e-6f));
    assertThat(y[1]).isCloseTo((float) (10 + 2 * 2 / Math.sqrt(4.001)), within(1e-5f));
  }

  @Test
  void leakyRelu_scalesNegatives() {
    Network net = network(1, 2, 1, leakyRelu(0.2f));
    assertThat(layerOutput(net, Map.of(), new float[] {-1, 3}, false)).containsExactly(-0.2f, 3f);
  }

  @Test
  void upSampling2d_repeatsPixels_perChannel() {
    Network net = network(1, 2, 2, upSampling2d(2));
    // pixels (1, 10) and (2, 20), channels interleaved
    float[] y = layerOutput(net, Map.of(), new float[] {1, 10, 2, 20}, false);
    assertThat(y).containsExactly(1, 10, 1, 10, 2, 20, 2, 20, 1, 10, 1, 10, 2, 20, 2, 20);
  }

  @Test
  void dropout_isIdentityInInference_andDropsOrScalesInTraining() {
    Network net = network(1, 100, 1, dropout(0.5f));
    float[] x = ones(100);
    assertThat(layerOutput(net, Map.of(), x, false)).containsExactly(x);
    float[] y = layerOutput(net, Map.of(), x, true);
    long zeros = 0;
    for (float v : y) {
      assertThat(v).isIn(0f, 2f);
      zeros += v == 0f ? 1 : 0;
    }
    assertThat(zeros).isBetween(25L, 75L);
  }

  @Test
  void spectralNorm_dividesTheKernelByOnePowerIterationsSigma_andMovesUInTrainingOnly() {
    // kernel (3, 2) = [[1, 0], [0, 2], [0, 0]], u = (1, 1): v = (1, 2, 0) / sqrt(5), v W = (1, 4) / sqrt(5),
    // u' = (1, 4) / sqrt(17), sigma = (v W) . u' = 17 / sqrt(85) = sqrt(17 / 5)
    Network net = network(1, 1, 3, flatten(), spectralNorm(dense(2).useBias(false)));
    Map<String, float[]> w = Map.of("discriminator/dense/kernel", new float[] {1, 0, 0, 2, 0, 0},
        "discriminator/dense/u", new float[] {1, 1});
    Network trimmed = new Network(net.name(), net.input(), net.layers().subList(0, 2));
    float sigma = (float) Math.sqrt(17.0 / 5);
    float[] movedU = {(float) (1 / Math.sqrt(17)), (float) (4 / Math.sqrt(17))};
    ForwardPass.Result training = ForwardPass.run(trimmed, w, new float[] {1, 1, 1}, 1, true);
    assertThat(training.output()).containsExactly(new float[] {1 / sigma, 2 / sigma}, within(1e-6f));
    assertThat(training.variables().get("discriminator/dense/u")).containsExactly(movedU, within(1e-6f));
    ForwardPass.Result inference = ForwardPass.run(trimmed, w, new float[] {1, 1, 1}, 1, false);
    assertThat(inference.output()).containsExactly(new float[] {1 / sigma, 2 / sigma}, within(1e-6f));
    assertThat(inference.variables().get("discriminator/dense/u")).containsExactly(1, 1);
  }

  @Test
  void spectralNorm_ofATransposedConvolution_normalizesTheKernelAsAMatrixOfInputChannelColumns() {
    // kernel (1, 1, filters=2, c=1) as the matrix (2, 1) = [[3], [4]]: sigma 5, u of shape (1, 1)
    Network net = network(1, 1, 1, spectralNorm(conv2dTranspose(2, 1).useBias(false)));
    assertThat(net.layers().get(0).weights().get(1).shape().dims()).containsExactly(1, 1);
    float[] y = layerOutput(net, Map.of("discriminator/conv2d_transpose/kernel", new float[] {3, 4},
        "discriminator/conv2d_transpose/u", new float[] {-2}), new float[] {10}, false);
    assertThat(y).containsExactly(new float[] {6, 8}, within(1e-5f));
  }
}
