package io.github.gan4j.tests;

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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.gan4j.Gan;
import io.github.gan4j.GanBuilder;
import io.github.gan4j.data.Dataset;
import io.github.gan4j.recipe.DiscriminatorUpdate;
import io.github.gan4j.recipe.FakeBatches;
import io.github.gan4j.recipe.GradientPenalty;
import io.github.gan4j.recipe.Precision;
import io.github.gan4j.recipe.Sgd;
import io.github.gan4j.train.CpuKernels;
import io.github.gan4j.train.GeneratorWeights;
import io.github.gan4j.train.TrainedGenerator;
import io.github.gan4j.train.Trainer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Spectral normalization in training: the estimate of the largest singular value converges to
 * the one computed here independently (Jacobi in double precision); {@code u} moves exactly once
 * per update of the network that owns it, whatever passes that update makes; checkpoints, the
 * moving average of G, export and bfloat16 keep working.
 */
class SpectralNormTest {
  final Dataset data = Fixtures.squares();

  @TempDir
  Path dir;

  /** {@link Fixtures#tiny()} with every weight layer of both networks spectrally normalized. */
  static Gan tinySn() {
    return GanBuilder.forImages(8, 8, 1).latentDim(8)
        .generator(spectralNorm(dense(2 * 2 * 16).activation(RELU)), reshape(2, 2, 16), batchNorm().momentum(0.8f),
            spectralNorm(conv2dTranspose(8, 4).strides(2).padding(SAME)), leakyRelu(0.2f), batchNorm().momentum(0.8f),
            spectralNorm(conv2dTranspose(1, 4).strides(2).padding(SAME).activation(TANH)))
        .discriminator(spectralNorm(conv2d(8, 3).strides(2).padding(SAME)), leakyRelu(0.2f),
            spectralNorm(conv2d(16, 3).strides(2).padding(SAME)), leakyRelu(0.2f), flatten(), spectralNorm(dense(1)))
        .build();
  }

  static Trainer.Builder config() {
    return Trainer.of(tinySn()).batchSize(16).seed(7);
  }

  @Test
  void sigma_convergesToTheLargestSingularValue_ofEveryKernel() {
    // negligible learning rates keep the weights where they start, so every step is one more power
    // iteration; how many it takes depends on the gap between the two largest singular values
    // (here the slowest layer is at 3e-2 after 20 steps, 4e-4 after 40, 3e-6 after 60)
    try (Trainer t = config().discriminatorOptimizer(new Sgd(1e-12f, 0f))
        .generatorOptimizer(new Sgd(1e-12f, 0f)).build()) {
      for (int i = 0; i < 60; i++) {
        t.step(data);
      }
      Map<String, float[]> v = t.variables();
      List<String> layers = snLayers(v, "");
      assertThat(layers).hasSize(6);
      for (String layer : layers) {
        float[] kernel = v.get(layer + "kernel");
        float[] u = v.get(layer + "u");
        double exact = largestSingularValue(kernel, u.length);
        double estimate = sigma(kernel, u);
        assertThat(Math.abs(estimate - exact) / exact).as("%s: sigma %s vs %s", layer, estimate, exact)
            .isLessThan(1e-4);
      }
    }
  }

  @Test
  void duringTraining_theEstimateTracksTheLargestSingularValue_fromBelow() {
    // the weights move every step (and the gradient through sigma flattens the top of the spectrum),
    // so one iteration per step tracks sigma only roughly: measured up to 3.5e-2 in steps 10-30
    try (Trainer t = config().build()) {
      for (int i = 1; i <= 30; i++) {
        t.step(data);
        Map<String, float[]> v = t.variables();
        for (String layer : snLayers(v, "")) {
          float[] kernel = v.get(layer + "kernel");
          float[] u = v.get(layer + "u");
          double exact = largestSingularValue(kernel, u.length);
          double estimate = sigma(kernel, u);
          assertThat(estimate).as("%s after step %d", layer, i).isLessThanOrEqualTo(exact * (1 + 1e-6));
          if (i >= 10) {
            assertThat((exact - estimate) / exact).as("%s after step %d", layer, i).isLessThan(0.1);
          }
        }
      }
    }
  }

