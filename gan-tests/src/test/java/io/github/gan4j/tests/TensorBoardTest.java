package io.github.gan4j.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.gan4j.data.DataFormatException;
import io.github.gan4j.data.Dataset;
import io.github.gan4j.recipe.DiscriminatorUpdate;
import io.github.gan4j.recipe.GanLoss;
import io.github.gan4j.recipe.GradientPenalty;
import io.github.gan4j.recipe.LearningRateSchedule;
import io.github.gan4j.recipe.Optimizer;
import io.github.gan4j.train.Checkpoints;
import io.github.gan4j.train.EventFiles;
import io.github.gan4j.train.Listeners;
import io.github.gan4j.train.StepMetrics;
import io.github.gan4j.train.Steps;
import io.github.gan4j.train.TensorBoard;
import io.github.gan4j.train.Trainer;
import io.github.gan4j.train.TrainingListener;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TensorBoard}: what the listener writes, read back from the files (TFRecord framing
 * with CRC32C, {@code org.tensorflow.proto.Event}) by {@link EventFiles}; that fetching the
 * gradients for histograms changes no bit of training; and that resumed, rolled back and killed
 * runs continue one event stream with every step once.
 */
class TensorBoardTest {
  /** Scalars every step, images and histograms every 3 steps. */
  static final TensorBoard.Options EVERY_STEP = TensorBoard.Options.defaults().imagesEvery(3).histogramsEvery(3);
  static final List<String> STEP_TAGS = List.of("losses/d_loss", "losses/g_loss", "scores/d_x", "scores/d_g_z",
      "scores/d_g_z_d_update", "learning_rates/discriminator", "learning_rates/generator", "speed/steps_per_s");

  final Dataset data = Fixtures.squares();

  @TempDir
  Path dir;

  static Trainer.Builder trainer() {
    return Trainer.of(Fixtures.tiny()).batchSize(8).seed(4);
  }

  /** Records every step's metrics. */
  static final class Recorder implements TrainingListener {
    final List<StepMetrics> steps = new ArrayList<>();

    @Override
    public void onStep(Trainer trainer, StepMetrics m) {
      steps.add(m);
    }
  }

  /** tag -> step -> every value written for that step, as TensorBoard would read the directory. */
  static Map<String, TreeMap<Long, List<Float>>> scalars(Path board) throws IOException {
    Map<String, TreeMap<Long, List<Float>>> out = new TreeMap<>();
    for (EventFiles.Entry e : EventFiles.read(board)) {
      if (e instanceof EventFiles.Scalar s) {
        out.computeIfAbsent(s.tag(), t -> new TreeMap<>()).computeIfAbsent(s.step(), k -> new ArrayList<>())
            .add(s.value());
      }
    }
    return out;
  }

  static <T extends EventFiles.Entry> List<T> entries(Path board, Class<T> type) throws IOException {
    return EventFiles.read(board).stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Asserts that every step tag holds exactly the steps {@code from..to}, each once. */
  static void assertEveryStepOnce(Map<String, TreeMap<Long, List<Float>>> scalars, long from, long to) {
    for (String tag : STEP_TAGS) {
      assertThat(scalars).as("tags").containsKey(tag);
      TreeMap<Long, List<Float>> steps = scalars.get(tag);
      assertThat(steps.keySet()).as("steps of %s", tag)
          .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(from, to).boxed().toList());
      steps.forEach((step, values) -> assertThat(values).as("%s at step %d", tag, step).hasSize(1));
    }
  }

