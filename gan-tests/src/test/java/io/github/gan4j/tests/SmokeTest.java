package io.github.gan4j.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gan4j.Gan;
import io.github.gan4j.data.Dataset;
import io.github.gan4j.data.Datasets;
import io.github.gan4j.examples.ReferenceModels;
import io.github.gan4j.train.StepMetrics;
import io.github.gan4j.train.Steps;
import io.github.gan4j.train.Trainer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void reference_trains() {
    Gan gan = ReferenceModels.cifar10();
    float[] px = new float[64 * 32 * 32 * 3];
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < px.length; i++) px[i] = (float) (r.nextDouble() * 2 - 1);
    Dataset ds = Datasets.fromFloats(px, 32, 32, 3);
    long t0 = System.nanoTime();
    try (Trainer t = Trainer.of(gan).batchSize(32).seed(1).build()) {
      System.out.println("build " + (System.nanoTime() - t0) / 1e6 + " ms");
      for (int i = 0; i < 10; i++) {
        StepMetrics m = t.step(ds);
        System.out.println(m);
      }
      assertThat(t.step()).isEqualTo(10);
    }
  }
}
