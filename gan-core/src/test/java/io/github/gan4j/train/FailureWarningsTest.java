package io.github.gan4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gan4j.layers.Shape;
import io.github.gan4j.sample.ImageStats;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureWarningsTest {

  static StepMetrics metrics(long step, float dFake) {
    return new StepMetrics(step, 0.1f, 5f, 0.99f, dFake, 1_000_000, true);
  }

  @Test
  void discriminatorWinningOutright_isReportedOncePerEpisode() {
    List<String> warnings = new ArrayList<>();
    TrainingListener l = Listeners.failureWarnings(warnings::add, 5, 1_000_000);
    for (int s = 1; s <= 4; s++) {
      l.onStep(null, metrics(s, 0.001f));
    }
    assertThat(warnings).isEmpty();
    for (int s = 5; s <= 20; s++) {
      l.onStep(null, metrics(s, 0.001f));
    }
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).startsWith("step 5: the discriminator wins outright").contains("since step 1");
    l.onStep(null, metrics(21, 0.3f));           // recovers
    for (int s = 22; s <= 26; s++) {
      l.onStep(null, metrics(s, 0.001f));
    }
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(1)).startsWith("step 26:");
  }

  @Test
  void spread_isZeroForIdenticalImages_andGrowsWithDifference() {
    Shape shape = Shape.of(2, 2, 1);
    float[] same = {0.5f, -0.5f, 0.1f, 0.9f, 0.5f, -0.5f, 0.1f, 0.9f};
    assertThat(ImageStats.spread(same, shape)).isZero();
    float[] different = {1, 1, 1, 1, -1, -1, -1, -1};
    assertThat(ImageStats.spread(different, shape)).isEqualTo(1.0);
  }
}