  @Nested
  class WhatTheListenerWrites {
    @Test
    void scalarsImagesAndHistograms_readBackWithTagsStepsAndValues() throws IOException {
      Path board = dir.resolve("tb");
      Recorder recorder = new Recorder();
      Map<String, float[]> variables;
      try (Trainer t = trainer().learningRateSchedule(LearningRateSchedule.linearDecay(10, 0.5f)).build();
          TensorBoard tb = TensorBoard.open(board, EVERY_STEP)) {
        t.fit(data, Steps.of(6), recorder, tb.listener());
        variables = t.variables();
      }
      Map<String, TreeMap<Long, List<Float>>> scalars = scalars(board);
      assertEveryStepOnce(scalars, 1, 6);
      assertThat(scalars).doesNotContainKey("losses/penalty");   // no penalty configured
      for (StepMetrics m : recorder.steps) {
        assertThat(scalars.get("losses/d_loss").get(m.step())).containsExactly(m.dLoss());
        assertThat(scalars.get("losses/g_loss").get(m.step())).containsExactly(m.gLoss());
        assertThat(scalars.get("scores/d_x").get(m.step())).containsExactly(m.dReal());
        assertThat(scalars.get("scores/d_g_z").get(m.step())).containsExactly(m.dFake());
        assertThat(scalars.get("scores/d_g_z_d_update").get(m.step())).containsExactly(m.dFakeInDUpdate());
        // step s runs at counter s - 1: the linear decay's multiplier there
        float rate = (float) (0.001f * LearningRateSchedule.linearDecay(10, 0.5f).multiplier(m.step() - 1));
        assertThat(scalars.get("learning_rates/generator").get(m.step())).containsExactly(rate);
        assertThat(scalars.get("learning_rates/discriminator").get(m.step())).containsExactly(rate);
        assertThat(scalars.get("speed/steps_per_s").get(m.step()).get(0)).isPositive();
      }

      List<EventFiles.Image> images = entries(board, EventFiles.Image.class);
      assertThat(images).extracting(EventFiles.Image::step).containsExactly(3L, 6L);
      assertThat(images).extracting(EventFiles.Image::tag).containsOnly("samples/image");
      BufferedImage grid = ImageIO.read(new ByteArrayInputStream(images.get(1).encoded()));
      // 5 tiles of 8 pixels scaled 8x, with 6 gaps of 8 pixels
      assertThat(grid.getWidth()).isEqualTo(5 * 64 + 6 * 8).isEqualTo(images.get(1).width());
      assertThat(grid.getHeight()).isEqualTo(5 * 64 + 6 * 8);
      assertThat(images.get(1).channels()).isEqualTo(3);

      List<EventFiles.Histogram> histograms = entries(board, EventFiles.Histogram.class);
      assertThat(histograms).extracting(EventFiles.Histogram::step).containsOnly(3L, 6L);
      Map<String, EventFiles.Histogram> atSix = histograms.stream().filter(h -> h.step() == 6)
          .collect(Collectors.toMap(EventFiles.Histogram::tag, h -> h));
      Map<String, float[]> network = new TreeMap<>(Fixtures.only(variables, "generator/"));
      network.putAll(Fixtures.only(variables, "discriminator/"));
      for (Map.Entry<String, float[]> v : network.entrySet()) {
        EventFiles.Histogram h = atSix.get("weights/" + v.getKey());
        assertThat(h).as("weights/%s", v.getKey()).isNotNull();
        float[] w = v.getValue();
        assertThat(h.count()).isEqualTo(w.length);
        assertThat(h.min()).isEqualTo(min(w));
        assertThat(h.max()).isEqualTo(max(w));
        assertThat(h.buckets().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(w.length);
      }
      // a gradient for each trainable variable: not the BatchNorm moving statistics
      assertThat(atSix.keySet().stream().filter(k -> k.startsWith("gradients/")).map(k -> k.substring(10)).toList())
          .containsExactlyInAnyOrderElementsOf(network.keySet().stream()
              .filter(k -> !k.contains("moving_")).toList());
    }

    @Test
    void gradientHistograms_areTheGradientsTheUpdatesApplied() throws IOException {
      // with plain SGD, w_after = w_before - lr * g: the histogram's sum is sum(w_before - w_after) / lr;
      // the discriminator's real and fake updates both count (the histogram is their sum)
      float lr = 0.01f;
      Path board = dir.resolve("sgd");
      Map<String, float[]> before;
      Map<String, float[]> after;
      try (Trainer t = trainer().optimizer(Optimizer.sgd().learningRate(lr)).build();
          TensorBoard tb = TensorBoard.open(board, TensorBoard.Options.defaults().histogramsEvery(3))) {
        t.fit(data, Steps.of(2), tb.listener());
        before = t.variables();
        t.fit(data, Steps.of(1), tb.listener());
        after = t.variables();
      }
      Map<String, EventFiles.Histogram> gradients = entries(board, EventFiles.Histogram.class).stream()
          .filter(h -> h.tag().startsWith("gradients/")).collect(Collectors.toMap(h -> h.tag().substring(10), h -> h));
      assertThat(gradients).isNotEmpty();
      for (Map.Entry<String, EventFiles.Histogram> g : gradients.entrySet()) {
        float[] b = before.get(g.getKey());
        float[] a = after.get(g.getKey());
        double expected = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
          expected += (b[i] - a[i]) / (double) lr;
          scale += Math.abs(b[i] - a[i]) / (double) lr;
        }
        assertThat(g.getValue().step()).isEqualTo(3);
        assertThat(g.getValue().count()).isEqualTo(a.length);
        assertThat(g.getValue().sum()).as("sum of the gradient of %s", g.getKey())
            .isCloseTo(expected, within(1e-3 * scale + 1e-6));
      }
    }

