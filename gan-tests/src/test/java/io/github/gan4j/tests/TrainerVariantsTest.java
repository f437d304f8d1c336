package io.github.gan4j.tests;

import static io.github.gan4j.layers.Activation.TANH;
import static io.github.gan4j.layers.Layers.batchNorm;
import static io.github.gan4j.layers.Layers.conv2d;
import static io.github.gan4j.layers.Layers.dense;
import static io.github.gan4j.layers.Layers.flatten;
import static io.github.gan4j.layers.Layers.leakyRelu;
import static io.github.gan4j.layers.Layers.relu;
import static io.github.gan4j.layers.Layers.reshape;
import static io.github.gan4j.layers.Layers.upSampling2d;
import static io.github.gan4j.layers.Padding.SAME;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.gan4j.GanBuilder;
import io.github.gan4j.data.Dataset;
import io.github.gan4j.sample.Sampler;
import io.github.gan4j.recipe.DiscriminatorUpdate;
import io.github.gan4j.recipe.GanLoss;
import io.github.gan4j.train.Listeners;
import io.github.gan4j.recipe.Optimizer;
import io.github.gan4j.train.StepMetrics;
import io.github.gan4j.train.Steps;
import io.github.gan4j.train.Trainer;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TrainerVariantsTest {
  final Dataset data = Fixtures.squares();

  static Stream<Arguments> variants() {
    return Stream.of(
        Arguments.of("one D update on real+fake", (Supplier<Trainer.Builder>) () ->
            Trainer.of(Fixtures.tiny()).discriminatorUpdate(DiscriminatorUpdate.COMBINED_BATCH), 1, 1),
        Arguments.of("three D steps per G step", (Supplier<Trainer.Builder>) () ->
            Trainer.of(Fixtures.tiny()).discriminatorSteps(3), 6, 1),
        Arguments.of("minimax generator loss", (Supplier<Trainer.Builder>) () ->
            Trainer.of(Fixtures.tiny()).loss(GanLoss.minimax()), 2, 1),
        Arguments.of("SGD with momentum for D, RMSprop for G", (Supplier<Trainer.Builder>) () ->
            Trainer.of(Fixtures.tiny()).discriminatorOptimizer(Optimizer.sgd().momentum(0.9f))
                .generatorOptimizer(Optimizer.rmsProp()), 2, 1),
        Arguments.of("plain SGD, DCGAN-paper Adam", (Supplier<Trainer.Builder>) () ->
            Trainer.of(Fixtures.tiny()).discriminatorOptimizer(Optimizer.sgd())
                .generatorOptimizer(Optimizer.adam().learningRate(2e-4f).beta1(0.5f)), 2, 1),
        Arguments.of("uniform latents", (Supplier<Trainer.Builder>) () ->
            Trainer.of(Fixtures.tiny()).sampler(Sampler.uniform(-1, 1)), 2, 1),
        Arguments.of("truncated normal latents", (Supplier<Trainer.Builder>) () ->
            Trainer.of(Fixtures.tiny()).sampler(Sampler.truncatedNormal()), 2, 1),
        Arguments.of("upsampling, valid padding (the default), BatchNorm on vectors", (Supplier<Trainer.Builder>) () ->
            Trainer.of(GanBuilder.forImages(8, 8, 1).latentDim(4)
                .generator(dense(32), batchNorm(), relu(), reshape(2, 2, 8), upSampling2d(),
                    conv2d(8, 3).padding(SAME), leakyRelu(0.2f), upSampling2d(), conv2d(1, 3).padding(SAME).activation(TANH))
                .discriminator(conv2d(4, 3), leakyRelu(0.2f), flatten(), dense(1))
                .build()), 2, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void variant_trains_withFiniteLosses_andUpdatesBothNetworks(String name, Supplier<Trainer.Builder> config,
      int dUpdatesPerStep, int gUpdatesPerStep) {
    try (Trainer t = config.get().batchSize(16).seed(8).build()) {
      Map<String, float[]> before = t.variables();
      for (int i = 0; i < 3; i++) {
        StepMetrics m = t.step(data);
        assertThat(m.finite()).as("%s", m).isTrue();
        assertThat(m.dReal()).isBetween(0f, 1f);
        assertThat(m.dFake()).isBetween(0f, 1f);
        assertThat(m.dFakeInDUpdate()).isBetween(0f, 1f);
      }
      Map<String, float[]> after = t.variables();
      TrainerContractTest.assertAllChanged(Fixtures.only(before, "generator/"), Fixtures.only(after, "generator/"));
      TrainerContractTest.assertAllChanged(Fixtures.only(before, "discriminator/"),
          Fixtures.only(after, "discriminator/"));
      assertThat(after.get("optimizer/discriminator/iterations")).containsExactly(3f * dUpdatesPerStep);
      assertThat(after.get("optimizer/generator/iterations")).containsExactly(3f * gUpdatesPerStep);
    }
  }

  @Test
  void fit_callsListeners_andWritesSampleGridsAtTheRightSteps(@TempDir Path dir) throws Exception {
    int[] calls = {0};
    try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).build()) {
      StepMetrics last = t.fit(data, Steps.of(4), Listeners.sampleGrid(dir, 2), (trainer, m) -> calls[0]++)
          .lastStep().orElseThrow();
      assertThat(last.step()).isEqualTo(4);
      assertThat(t.fit(data, Steps.until(4)).lastStep()).isEmpty();
      t.fit(data, Steps.epochs(1));
      assertThat(t.stepCount()).isEqualTo(4 + 256 / 16);
    }
    assertThat(calls[0]).isEqualTo(4);
    assertThat(dir.resolve("step-000001.png")).doesNotExist();
    BufferedImage grid = ImageIO.read(dir.resolve("step-000004.png").toFile());
    assertThat(dir.resolve("step-000002.png")).exists();
    // 5 tiles of 8 pixels scaled 16x, 6 gaps of 16 pixels
    assertThat(grid.getWidth()).isEqualTo(5 * 128 + 6 * 16);
  }

  @Test
  void stopOnNonFinite_namesTheStep() {
    try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16)
        .optimizer(Optimizer.sgd().learningRate(1e30f)).build()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> t.fit(data, Steps.of(50), Listeners.stopOnNonFinite()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("training diverged at step");
    }
  }
}
