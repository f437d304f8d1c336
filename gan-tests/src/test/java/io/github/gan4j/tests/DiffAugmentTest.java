package io.github.gan4j.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gan4j.data.Dataset;
import io.github.gan4j.recipe.DiffAugment;
import io.github.gan4j.recipe.DiscriminatorUpdate;
import io.github.gan4j.recipe.GanLoss;
import io.github.gan4j.recipe.GradientPenalty;
import io.github.gan4j.train.StepMetrics;
import io.github.gan4j.train.TrainedGenerator;
import io.github.gan4j.train.Trainer;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DiffAugment in training: the discriminator's updates and the generator's update through D see
 * augmented images, the generator's gradient flows through the augmentation, penalties train
 * with it, runs repeat and resume bit for bit, generation and the export never augment, and
 * the checkpoint records it. (The transformations themselves: {@code AugmentLoweringTest} in
 * gan-core; a cluster with augmentation: {@link DistributedTrainingTest}.)
 */
class DiffAugmentTest {
  static final DiffAugment ALL = DiffAugment.parse("color,translation,cutout");
  final Dataset data = Fixtures.squares();

  @TempDir
  Path dir;

  static Trainer.Builder config() {
    return Trainer.of(Fixtures.tiny()).batchSize(16).seed(9);
  }

  @Test
  void builder_recordsTheAugmentation_noneByDefault() {
    assertThat(config().recipe().augment()).isEqualTo(DiffAugment.none());
    assertThat(config().augment(ALL).recipe().augment()).isEqualTo(ALL);
    // the README's snippet
    assertThat(io.github.gan4j.examples.TrainingOptions.diffAugment(Fixtures.tiny()).recipe().augment()).isEqualTo(ALL);
  }

  @Test
  void generatorUpdate_learnsThroughTheAugmentation() {
    Map<String, float[]> plain;
    try (Trainer t = config().build()) {
      t.generatorStep();
      plain = Fixtures.only(t.variables(), "generator/");
    }
    try (Trainer t = config().augment(ALL).build()) {
      Map<String, float[]> before = t.variables();
      t.generatorStep();
      Map<String, float[]> after = t.variables();
      // Adam moves a weight only where its gradient is not zero: the gradient reached every kernel of G
      Fixtures.only(before, "generator/").forEach((name, w) -> {
        if (name.endsWith("kernel")) {
          assertThat(after.get(name)).as("%s changed", name).isNotEqualTo(w);
          assertThat(after.get(name)).as("%s differs from the update without augmentation", name)
              .isNotEqualTo(plain.get(name));
        }
      });
      TrainerContractTest.assertBitIdentical(Fixtures.only(before, "discriminator/"),
          Fixtures.only(after, "discriminator/"));
    }
  }

  @Test
  void discriminatorUpdates_seeAugmentedImages_separateAndCombined() {
    for (DiscriminatorUpdate update : DiscriminatorUpdate.values()) {
      Map<String, float[]> plain;
      StepMetrics plainMetrics;
      try (Trainer t = config().discriminatorUpdate(update).build()) {
        plainMetrics = t.discriminatorStep(data);
        plain = Fixtures.only(t.variables(), "discriminator/");
      }
      try (Trainer t = config().discriminatorUpdate(update).augment(ALL).build()) {
        Map<String, float[]> before = t.variables();
        StepMetrics m = t.discriminatorStep(data);
        Map<String, float[]> after = t.variables();
        assertThat(m.dReal()).as("%s: D(x) is D's score of augmented reals", update).isNotEqualTo(plainMetrics.dReal());
        assertThat(m.dFakeInDUpdate()).as("%s", update).isNotEqualTo(plainMetrics.dFakeInDUpdate());
        Fixtures.only(after, "discriminator/").forEach((name, w) ->
            assertThat(w).as("%s: %s differs from the update without augmentation", update, name)
                .isNotEqualTo(plain.get(name)));
        TrainerContractTest.assertBitIdentical(Fixtures.only(before, "generator/"), Fixtures.only(after, "generator/"));
      }
    }
  }

  @Test
  void sameSeed_repeatsBitForBit_andRestoreContinuesExactly() {
    Map<String, float[]> uninterrupted;
    float[] losses = new float[6];
    try (Trainer t = config().augment(ALL).discriminatorSteps(2).build()) {
      for (int i = 0; i < 6; i++) {
        losses[i] = t.step(data).dLoss();
      }
      uninterrupted = t.variables();
    }
    try (Trainer t = config().augment(ALL).discriminatorSteps(2).build()) {
      for (int i = 0; i < 3; i++) {
        assertThat(Float.floatToIntBits(t.step(data).dLoss())).isEqualTo(Float.floatToIntBits(losses[i]));
      }
      t.save(dir.resolve("ckpt"));
    }
    try (Trainer t = config().augment(ALL).discriminatorSteps(2).build()) {
      t.restore(dir.resolve("ckpt"));
      for (int i = 3; i < 6; i++) {
        assertThat(Float.floatToIntBits(t.step(data).dLoss())).as("step %d", i + 1)
            .isEqualTo(Float.floatToIntBits(losses[i]));
      }
      TrainerContractTest.assertBitIdentical(uninterrupted, t.variables());
    }
  }

