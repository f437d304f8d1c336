package io.github.gan4j.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gan4j.data.Dataset;
import io.github.gan4j.train.FitResult;
import io.github.gan4j.train.StepMetrics;
import io.github.gan4j.train.Steps;
import io.github.gan4j.train.Trainer;
import io.github.gan4j.train.TrainingListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Steps#orTrainingTime}: a budget of the steps' own time, carried by checkpoints. */
class TrainingTimeTest {
  final Dataset data = Fixtures.squares();

  @TempDir
  Path dir;

  @Test
  void budget_endsFit_countingOnlyTheStepsNotTheListeners() {
    AtomicLong stepNanos = new AtomicLong();
    TrainingListener slow = (trainer, m) -> {
      stepNanos.addAndGet(m.stepNanos());
      sleep(30);   // a slow listener (sample grids, evaluation) must not eat the budget
    };
    try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).seed(2).build()) {
      long start = System.nanoTime();
      FitResult r = t.fit(data, Steps.of(100_000).orTrainingTime(Duration.ofMillis(400)), slow);
      long wall = System.nanoTime() - start;
      assertThat(r.reason()).isEqualTo(FitResult.Reason.TRAINING_TIME_REACHED);
      assertThat(r.completed()).isFalse();
      assertThat(r.steps()).isPositive().isLessThan(100_000);
      assertThat(t.trainingTime().toNanos()).isEqualTo(stepNanos.get())
          .isGreaterThanOrEqualTo(Duration.ofMillis(400).toNanos());
      // the last step crossed the budget; the one before had not
      long lastStep = r.lastStep().orElseThrow().stepNanos();
      assertThat(t.trainingTime().toNanos() - lastStep).isLessThan(Duration.ofMillis(400).toNanos());
      assertThat(wall).as("listeners' time is outside the budget").isGreaterThan(t.trainingTime().toNanos()
          + r.steps() * Duration.ofMillis(25).toNanos());
    }
  }

  @Test
  void stepsEndFirst_whenTheyComeBeforeTheBudget() {
    try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).seed(2).build()) {
      FitResult r = t.fit(data, Steps.of(3).orTrainingTime(Duration.ofHours(1)));
      assertThat(r.reason()).isEqualTo(FitResult.Reason.COMPLETED);
      assertThat(r.steps()).isEqualTo(3);
      assertThat(t.trainingTime()).isPositive().isLessThan(Duration.ofHours(1));
    }
  }

  @Test
  void checkpoint_carriesTheTrainingTime_soTheSameCallFinishesTheSameRun() {
    Duration spent;
    try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).seed(2).build()) {
      t.fit(data, Steps.of(4));
      spent = t.trainingTime();
      t.save(dir.resolve("ckpt"));
    }
    try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).seed(2).build()) {
      assertThat(t.trainingTime()).isZero();
      t.restore(dir.resolve("ckpt"));
      assertThat(t.trainingTime()).isEqualTo(spent);
      // a budget the restored run has used up already: no step
      FitResult r = t.fit(data, Steps.until(1000).orTrainingTime(spent));
      assertThat(r.reason()).isEqualTo(FitResult.Reason.TRAINING_TIME_REACHED);
      assertThat(r.steps()).isZero();
      assertThat(t.stepCount()).isEqualTo(4);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
