package io.github.gan4j.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gan4j.Gan;
import io.github.gan4j.GanBuilder;
import io.github.gan4j.layers.Layers;
import io.github.gan4j.train.Trainer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** ClusterSpec and TF_CONFIG, without native code. */
class ClusterSpecTest {

  @Nested
  class Of {
    @Test
    void of_keepsAddressesAndTask_withDefaultTimeouts() {
      ClusterSpec c = ClusterSpec.of(List.of("10.0.0.1:2222", "worker-1.gan:2222"), 1);
      assertThat(c.workers()).containsExactly("10.0.0.1:2222", "worker-1.gan:2222");
      assertThat(c.task()).isEqualTo(1);
      assertThat(c.size()).isEqualTo(2);
      assertThat(c.isChief()).isFalse();
      assertThat(c.address()).isEqualTo("worker-1.gan:2222");
      assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(60));
      assertThat(c.startupTimeout()).isEqualTo(Duration.ofMinutes(5));
      assertThat(c.task(0).isChief()).isTrue();
      assertThat(c).hasToString("worker 1 of 2 [10.0.0.1:2222, worker-1.gan:2222], timeout 60 s, startup timeout 300 s");
    }

    @Test
    void of_badAddress_namesWorkerAndShape() {
      assertThatThrownBy(() -> ClusterSpec.of(List.of("a:1", "b"), 0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("worker 1 address 'b' is not host:port with a port in [1, 65535], e.g. 10.0.0.1:2222 or"
              + " worker-0.gan:2222");
      assertThatThrownBy(() -> ClusterSpec.of(List.of("a:70000"), 0)).hasMessageContaining("worker 0 address 'a:70000'");
    }

    @Test
    void of_duplicateAddress_namesBothWorkers() {
      assertThatThrownBy(() -> ClusterSpec.of(List.of("a:1", "b:2", "a:1"), 0))
          .hasMessage("workers 0 and 2 have the same address a:1; every worker needs a port of its own");
    }

    @Test
    void of_taskOutOfRange_saysTheRange() {
      assertThatThrownBy(() -> ClusterSpec.of(List.of("a:1", "b:2"), 2))
          .hasMessage("task 2 is not a worker of this cluster of 2 (tasks 0 to 1)");
      assertThatThrownBy(() -> ClusterSpec.of(List.of(), 0)).hasMessageContaining("at least one worker");
    }

    @Test
    void timeouts_belowOneTenthOfASecond_fail() {
      ClusterSpec c = ClusterSpec.of(List.of("a:1"), 0);
      assertThatThrownBy(() -> c.timeout(Duration.ZERO)).hasMessage("timeout must be at least 100 ms, was PT0S");
      assertThat(c.timeout(Duration.ofSeconds(5)).startupTimeout(Duration.ofSeconds(9)))
          .hasToString("worker 0 of 1 [a:1], timeout 5 s, startup timeout 9 s");
    }

    @Test
    void shareOf_unevenBatch_suggestsMultiples() {
      ClusterSpec c = ClusterSpec.of(List.of("a:1", "b:2", "c:3", "d:4"), 0);
      assertThat(c.shareOf(32)).isEqualTo(8);
      assertThatThrownBy(() -> c.shareOf(30)).hasMessage("batch size 30 cannot be split evenly over 4 workers: each"
          + " worker takes batchSize / workers images of every batch; use a multiple of 4 (28 or 32)");
    }

    @Test
    void loopback_givesDistinctPortsOn127001() {
      List<String> a = ClusterSpec.loopback(3);
      assertThat(a).hasSize(3).doesNotHaveDuplicates().allMatch(s -> s.matches("127\\.0\\.0\\.1:[0-9]+"));
    }

    @Test
    void trainerBuild_batchNotDivisible_failsBeforeAnythingNative() {
      Gan gan = GanBuilder.forImages(8, 8, 1).latentDim(4)
          .generator(Layers.dense(64), Layers.reshape(8, 8, 1))
          .discriminator(Layers.flatten(), Layers.dense(1)).build();
      Trainer.Builder b = Trainer.of(gan).batchSize(30).cluster(ClusterSpec.of(List.of("a:1", "b:2", "c:3", "d:4"), 1));
      assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("batch size 30 cannot be split evenly over 4 workers");
    }
  }

  @Nested
  class TfConfig {
    @Test
    void workers_andTaskIndex() {
      ClusterSpec c = ClusterSpec.fromTfConfig(
          "{\"cluster\": {\"worker\": [\"h0:2222\", \"h1:2222\", \"h2:2222\"]}, \"task\": {\"type\": \"worker\","
              + " \"index\": 2}, \"environment\": \"cloud\"}");
      assertThat(c.workers()).containsExactly("h0:2222", "h1:2222", "h2:2222");
      assertThat(c.task()).isEqualTo(2);
    }

    @Test
    void chief_becomesWorker0_andWorkersFollow() {
      String cluster = "{\"cluster\":{\"chief\":[\"c:1\"],\"worker\":[\"w0:1\",\"w1:1\"]},";
      ClusterSpec chief = ClusterSpec.fromTfConfig(cluster + "\"task\":{\"type\":\"chief\",\"index\":0}}");
      ClusterSpec worker = ClusterSpec.fromTfConfig(cluster + "\"task\":{\"type\":\"worker\",\"index\":1}}");
      assertThat(chief.workers()).containsExactly("c:1", "w0:1", "w1:1");
      assertThat(chief.task()).isZero();
      assertThat(worker.task()).isEqualTo(2);
    }

    @Test
    void escapesAndWhitespace_areRead() {
      ClusterSpec c = ClusterSpec.fromTfConfig("\n {\"cluster\" :{\"worker\":[\"h\\u0030:1\"]},\"task\":"
          + "{\"index\":0.0,\"type\":\"worker\",\"x\":[true,false,null,-1.5e3,{}]}}\n");
      assertThat(c.workers()).containsExactly("h0:1");
    }

    @Test
    void parameterServers_areRefusedWithTheFix() {
      assertThatThrownBy(() -> ClusterSpec.fromTfConfig(
          "{\"cluster\":{\"worker\":[\"a:1\"],\"ps\":[\"p:1\"]},\"task\":{\"type\":\"worker\",\"index\":0}}"))
          .hasMessage("TF_CONFIG's cluster has a \"ps\" job; gan4j trains synchronously with all-reduce among workers"
              + " only (no parameter servers, no evaluator): list every training process under \"worker\" (and at"
              + " most one under \"chief\")");
    }

    @Test
    void evaluatorTask_isRefused() {
      assertThatThrownBy(() -> ClusterSpec.fromTfConfig(
          "{\"cluster\":{\"worker\":[\"a:1\"]},\"task\":{\"type\":\"evaluator\",\"index\":0}}"))
          .hasMessage("TF_CONFIG's task type is the string \"evaluator\"; gan4j runs \"worker\" (or \"chief\") tasks"
              + " only");
    }

    @Test
    void missingTask_saysTheExpectedShape() {
      assertThatThrownBy(() -> ClusterSpec.fromTfConfig("{\"cluster\":{\"worker\":[\"a:1\"]}}"))
          .hasMessageStartingWith("TF_CONFIG has no \"task\"; expected {\"cluster\": {\"worker\": [\"host:port\"");
    }

    @Test
    void wrongTypes_areNamed() {
      assertThatThrownBy(() -> ClusterSpec.fromTfConfig(
          "{\"cluster\":{\"worker\":\"a:1\"},\"task\":{\"type\":\"worker\",\"index\":0}}"))
          .hasMessage("TF_CONFIG's \"worker\" job is the string \"a:1\"; expected a list of \"host:port\" strings");
      assertThatThrownBy(() -> ClusterSpec.fromTfConfig(
          "{\"cluster\":{\"worker\":[\"a:1\"]},\"task\":{\"type\":\"worker\",\"index\":1.5}}"))
          .hasMessage("TF_CONFIG's task index is the number 1.5; expected a whole number from 0");
      assertThatThrownBy(() -> ClusterSpec.fromTfConfig(
          "{\"cluster\":{\"worker\":[\"a:1\"]},\"task\":{\"type\":\"worker\",\"index\":3}}"))
          .hasMessage("TF_CONFIG's task is worker 3 but the cluster has 1 worker address(es)");
    }

    @Test
    void toTfConfig_isReadBack() {
      ClusterSpec c = ClusterSpec.of(List.of("127.0.0.1:5000", "127.0.0.1:5001"), 1);
      assertThat(c.toTfConfig()).isEqualTo("{\"cluster\": {\"worker\": [\"127.0.0.1:5000\", \"127.0.0.1:5001\"]},"
          + " \"task\": {\"type\": \"worker\", \"index\": 1}}");
      assertThat(ClusterSpec.fromTfConfig(c.toTfConfig())).isEqualTo(c);
    }

    @Test
    void invalidJson_namesTheCharacter() {
      assertThatThrownBy(() -> ClusterSpec.fromTfConfig("{\"cluster\": {\"worker\": [\"a:1\"}}"))
          .hasMessage("TF_CONFIG is not valid JSON: at character 30 expected ',' or ']' but found '}':"
              + " ...\": {\"worker\": [\"a:1\"}}...");
      assertThatThrownBy(() -> ClusterSpec.fromTfConfig("{\"cluster\": "))
          .hasMessageStartingWith("TF_CONFIG is not valid JSON: at character 13 expected a value but found the end");
    }
  }
}