    @Test
    void penaltyIsWrittenOnStepsThatApplyOne_andExtraScalarsAtTheirStep() throws IOException {
      Path board = dir.resolve("penalty");
      try (Trainer t = trainer().loss(GanLoss.wasserstein()).penalty(GradientPenalty.wganGp().every(2)).build();
          TensorBoard tb = TensorBoard.open(board, TensorBoard.Options.defaults().scalarsEvery(2).imagesEvery(0)
              .histogramsEvery(0))) {
        t.fit(data, Steps.of(5), tb.listener());
        tb.scalars(4, Map.of("eval/fid", 12.5, "eval/inception_score", 3));
        tb.scalar("eval/fid", 5, Double.NaN);
      }
      Map<String, TreeMap<Long, List<Float>>> scalars = scalars(board);
      // lazy penalty on steps whose counter is even before the step: steps 1, 3, 5; scalars every 2 steps and the last
      assertThat(scalars.get("losses/d_loss").keySet()).containsExactly(2L, 4L, 5L);
      assertThat(scalars.get("losses/penalty").keySet()).containsExactly(5L);
      assertThat(scalars.get("eval/fid").get(4L)).containsExactly(12.5f);
      assertThat(scalars.get("eval/fid").get(5L).get(0)).isNaN();
      assertThat(scalars.get("eval/inception_score").get(4L)).containsExactly(3f);
      assertThat(entries(board, EventFiles.Image.class)).isEmpty();
      assertThat(entries(board, EventFiles.Histogram.class)).isEmpty();
    }
  }

  @Nested
  class Bits {
    /** Runs 6 steps and returns every variable; with the listener, histograms (and gradients) every step. */
    Map<String, float[]> run(UnaryOperator<Trainer.Builder> config, boolean board) {
      try (Trainer t = config.apply(trainer()).build()) {
        if (board) {
          t.fit(data, Steps.of(6), Listeners.tensorBoard(dir.resolve("bits-" + System.nanoTime()),
              TensorBoard.Options.defaults().imagesEvery(2).histogramsEvery(1)));
        } else {
          t.fit(data, Steps.of(6));
        }
        return t.variables();
      }
    }

    void assertSameBits(UnaryOperator<Trainer.Builder> config) {
      Map<String, float[]> without = run(config, false);
      Map<String, float[]> with = run(config, true);
      assertThat(with.keySet()).isEqualTo(without.keySet());
      without.forEach((name, values) -> assertThat(Arrays.equals(values, with.get(name)))
          .as("%s bit-identical with and without TensorBoard histograms", name).isTrue());
    }

    @Test
    void histogramsOfWeightsAndGradients_changeNoVariable() {
      assertSameBits(b -> b);
    }

    @Test
    void histogramsOfWeightsAndGradients_changeNoVariable_withPenaltyCombinedBatchAndTwoDiscriminatorSteps() {
      assertSameBits(b -> b.penalty(GradientPenalty.r1(1f)).discriminatorUpdate(DiscriminatorUpdate.COMBINED_BATCH)
          .discriminatorSteps(2));
    }

    @Test
    void histogramsOfWeightsAndGradients_changeNoVariable_withGeneratorEma() {
      assertSameBits(b -> b.generatorEma(0.9f));
    }

    @Test
    void histogramsOfWeightsAndGradients_changeNoVariable_inMixedBfloat16() {
      assertSameBits(b -> b.precision(io.github.gan4j.recipe.Precision.MIXED_BFLOAT16));
    }

    @Test
    void histogramsOfWeightsAndGradients_changeNoVariable_withDropoutAndWganGp() {
      try (Trainer a = Trainer.of(Fixtures.tinyWithDropout()).batchSize(8).seed(4).loss(GanLoss.wasserstein())
          .penalty(GradientPenalty.wganGp()).build();
          Trainer b = Trainer.of(Fixtures.tinyWithDropout()).batchSize(8).seed(4).loss(GanLoss.wasserstein())
              .penalty(GradientPenalty.wganGp()).build()) {
        a.fit(data, Steps.of(4));
        b.fit(data, Steps.of(4), Listeners.tensorBoard(dir.resolve("dropout"),
            TensorBoard.Options.defaults().histogramsEvery(1)));
        a.variables().forEach((name, values) -> assertThat(Arrays.equals(values, b.variables().get(name)))
            .as(name).isTrue());
      }
    }
  }

