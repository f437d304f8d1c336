package io.github.gan4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gan4j.recipe.ClusterSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** ClusterGuard without TensorFlow: the startup wait, failure messages and the watchdog. */
class ClusterGuardTest {
  /** Loopback addresses nobody listens on (free a moment ago). */
  private static final List<String> ADDRESSES = ClusterSpec.loopback(2);

  @Test
  void awaitWorkers_namesTheWorkerThatNeverStarts() {
    ClusterSpec c = ClusterSpec.of(ADDRESSES, 0).startupTimeout(Duration.ofMillis(300));
    assertThatThrownBy(() -> new ClusterGuard(c).awaitWorkers()).isInstanceOf(ClusterException.class)
        .hasMessageStartingWith("worker 0 of 2 (" + ADDRESSES.get(0) + ") waited 0.300 s for the other workers: worker 1 ("
            + ADDRESSES.get(1) + ") is unreachable (ConnectException")
        .satisfies(e -> assertThat(((ClusterException) e).unreachableWorkers()).containsExactly(1));
  }

  @Test
  void run_collectiveFailure_becomesAClusterExceptionNamingTheWorker() {
    ClusterGuard guard = new ClusterGuard(ClusterSpec.of(ADDRESSES, 1));
    assertThatThrownBy(() -> guard.run("step 7", false, () -> {
      throw new IllegalStateException("From /job:worker/replica:0/task:1:\nCollective ops is aborted by: failed to"
          + " connect to all addresses\n\t [[{{node all_reduce_mean}}]]");
    })).isInstanceOf(ClusterException.class)
        .hasMessage("worker 1 of 2 (" + ADDRESSES.get(1) + ") cannot go on at step 7: worker 0 (" + ADDRESSES.get(0)
            + ") is unreachable (ConnectException: Connection refused); restart it, then resume every worker from the"
            + " newest checkpoint. TensorFlow said: From /job:worker/replica:0/task:1: Collective ops is aborted by:"
            + " failed to connect to all addresses");
  }

  @Test
  void run_otherFailure_isNotTheClustersDoing_whenEveryWorkerAnswers() {
    ClusterGuard guard = new ClusterGuard(ClusterSpec.of(List.of(ADDRESSES.get(0)), 0));
    IllegalArgumentException bad = new IllegalArgumentException("shape mismatch");
    assertThatThrownBy(() -> guard.run("step 1", false, () -> {
      throw bad;
    })).isSameAs(bad);
  }

  @Test
  void watchdog_reportsARunStuckPastItsDeadline() throws Exception {
    CompletableFuture<String> reported = new CompletableFuture<>();
    ClusterGuard guard = new ClusterGuard(ClusterSpec.of(ADDRESSES, 1).timeout(Duration.ofMillis(100)),
        Duration.ZERO, reported::complete);
    guard.run("step 3", false, () -> {
      try {
        return reported.get(10, TimeUnit.SECONDS);   // "stuck" until the watchdog speaks
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(reported.get()).startsWith("worker 1 of 2 (" + ADDRESSES.get(1) + ") is stuck in step 3 past its"
        + " deadline").contains("worker 0 (" + ADDRESSES.get(0) + ") is unreachable").endsWith("exit status 75;"
        + " restart every worker and resume from the newest checkpoint.");
  }
}
