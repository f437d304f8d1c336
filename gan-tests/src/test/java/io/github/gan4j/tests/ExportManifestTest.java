package io.github.gan4j.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gan4j.data.Dataset;
import io.github.gan4j.sample.Sampler;
import io.github.gan4j.train.ExportException;
import io.github.gan4j.train.Listeners;
import io.github.gan4j.train.StepMetrics;
import io.github.gan4j.train.TrainedGenerator;
import io.github.gan4j.train.Trainer;
import io.github.gan4j.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The export manifest: damaged exports are refused by gan4j before TensorFlow reads them; the sampler travels. */
class ExportManifestTest {
  final Dataset data = Fixtures.squares();

  /** A sampler gan4j does not know, recording the seeds it is asked for. */
  static final class Recording implements Sampler {
    final List<Long> seeds = new ArrayList<>();

    @Override
    public synchronized void sample(long seed, long stream, float[] out) {
      seeds.add(seed);
      Sampler.normal().sample(seed, stream, out);
    }

    @Override
    public String describe() {
      return "recording";
    }
  }

  private Path export(Path dir, Trainer.Builder builder) {
    Path g = dir.resolve("generator");
    try (Trainer t = builder.batchSize(16).seed(3).build()) {
      t.step(data);
      t.exportGenerator(g);
    }
    return g;
  }

  private static Path variablesData(Path export) throws Exception {
    try (Stream<Path> s = Files.list(export.resolve("variables"))) {
      return s.filter(f -> f.getFileName().toString().startsWith("variables.data")).findFirst().orElseThrow();
    }
  }

  @Test
  void truncatedVariablesFile_isRefusedNamingTheFile(@TempDir Path dir) throws Exception {
    Path g = export(dir, Trainer.of(Fixtures.tiny()));
    Path file = variablesData(g);
    try (var c = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
      c.truncate(c.size() / 2);
    }
    assertThatThrownBy(() -> TrainedGenerator.load(g)).isInstanceOf(ExportException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("is damaged")
        .satisfies(e -> assertThat(((ExportException) e).export()).isEqualTo(g));
  }

  @Test
  void missingVariablesDirectory_isRefusedNamingTheFile(@TempDir Path dir) throws Exception {
    Path g = export(dir, Trainer.of(Fixtures.tiny()));
    io.github.gan4j.data.Directories.deleteRecursively(g.resolve("variables"));
    assertThatThrownBy(() -> TrainedGenerator.load(g)).isInstanceOf(ExportException.class)
        .hasMessageContaining("is missing " + g.resolve("variables"));
  }

  @Test
  void flippedByteInSavedModel_isRefusedNamingTheFile(@TempDir Path dir) throws Exception {
    Path g = export(dir, Trainer.of(Fixtures.tiny()));
    Path pb = g.resolve("saved_model.pb");
    byte[] bytes = Files.readAllBytes(pb);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(pb, bytes);
    assertThatThrownBy(() -> TrainedGenerator.load(g)).isInstanceOf(ExportException.class)
        .hasMessageContaining("exported generator file " + pb + " is damaged: SHA-256 ");
  }

  @Test
  void exportFromBeforeTheManifest_isRefusedWithAdviceToReExport(@TempDir Path dir) throws Exception {
    Path g = export(dir, Trainer.of(Fixtures.tiny()));
    Files.delete(g.resolve("gan4j-export.properties"));
    assertThatThrownBy(() -> TrainedGenerator.load(g)).isInstanceOf(ExportException.class)
        .hasMessageContaining("has no gan4j-export.properties")
        .hasMessageContaining("Re-export it with Trainer.exportGenerator");
  }

  @Test
  void uniformSamplerExport_generatesWhatTheTrainerGenerates(@TempDir Path dir) {
    Path g = dir.resolve("generator");
    float[] fromTrainer;
    try (Trainer t = Trainer.of(Fixtures.tiny()).sampler(Sampler.uniform(-1f, 1f)).batchSize(16).seed(3).build()) {
      t.step(data);
      fromTrainer = t.generate(6, 11L);
      t.exportGenerator(g);
    }
    try (TrainedGenerator loaded = TrainedGenerator.load(g)) {
      assertThat(loaded.sampler()).contains(Sampler.uniform(-1f, 1f));
      assertThat(loaded.generate(6, 11L)).containsExactly(fromTrainer);
    }
  }

  @Test
  void customSamplerExport_refusesToGuessTheSamplerButGeneratesFromLatents(@TempDir Path dir) {
    Recording sampler = new Recording();
    Path g = export(dir, Trainer.of(Fixtures.tiny()).sampler(sampler));
    try (TrainedGenerator loaded = TrainedGenerator.load(g)) {
      assertThat(loaded.sampler()).isEmpty();
      assertThatThrownBy(() -> loaded.generate(2, 1L)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("custom sampler recording");
      assertThat(loaded.generate(new float[2 * 8])).hasSize(2 * 64);
      assertThat(loaded.generate(2, 1L, sampler)).hasSize(2 * 64);
    }
  }

  @Test
  void failureWarnings_drawsTheModeCollapseLatentsFromTheTrainersSampler() {
    Recording sampler = new Recording();
    try (Trainer t = Trainer.of(Fixtures.tiny()).sampler(sampler).batchSize(16).seed(3).build()) {
      StepMetrics m = t.step(data);
      sampler.seeds.clear();
      TrainingListener warnings = Listeners.failureWarnings(s -> { }, 1, 1);
      warnings.onStep(t, m);
      assertThat(sampler.seeds).containsExactly(12345L);
    }
  }
}
