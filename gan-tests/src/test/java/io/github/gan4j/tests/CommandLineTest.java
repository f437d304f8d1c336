package io.github.gan4j.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gan4j.examples.Main;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import io.github.gan4j.train.Checkpoints;
import io.github.gan4j.train.EventFiles;
import io.github.gan4j.train.TrainedGenerator;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The example application's command line, end to end on Fashion-MNIST. */
class CommandLineTest {

  record Outcome(int status, String out, String err) {}

  static Outcome run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false);
    return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static String[] train(Path runDir, long steps, String... extra) {
    List<String> a = new ArrayList<>(List.of("train", "--dataset", "fashion-mnist",
        "--data-dir", TestData.fashionMnist().toString(), "--steps", String.valueOf(steps),
        "--batch-size", "16", "--seed", "5", "--sample-every", "3", "--checkpoint-every", "3", "--log-every", "2",
        "--out", runDir.toString()));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  @Nested
  class Mistakes {
    static Stream<Arguments> mistakes() {
      return Stream.of(
          Arguments.of(new String[] {"frobnicate"}, "unknown command 'frobnicate'"),
          Arguments.of(new String[] {"train", "--steps", "0"}, "option --steps must be positive, got 0"),
          Arguments.of(new String[] {"train", "--steps", "ten"}, "option --steps needs a whole number, got 'ten'"),
          Arguments.of(new String[] {"train", "--steps", "5", "--epochs", "1"}, "give --steps or --epochs, not both"),
          Arguments.of(new String[] {"train", "--bogus"}, "unknown option --bogus"),
          Arguments.of(new String[] {"train", "--batch-size"}, "option --batch-size needs a value"),
          Arguments.of(new String[] {"train", "--dataset", "imagenet"},
              "option --dataset must be one of cifar10, fashion-mnist, mnist, folder, got 'imagenet'"),
          Arguments.of(new String[] {"train", "--dataset", "mnist", "--image-size", "32x32x3"},
              "--image-size is only for --dataset folder"),
          Arguments.of(new String[] {"train", "--dataset", "folder", "--image-size", "30x30x3"},
              "default model needs height and width divisible by 4"),
          Arguments.of(new String[] {"train", "--beta1", "1.5"}, "option --beta1 must be in [0, 1), got 1.5"),
          Arguments.of(new String[] {"train", "--seed", "1", "--seed", "2"}, "option --seed is given twice"),
          Arguments.of(new String[] {"train", "--loss", "bce"},
              "option --loss must be one of non-saturating, minimax, lsgan, hinge, wasserstein, got 'bce'"),
          Arguments.of(new String[] {"train", "--gp", "0"}, "option --gp must be a positive number, got 0"),
          Arguments.of(new String[] {"train", "--r1", "x"}, "option --r1 needs a number, got 'x'"),
          Arguments.of(new String[] {"train", "--penalty-every", "4"}, "--penalty-every needs a penalty: --gp, --r1 or --r2"),
          Arguments.of(new String[] {"train", "--loss", "hinge", "--label-smoothing", "0.1"},
              "--label-smoothing applies to the cross-entropy losses (non-saturating, minimax), not to --loss hinge"),
          Arguments.of(new String[] {"train", "--label-smoothing", "1"}, "option --label-smoothing must be in [0, 1), got 1"),
          Arguments.of(new String[] {"train", "--lr-schedule", "linear"},
              "option --lr-schedule: bad learning-rate schedule 'linear'; expected constant, linear:DECAY_STEPS[:FLOOR]"),
          Arguments.of(new String[] {"train", "--lr-schedule", "cosine:0"},
              "option --lr-schedule: cosine decay steps must be positive, was 0"),
          Arguments.of(new String[] {"train", "--init", "normal:-1"},
              "option --init normal:STD needs a positive standard deviation, e.g. normal:0.02, got 'normal:-1'"),
          Arguments.of(new String[] {"train", "--init", "lecun"},
              "option --init must be glorot, he or normal:STD (e.g. normal:0.02), got 'lecun'"),
          Arguments.of(new String[] {"train", "--clip-weights", "-0.01"}, "option --clip-weights must be a positive number"),
          Arguments.of(new String[] {"generate", "--out", "x.npy"}, "option --run is required"),
          Arguments.of(new String[] {"summary", "extra"}, "unexpected argument 'extra'"));
    }

    @ParameterizedTest
    @MethodSource("mistakes")
    void badArguments_giveOneLineErrorAndUsage_exitCode2(String[] args, String message) {
      Outcome o = run(args);
      assertThat(o.status()).isEqualTo(2);
      String first = o.err().lines().findFirst().orElse("");
      assertThat(first).isEqualTo("gan4j: " + first.substring(7)).contains(message);
      assertThat(o.err()).contains("usage: java -jar gan-examples.jar").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void resumeWithoutARun_isExplained(@TempDir Path dir) {
      Outcome o = run(train(dir.resolve("run"), 6, "--resume"));
      assertThat(o.status()).isEqualTo(2);
      assertThat(o.err()).contains("holds no complete checkpoint to resume from");
    }

    @Test
    void missingData_isAOneLineFailure(@TempDir Path dir) {
      Outcome o = run("train", "--dataset", "mnist", "--data-dir", dir.toString(), "--out", dir.resolve("r").toString());
      assertThat(o.status()).isEqualTo(1);
      assertThat(o.err()).contains("MNIST not found").doesNotContain("\tat ");
    }
  }

  @Test
  void summary_printsTheReferenceTable() {
    Outcome o = run("summary");
    assertThat(o.status()).isZero();
    assertThat(o.out()).contains("Total params: 2,313,859", "Non-trainable params: 896", "Total params: 374,913",
        "0.717 GFLOP per image");
    assertThat(run("summary", "--dataset", "fashion-mnist").out()).contains("(None, 28, 28, 1)");
  }

  @Test
  void minutes_isATrainingTimeBudget_theRunEndsExported_andResumeWithMoreMinutesContinues(@TempDir Path dir)
      throws IOException {
    Path runDir = dir.resolve("timed");
    Outcome o = run(train(runDir, 100_000, "--minutes", "0.01", "--ema", "0.9", "--no-tensorboard"));
    assertThat(o.status()).as(o.err()).isZero();
    assertThat(runDir.resolve("tensorboard")).doesNotExist();
    assertThat(o.out()).contains("0.01 minutes of training").contains("the training-time budget");
    assertThat(runDir.resolve("config.properties")).content().contains("training-minutes=0.01", "ema=0.9");
    assertThat(runDir.resolve("generator/gan4j-export.properties")).content()
        .contains("generator.weights=ema(decay\\=0.9, start\\=0)");
    List<Path> saved = Checkpoints.list(runDir.resolve("checkpoints"));
    long first = Checkpoints.stepOf(saved.get(saved.size() - 1));
    assertThat(first).isPositive().isLessThan(100_000);

    Outcome more = run(train(runDir, 100_000, "--minutes", "0.02", "--resume"));
    assertThat(more.status()).as(more.err()).isZero();
    assertThat(more.out()).contains("resumed").contains("of training so far");
    List<Path> after = Checkpoints.list(runDir.resolve("checkpoints"));
    assertThat(Checkpoints.stepOf(after.get(after.size() - 1))).isGreaterThan(first);
  }

  @Test
  void evaluate_scoresARunOrSamples_andTrainEvaluatesAsItGoes(@TempDir Path dir) throws IOException {
    // the evaluator cache the other tests share, so the classifier is trained once per build
    System.setProperty("gan4j.evaluators.dir", Fixtures.EVALUATORS.toAbsolutePath().toString());
    try {
      String data = TestData.fashionMnist().toString();
      Path runDir = dir.resolve("run");
      Outcome t = run(train(runDir, 4, "--eval-every", "2", "--eval-count", "300"));
      assertThat(t.status()).as(t.err()).isZero();
      assertThat(t.out()).contains("evaluating every 2 steps with fashion-mnist-").contains("step 4  FD ");
      List<String> evaluations = Files.readAllLines(runDir.resolve("metrics.jsonl")).stream()
          .filter(l -> l.contains("\"event\":\"evaluation\"")).toList();
      assertThat(evaluations).hasSize(2);
      assertThat(evaluations.get(1)).startsWith("{\"step\":4,\"event\":\"evaluation\",\"fd\":")
          .contains("\"samples\":300");
      assertThat(EventFiles.read(runDir.resolve("tensorboard")).stream()
          .filter(e -> e instanceof EventFiles.Scalar s && s.tag().equals("eval/fd"))
          .map(e -> ((EventFiles.Scalar) e).step()).toList()).containsExactly(2L, 4L);

      Outcome e = run("evaluate", "--run", runDir.toString(), "--count", "300", "--data-dir", data);
      assertThat(e.status()).as(e.err()).isZero();
      assertThat(e.out()).contains("Frechet distance", "precision", "recall", "class entropy");
      List<String> lines = Files.readAllLines(runDir.resolve("evaluations.jsonl"));
      assertThat(lines).hasSize(1);
      String fd = lines.get(0).replaceAll(".*\"fd\":([^,]+),.*", "$1");
      assertThat(lines.get(0)).startsWith("{\"step\":4,\"fd\":");

      // the same samples, written by generate and scored from the file: the same distance
      Path npy = dir.resolve("samples.npy");
      assertThat(run("generate", "--run", runDir.toString(), "--count", "300", "--out", npy.toString()).status())
          .isZero();
      Outcome s = run("evaluate", "--samples", npy.toString(), "--dataset", "fashion-mnist", "--data-dir", data,
          "--count", "300");
      assertThat(s.status()).as(s.err()).isZero();
      assertThat(s.out()).contains("{\"fd\":" + fd + ",");

      assertThat(run("evaluate", "--count", "300").status()).isEqualTo(2);
      Outcome noDataset = run("evaluate", "--samples", npy.toString());
      assertThat(noDataset.status()).isEqualTo(2);
      assertThat(noDataset.err()).contains("--samples needs --dataset");
    } finally {
      System.clearProperty("gan4j.evaluators.dir");
    }
  }

  @Test
  void localWorkers_trainOneRunAsTwoProcesses_workerZeroWritesIt(@TempDir Path dir) throws IOException {
    Path runDir = dir.resolve("two");
    Outcome o = run(train(runDir, 4, "--local-workers", "2", "--no-tensorboard"));
    assertThat(o.status()).as(o.out() + o.err()).isZero();
    assertThat(o.out()).contains("[worker 0]").contains("[worker 1]")
        .contains("done: 4 steps (worker 0 exports the generator)");
    assertThat(runDir.resolve("generator/saved_model.pb")).exists();
    assertThat(runDir.resolve("checkpoints/step-000004/gan4j-checkpoint.properties")).exists();
    assertThat(runDir.resolve("config.properties")).content().contains("batch-size=16");

    Outcome noWorkers = run(train(dir.resolve("x"), 4, "--task", "1"));
    assertThat(noWorkers.status()).isEqualTo(2);
    assertThat(noWorkers.err()).contains("--task needs --workers");
    Outcome noTask = run(train(dir.resolve("y"), 4, "--workers", "127.0.0.1:1,127.0.0.1:2"));
    assertThat(noTask.status()).isEqualTo(2);
    assertThat(noTask.err()).contains("--workers needs --task");
  }

  @Test
  void train_writesTheRunDirectory_andGenerateReadsIt(@TempDir Path dir) throws IOException {
    Path runDir = dir.resolve("run");
    Outcome o = run(train(runDir, 6));
    assertThat(o.status()).as(o.err()).isZero();
    assertThat(o.out()).contains("done: 6 steps");
    assertThat(runDir.resolve("config.properties")).content().contains("seed=5", "batch-size=16", "total-steps=6");
    List<String> metrics = Files.readAllLines(runDir.resolve("metrics.jsonl"));
    assertThat(metrics).hasSize(3);
    assertThat(metrics.get(2)).matches(
        "\\{\"step\":6,\"d_loss\":[-0-9.E]+,\"g_loss\":[-0-9.E]+,\"d_x\":[-0-9.E]+,\"d_g_z\":[-0-9.E]+,\"d_g_z_d_update\":[-0-9.E]+,\"penalty\":null,\"steps_per_s\":[0-9.]+\\}");
    assertThat(runDir.resolve("samples/step-000003.png")).exists();
    assertThat(ImageIO.read(runDir.resolve("samples/step-000006.png").toFile()).getWidth()).isEqualTo(5 * 112 + 6 * 4);
    assertThat(runDir.resolve("checkpoints/step-000006/gan4j-checkpoint.properties")).exists();
    assertThat(runDir.resolve("generator/saved_model.pb")).exists();
    // TensorBoard by default: every step's losses, the grid at each sample step
    List<EventFiles.Scalar> losses = EventFiles.read(runDir.resolve("tensorboard")).stream()
        .filter(e -> e instanceof EventFiles.Scalar s && s.tag().equals("losses/d_loss"))
        .map(EventFiles.Scalar.class::cast).toList();
    assertThat(losses).extracting(EventFiles.Scalar::step).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);

    Outcome npy = run("generate", "--run", runDir.toString(), "--count", "7", "--out", dir.resolve("s.npy").toString());
    assertThat(npy.status()).as(npy.err()).isZero();
    float[] values = readNpy(dir.resolve("s.npy"), "(7, 28, 28, 1)");
    assertThat(values).hasSize(7 * 784);
    for (float v : values) {
      assertThat(v).isBetween(-1f, 1f);
    }
    assertThat(run("generate", "--run", runDir.toString(), "--count", "3", "--out", dir.resolve("png").toString())
        .status()).isZero();
    try (Stream<Path> pngs = Files.list(dir.resolve("png"))) {
      assertThat(pngs.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
          "sample-00000.png", "sample-00001.png", "sample-00002.png");
    }
    assertThat(run("generate", "--run", runDir.toString(), "--count", "9", "--grid", "--out",
        dir.resolve("grid.png").toString()).status()).isZero();
    assertThat(ImageIO.read(dir.resolve("grid.png").toFile()).getWidth()).isEqualTo(3 * 112 + 4 * 4);

    Outcome again = run(train(runDir, 6));
    assertThat(again.status()).isEqualTo(2);
    assertThat(again.err()).contains("already holds a run; add --resume");
  }

  @Test
  void conditional_isRecordedAndKeptOnResume_gridsHaveARowPerClass_andGenerateTakesAClass(@TempDir Path dir)
      throws IOException {
    Path whole = dir.resolve("whole");
    Path split = dir.resolve("split");
    Outcome first = run(train(whole, 6, "--conditional"));
    assertThat(first.status()).as(first.err()).isZero();
    assertThat(whole.resolve("config.properties")).content().contains("conditional=embedding,projection");
    var grid = ImageIO.read(whole.resolve("samples/step-000006.png").toFile());
    assertThat(grid.getWidth()).isEqualTo(5 * 112 + 6 * 4);
    assertThat(grid.getHeight()).as("one row per class").isEqualTo(10 * 112 + 11 * 4);
    // resumed without repeating --conditional: config.properties keeps it
    assertThat(run(train(split, 3, "--conditional")).status()).isZero();
    Outcome resumed = run(train(split, 6, "--resume"));
    assertThat(resumed.status()).as(resumed.err()).isZero();
    assertSameSamples(whole, split, dir);
    Outcome changed = run(train(split, 9, "--resume", "--conditional=cbn"));
    assertThat(changed.status()).isEqualTo(2);
    assertThat(changed.err()).contains("--conditional");

    Path npy = dir.resolve("c.npy");
    Outcome one = run("generate", "--run", whole.toString(), "--count", "4", "--class", "3", "--out", npy.toString());
    assertThat(one.status()).as(one.err()).isZero();
    try (TrainedGenerator g = TrainedGenerator.load(whole.resolve("generator"))) {
      assertThat(g.numClasses()).isEqualTo(10);
      assertThat(readNpy(npy, "(4, 28, 28, 1)")).containsExactly(g.generate(4, 0L, new int[] {3, 3, 3, 3}));
    }
    Outcome tooHigh = run("generate", "--run", whole.toString(), "--class", "10", "--out", npy.toString());
    assertThat(tooHigh.status()).isEqualTo(2);
    assertThat(tooHigh.err()).contains("--class must be below the generator's 10 classes, got 10");
    Path png = dir.resolve("grid.png");
    assertThat(run("generate", "--run", whole.toString(), "--count", "20", "--grid", "--out", png.toString())
        .status()).isZero();
    var rows = ImageIO.read(png.toFile());
    assertThat(rows.getHeight()).isEqualTo(10 * 112 + 11 * 4);
    assertThat(rows.getWidth()).isEqualTo(2 * 112 + 3 * 4);
    Outcome folder = run("train", "--dataset", "folder", "--data-dir", dir.toString(), "--conditional", "--out",
        dir.resolve("f").toString());
    assertThat(folder.status()).isEqualTo(2);
    assertThat(folder.err()).contains("--conditional needs a labelled dataset");
  }

  @Test
  void newTrainingOptions_areRecorded_andResumeFinishesTheSameRun(@TempDir Path dir) throws IOException {
    String[] options = {"--loss", "wasserstein", "--gp", "10", "--r1", "0.5", "--penalty-every", "2",
        "--lr-schedule", "cosine:6:0.1,warmup:2", "--init", "normal:0.02", "--beta1", "0", "--beta2", "0.9"};
    Path whole = dir.resolve("whole");
    Path split = dir.resolve("split");
    String[] logEveryStep = train(whole, 6, options);
    logEveryStep[List.of(logEveryStep).indexOf("--log-every") + 1] = "1";
    Outcome first = run(logEveryStep);
    assertThat(first.status()).as(first.err()).isZero();
    String config = Files.readString(whole.resolve("config.properties"));
    assertThat(config).contains("loss=wasserstein", "gp=10.0", "r1=0.5", "penalty-every=2",
        "lr-schedule=cosine\\:6\\:0.1,warmup\\:2", "init=normal\\:0.02", "beta2=0.9");
    // lazy penalties (every 2) apply on steps 0, 2, 4 (from 0), logged as steps 1, 3, 5
    List<String> lines = Files.readAllLines(whole.resolve("metrics.jsonl"));
    assertThat(lines).filteredOn(l -> l.matches("\\{\"step\":[135],.*")).hasSize(3)
        .allMatch(l -> l.matches(".*\"penalty\":[-0-9.E]+,.*"));
    assertThat(lines).filteredOn(l -> l.matches("\\{\"step\":[246],.*")).hasSize(3)
        .allMatch(l -> l.contains("\"penalty\":null"));
    assertThat(run(train(split, 3, options)).status()).isZero();
    Outcome added = run(train(split, 6, "--resume", "--clip-weights", "0.01"));
    assertThat(added.status()).isEqualTo(2);
    assertThat(added.err()).contains("--clip-weights was not part of this run");
    Outcome resumed = run(train(split, 6, "--resume"));
    assertThat(resumed.status()).as(resumed.err()).isZero();
    assertSameSamples(whole, split, dir);
    Outcome other = run(train(dir.resolve("he"), 2, "--init", "he", "--label-smoothing", "0.1", "--clip-weights", "0.05"));
    assertThat(other.status()).as(other.err()).isZero();
  }

  @Test
  void augment_isRecorded_andResumeKeepsIt(@TempDir Path dir) throws IOException {
    Path whole = dir.resolve("whole");
    Path split = dir.resolve("split");
    Outcome first = run(train(whole, 6, "--augment", "color,translation,cutout", "--no-tensorboard"));
    assertThat(first.status()).as(first.err()).isZero();
    assertThat(whole.resolve("config.properties")).content().contains("augment=color,translation,cutout");
    assertThat(first.out()).contains("every image D sees in training is augmented: diffAugment(color,translation,cutout)");
    assertThat(run(train(split, 3, "--augment", "color,translation,cutout", "--no-tensorboard")).status()).isZero();
    Outcome changed = run(train(split, 6, "--resume", "--augment", "cutout"));
    assertThat(changed.status()).isEqualTo(2);
    assertThat(changed.err()).contains("--augment cutout differs from this run's color,translation,cutout");
    Outcome resumed = run(train(split, 6, "--resume"));   // the run's augmentation, from config.properties
    assertThat(resumed.status()).as(resumed.err()).isZero();
    assertSameSamples(whole, split, dir);
    Outcome plain = run(train(dir.resolve("plain"), 6, "--no-tensorboard"));
    assertThat(plain.status()).as(plain.err()).isZero();
    assertThat(dir.resolve("plain").resolve("config.properties")).content().doesNotContain("augment");
    assertThat(plain.out()).doesNotContain("augmented");
    assertThat(Files.readAllBytes(dir.resolve("plain").resolve("samples").resolve("step-000006.png")))
        .as("the augmentation changed the run").isNotEqualTo(Files.readAllBytes(whole.resolve("samples")
            .resolve("step-000006.png")));

    Outcome bench = run("bench", "--model", "mnist", "--batch-size", "4", "--warmup", "0", "--steps", "1",
        "--repeats", "1", "--no-inference", "--peak-size", "64", "--augment", "color,translation,cutout", "--ema",
        "0.999");
    assertThat(bench.status()).as(bench.err()).isZero();
    assertThat(bench.out()).contains("\"augment\":\"color,translation,cutout\"", "\"ema\":\"0.999");
  }

  @Test
  void spectralNorm_isRecorded_keptOnResume_andBenchMeasuresIt(@TempDir Path dir) throws IOException {
    Path whole = dir.resolve("whole");
    Path split = dir.resolve("split");
    assertThat(run(train(whole, 4, "--spectral-norm", "both")).status()).isZero();
    assertThat(Files.readString(whole.resolve("config.properties"))).contains("spectral-norm=both");
    assertThat(run(train(split, 2, "--spectral-norm", "both")).status()).isZero();
    Outcome changed = run(train(split, 4, "--resume", "--spectral-norm", "discriminator"));
    assertThat(changed.status()).isEqualTo(2);
    assertThat(changed.err()).contains("--spectral-norm");
    // without the option, the run's own setting: the checkpoint's model (with u) restores
    Outcome resumed = run(train(split, 4, "--resume"));
    assertThat(resumed.status()).as(resumed.err()).isZero();
    assertSameSamples(whole, split, dir);

    Outcome bench = run("bench", "--model", "mnist", "--batch-size", "4", "--warmup", "0", "--steps", "1",
        "--repeats", "1", "--no-inference", "--peak-size", "64", "--spectral-norm", "discriminator");
    assertThat(bench.status()).as(bench.err()).isZero();
    assertThat(bench.out()).contains("\"spectral_norm\":\"discriminator\"");
  }

  @Test
  void resumingWithTheSameCommand_finishesTheSameRun(@TempDir Path dir) throws IOException {
    Path whole = dir.resolve("whole");
    Path split = dir.resolve("split");
    assertThat(run(train(whole, 6)).status()).isZero();
    assertThat(run(train(split, 3)).status()).isZero();
    Outcome resumed = run(train(split, 6, "--resume"));
    assertThat(resumed.status()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("resumed " + split + " at step 3 of 6");
    String[] otherSeed = train(split, 9, "--resume");
    otherSeed[List.of(otherSeed).indexOf("--seed") + 1] = "6";
    Outcome changed = run(otherSeed);
    assertThat(changed.status()).isEqualTo(2);
    assertThat(changed.err()).contains("--seed 6 differs from this run's 5");

    assertSameSamples(whole, split, dir);
    // the split run also logged its last step before the break (3); every other line is the same
    assertThat(withoutSpeed(split.resolve("metrics.jsonl")))
        .containsSubsequence(withoutSpeed(whole.resolve("metrics.jsonl")))
        .hasSize(withoutSpeed(whole.resolve("metrics.jsonl")).size() + 1)
        .anyMatch(l -> l.startsWith("{\"step\":3,"));
  }

  @Test
  void interrupted_savesACheckpoint_andResumeFinishesTheSameRun(@TempDir Path dir) throws Exception {
    Path runDir = dir.resolve("interrupted");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.github.gan4j.examples.Main"));
    List<String> args = new ArrayList<>(List.of(train(runDir, 100_000)));
    args.set(args.indexOf("--log-every") + 1, "1");
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    StringBuilder output = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        output.append(line).append('\n');
        if (line.startsWith("step 4 ")) {
          p.toHandle().destroy();   // SIGTERM (Process.destroy would also close our end of the pipe), as a Ctrl-C (SIGINT) or a stopping service manager would
        }
      }
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Matcher m = Pattern.compile("stopped at step (\\d+); checkpoint saved").matcher(output);
    assertThat(m.find()).as(output.toString()).isTrue();
    long stoppedAt = Long.parseLong(m.group(1));
    assertThat(runDir.resolve(String.format("checkpoints/step-%06d/gan4j-checkpoint.properties", stoppedAt))).exists();

    long total = stoppedAt + 2;
    Outcome resumed = run(train(runDir, total, "--resume"));
    assertThat(resumed.status()).as(resumed.err()).isZero();
    Path whole = dir.resolve("whole");
    assertThat(run(train(whole, total)).status()).isZero();
    assertSameSamples(whole, runDir, dir);
  }

  static void assertSameSamples(Path a, Path b, Path scratch) throws IOException {
    Path na = scratch.resolve(a.getFileName() + ".npy");
    Path nb = scratch.resolve(b.getFileName() + ".npy");
    assertThat(run("generate", "--run", a.toString(), "--count", "4", "--seed", "3", "--out", na.toString()).status())
        .isZero();
    assertThat(run("generate", "--run", b.toString(), "--count", "4", "--seed", "3", "--out", nb.toString()).status())
        .isZero();
    assertThat(Files.readAllBytes(nb)).isEqualTo(Files.readAllBytes(na));
  }

  static List<String> withoutSpeed(Path metrics) throws IOException {
    return Files.readAllLines(metrics).stream().map(l -> l.replaceAll(",\"steps_per_s\":[0-9.]+", "")).toList();
  }

  static float[] readNpy(Path file, String shape) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    assertThat(new String(bytes, 1, 5, StandardCharsets.US_ASCII)).isEqualTo("NUMPY");
    int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
    String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
    assertThat(header).contains("'descr': '<f4'", "'shape': " + shape).endsWith("\n");
    assertThat((10 + headerLength) % 64).isZero();
    ByteBuffer body = ByteBuffer.wrap(bytes, 10 + headerLength, bytes.length - 10 - headerLength)
        .order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[body.remaining() / 4];
    body.asFloatBuffer().get(out);
    return out;
  }
}
