package io.github.gan4j.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gan4j.Gan;
import io.github.gan4j.recipe.ClusterSpec;
import io.github.gan4j.train.LocalWorkers;
import io.github.gan4j.train.Steps;
import io.github.gan4j.train.Trainer;
import io.github.gan4j.train.TrainingListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Synchronous data-parallel training across JVMs on 127.0.0.1 ({@link DistributedWorker} child
 * processes): N workers of batch B/N follow one process of batch B, runs repeat bit for bit,
 * replicas stay identical, and a dead or missing worker makes the others fail in bounded time
 * with a message naming it.
 *
 * <p>Tolerance of 2 x 16 against 1 x 32 after 20 steps of {@link Fixtures#tiny()} (BatchNorm in
 * G, Adam): every weight within {@value #WEIGHT_TOLERANCE} (measured: 3.0e-7), every reported
 * loss and score within {@value #LOSS_TOLERANCE} (measured: 6e-8). They cannot be bit-identical:
 * a mean over 32 samples is summed in another order than the mean of two means over 16, and
 * the all-reduced BatchNorm statistics are E[x^2] - E[x]^2 rather than FusedBatchNorm's two passes.
 */
class DistributedTrainingTest {
  static final double WEIGHT_TOLERANCE = 1e-5;
  static final double LOSS_TOLERANCE = 1e-6;
  /**
   * The tolerance of {@link Fixtures#tinyResNet()} after 5 steps: Adam turns the rounding
   * differences of near-zero gradients into steps of up to the learning rate.
   */
  static final double RESNET_WEIGHT_TOLERANCE = 1e-3;
  static final int STEPS = 20;
  /** ClusterSpec timeout of the workers of the fault test (their startup timeout is 30 s). */
  static final int TIMEOUT_MS = 4_000;

  @TempDir
  Path dir;

  @Test
  void twoWorkersOfBatch16_followOneProcessOfBatch32_andRepeatBitForBit() throws Exception {
    DistributedWorker.Result single = singleProcess(32);

    List<DistributedWorker.Result> first = cluster("a", 2, 32, STEPS, List.of());
    List<DistributedWorker.Result> second = cluster("b", 2, 32, STEPS, List.of());

    assertThat(first.get(1).sameBits(first.get(0))).as("replica 1 holds replica 0's weights, bit for bit").isTrue();
    assertThat(second.get(0).sameBits(first.get(0))).as("a second run of the same cluster repeats the first").isTrue();
    assertThat(second.get(1).sameBits(first.get(1))).isTrue();

    DistributedWorker.Result two = first.get(0);
    assertThat(two.variables().keySet()).isEqualTo(single.variables().keySet());
    single.variables().forEach((name, expected) -> {
      float[] actual = two.variables().get(name);
      for (int i = 0; i < expected.length; i++) {
        assertThat((double) actual[i]).as("%s[%d] after %d steps", name, i, STEPS)
            .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(WEIGHT_TOLERANCE));
      }
    });
    assertThat(two.losses()).hasSize(STEPS);
    for (int s = 0; s < STEPS; s++) {
      for (int j = 0; j < 4; j++) {
        assertThat((double) two.losses().get(s)[j]).as("step %d, metric %d (d_loss, g_loss, D(x), D(G(z)))", s + 1, j)
            .isCloseTo(single.losses().get(s)[j], org.assertj.core.data.Offset.offset(LOSS_TOLERANCE));
      }
    }
  }

  /**
   * DiffAugment's draws are made for the global batch and each worker takes its rows, so a
   * cluster augments every image as one process would (same tolerance as without augmentation).
   */
  @Test
  void withDiffAugment_twoWorkersOfBatch16_followOneProcessOfBatch32() throws Exception {
    io.github.gan4j.recipe.DiffAugment augment = io.github.gan4j.recipe.DiffAugment.parse("color,translation,cutout");
    DistributedWorker.Result single = singleProcess(32, augment);
    List<DistributedWorker.Result> two = cluster("augmented", 2, 32, STEPS, List.of("--augment", augment.id()));
    assertThat(two.get(1).sameBits(two.get(0))).as("replica 1 holds replica 0's weights, bit for bit").isTrue();
    assertThat(single.sameBits(singleProcess(32, io.github.gan4j.recipe.DiffAugment.none())))
        .as("the augmentation changes the run").isFalse();
    single.variables().forEach((name, expected) -> {
      float[] actual = two.get(0).variables().get(name);
      for (int i = 0; i < expected.length; i++) {
        assertThat((double) actual[i]).as("%s[%d] after %d steps", name, i, STEPS)
            .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(WEIGHT_TOLERANCE));
      }
    });
    for (int s = 0; s < STEPS; s++) {
      for (int j = 0; j < 4; j++) {
        assertThat((double) two.get(0).losses().get(s)[j]).as("step %d, metric %d", s + 1, j)
            .isCloseTo(single.losses().get(s)[j], org.assertj.core.data.Offset.offset(LOSS_TOLERANCE));
      }
    }
  }

  @Test
  void withResidualBlocks_twoWorkersFollowOneProcess_theirBatchNormSynchronized() throws Exception {
    int steps = 5;
    DistributedWorker.Result single = singleProcess(Fixtures.tinyResNet(), 32, steps);
    List<DistributedWorker.Result> two = cluster("resnet", 2, 32, steps, List.of("--model", "resnet"));
    assertThat(two.get(1).sameBits(two.get(0))).as("replica 1 holds replica 0's weights, bit for bit").isTrue();
    assertThat(two.get(0).variables().keySet()).isEqualTo(single.variables().keySet())
        .contains("generator/res_block/bn_1/moving_mean");
    double worst = 0;
    String where = null;
    for (Map.Entry<String, float[]> e : single.variables().entrySet()) {
      float[] actual = two.get(0).variables().get(e.getKey());
      for (int i = 0; i < actual.length; i++) {
        double diff = Math.abs(actual[i] - e.getValue()[i]);
        if (diff > worst) {
          worst = diff;
          where = e.getKey() + "[" + i + "]";
        }
      }
    }
    System.out.println("resnet: largest difference " + worst + " at " + where);
    // BatchNorm on each replica's half batch instead of the global batch moves the weights by about 1e-2
    assertThat(worst).as("largest difference, at %s", where).isLessThan(RESNET_WEIGHT_TOLERANCE);
  }

  /**
   * A conditional GAN's fake labels are drawn for the global batch and each worker takes its rows
   * (as the latent noise); the real labels come with the worker's rows of the batch; conditional
   * BatchNorm's statistics are synchronized like plain BatchNorm's.
   */
  @Test
  void conditional_twoWorkersFollowOneProcess_labelsSharedLikeTheNoise() throws Exception {
    int steps = 5;
    Gan gan = ConditionalGanTest.tiny(DistributedWorker.CONDITIONED);
    List<float[]> losses = new ArrayList<>();
    Map<String, float[]> vars;
    try (Trainer t = Trainer.of(gan).batchSize(32).seed(11).threads(1, 1).build()) {
      t.fit(DistributedWorker.labelled(), Steps.of(steps),
          (tr, m) -> losses.add(new float[] {m.dLoss(), m.gLoss(), m.dReal(), m.dFake()}));
      vars = t.variables();
    }
    List<DistributedWorker.Result> two = cluster("cond", 2, 32, steps, List.of("--model", "cond"));
    assertThat(two.get(1).sameBits(two.get(0))).as("replica 1 holds replica 0's weights, bit for bit").isTrue();
    assertThat(two.get(0).variables()).containsKeys("discriminator/label_projection/embeddings",
        "generator/batch_normalization/class_gamma");
    vars.forEach((name, expected) -> {
      float[] actual = two.get(0).variables().get(name);
      for (int i = 0; i < expected.length; i++) {
        assertThat((double) actual[i]).as("%s[%d] after %d steps", name, i, steps)
            .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(WEIGHT_TOLERANCE));
      }
    });
    for (int s = 0; s < steps; s++) {
      for (int j = 0; j < 4; j++) {
        assertThat((double) two.get(0).losses().get(s)[j]).as("step %d, metric %d", s + 1, j)
            .isCloseTo(losses.get(s)[j], org.assertj.core.data.Offset.offset(LOSS_TOLERANCE));
      }
    }
  }

  @Test
  void withSpectralNorm_replicasHoldTheSameU_andFollowOneProcess() throws Exception {
    // u is computed from weights that are identical on every replica, so it needs no collective
    int steps = 5;
    DistributedWorker.Result single = singleProcess(SpectralNormTest.tinySn(), 32, steps);
    List<DistributedWorker.Result> two = cluster("sn", 2, 32, steps, List.of("--model", "sn"));
    assertThat(two.get(1).sameBits(two.get(0))).as("replica 1 holds replica 0's weights and u, bit for bit").isTrue();
    assertThat(two.get(0).variables()).containsKeys("discriminator/conv2d/u", "generator/dense/u");
    single.variables().forEach((name, expected) -> {
      float[] actual = two.get(0).variables().get(name);
      for (int i = 0; i < expected.length; i++) {
        assertThat((double) actual[i]).as("%s[%d] after %d steps", name, i, steps)
            .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(WEIGHT_TOLERANCE));
      }
    });
  }

  @Test
  void killingAWorker_makesTheOtherFailNamingIt_andResumeFinishesTheRun() throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    List<String> workers = ClusterSpec.loopback(2);
    List<String> extra = List.of("--timeout-ms", String.valueOf(TIMEOUT_MS), "--startup-ms", "30000",
        "--checkpoints", checkpoints.toString(), "--every", "5");
    int total = 60;
    List<Process> ps = new ArrayList<>();
    List<Path> logs = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      logs.add(dir.resolve("kill-" + t + ".log"));
      ps.add(start(workers, t, 32, total, dir.resolve("kill-" + t + ".bin"), extra, logs.get(t)));
    }
    // kill worker 1 once both train and the chief has written a checkpoint
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && (lastStep(logs.get(1)) < 12 || !Files.isDirectory(checkpoints))) {
      assertThat(ps.get(0).isAlive() && ps.get(1).isAlive()).as("workers alive; logs:%n%s%n%s", read(logs.get(0)),
          read(logs.get(1))).isTrue();
      Thread.sleep(50);
    }
    ps.get(1).toHandle().destroyForcibly();
    long killed = System.nanoTime();
    assertThat(ps.get(0).waitFor(TIMEOUT_MS + 10_000, TimeUnit.MILLISECONDS))
        .as("worker 0 ends within its timeout; log:%n%s", read(logs.get(0))).isTrue();
    double seconds = (System.nanoTime() - killed) / 1e9;
    String log = read(logs.get(0));
    assertThat(ps.get(0).exitValue()).as("exit status; log:%n%s", log).isEqualTo(3);
    assertThat(log).contains("ClusterException: worker 0 of 2 (" + workers.get(0) + ") cannot go on at step")
        .contains("worker 1 (" + workers.get(1) + ") is unreachable");
    assertThat(seconds).as("seconds from the kill to worker 0's exit").isLessThan(TIMEOUT_MS / 1000.0 + 10);
    int stoppedAt = lastStep(logs.get(0));
    assertThat(stoppedAt).isLessThan(total);

    // both start again with --resume: they restore the chief's newest checkpoint and finish with
    // the weights of a run that was never interrupted
    List<DistributedWorker.Result> resumed = cluster("resumed", 2, 32, total, concat(extra, List.of("--resume")));
    assertThat(read(dir.resolve("resumed-0.log"))).contains("resumed at step").contains("done COMPLETED at step " + total);
    assertThat(resumed.get(1).sameBits(resumed.get(0))).isTrue();
    List<DistributedWorker.Result> whole = cluster("whole", 2, 32, total, List.of());
    assertThat(resumed.get(0).sameVariables(whole.get(0))).as("resumed run ends as the uninterrupted one").isTrue();
    System.out.printf("worker 0 failed %.2f s after worker 1 was killed at step %d%n", seconds, stoppedAt);
  }

  @Test
  void aWorkerThatNeverStarts_isNamedWithinTheStartupTimeout() throws Exception {
    List<String> workers = ClusterSpec.loopback(2);
    Path log = dir.resolve("alone.log");
    long start = System.nanoTime();
    Process p = start(workers, 1, 32, 5, dir.resolve("alone.bin"), List.of("--startup-ms", "3000"), log);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("log:%n%s", read(log)).isTrue();
    assertThat(p.exitValue()).as("log:%n%s", read(log)).isEqualTo(3);
    assertThat(read(log)).contains("ClusterException: worker 1 of 2 (" + workers.get(1) + ") waited 3.00 s for the"
        + " other workers: worker 0 (" + workers.get(0) + ") is unreachable");
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(30);
  }

  @Test
  void localWorkers_runsACommandAsTheWorkersOfALoopbackCluster() throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.PrintStream out = new java.io.PrintStream(bytes, true, StandardCharsets.UTF_8);
    int status = LocalWorkers.run(2, LocalWorkers.javaCommand(DistributedWorker.class, List.of("--batch", "32",
        "--steps", "3", "--out", dir.resolve("local-{task}.bin").toString())), out);
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(status).as("output:%n%s", printed).isZero();
    assertThat(printed).contains("[worker 0] done COMPLETED at step 3").contains("[worker 1] done COMPLETED at step 3");
    assertThat(DistributedWorker.Result.read(dir.resolve("local-1.bin"))
        .sameBits(DistributedWorker.Result.read(dir.resolve("local-0.bin")))).isTrue();
  }

  @Test
  void onTheModulePath_aClusterNeedsAddOpens_andTheErrorSaysSo() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux")
        && System.getProperty("os.arch").equals("amd64"), "the module path below names the linux-x86_64 natives");
    List<String> modules = new ArrayList<>();
    List<String> classes = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      // gan-core is its classes directory or its jar, by the phase Maven ran
      boolean core = entry.replace('\\', '/').endsWith("gan-core/target/classes")
          || name.matches("gan-core-[0-9][^-]*(-SNAPSHOT)?\\.jar");
      boolean module = core || name.startsWith("tensorflow-core-api-") || name.equals("tensorflow-core-native-1.1.0.jar")
          || name.equals("tensorflow-core-native-1.1.0-linux-x86_64.jar") || name.startsWith("javacpp-")
          || name.startsWith("protobuf-java-") || name.startsWith("ndarray-") || name.startsWith("jna-");
      if (module) {
        modules.add(entry);
      } else if (!name.startsWith("tensorflow-core-native-")) {
        classes.add(entry);
      }
    }
    for (boolean opens : new boolean[] {false, true}) {
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx384m", "--module-path", String.join(java.io.File.pathSeparator, modules),
          "--add-modules", "io.github.gan4j"));
      if (opens) {
        cmd.addAll(List.of("--add-opens", "tensorflow/org.tensorflow=io.github.gan4j"));
      }
      cmd.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, classes), DistributedWorker.class.getName(),
          "--workers", ClusterSpec.loopback(1).get(0), "--task", "0", "--batch", "8", "--steps", "2",
          "--out", dir.resolve("module-path.bin").toString()));
      Path log = dir.resolve("module-path-" + opens + ".log");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
      Process p = pb.start();
      assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
      if (opens) {
        assertThat(p.exitValue()).as("log:%n%s", read(log)).isZero();
        assertThat(read(log)).contains("done COMPLETED at step 2");
      } else {
        assertThat(p.exitValue()).isNotZero();
        assertThat(read(log)).contains("on the module path start the JVM with"
            + " --add-opens tensorflow/org.tensorflow=io.github.gan4j");
      }
    }
  }

  /** {@code n} workers of a global batch {@code batch}; their results, by task. */
  private List<DistributedWorker.Result> cluster(String name, int n, int batch, int steps, List<String> extra)
      throws Exception {
    List<String> workers = ClusterSpec.loopback(n);
    List<Process> ps = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      ps.add(start(workers, t, batch, steps, dir.resolve(name + "-" + t + ".bin"), extra,
          dir.resolve(name + "-" + t + ".log")));
    }
    List<DistributedWorker.Result> out = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      Path log = dir.resolve(name + "-" + t + ".log");
      assertThat(ps.get(t).waitFor(90, TimeUnit.SECONDS)).as("worker %d finishes; log:%n%s", t, read(log)).isTrue();
      assertThat(ps.get(t).exitValue()).as("worker %d exit status; log:%n%s", t, read(log)).isZero();
      out.add(DistributedWorker.Result.read(dir.resolve(name + "-" + t + ".bin")));
    }
    return out;
  }

  /** One process with the workers' configuration (threads 1, 1), in this JVM. */
  private DistributedWorker.Result singleProcess(int batch) throws IOException {
    return singleProcess(Fixtures.tiny(), batch, STEPS);
  }

  private DistributedWorker.Result singleProcess(io.github.gan4j.Gan gan, int batch, int steps) throws IOException {
    return singleProcess(gan, batch, steps, io.github.gan4j.recipe.DiffAugment.none());
  }

  /** As {@link #singleProcess(int)}, with {@code augment}. */
  private DistributedWorker.Result singleProcess(int batch, io.github.gan4j.recipe.DiffAugment augment)
      throws IOException {
    return singleProcess(Fixtures.tiny(), batch, STEPS, augment);
  }

  private DistributedWorker.Result singleProcess(io.github.gan4j.Gan gan, int batch, int steps,
      io.github.gan4j.recipe.DiffAugment augment) throws IOException {
    List<float[]> losses = new ArrayList<>();
    Map<String, float[]> vars;
    try (Trainer t = Trainer.of(gan).batchSize(batch).seed(11).threads(1, 1).augment(augment).build()) {
      TrainingListener record = (tr, m) -> losses.add(new float[] {m.dLoss(), m.gLoss(), m.dReal(), m.dFake()});
      t.fit(Fixtures.squares(), Steps.of(steps), record);
      vars = t.variables();
    }
    Path file = dir.resolve(augment.isOn() ? "single-augmented.bin" : "single.bin");
    DistributedWorker.write(file, vars, losses);
    return DistributedWorker.Result.read(file);
  }

  private static Process start(List<String> workers, int task, int batch, int steps, Path out, List<String> extra,
      Path log) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m", "-cp", System.getProperty("java.class.path"), DistributedWorker.class.getName(),
        "--workers", String.join(",", workers), "--task", String.valueOf(task), "--batch", String.valueOf(batch),
        "--steps", String.valueOf(steps), "--out", out.toString()));
    cmd.addAll(extra);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    return pb.start();
  }

  private static final Pattern STEP = Pattern.compile("(?m)^step (\\d+) ");

  private static int lastStep(Path log) throws IOException {
    Matcher m = STEP.matcher(read(log));
    int last = -1;
    while (m.find()) {
      last = Integer.parseInt(m.group(1));
    }
    return last;
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