  @Test
  void theIndependentReference_findsKnownSingularValues() {
    assertThat(largestSingularValue(new float[] {3, 0, 0, 4, 0, 0}, 2)).isCloseTo(4, org.assertj.core.data.Offset.offset(1e-12));
    // [[1, 2], [3, 4]]: sqrt((30 + sqrt(884)) / 2)
    assertThat(largestSingularValue(new float[] {1, 2, 3, 4}, 2))
        .isCloseTo(Math.sqrt((30 + Math.sqrt(884)) / 2), org.assertj.core.data.Offset.offset(1e-12));
  }

  static Stream<Arguments> discriminatorUpdates() {
    return Stream.of(
        Arguments.of(DiscriminatorUpdate.SEPARATE_BATCHES, List.of()),
        Arguments.of(DiscriminatorUpdate.COMBINED_BATCH, List.of()),
        Arguments.of(DiscriminatorUpdate.SEPARATE_BATCHES, List.of(GradientPenalty.wganGp())),
        Arguments.of(DiscriminatorUpdate.COMBINED_BATCH, List.of(GradientPenalty.wganGp())),
        Arguments.of(DiscriminatorUpdate.COMBINED_BATCH, List.of(GradientPenalty.r1(1f))));
  }

  @ParameterizedTest
  @MethodSource("discriminatorUpdates")
  void aDiscriminatorUpdate_movesItsUOnce_fromTheWeightsItStartsFrom_andLeavesGsAlone(DiscriminatorUpdate update,
      List<GradientPenalty> penalties) {
    try (Trainer t = config().discriminatorUpdate(update).penalties(penalties)
        .fakeBatches(FakeBatches.TRAINING_MODE).build()) {
      Map<String, float[]> before = t.variables();
      t.discriminatorStep(data);
      Map<String, float[]> after = t.variables();
      assertMovedOnce(before, after, "discriminator/");
      assertUnmoved(before, after, "generator/");
    }
  }

  @Test
  void aGeneratorUpdate_movesGsUOnce_andLeavesDsAlone() {
    try (Trainer t = config().build()) {
      t.step(data);
      Map<String, float[]> before = t.variables();
      t.generatorStep();
      Map<String, float[]> after = t.variables();
      assertMovedOnce(before, after, "generator/");
      // D is frozen in G's update: every D variable, u included, is bit-identical
      Fixtures.only(before, "discriminator/").forEach((n, w) -> assertThat(after.get(n)).as(n).containsExactly(w));
    }
  }

  @Test
  void aFullStep_movesEachNetworksUOnce() {
    try (Trainer t = config().build()) {
      Map<String, float[]> before = t.variables();
      t.step(data);
      Map<String, float[]> after = t.variables();
      assertMovedOnce(before, after, "discriminator/");
      // G does not change during D's update, so its update starts from the weights before the step
      assertMovedOnce(before, after, "generator/");
    }
  }

  @Test
  void withSeveralDiscriminatorUpdatesPerStep_uMovesOncePerUpdate() {
    // a negligible learning rate keeps the weights (nearly) where they were, so k moves are k power iterations
    try (Trainer t = config().discriminatorSteps(3).discriminatorOptimizer(new Sgd(1e-12f, 0f)).build()) {
      Map<String, float[]> before = t.variables();
      t.discriminatorStep(data);
      Map<String, float[]> after = t.variables();
      for (String layer : snLayers(before, "discriminator/")) {
        float[] kernel = before.get(layer + "kernel");
        float[] u = before.get(layer + "u");
        float[] three = iterate(kernel, iterate(kernel, iterate(kernel, u)));
        assertClose(after.get(layer + "u"), three, layer + "u after 3 updates");
        if (!closeTo(iterate(kernel, three), three) && !layer.endsWith("dense/")) {
          assertThat(closeTo(after.get(layer + "u"), iterate(kernel, three))).as(layer + ": not 4 moves").isFalse();
        }
      }
    }
  }

