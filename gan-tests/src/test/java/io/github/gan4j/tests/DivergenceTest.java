package io.github.gan4j.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Non-finite losses or weights are caught within the step; the run stops or rolls back. */
class DivergenceTest {
  @TempDir
  Path dir;

  static String[] train(Path out, String... extra) {
    List<String> a = new java.util.ArrayList<>(List.of("train", "--dataset", "fashion-mnist", "--steps", "6",
        "--batch-size", "8", "--checkpoint-every", "2", "--log-every", "1", "--out", out.toString(),
        "--data-dir", TestData.fashionMnist().toString()));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  @Test
  void divergence_stopsWithTheStepAndTheLosses() {
    CommandLineTest.Outcome o = CommandLineTest.run(train(dir.resolve("run"), "--lr", "1e15"));
    assertThat(o.status()).isEqualTo(1);
    assertThat(o.err()).contains("training diverged at step 1 (d_loss NaN, g_loss NaN, a weight is no longer a"
        + " finite number); no checkpoint yet.").contains("--on-divergence rollback").doesNotContain("\tat ");
  }

  @Test
  void rollback_restoresTheLastGoodCheckpoint_withLowerLearningRates_aBoundedNumberOfTimes() throws IOException {
    Path run = dir.resolve("run");
    String[] first = train(run);
    first[4] = "2";
    assertThat(CommandLineTest.run(first).status()).isZero();
    // the run's learning rate is made absurd, as if the run had been started with it
    Path config = run.resolve("config.properties");
    Files.writeString(config, Files.readString(config).replaceAll("(?m)^([dg]-lr)=.*$", "$1=1e15"));

    CommandLineTest.Outcome capped = CommandLineTest.run(train(run, "--resume", "--on-divergence", "rollback",
        "--max-rollbacks", "1", "--rollback-lr-factor", "0.5"));
    assertThat(capped.status()).isEqualTo(1);
    assertThat(capped.err()).contains("rolling back to step-000002").contains("gave up after 1 rollbacks");

    Files.writeString(config, Files.readString(config).replaceAll("(?m)^([dg]-lr)=.*$", "$1=1e15"));
    CommandLineTest.Outcome o = CommandLineTest.run(train(run, "--resume", "--on-divergence", "rollback",
        "--max-rollbacks", "3", "--rollback-lr-factor", "1e-18"));
    assertThat(o.status()).as(o.err()).isZero();
    assertThat(o.out()).contains("rolled back " + run + " to step 2 of 6").contains("done: 6 steps");
    assertThat(o.err()).contains("training diverged at step 3").contains("rolling back to step-000002");
    assertThat(Files.readString(config)).containsPattern("(?m)^d-lr=(0\\.001|9\\.9+E-4)$").contains("rollbacks=1");
    assertThat(Files.readAllLines(run.resolve("metrics.jsonl")))
        .anyMatch(l -> l.startsWith("{\"step\":2,\"event\":\"rollback\",\"diverged_at\":3,"))
        // no non-finite loss was logged (penalty is null on every step: this run applies none)
        .noneMatch(l -> l.replace("\"penalty\":null", "").contains("null"));
  }
}