  @Nested
  class OneStream {
    @Test
    void resumedRun_continuesTheStream_everyStepOnce_valuesOfTheUninterruptedRun() throws IOException {
      Path board = dir.resolve("resumed");
      Path checkpoints = dir.resolve("checkpoints");
      // the first run saves at 4 and 8 and ends at 10; it "dies" after its step-8 checkpoint
      try (Trainer t = trainer().build()) {
        t.fit(data, Steps.of(10), Listeners.checkpoints(checkpoints, 4, 10), Listeners.tensorBoard(board, EVERY_STEP));
      }
      assertEveryStepOnce(scalars(board), 1, 10);
      try (Trainer t = trainer().build()) {
        t.restore(Checkpoints.forStep(checkpoints, 8));
        t.fit(data, Steps.until(14), Listeners.tensorBoard(board, EVERY_STEP));
      }
      Map<String, TreeMap<Long, List<Float>>> resumed = scalars(board);
      assertEveryStepOnce(resumed, 1, 14);

      Path straight = dir.resolve("straight");
      try (Trainer t = trainer().build()) {
        t.fit(data, Steps.of(14), Listeners.tensorBoard(straight, EVERY_STEP));
      }
      Map<String, TreeMap<Long, List<Float>>> uninterrupted = scalars(straight);
      for (String tag : STEP_TAGS) {
        if (!tag.equals("speed/steps_per_s")) {
          assertThat(resumed.get(tag)).as(tag).isEqualTo(uninterrupted.get(tag));
        }
      }
      // images and histograms: those of steps 9 and 12 once each, written by the resumed run
      assertThat(entries(board, EventFiles.Image.class)).extracting(EventFiles.Image::step)
          .containsExactly(3L, 6L, 9L, 12L);
      assertThat(entries(board, EventFiles.Histogram.class).stream()
          .filter(h -> h.tag().equals("gradients/generator/dense/kernel")).map(EventFiles.Histogram::step).toList())
          .containsExactly(3L, 6L, 9L, 12L);
    }

    @Test
    void rollbackWithTheSameBoard_removesTheStepsRunAgain() throws IOException {
      Path board = dir.resolve("rollback");
      Path checkpoints = dir.resolve("cp");
      try (TensorBoard tb = TensorBoard.open(board, EVERY_STEP)) {
        try (Trainer t = trainer().build()) {
          t.fit(data, Steps.of(7), tb.listener(), Listeners.checkpoints(checkpoints, 5, 10));
        }
        try (Trainer t = trainer().optimizer(Optimizer.adam().learningRate(5e-4f)).build()) {
          t.restore(Checkpoints.forStep(checkpoints, 5));
          t.fit(data, Steps.until(9), tb.listener());
        }
        tb.scalar("eval/fid", 9, 1.0);
      }
      Map<String, TreeMap<Long, List<Float>>> scalars = scalars(board);
      assertEveryStepOnce(scalars, 1, 9);
      assertThat(scalars.get("learning_rates/generator").get(5L)).containsExactly(0.001f);
      assertThat(scalars.get("learning_rates/generator").get(6L)).containsExactly(5e-4f);
      assertThat(EventFiles.list(board)).hasSize(2);
    }

    @Test
    void killedAfterACheckpoint_hasEveryEventOfItsSteps_andTheResumedRunEveryStepOnce() throws Exception {
      Path run = dir.resolve("killed");
      Path board = run.resolve("tensorboard");
      List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
          "-cp", System.getProperty("java.class.path"), TensorBoardProbe.class.getName(), run.toString(), "100000",
          "7");
      Path log = dir.resolve("probe.txt");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
      Process p = pb.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (p.isAlive() && System.nanoTime() < deadline && Checkpoints.list(run.resolve("checkpoints")).size() < 3) {
        Thread.sleep(20);
      }
      Thread.sleep(50);   // somewhere between two checkpoints
      p.toHandle().destroyForcibly();   // SIGKILL: no onEnd, no flush but the ones before each checkpoint
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(Checkpoints.list(run.resolve("checkpoints"))).as("log:%n%s", Files.readString(log)).hasSizeGreaterThan(2);