  @Test
  void checkpointManifest_recordsTheAugmentation() throws Exception {
    try (Trainer t = config().augment(ALL).build()) {
      t.step(data);
      t.save(dir.resolve("augmented"));
    }
    try (Trainer t = config().build()) {
      t.step(data);
      t.save(dir.resolve("plain"));
    }
    assertThat(manifest(dir.resolve("augmented")).getProperty("augment")).isEqualTo("diffAugment(color,translation,cutout)");
    assertThat(manifest(dir.resolve("plain")).getProperty("augment")).isNull();
    // restoring into a trainer with another augmentation is allowed, and said
    try (Trainer t = config().build()) {
      assertThat(warnings(() -> t.restore(dir.resolve("augmented")))).singleElement().asString()
          .contains("saved with augmentation diffAugment(color,translation,cutout), this trainer has none");
    }
    try (Trainer t = config().augment(DiffAugment.parse("cutout")).build()) {
      assertThat(warnings(() -> t.restore(dir.resolve("plain")))).singleElement().asString()
          .contains("saved with augmentation none, this trainer has diffAugment(cutout)");
    }
    try (Trainer t = config().augment(ALL).build()) {
      assertThat(warnings(() -> t.restore(dir.resolve("augmented")))).isEmpty();
    }
  }

  /** The warnings gan4j logs while {@code action} runs. */
  private static List<String> warnings(Runnable action) {
    List<String> out = new ArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
          out.add(r.getMessage());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger log = Logger.getLogger("io.github.gan4j");
    log.addHandler(capture);
    try {
      action.run();
    } finally {
      log.removeHandler(capture);
    }
    return out;
  }

  private static Properties manifest(Path checkpoint) throws Exception {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(checkpoint.resolve(Trainer.MANIFEST))) {
      p.load(r);
    }
    return p;
  }

  @Test
  void generationAndExport_neverAugment() throws Exception {
    float[] plain;
    try (Trainer t = config().build()) {
      plain = t.generate(4, 3L);
    }
    try (Trainer t = config().augment(ALL).build()) {
      assertThat(t.generate(4, 3L)).as("the same weights generate the same images").containsExactly(plain);
      t.step(data);
      float[] trained = t.generate(4, 3L);
      assertThat(t.generate(4, 3L)).containsExactly(trained);
      t.exportGenerator(dir.resolve("g"));
      try (TrainedGenerator g = TrainedGenerator.load(dir.resolve("g"))) {
        assertThat(g.generate(4, 3L)).containsExactly(trained);
      }
    }
  }

  @Test
  void gradientPenalties_trainWithTheAugmentation_atDsInput() {
    // each penalty joins the real or the fake update with separate batches, the one update with a combined batch
    Object[][] cases = {{GradientPenalty.r1(10f), DiscriminatorUpdate.SEPARATE_BATCHES},
        {GradientPenalty.r2(10f), DiscriminatorUpdate.COMBINED_BATCH},
        {GradientPenalty.wganGp(), DiscriminatorUpdate.SEPARATE_BATCHES},
        {GradientPenalty.wganGp(), DiscriminatorUpdate.COMBINED_BATCH}};
    for (Object[] c : cases) {
      GradientPenalty penalty = (GradientPenalty) c[0];
      DiscriminatorUpdate update = (DiscriminatorUpdate) c[1];
      Trainer.Builder b = config().loss(penalty instanceof GradientPenalty.WganGp ? GanLoss.wasserstein()
          : GanLoss.nonSaturating()).penalty(penalty).discriminatorUpdate(update);
      StepMetrics plain;
      try (Trainer t = b.build()) {
        plain = t.step(data);
      }
      try (Trainer t = b.augment(ALL).build()) {
        StepMetrics first = t.step(data);
        assertThat(first.penalty()).as("%s, %s", penalty.describe(), update).isFinite().isGreaterThanOrEqualTo(0f)
            .isNotEqualTo(plain.penalty());
        for (int i = 0; i < 2; i++) {
          assertThat(t.step(data).finite()).as("%s, %s", penalty.describe(), update).isTrue();
        }
      }
    }
  }
}
