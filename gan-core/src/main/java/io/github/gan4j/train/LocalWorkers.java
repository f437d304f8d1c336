package io.github.gan4j.train;

import io.github.gan4j.recipe.ClusterSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command as the {@code N} workers of a cluster on this machine, on {@code 127.0.0.1}
 * (for a single large machine, and for tests). Each process gets the environment variable
 * {@value ClusterSpec#TF_CONFIG} naming the cluster and its task, which
 * {@link ClusterSpec#fromEnvironment()} reads; its output is copied line by line to one stream,
 * each line prefixed with {@code [worker i] }.
 *
 * <pre>{@code
 * List<String> command = LocalWorkers.javaCommand(Main.class, List.of("train", "--steps", "1000"));
 * int status = LocalWorkers.run(4, command, System.out);   // 0 when every worker succeeded
 * }</pre>
 *
 * <p>When a worker fails, the others fail by themselves within their cluster timeout (they name
 * the missing worker); those still running after a grace period are ended. Ending this process
 * (Ctrl-C) ends the workers.
 */
public final class LocalWorkers {
  /** Default of {@link #run(int, List, PrintStream, Duration)}'s grace period. */
  public static final Duration DEFAULT_GRACE = ClusterSpec.DEFAULT_TIMEOUT.multipliedBy(2).plusSeconds(30);

  private LocalWorkers() {}

  /**
   * The command that runs {@code main} with {@code args} in a JVM like this one: the same
   * {@code java}, class path and maximum heap. (Other JVM options, and a JVM started on the module
   * path, are not reproduced; give the command yourself for those.)
   */
  public static List<String> javaCommand(Class<?> main, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    long heap = Runtime.getRuntime().maxMemory();
    if (heap != Long.MAX_VALUE) {
      cmd.add("-Xmx" + Math.max(64, heap >> 20) + "m");
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(args);
    return cmd;
  }

  /** As {@link #run(int, List, PrintStream, Duration)} with {@link #DEFAULT_GRACE}. */
  public static int run(int workers, List<String> command, PrintStream out) throws IOException, InterruptedException {
    return run(workers, command, out, DEFAULT_GRACE);
  }

  /**
   * Starts {@code workers} processes of {@code command}, worker {@code i} with
   * {@value ClusterSpec#TF_CONFIG} set to task {@code i} of a cluster of free ports on
   * {@code 127.0.0.1} ({@link ClusterSpec#loopback}), and waits for all of them.
   *
   * @param grace how long the others may run on after one failed before they are ended
   * @return 0 when every worker exited with 0, else the exit status of the first that failed
   */
  public static int run(int workers, List<String> command, PrintStream out, Duration grace)
      throws IOException, InterruptedException {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(grace, "grace");
    if (command.isEmpty()) {
      throw new IllegalArgumentException("the command is empty");
    }
    List<String> addresses = ClusterSpec.loopback(workers);
    List<Process> processes = new ArrayList<>();
    List<Thread> copiers = new ArrayList<>();
    Thread hook = new Thread(() -> processes.forEach(Process::destroy), "gan4j-local-workers-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      for (int i = 0; i < workers; i++) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put(ClusterSpec.TF_CONFIG, ClusterSpec.of(addresses, i).toTfConfig());
        Process p = pb.start();
        processes.add(p);
        Thread copier = new Thread(() -> copy(p, "[worker " + processes.indexOf(p) + "] ", out),
            "gan4j-local-worker-" + i + "-output");
        copier.setDaemon(true);
        copier.start();
        copiers.add(copier);
      }
      int status = 0;
      long giveUp = Long.MAX_VALUE;
      while (processes.stream().anyMatch(Process::isAlive)) {
        for (Process p : processes) {
          if (status == 0 && !p.isAlive() && p.exitValue() != 0) {
            status = p.exitValue();
            giveUp = System.nanoTime() + grace.toNanos();
          }
        }
        if (System.nanoTime() - giveUp > 0) {
          for (int i = 0; i < processes.size(); i++) {
            if (processes.get(i).isAlive()) {
              synchronized (out) {
                out.println("[worker " + i + "] still running " + grace.toSeconds() + " s after another worker failed;"
                    + " ending it");
              }
              processes.get(i).destroyForcibly();
            }
          }
          giveUp = Long.MAX_VALUE;
        }
        processes.get(0).waitFor(100, TimeUnit.MILLISECONDS);
      }
      for (Process p : processes) {
        if (status == 0 && p.exitValue() != 0) {
          status = p.exitValue();
        }
      }
      for (Thread t : copiers) {
        t.join(5_000);
      }
      return status;
    } finally {
      processes.forEach(Process::destroyForcibly);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
  }

  private static void copy(Process p, String prefix, PrintStream out) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), Charset.defaultCharset()))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (out) {
          out.println(prefix + line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
