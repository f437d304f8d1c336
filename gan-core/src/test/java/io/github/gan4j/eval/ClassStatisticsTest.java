package io.github.gan4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The classifier score, class entropy and coverage on predictions whose answers are known. */
class ClassStatisticsTest {

  /** {@code n} rows of {@code k} logits, row i confidently class {@code classOf[i]}. */
  private static float[] confident(int k, int... classOf) {
    float[] logits = new float[classOf.length * k];
    for (int i = 0; i < classOf.length; i++) {
      logits[i * k + classOf[i]] = 60f;   // softmax puts e^-60 ~ 1e-26 elsewhere
    }
    return logits;
  }

  @Test
  void confidentAndBalanced_scoresTheNumberOfClassesWithEntropyLog2K() {
    var r = ClassStatistics.of(confident(4, 0, 1, 2, 3, 3, 2, 1, 0), 8, 4);
    assertThat(r.score()).isCloseTo(4, within(1e-9));
    assertThat(r.entropyBits()).isCloseTo(2, within(1e-12));
    assertThat(r.histogram()).containsExactly(2, 2, 2, 2);
  }

  @Test
  void oneClass_scoresOneWithEntropyZero() {
    var r = ClassStatistics.of(confident(4, 2, 2, 2, 2, 2), 5, 4);
    assertThat(r.score()).isCloseTo(1, within(1e-9));
    assertThat(r.entropyBits()).isEqualTo(0.0);
  }

  @Test
  void uniformPredictions_scoreOne() {
    var r = ClassStatistics.of(new float[12], 4, 3);   // all logits equal: p(y|x) = p(y)
    assertThat(r.score()).isCloseTo(1, within(1e-12));
  }

  @Test
  void twoClassesHalfConfident_byHand() {
    // rows softmax to (3/4, 1/4) and (1/4, 3/4): p(y) = (1/2, 1/2);
    // KL of each row = 3/4 ln(3/2) + 1/4 ln(1/2), score = exp of that
    float l = (float) Math.log(3);
    var r = ClassStatistics.of(new float[] {l, 0, 0, l}, 2, 2);
    assertThat(r.score()).isCloseTo(Math.exp(0.75 * Math.log(1.5) + 0.25 * Math.log(0.5)), within(1e-7));
  }

  @Test
  void coverage_countsClassesWithAtLeastHalfTheirReferenceShare() {
    // shares 0.5, 0, 0.25, 0.25 against 0.25 each: only class 1 is below half its reference share (0.125)
    assertThat(ClassStatistics.coverage(new int[] {10, 0, 5, 5}, new int[] {5, 5, 5, 5})).isEqualTo(0.75);
    // one class only: 1 of 10
    int[] reference = {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000};
    assertThat(ClassStatistics.coverage(new int[] {0, 0, 0, 9999, 1, 0, 0, 0, 0, 0}, reference)).isEqualTo(0.1);
    // a class the reference never gets is left out
    assertThat(ClassStatistics.coverage(new int[] {3, 3, 3}, new int[] {3, 3, 0})).isEqualTo(1.0);
  }

  @Test
  void coverage_exactlyHalfCounts_lessDoesNot() {
    // class 1: 0.49 of the samples against 0.98 of the reference (half of it is 0.49)
    assertThat(ClassStatistics.coverage(new int[] {51, 49}, new int[] {2, 98})).isEqualTo(1.0);
    // class 1: 0.001 against 0.02
    assertThat(ClassStatistics.coverage(new int[] {999, 1}, new int[] {98, 2})).isEqualTo(0.5);
  }
}