      List<Path> saved = Checkpoints.list(run.resolve("checkpoints"));
      Path newest = saved.get(saved.size() - 1);
      long at = Checkpoints.stepOf(newest);
      // every event of the checkpointed steps is on disk
      Map<String, TreeMap<Long, List<Float>>> beforeResume = scalars(board);
      for (String tag : STEP_TAGS) {
        assertThat(beforeResume.get(tag).headMap(at, true).keySet()).as("%s after the kill", tag)
            .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, at).boxed().toList());
      }
      try (Trainer t = trainer().build()) {
        t.restore(newest);
        t.fit(data, Steps.until(at + 5), Listeners.tensorBoard(board, EVERY_STEP));
      }
      assertEveryStepOnce(scalars(board), 1, at + 5);
      List<Long> imageSteps = entries(board, EventFiles.Image.class).stream().map(EventFiles.Image::step).toList();
      assertThat(imageSteps).doesNotHaveDuplicates()
          .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, at + 5).filter(s -> s % 3 == 0)
              .boxed().toList());
    }
  }

  @Nested
  class Files_ {
    @Test
    void damagedRecord_isAnErrorNamingFileAndOffset_truncatedTailEndsTheFile() throws IOException {
      Path board = dir.resolve("damaged");
      try (Trainer t = trainer().build()) {
        t.fit(data, Steps.of(3), Listeners.tensorBoard(board, TensorBoard.Options.defaults()));
      }
      Path file = EventFiles.list(board).get(0);
      int entries = EventFiles.read(board).size();
      long size = Files.size(file);

      // a record cut short, as a killed writer leaves it: the complete ones are read
      Path cut = dir.resolve("cut").resolve(file.getFileName());
      Files.createDirectories(cut.getParent());
      Files.write(cut, Arrays.copyOf(Files.readAllBytes(file), (int) size - 7));
      assertThat(EventFiles.read(cut.getParent())).hasSize(entries - 1);

      // one flipped bit in the data of a record
      try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
        f.seek(size - 10);
        int b = f.read();
        f.seek(size - 10);
        f.write(b ^ 0x10);
      }
      assertThatThrownBy(() -> EventFiles.read(board)).isInstanceOf(DataFormatException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("checksum of the record's")
          .satisfies(e -> assertThat(((DataFormatException) e).offset()).isLessThan(size - 10).isPositive());
    }

    @Test
    void ownedListener_twoFits_oneStream_andOptionsAreValidated() throws IOException {
      Path board = dir.resolve("owned");
      TrainingListener listener = Listeners.tensorBoard(board, TensorBoard.Options.defaults().imagesEvery(0));
      try (Trainer t = trainer().build()) {
        t.fit(data, Steps.of(2), listener);
        t.fit(data, Steps.of(2), listener);
      }
      assertEveryStepOnce(scalars(board), 1, 4);
      assertThatThrownBy(() -> TensorBoard.Options.defaults().scalarsEvery(0))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("scalarsEvery must be positive, was 0");
      assertThatThrownBy(() -> TensorBoard.Options.defaults().histogramsEvery(-1))
          .hasMessageContaining("0 for no histograms");
      TensorBoard closed = TensorBoard.open(board);
      closed.close();
      closed.close();
      assertThatThrownBy(() -> closed.scalar("x", 1, 1)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }
  }

  @Nested
  class ReadmeSnippet {
    @Test
    void readmeTensorBoard_isThisCompiledCode() throws IOException {
      ReadmeTest.assertReadmeShows("gan-tests/src/test/java/io/github/gan4j/tests/TensorBoardTest.java",
          "TENSORBOARD", 6);
      io.github.gan4j.Gan gan = Fixtures.tiny();
      Dataset images = data;
      Path run = dir.resolve("runs").resolve("example");
      int steps = 4;
      double fid = 31.4;
      // BEGIN README TENSORBOARD
      try (Trainer trainer = Trainer.of(gan).build();
          TensorBoard board = TensorBoard.open(run.resolve("tensorboard"))) {
        trainer.fit(images, Steps.of(steps), board.listener(),
            Listeners.checkpoints(run.resolve("checkpoints"), 1_000, 3));
        board.scalars(trainer.stepCount(), Map.of("eval/fid", fid));   // your own scalars, at their step
      }
      for (EventFiles.Entry e : EventFiles.read(run.resolve("tensorboard"))) {
        if (e instanceof EventFiles.Scalar s && s.tag().equals("losses/g_loss")) {
          System.out.println(s.step() + " " + s.value());
        }
      }
      // END README TENSORBOARD
      assertThat(scalars(run.resolve("tensorboard")).get("eval/fid")).containsOnlyKeys(4L);
    }
  }

  private static double min(float[] v) {
    float m = Float.POSITIVE_INFINITY;
    for (float x : v) {
      m = Math.min(m, x);
    }
    return m;
  }

  private static double max(float[] v) {
    float m = Float.NEGATIVE_INFINITY;
    for (float x : v) {
      m = Math.max(m, x);
    }
    return m;
  }
}
