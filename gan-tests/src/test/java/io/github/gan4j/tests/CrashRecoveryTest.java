package io.github.gan4j.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gan4j.train.Checkpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the training process with SIGKILL at random moments, checkpoint writes included,
 * resumes each time, and checks that the run always continues from a complete checkpoint and
 * ends with exactly the weights of an uninterrupted run. {@code -Dgan4j.kills=N} sets the
 * number of kills (default 20; the long version uses 100).
 */
class CrashRecoveryTest {
  static final int KILLS = Integer.getInteger("gan4j.kills", 20);

  @TempDir
  Path dir;

  static List<String> command(Path runDir, long steps, boolean resume) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", System.getProperty("java.class.path"), "io.github.gan4j.examples.Main", "train",
        "--dataset", "fashion-mnist", "--data-dir", TestData.fashionMnist().toString(), "--steps", String.valueOf(steps), "--batch-size", "8", "--seed", "9",
        "--checkpoint-every", "2", "--keep-checkpoints", "2", "--sample-every", "1000000", "--log-every", "1",
        "--out", runDir.toString()));
    if (resume) {
      cmd.add("--resume");
    }
    return cmd;
  }

  static Process start(List<String> cmd, Path log) throws IOException {
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  @Test
  void sigkillAtRandomMoments_neverLosesMoreThanTheStepsSinceACompleteCheckpoint() throws Exception {
    SplittableRandom random = new SplittableRandom(Long.getLong("gan4j.kills.seed", 7L));
    Path runDir = dir.resolve("killed");
    long total = 40L * KILLS;   // enough that every start is killed before the run completes
    int kills = 0;
    int killedWhileSaving = 0;
    long lastGood = 0;
    int attempt = 0;
    while (kills < KILLS) {
      attempt++;
      boolean resume = Files.isDirectory(runDir.resolve("checkpoints"))
          && !Checkpoints.list(runDir.resolve("checkpoints")).isEmpty();
      Path log = dir.resolve("log-" + attempt + ".txt");
      Process p = start(command(runDir, total, resume), log);
      // wait for the process to be training: its first logged step after this start
      // generous: a slow or shared CI machine may take long to start a JVM and TensorFlow
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (p.isAlive() && System.nanoTime() < deadline && !Files.readString(log).contains("\nstep ")
          && !Files.readString(log).startsWith("step ")) {
        Thread.sleep(20);
      }
      Thread.sleep(random.nextInt(1000));
      if (!p.isAlive()) {
        break;   // finished before the kill: the run is complete
      }
      boolean saving = tmpDirectoryPresent(runDir);
      p.toHandle().destroyForcibly();   // SIGKILL
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      kills++;
      killedWhileSaving += saving || tmpDirectoryPresent(runDir) ? 1 : 0;

      // after every kill: the newest checkpoint that verifies is complete and not older than before
      List<Path> cps = Checkpoints.list(runDir.resolve("checkpoints"));
      if (cps.isEmpty()) {
        // killed before the first checkpoint was complete: nothing may have been published
        assertThat(lastGood).as("kill %d removed every checkpoint; log:%n%s", kills, Files.readString(log)).isZero();
        assertThat(maxLoggedStep(log)).isLessThanOrEqualTo(2 + 1);
        continue;
      }
      long newest = Checkpoints.stepOf(cps.get(cps.size() - 1));
      assertThat(newest).isGreaterThanOrEqualTo(lastGood);
      long loggedMax = maxLoggedStep(log);
      assertThat(loggedMax - newest).as("steps lost at kill %d", kills).isLessThanOrEqualTo(2 + 1);
      lastGood = newest;
    }
    // finish the run and compare with one that was never interrupted
    Path log = dir.resolve("log-final.txt");
    boolean anyCheckpoint = Files.isDirectory(runDir.resolve("checkpoints"))
        && !Checkpoints.list(runDir.resolve("checkpoints")).isEmpty();
    Process finish = start(command(runDir, total, anyCheckpoint), log);
    assertThat(finish.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(finish.exitValue()).as(Files.readString(log)).isZero();
    Path whole = dir.resolve("whole");
    Process uninterrupted = start(command(whole, total, false), dir.resolve("log-whole.txt"));
    assertThat(uninterrupted.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(uninterrupted.exitValue()).isZero();

    Path a = Checkpoints.forStep(runDir.resolve("checkpoints"), total).resolve("variables.data-00000-of-00001");
    Path b = Checkpoints.forStep(whole.resolve("checkpoints"), total).resolve("variables.data-00000-of-00001");
    assertThat(Files.readAllBytes(a)).as("final weights, optimizer state and step").isEqualTo(Files.readAllBytes(b));
    CommandLineTest.assertSameSamples(whole, runDir, dir);
    System.out.printf("CrashRecoveryTest: %d SIGKILLs survived (%d during a checkpoint write), %d steps%n", kills,
        killedWhileSaving, total);
    assertThat(kills).isEqualTo(KILLS);
  }

  static boolean tmpDirectoryPresent(Path runDir) throws IOException {
    Path cps = runDir.resolve("checkpoints");
    if (!Files.isDirectory(cps)) {
      return false;
    }
    try (var s = Files.list(cps)) {
      return s.anyMatch(p -> p.getFileName().toString().contains(".tmp-"));
    }
  }

  static long maxLoggedStep(Path log) throws IOException {
    long max = 0;
    for (String line : Files.readAllLines(log)) {
      if (line.startsWith("step ")) {
        max = Math.max(max, Long.parseLong(line.split("\\s+")[1]));
      }
    }
    return max;
  }
}
