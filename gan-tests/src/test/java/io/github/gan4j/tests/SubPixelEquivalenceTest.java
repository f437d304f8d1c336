package io.github.gan4j.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gan4j.layers.Padding;
import io.github.gan4j.tf.NetworkProbe;
import io.github.gan4j.tf.NetworkProbe.TransposedConvolution;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The sub-pixel lowering of strided transposed convolutions (stride-1 Conv2D, DepthToSpace,
 * crop) against TensorFlow's Conv2DBackpropInput: same output, same gradients with respect
 * to the input and the kernel, on random values.
 */
class SubPixelEquivalenceTest {

  @ParameterizedTest(name = "k={0} s={1} {2} {3}x{4}x{5} -> {6}")
  @CsvSource({
      // kernel, strides, padding, h, w, channels, filters
      "4, 2, SAME,  8, 8, 16, 8",      // the reference DCGAN's layer, smaller
      "4, 2, SAME,  5, 7, 3, 4",
      "4, 2, VALID, 5, 6, 3, 2",
      "3, 2, SAME,  4, 5, 2, 3",
      "3, 2, VALID, 3, 4, 2, 3",
      "5, 2, SAME,  6, 3, 3, 2",
      "5, 2, VALID, 4, 4, 1, 1",
      "2, 2, SAME,  3, 4, 4, 5",
      "2, 2, VALID, 4, 3, 2, 2",
      "1, 2, SAME,  3, 3, 2, 2",
      "1, 3, VALID, 2, 3, 2, 2",
      "2, 3, VALID, 3, 2, 2, 3",
      "3, 3, SAME,  3, 4, 2, 2",
      "5, 3, SAME,  4, 3, 3, 2",
      "7, 3, VALID, 3, 3, 2, 2",
      "6, 4, SAME,  2, 5, 2, 3",
      "8, 4, VALID, 3, 2, 2, 2",
  })
  void matchesConv2dBackpropInput(int k, int s, Padding padding, int h, int w, int c, int filters) {
    int batch = 2;
    int outH = padding == Padding.SAME ? h * s : h * s + Math.max(k - s, 0);
    int outW = padding == Padding.SAME ? w * s : w * s + Math.max(k - s, 0);
    Random random = new Random(31L * k + 7L * s + h * 1000L + w * 100L + c * 10L + filters);
    float[] x = gaussian(random, batch * h * w * c);
    float[] kernel = gaussian(random, k * k * filters * c);
    float[] dy = gaussian(random, batch * outH * outW * filters);

    TransposedConvolution expected = NetworkProbe.conv2dTranspose(false, x, batch, h, w, c, kernel, k, filters, s,
        padding, dy);
    TransposedConvolution actual = NetworkProbe.conv2dTranspose(true, x, batch, h, w, c, kernel, k, filters, s,
        padding, dy);

    assertThat(expected.output()).hasSize(batch * outH * outW * filters);
    assertClose("output", actual.output(), expected.output());
    assertClose("input gradient", actual.inputGradient(), expected.inputGradient());
    assertClose("kernel gradient", actual.kernelGradient(), expected.kernelGradient());
  }

  private static float[] gaussian(Random random, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) random.nextGaussian();
    }
    return a;
  }

  /** Max abs difference within 1e-4 of the reference's largest magnitude (at least 1). */
  private static void assertClose(String what, float[] actual, float[] expected) {
    assertThat(actual).as(what).hasSameSizeAs(expected);
    double scale = 1;
    double diff = 0;
    for (int i = 0; i < expected.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
      diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    }
    System.out.printf("sub-pixel %s: max abs diff %.3g, max |reference| %.3g, relative %.3g%n",
        what, diff, scale, diff / scale);
    assertThat(diff / scale).as("%s: max abs diff %s, scale %s", what, diff, scale).isLessThanOrEqualTo(1e-4);
  }
}
