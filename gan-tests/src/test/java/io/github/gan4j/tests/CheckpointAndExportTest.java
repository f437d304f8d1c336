package io.github.gan4j.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gan4j.Gan;
import io.github.gan4j.data.Dataset;
import io.github.gan4j.sample.Sampler;
import io.github.gan4j.train.StepMetrics;
import io.github.gan4j.train.TrainedGenerator;
import io.github.gan4j.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CheckpointAndExportTest {
  final Dataset data = Fixtures.squares();

  /** A sampler gan4j does not know, so its noise is drawn in Java and fed. */
  record Laplace() implements Sampler {
    @Override
    public void sample(long seed, long stream, float[] out) {
      java.util.SplittableRandom r = new java.util.SplittableRandom(seed * 31 + stream);
      for (int i = 0; i < out.length; i++) {
        double u = r.nextDouble() - 0.5;
        out[i] = (float) (-Math.signum(u) * Math.log(1 - 2 * Math.abs(u)));
      }
    }

    @Override
    public String describe() {
      return "laplace";
    }
  }

  static Stream<Arguments> configurations() {
    return Stream.of(
        Arguments.of("tiny, in-graph normal noise", (Supplier<Trainer.Builder>) () -> Trainer.of(Fixtures.tiny())),
        Arguments.of("dropout in D", (Supplier<Trainer.Builder>) () -> Trainer.of(Fixtures.tinyWithDropout())),
        Arguments.of("custom sampler fed from Java",
            (Supplier<Trainer.Builder>) () -> Trainer.of(Fixtures.tiny()).sampler(new Laplace())),
        Arguments.of("two D steps per G step",
            (Supplier<Trainer.Builder>) () -> Trainer.of(Fixtures.tiny()).discriminatorSteps(2)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  void restoreAndContinue_isBitIdenticalToNeverHavingStopped(String name, Supplier<Trainer.Builder> config,
      @TempDir Path dir) {
    List<StepMetrics> uninterrupted = new ArrayList<>();
    Map<String, float[]> expected;
    try (Trainer t = config.get().batchSize(16).seed(21).build()) {
      for (int i = 0; i < 4; i++) {
        t.step(data);
      }
      t.save(dir);
      for (int i = 0; i < 4; i++) {
        uninterrupted.add(t.step(data));
      }
      expected = t.variables();
    }
    try (Trainer t = config.get().batchSize(16).seed(21).build()) {
      t.restore(dir);
      assertThat(t.stepCount()).isEqualTo(4);
      for (int i = 0; i < 4; i++) {
        StepMetrics m = t.step(data);
        StepMetrics u = uninterrupted.get(i);
        assertThat(m.step()).isEqualTo(u.step());
        assertThat(TrainerContractTest.losses(m)).as("step %d", m.step())
            .containsExactly(TrainerContractTest.losses(u));
      }
      TrainerContractTest.assertBitIdentical(expected, t.variables());
    }
  }

  @Test
  void restore_ofAnotherModel_isRefusedWithBothFingerprints(@TempDir Path dir) {
    try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).build()) {
      t.step(data);
      t.save(dir);
    }
    Gan other = Fixtures.tinyWithDropout();
    try (Trainer t = Trainer.of(other).batchSize(16).build()) {
      assertThatThrownBy(() -> t.restore(dir)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is of another model")
          .hasMessageContaining(other.fingerprint())
          .hasMessageContaining(Fixtures.tiny().fingerprint());
      assertThatThrownBy(() -> t.restore(dir.resolve("missing"))).hasMessageContaining("no gan4j checkpoint");
    }
  }

  @Test
  void latestValid_fallsBackPastADamagedCheckpoint_andKeepsTheNewestK(@TempDir Path dir) throws Exception {
    Gan gan = Fixtures.tiny();
    try (Trainer t = Trainer.of(gan).batchSize(16).build()) {
      for (int i = 0; i < 4; i++) {
        t.step(data);
        io.github.gan4j.train.Checkpoints.save(t, dir, 3);
      }
    }
    assertThat(io.github.gan4j.train.Checkpoints.list(dir)).extracting(p -> p.getFileName().toString())
        .containsExactly("step-000002", "step-000003", "step-000004");
    Path newest = dir.resolve("step-000004/variables.data-00000-of-00001");
    byte[] bytes = Files.readAllBytes(newest);
    bytes[bytes.length / 2] ^= 1;
    Files.write(newest, bytes);
    List<String> skipped = new ArrayList<>();
    assertThat(io.github.gan4j.train.Checkpoints.latestValid(dir, gan, e -> skipped.add(e.getMessage())))
        .contains(dir.resolve("step-000003"));
    assertThat(skipped).singleElement().asString().contains("variables.data-00000-of-00001 is damaged: SHA-256");
    try (Trainer t = Trainer.of(gan).batchSize(16).build()) {
      assertThatThrownBy(() -> t.restore(dir.resolve("step-000004")))
          .isInstanceOf(io.github.gan4j.train.CheckpointException.class).hasMessageContaining("is damaged");
      t.restore(dir.resolve("step-000003"));
      assertThat(t.stepCount()).isEqualTo(3);
    }
  }

  @Test
  void exportedGenerator_generatesExactlyWhatTheTrainerGenerates(@TempDir Path dir) throws Exception {
    float[] z = new float[10 * 8];
    Sampler.normal().sample(9, 0, z);
    float[] fromTrainer;
    try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).seed(4).build()) {
      for (int i = 0; i < 5; i++) {
        t.step(data);   // BatchNorm moving statistics away from their initial values
      }
      fromTrainer = t.generate(z);
      t.exportGenerator(dir.resolve("generator"));
    }
    assertThat(dir.resolve("generator/saved_model.pb")).exists();
    try (TrainedGenerator g = TrainedGenerator.load(dir.resolve("generator"))) {
      assertThat(g.latentDim()).isEqualTo(8);
      assertThat(g.imageShape()).isEqualTo(io.github.gan4j.layers.Shape.of(8, 8, 1));
      assertThat(g.generate(z)).containsExactly(fromTrainer);
      assertThat(g.generate(3, 1L)).hasSize(3 * 64).isEqualTo(g.generate(3, 1L));

      // concurrent calls from several threads give the single-threaded results
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<float[]>> futures = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          futures.add(pool.submit(() -> g.generate(z)));
        }
        for (Future<float[]> f : futures) {
          assertThat(f.get()).containsExactly(fromTrainer);
        }
      } finally {
        pool.shutdown();
      }
    }
  }

  @Test
  void export_intoANonEmptyDirectory_isRefused(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("keep.txt"), "user data");
    try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).build()) {
      assertThatThrownBy(() -> t.exportGenerator(dir)).hasMessageContaining("cannot export")
          .hasRootCauseMessage("export directory " + dir + " is not empty; choose a new directory");
    }
    assertThat(dir.resolve("keep.txt")).hasContent("user data");
  }

  @Test
  void load_ofAnythingElse_isExplained(@TempDir Path dir) {
    assertThatThrownBy(() -> TrainedGenerator.load(dir)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("saved_model.pb is missing");
  }

  @Test
  void closedGenerator_refusesUse(@TempDir Path dir) {
    try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).build()) {
      t.exportGenerator(dir.resolve("g"));
    }
    TrainedGenerator g = TrainedGenerator.load(dir.resolve("g"));
    g.close();
    g.close();
    assertThatThrownBy(() -> g.generate(1, 1L)).isInstanceOf(IllegalStateException.class);
  }
}
