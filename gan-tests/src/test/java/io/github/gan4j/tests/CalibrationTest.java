package io.github.gan4j.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gan4j.data.Dataset;
import io.github.gan4j.eval.Evaluation;
import io.github.gan4j.eval.Evaluator;
import io.github.gan4j.eval.Reference;
import io.github.gan4j.examples.Calibration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The evaluator's calibration on Fashion-MNIST, with fewer samples than README's table
 * ({@link Calibration}, 10,000): the metrics order known damage as they must. More noise or
 * more blur is further from the real images, the real training images (the floor) are closer
 * than any damage, one image repeated has no recall and no class entropy, one class loses
 * coverage, entropy and recall.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CalibrationTest {
  private static final int SAMPLES = 2_000;
  private Evaluator evaluator;
  private final Map<String, Evaluation> rows = new LinkedHashMap<>();

  @BeforeAll
  void calibrate() {
    Dataset train = Fixtures.fashionMnistTrain();
    Dataset test = Fixtures.fashionMnist();
    long start = System.nanoTime();
    evaluator = Fixtures.fashionEvaluator(train, test);
    Reference reference = evaluator.reference(test, test.size(), 0);
    List<Calibration.Row> table = Calibration.run(evaluator, reference, train, SAMPLES, 1);
    table.forEach(r -> rows.put(r.condition(), r.evaluation()));
    System.out.printf(Locale.ROOT, "[CalibrationTest] %s (%s), %d samples per row, %.1f s:%n%s", evaluator.id(),
        evaluator.cached() ? "cached" : "trained", SAMPLES, (System.nanoTime() - start) / 1e9,
        Calibration.table(table));
  }

  @AfterAll
  void close() {
    if (evaluator != null) {
      evaluator.close();
    }
  }

  private Evaluation row(String prefix) {
    return rows.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).findFirst().orElseThrow().getValue();
  }

  @Test
  void moreNoise_raisesFrechetDistanceAndKid() {
    Evaluation floor = row("real training images");
    Evaluation n1 = row("Gaussian noise sigma 0.1");
    Evaluation n3 = row("Gaussian noise sigma 0.3");
    Evaluation n6 = row("Gaussian noise sigma 0.6");
    assertThat(List.of(floor.frechetDistance(), n1.frechetDistance(), n3.frechetDistance(), n6.frechetDistance()))
        .isSorted().doesNotHaveDuplicates();
    assertThat(List.of(floor.kidMean(), n1.kidMean(), n3.kidMean(), n6.kidMean())).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void moreBlur_raisesFrechetDistanceAndKid() {
    Evaluation floor = row("real training images");
    Evaluation b1 = row("Gaussian blur sigma 1");
    Evaluation b2 = row("Gaussian blur sigma 2");
    assertThat(List.of(floor.frechetDistance(), b1.frechetDistance(), b2.frechetDistance())).isSorted()
        .doesNotHaveDuplicates();
    assertThat(List.of(floor.kidMean(), b1.kidMean(), b2.kidMean())).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void floor_isBelowEveryPerturbation() {
    Evaluation floor = row("real training images");
    rows.forEach((condition, e) -> {
      if (e != floor) {
        assertThat(e.frechetDistance()).as(condition).isGreaterThan(floor.frechetDistance());
        assertThat(e.kidMean()).as(condition).isGreaterThan(floor.kidMean());
      }
    });
  }

  @Test
  void floor_looksLikeRealImages() {
    Evaluation floor = row("real training images");
    assertThat(floor.precision()).isGreaterThan(0.6);
    assertThat(floor.recall()).isGreaterThan(0.6);
    assertThat(floor.classCoverage()).isEqualTo(1.0);
    assertThat(floor.classEntropy()).isGreaterThan(3.2);   // log2(10) = 3.32 for balanced classes
    assertThat(floor.classifierScore()).isGreaterThan(6);
    assertThat(Math.abs(floor.kidMean())).isLessThan(3 * floor.kidStd() + 1e-3);
  }

  @Test
  void oneRepeatedImage_hasRecallNearZeroAndClassEntropyZero() {
    Evaluation repeated = row(String.format(Locale.ROOT, "%,d copies", SAMPLES));
    assertThat(repeated.recall()).isLessThan(0.01);
    assertThat(repeated.classEntropy()).isZero();
    assertThat(repeated.classifierScore()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(repeated.classCoverage()).isEqualTo(0.1);
  }

  @Test
  void oneClass_losesCoverageEntropyAndRecall() {
    // class 0 (T-shirt/top); the classifier calls some of them shirts, so two classes may count as covered
    Evaluation oneClass = row("one class only");
    Evaluation floor = row("real training images");
    assertThat(oneClass.classCoverage()).isLessThanOrEqualTo(0.2);
    assertThat(oneClass.classEntropy()).isLessThan(1.0);
    assertThat(oneClass.classifierScore()).isLessThan(2.0);
    assertThat(oneClass.recall()).isLessThan(floor.recall() / 2);
  }

  @Test
  void uniformNoise_hasNoRecallNorClasses() {
    Evaluation noise = row("uniform noise");
    assertThat(noise.recall()).isLessThan(0.01);
    assertThat(noise.classifierScore()).isLessThan(2.0);
    assertThat(noise.frechetDistance()).isGreaterThan(row("Gaussian noise sigma 0.6").frechetDistance());
  }
}