  @Test
  void movingAverage_copiesGsU_andExportGeneratesWhatTheTrainerGenerates() throws Exception {
    float[] avg;
    float[] raw;
    try (Trainer t = config().generatorEma(0.9f).build()) {
      for (int i = 0; i < 3; i++) {
        t.step(data);
      }
      Map<String, float[]> v = t.variables();
      for (String layer : snLayers(v, "generator/")) {
        String ema = "generator_ema/" + layer.substring("generator/".length());
        assertThat(v.get(ema + "u")).as(ema + "u").containsExactly(v.get(layer + "u"));
        assertThat(v.get(ema + "kernel")).isNotEqualTo(v.get(layer + "kernel"));
      }
      avg = t.generate(4, 11L);
      raw = t.generate(4, 11L, GeneratorWeights.RAW);
      assertThat(avg).isNotEqualTo(raw);
      // generating (inference passes) reads u without moving it
      assertThat(t.variables().get("generator/dense/u")).containsExactly(v.get("generator/dense/u"));
      t.exportGenerator(dir.resolve("ema"));
      t.exportGenerator(dir.resolve("raw"), GeneratorWeights.RAW);
    }
    try (TrainedGenerator g = TrainedGenerator.load(dir.resolve("ema"))) {
      assertThat(g.generate(4, 11L)).containsExactly(avg);
    }
    try (TrainedGenerator g = TrainedGenerator.load(dir.resolve("raw"))) {
      assertThat(g.generate(4, 11L)).containsExactly(raw);
    }
  }

  @Test
  void resume_isBitExact_uIncluded() {
    Map<String, float[]> uninterrupted;
    try (Trainer t = config().generatorEma(0.99f, 2).discriminatorSteps(2).build()) {
      for (int i = 0; i < 6; i++) {
        t.step(data);
      }
      uninterrupted = t.variables();
    }
    try (Trainer t = config().generatorEma(0.99f, 2).discriminatorSteps(2).build()) {
      for (int i = 0; i < 3; i++) {
        t.step(data);
      }
      t.save(dir.resolve("ckpt"));
    }
    try (Trainer t = config().generatorEma(0.99f, 2).discriminatorSteps(2).build()) {
      t.restore(dir.resolve("ckpt"));
      for (int i = 0; i < 3; i++) {
        t.step(data);
      }
      assertThat(uninterrupted).containsKeys("discriminator/conv2d/u", "generator/conv2d_transpose/u",
          "generator_ema/conv2d_transpose/u");
      TrainerContractTest.assertBitIdentical(uninterrupted, t.variables());
    }
  }

  @Test
  void bf16_trainsFinite_andUStillMovesOncePerUpdate() {
    CpuKernels cpu = CpuKernels.current();
    assumeTrue(PrecisionInEffectTest.bf16Cpu(cpu), "this CPU has no AVX512_BF16/AMX_BF16 or oneDNN is off: " + cpu);
    try (Trainer t = config().precision(Precision.MIXED_BFLOAT16).build()) {
      assertThat(t.precisionInEffect().precision()).isEqualTo(Precision.MIXED_BFLOAT16);
      for (int i = 0; i < 5; i++) {
        assertThat(t.step(data).finite()).isTrue();
      }
      Map<String, float[]> before = t.variables();
      t.step(data);
      Map<String, float[]> after = t.variables();
      for (String prefix : List.of("discriminator/", "generator/")) {
        for (String layer : snLayers(before, prefix)) {
          // the power iteration's products may run in bfloat16 (8 bits of mantissa)
          float[] expected = iterate(before.get(layer + "kernel"), before.get(layer + "u"));
          float[] found = after.get(layer + "u");
          for (int i = 0; i < found.length; i++) {
            assertThat(found[i]).as("%s u[%d]", layer, i).isCloseTo(expected[i],
                org.assertj.core.data.Offset.offset(2e-2f));
          }
        }
      }
    }
  }

  // ---- independent arithmetic, in double precision ----

