package io.github.gan4j.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gan4j.data.Dataset;
import io.github.gan4j.train.GeneratorWeights;
import io.github.gan4j.train.TrainedGenerator;
import io.github.gan4j.train.Trainer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The moving average of the generator's weights: its arithmetic, where it is used, and resume. */
class GeneratorEmaTest {
  static final String EMA = "generator_ema/";
  final Dataset data = Fixtures.squares();

  @TempDir
  Path dir;

  static Trainer.Builder config() {
    return Trainer.of(Fixtures.tiny()).batchSize(16).seed(4);
  }

  @Test
  void everyGeneratorUpdate_foldsTheWeightsIn_andCopiesTheBatchNormStatistics() {
    try (Trainer t = config().generatorEma(0.9f).build()) {
      Map<String, float[]> before = t.variables();
      Map<String, float[]> g0 = Fixtures.only(before, "generator/");
      // the average starts where the weights start
      g0.forEach((name, w) -> assertThat(before.get(ema(name))).as(name).containsExactly(w));
      Map<String, float[]> previousEma = Fixtures.only(before, EMA);
      for (int step = 0; step < 3; step++) {
        t.step(data);
        Map<String, float[]> now = t.variables();
        for (Map.Entry<String, float[]> e : Fixtures.only(now, "generator/").entrySet()) {
          float[] w = e.getValue();
          float[] old = previousEma.get(ema(e.getKey()));
          float[] avg = now.get(ema(e.getKey()));
          boolean statistic = e.getKey().contains("moving_");
          for (int i = 0; i < w.length; i++) {
            float expected = statistic ? w[i] : 0.9f * old[i] + 0.1f * w[i];
            assertThat(avg[i]).as("%s[%d] after step %d", e.getKey(), i, step + 1)
                .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6f + 1e-6f * Math.abs(expected)));
          }
        }
        previousEma = Fixtures.only(now, EMA);
      }
    }
  }

  @Test
  void beforeTheStartStep_theAverageCopies_andDiscriminatorStepsLeaveItAlone() {
    try (Trainer t = config().generatorEma(0.5f, 3).build()) {
      t.step(data);
      t.step(data);
      Map<String, float[]> two = t.variables();
      Fixtures.only(two, "generator/").forEach((n, w) -> assertThat(two.get(ema(n))).as(n).containsExactly(w));
      t.discriminatorStep(data);   // step 3, but no generator update: nothing to average
      Map<String, float[]> three = t.variables();
      Fixtures.only(two, EMA).forEach((n, v) -> assertThat(three.get(n)).as(n).containsExactly(v));
      t.generatorStep();           // step 4 averages
      Map<String, float[]> four = t.variables();
      String kernel = Fixtures.only(four, "generator/").keySet().stream().filter(n -> n.endsWith("kernel"))
          .findFirst().orElseThrow();
      float[] w3 = two.get(kernel);
      float[] w4 = four.get(kernel);
      for (int i = 0; i < w4.length; i++) {
        assertThat(four.get(ema(kernel))[i]).isCloseTo(0.5f * w3[i] + 0.5f * w4[i],
            org.assertj.core.data.Offset.offset(1e-6f));
      }
    }
  }

  @Test
  void samplesAndExport_comeFromTheAverage_andRawOnRequest() throws Exception {
    float[] avg;
    float[] raw;
    try (Trainer t = config().generatorEma(0.9f).build()) {
      for (int i = 0; i < 3; i++) {
        t.step(data);
      }
      avg = t.generate(4, 11L);
      raw = t.generate(4, 11L, GeneratorWeights.RAW);
      assertThat(avg).isNotEqualTo(raw);
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
  void resume_isBitExact_averageIncluded() {
    Map<String, float[]> uninterrupted;
    try (Trainer t = config().generatorEma(0.99f, 2).build()) {
      for (int i = 0; i < 6; i++) {
        t.step(data);
      }
      uninterrupted = t.variables();
    }
    try (Trainer t = config().generatorEma(0.99f, 2).build()) {
      for (int i = 0; i < 3; i++) {
        t.step(data);
      }
      t.save(dir.resolve("ckpt"));
    }
    try (Trainer t = config().generatorEma(0.99f, 2).build()) {
      t.restore(dir.resolve("ckpt"));
      for (int i = 0; i < 3; i++) {
        t.step(data);
      }
      assertThat(Fixtures.only(uninterrupted, EMA)).isNotEmpty();
      TrainerContractTest.assertBitIdentical(uninterrupted, t.variables());
    }
  }

  @Test
  void checkpointWithoutAverage_restoredIntoATrainerWithOne_startsTheAverageAtTheWeights() {
    try (Trainer t = config().build()) {
      t.step(data);
      t.step(data);
      t.save(dir.resolve("plain"));
    }
    try (Trainer t = config().generatorEma(0.9f).build()) {
      t.restore(dir.resolve("plain"));
      Map<String, float[]> v = t.variables();
      Fixtures.only(v, "generator/").forEach((n, w) -> assertThat(v.get(ema(n))).as(n).containsExactly(w));
      assertThat(t.stepCount()).isEqualTo(2);
      assertThat(t.step(data).finite()).isTrue();
    }
  }

  private static String ema(String generatorVariable) {
    return EMA + generatorVariable.substring("generator/".length());
  }
}
