package io.github.gan4j.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gan4j.data.Dataset;
import io.github.gan4j.recipe.GanLoss;
import io.github.gan4j.recipe.Optimizer;
import io.github.gan4j.train.Checkpoints;
import io.github.gan4j.train.FitResult;
import io.github.gan4j.train.Listeners;
import io.github.gan4j.train.StepMetrics;
import io.github.gan4j.train.Steps;
import io.github.gan4j.train.Trainer;
import io.github.gan4j.train.TrainingListener;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Trainer#fit}: how it ends (completed, stopped on request, stopped by a listener) and the ready-made listeners. */
class FitTest {
  final Dataset data = Fixtures.squares();

  /** Records every callback as text, and stops training at {@code stopAt} if positive. */
  static TrainingListener recorder(List<String> calls, String name, long stopAt) {
    return new TrainingListener() {
      @Override
      public void onStart(Trainer trainer) {
        calls.add(name + " start");
      }

      @Override
      public void onStep(Trainer trainer, StepMetrics m) {
        calls.add(name + " " + m.step());
        if (m.step() == stopAt) {
          trainer.requestStop();
        }
      }

      @Override
      public void onEnd(Trainer trainer) {
        calls.add(name + " end");
      }
    };
  }

  @Nested
  class Ending {
    @Test
    void fit_runsEveryStep_reportsCompleted() {
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).build()) {
        FitResult r = t.fit(data, Steps.of(3));
        assertThat(r.reason()).isEqualTo(FitResult.Reason.COMPLETED);
        assertThat(r.completed()).isTrue();
        assertThat(r.steps()).isEqualTo(3);
        assertThat(r.lastStep().orElseThrow().step()).isEqualTo(3);
      }
    }

    @Test
    void listenerRequestsStop_everyListenerSeesThatStep_thenOnEnd_reportsStoppedByListener() {
      List<String> calls = new ArrayList<>();
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).build()) {
        FitResult r = t.fit(data, Steps.of(5), recorder(calls, "a", 2), recorder(calls, "b", -1));
        assertThat(r.reason()).isEqualTo(FitResult.Reason.STOPPED_BY_LISTENER);
        assertThat(r.steps()).isEqualTo(2);
        assertThat(t.stepCount()).isEqualTo(2);
        // a listener's request is not left pending: the next fit runs
        assertThat(t.fit(data, Steps.of(1)).reason()).isEqualTo(FitResult.Reason.COMPLETED);
      }
      assertThat(calls).containsExactly("a start", "b start", "a 1", "b 1", "a 2", "b 2", "a end", "b end");
    }

    @Test
    void listenerRequestsStopAtTheLastStep_isStillReported() {
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).build()) {
        FitResult r = t.fit(data, Steps.of(2), recorder(new ArrayList<>(), "a", 2));
        assertThat(r.reason()).isEqualTo(FitResult.Reason.STOPPED_BY_LISTENER);
        assertThat(r.steps()).isEqualTo(2);
      }
    }

    @Test
    void requestStopFromAnotherThread_stopsAfterTheCurrentStep_andIsConsumed() throws Exception {
      List<String> calls = new ArrayList<>();
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).build()) {
        TrainingListener hook = (trainer, m) -> {
          if (m.step() == 2) {
            Thread other = new Thread(trainer::requestStop);   // as a shutdown hook would
            other.start();
            try {
              other.join();
            } catch (InterruptedException e) {
              throw new AssertionError(e);
            }
          }
        };
        FitResult r = t.fit(data, Steps.of(5), hook, recorder(calls, "a", -1));
        assertThat(r.reason()).isEqualTo(FitResult.Reason.STOP_REQUESTED);
        assertThat(r.steps()).isEqualTo(2);
        assertThat(r.lastStep().orElseThrow().step()).isEqualTo(2);
        assertThat(calls).containsExactly("a start", "a 1", "a 2", "a end");
        assertThat(t.fit(data, Steps.of(1)).completed()).isTrue();
      }
    }

    @Test
    void requestFromAnotherThreadDuringTheLastStep_stillReportsCompleted_andIsConsumed() throws Exception {
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).build()) {
        TrainingListener lateRequest = (trainer, m) -> {
          if (m.step() == 3) {
            Thread other = new Thread(trainer::requestStop);
            other.start();
            try {
              other.join();
            } catch (InterruptedException e) {
              throw new AssertionError(e);
            }
          }
        };
        FitResult r = t.fit(data, Steps.of(3), lateRequest);
        assertThat(r.reason()).isEqualTo(FitResult.Reason.COMPLETED);
        assertThat(r.completed()).isTrue();
        assertThat(t.fit(data, Steps.until(5)).steps()).as("the request does not stop the next fit").isEqualTo(2);
      }
    }

    @Test
    void requestStopWhileNoFitRuns_stopsTheNextFitBeforeItsFirstStep() {
      List<String> calls = new ArrayList<>();
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).build()) {
        t.requestStop();
        FitResult r = t.fit(data, Steps.of(5), recorder(calls, "a", -1));
        assertThat(r.reason()).isEqualTo(FitResult.Reason.STOP_REQUESTED);
        assertThat(r.steps()).isZero();
        assertThat(r.lastStep()).isEmpty();
        assertThat(t.stepCount()).isZero();
      }
      assertThat(calls).containsExactly("a start", "a end");
    }
  }

  @Nested
  class ReadyMadeListeners {
    @Test
    void checkpoints_saveEveryNSteps_andTheLastStep_keepingTheNewest(@TempDir Path dir) {
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).build()) {
        t.fit(data, Steps.of(5), Listeners.checkpoints(dir, 2, 2));
      }
      assertThat(Checkpoints.list(dir)).extracting(Checkpoints::stepOf).containsExactly(4L, 5L);
    }

    @Test
    void checkpoints_notSavedAtTheEndOfAFitThatFailed(@TempDir Path dir) {
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).build()) {
        TrainingListener failing = (trainer, m) -> {
          if (m.step() == 3) {
            throw new IllegalStateException("listener failure at step 3");
          }
        };
        assertThatThrownBy(() -> t.fit(data, Steps.of(5), Listeners.checkpoints(dir, 2, 5), failing))
            .hasMessage("listener failure at step 3");
      }
      assertThat(Checkpoints.list(dir)).extracting(Checkpoints::stepOf).containsExactly(2L);
    }

    @Test
    void failureWarnings_judgeDiscriminatorWinsOnlyForProbabilities() {
      for (boolean crossEntropy : new boolean[] {true, false}) {
        List<String> warnings = new ArrayList<>();
        try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16)
            .loss(crossEntropy ? GanLoss.nonSaturating() : GanLoss.wasserstein()).build()) {
          TrainingListener l = Listeners.failureWarnings(warnings::add, 2, 1_000);
          for (long s = 1; s <= 3; s++) {
            l.onStep(t, new StepMetrics(s, 0.1f, 5f, 0.99f, crossEntropy ? 0.001f : -3f, 1_000_000, true));
          }
        }
        // a critic's score of -3 is no probability: no "D wins outright" for Wasserstein
        assertThat(warnings).as(crossEntropy ? "cross-entropy" : "wasserstein").hasSize(crossEntropy ? 1 : 0);
      }
    }

    @Test
    void checkpoints_neverSaveAStateThatIsNotFinite(@TempDir Path dir) {
      List<StepMetrics> seen = new ArrayList<>();
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16)
          .optimizer(Optimizer.sgd().learningRate(1e30f)).build()) {
        t.fit(data, Steps.of(4), (trainer, m) -> seen.add(m), Listeners.checkpoints(dir, 1, 10));
      }
      assertThat(seen).anyMatch(m -> !m.finite());
      List<Long> finite = seen.stream().filter(StepMetrics::finite).map(StepMetrics::step).toList();
      assertThat(Checkpoints.list(dir)).extracting(Checkpoints::stepOf).containsExactlyElementsOf(finite);
    }

    @Test
    void jsonLines_everyNSteps_andTheLastStep() {
      StringWriter out = new StringWriter();
      try (Trainer t = Trainer.of(Fixtures.tiny()).batchSize(16).build()) {
        t.fit(data, Steps.of(5), Listeners.jsonLines(out, 2));
      }
      List<String> lines = out.toString().lines().toList();
      assertThat(lines).hasSize(3);
      assertThat(lines).allMatch(l -> l.matches("\\{\"step\":\\d+,\"d_loss\":[-0-9.E]+,\"g_loss\":[-0-9.E]+,"
          + "\"d_x\":[-0-9.E]+,\"d_g_z\":[-0-9.E]+,\"d_g_z_d_update\":[-0-9.E]+,\"penalty\":null,\"steps_per_s\":[0-9.]+\\}"));
      assertThat(lines).extracting(l -> l.substring(0, l.indexOf(','))).containsExactly(
          "{\"step\":2", "{\"step\":4", "{\"step\":5");
    }
  }
}