  /** The layer prefixes ({@code discriminator/conv2d/}) of the spectrally normalized layers under {@code prefix}. */
  static List<String> snLayers(Map<String, float[]> vars, String prefix) {
    return new TreeMap<>(vars).keySet().stream()
        .filter(n -> n.startsWith(prefix) && n.endsWith("/u") && !n.startsWith("optimizer"))
        .map(n -> n.substring(0, n.length() - 1)).toList();
  }

  private static void assertMovedOnce(Map<String, float[]> before, Map<String, float[]> after, String prefix) {
    List<String> layers = snLayers(before, prefix);
    assertThat(layers).isNotEmpty();
    for (String layer : layers) {
      float[] kernel = before.get(layer + "kernel");
      float[] once = iterate(kernel, before.get(layer + "u"));
      assertClose(after.get(layer + "u"), once, layer + "u");
      float[] twice = iterate(kernel, once);
      if (!closeTo(once, twice)) {   // (a rank-1 kernel converges in one iteration)
        assertThat(closeTo(after.get(layer + "u"), twice)).as(layer + "u moved twice").isFalse();
      }
    }
  }

  private static void assertUnmoved(Map<String, float[]> before, Map<String, float[]> after, String prefix) {
    for (String layer : snLayers(before, prefix)) {
      assertThat(after.get(layer + "u")).as(layer + "u").containsExactly(before.get(layer + "u"));
    }
  }

  private static void assertClose(float[] found, float[] expected, String what) {
    assertThat(found).hasSameSizeAs(expected);
    for (int i = 0; i < found.length; i++) {
      assertThat(found[i]).as("%s[%d]", what, i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(2e-5f));
    }
  }

  private static boolean closeTo(float[] a, float[] b) {
    for (int i = 0; i < a.length; i++) {
      if (Math.abs(a[i] - b[i]) > 2e-5f) {
        return false;
      }
    }
    return true;
  }

  /** One power iteration on the kernel as a matrix (m, n), n = u's length: normalize(normalize(u Wm^T) Wm). */
  static float[] iterate(float[] kernel, float[] u) {
    double[] next = vw(kernel, u);
    double norm = norm(next);
    float[] out = new float[next.length];
    for (int j = 0; j < out.length; j++) {
      out[j] = (float) (next[j] / norm);
    }
    return out;
  }

  /** The sigma a pass computes from the stored u: |normalize(u Wm^T) Wm|. */
  static double sigma(float[] kernel, float[] u) {
    return norm(vw(kernel, u));
  }

  /** {@code normalize(u Wm^T) Wm}. */
  private static double[] vw(float[] kernel, float[] u) {
    int n = u.length;
    int m = kernel.length / n;
    double[] v = new double[m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        v[i] += (double) kernel[i * n + j] * u[j];
      }
    }
    double vn = norm(v);
    double[] out = new double[n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        out[j] += v[i] / vn * kernel[i * n + j];
      }
    }
    return out;
  }

  private static double norm(double[] x) {
    double s = 0;
    for (double d : x) {
      s += d * d;
    }
    return Math.sqrt(s);
  }

  /** The largest singular value of the kernel as a matrix (m, n): the root of the largest eigenvalue of Wm^T Wm, by cyclic Jacobi. */
  static double largestSingularValue(float[] kernel, int n) {
    int m = kernel.length / n;
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        for (int r = 0; r < m; r++) {
          a[i][j] += (double) kernel[r * n + i] * kernel[r * n + j];
        }
      }
    }
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          off += a[p][q] * a[p][q];
        }
      }
      if (off < 1e-30) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          if (a[p][q] == 0) {
            continue;
          }
          double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
          double t = Math.signum(theta == 0 ? 1 : theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int k = 0; k < n; k++) {   // A <- A J (columns p, q)
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
          }
          for (int k = 0; k < n; k++) {   // A <- J^T A (rows p, q)
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
          }
        }
      }
    }
    double max = 0;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, a[i][i]);
    }
    return Math.sqrt(max);
  }
}
