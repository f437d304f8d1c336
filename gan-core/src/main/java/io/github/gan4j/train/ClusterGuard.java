package io.github.gan4j.train;

import io.github.gan4j.recipe.ClusterSpec;
import io.github.gan4j.recipe.TrainingRecipe;
import io.github.gan4j.tf.TrainingGraph;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a worker of a cluster does around its runs so that another worker's absence is never a
 * silent hang, and workers that do not hold the same state never train:
 * <ul>
 *   <li>{@link #meet}: before the first step after a build or restore, waits for the other
 *       workers and compares their state and configuration with this one's.
 *   <li>{@link #awaitWorkers()}: before the first run, waits (up to the startup timeout) until
 *       every other worker's server accepts connections, and names those that never do.
 *   <li>{@link #run}: turns a failed run into a {@link ClusterException} that names the workers
 *       it cannot reach.
 *   <li>A watchdog for the one case TensorFlow's own timeouts miss: a run blocked in native code
 *       beyond its deadline (worker 0, the collective group leader, gone before a worker's first
 *       run of a kind of step: TensorFlow 2.18 then retries forever). The watchdog logs the
 *       diagnosis and ends the process with exit status {@value #HUNG_EXIT_STATUS}: the blocked
 *       thread can neither be interrupted nor the session closed.
 * </ul>
 */
final class ClusterGuard {
  /** Exit status of a process ended by the watchdog (EX_TEMPFAIL: resume once the cluster is back). */
  static final int HUNG_EXIT_STATUS = 75;
  private static final System.Logger LOG = System.getLogger("io.github.gan4j");
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  private final ClusterSpec cluster;
  private final Duration grace;
  private final Consumer<String> onHang;
  private final Object lock = new Object();
  private String running;
  private long deadline;
  private long slowestNanos;
  private Thread watchdog;
  private boolean closed;

  ClusterGuard(ClusterSpec cluster) {
    this(cluster, Duration.ofSeconds(30), message -> {
      LOG.log(System.Logger.Level.ERROR, message);
      System.err.flush();
      Runtime.getRuntime().halt(HUNG_EXIT_STATUS);
    });
  }

  /**
   * @param grace added to every run's deadline (beyond twice the timeout and four times the
   *     slowest run so far)
   * @param onHang what the watchdog does with its diagnosis when a run is past its deadline: log
   *     it and end the process
   */
  ClusterGuard(ClusterSpec cluster, Duration grace, Consumer<String> onHang) {
    this.cluster = cluster;
    this.grace = grace;
    this.onHang = onHang;
  }

  ClusterSpec cluster() {
    return cluster;
  }

  /**
   * Waits until every other worker accepts TCP connections on its address, up to the startup
   * timeout.
   *
   * @throws ClusterException naming the workers that did not start in time
   */
  void awaitWorkers() {
    long end = System.nanoTime() + cluster.startupTimeout().toNanos();
    Map<Integer, String> missing = unreachable();
    while (!missing.isEmpty() && System.nanoTime() < end) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ClusterException(self() + " was interrupted while waiting for the other workers", List.copyOf(
            missing.keySet()), e);
      }
      missing = unreachable();
    }
    if (!missing.isEmpty()) {
      throw new ClusterException(self() + " waited " + seconds(cluster.startupTimeout()) + " for the other workers: "
          + describe(missing) + ". Start every worker (each with its own task), or raise"
          + " ClusterSpec.startupTimeout", List.copyOf(missing.keySet()), null);
    }
  }

  /**
   * Waits for every worker's server, then exchanges (task, step, a digest of every variable, a
   * digest of the configuration) with all workers and fails unless they agree: workers that
   * restored different checkpoints, or were configured differently, would otherwise train apart
   * or wait for collectives that never come.
   */
  void meet(TrainingGraph graph, TrainingRecipe recipe, long step) {
    ClusterSpec spec = cluster;
    awaitWorkers();
    long[] mine = {spec.task(), step, stateDigest(graph), configurationDigest(graph, recipe)};
    long[] all = run("the handshake", true, () -> graph.handshake(mine));
    int w = TrainingGraph.HANDSHAKE_WORDS;
    StringBuilder table = new StringBuilder();
    boolean agree = true;
    for (int t = 0; t < spec.size(); t++) {
      table.append(String.format(Locale.ROOT, "%n  worker %d (%s): step %d, variables %016x, configuration %016x",
          t, spec.workers().get(t), all[t * w + 1], all[t * w + 2], all[t * w + 3]));
      agree &= all[t * w] == t && all[t * w + 1] == mine[1] && all[t * w + 2] == mine[2] && all[t * w + 3] == mine[3];
    }
    if (!agree) {
      throw new ClusterException("the workers of the cluster disagree on where training stands; every worker must be"
          + " configured alike and restore the same checkpoint (or none):" + table, List.of(), null);
    }
  }

  /** SHA-256 of every variable's value (names sorted), first 8 bytes. */
  private static long stateDigest(TrainingGraph graph) {
    java.security.MessageDigest sha = sha256();
    new java.util.TreeMap<>(graph.variableValues()).forEach((name, values) -> {
      sha.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * 4);
      b.asFloatBuffer().put(values);
      sha.update(b);
    });
    return java.nio.ByteBuffer.wrap(sha.digest()).getLong();
  }

  /** What every worker's graph must have alike: the model, batch, seed, steps per update, collectives, augmentation. */
  private static long configurationDigest(TrainingGraph graph, TrainingRecipe recipe) {
    java.security.MessageDigest sha = sha256();
    sha.update((recipe.gan().fingerprint() + "|" + recipe.batchSize() + "|" + recipe.seed() + "|"
        + recipe.discriminatorSteps() + "|" + graph.collectives() + augmentation(recipe)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return java.nio.ByteBuffer.wrap(sha.digest()).getLong();
  }

  /** The augmentation's part of the digest: nothing without one, so digests of other runs stay as they were. */
  private static String augmentation(TrainingRecipe recipe) {
    return recipe.augment().isOn() ? "|" + recipe.augment().id() : "";
  }

  private static java.security.MessageDigest sha256() {
    try {
      return java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs {@code call} (a session run that includes collectives) under the watchdog.
   *
   * @param what what the run is, for messages ("step 17", "the handshake")
   * @param first whether it is the first run of its kind (the deadline includes the startup timeout)
   * @throws ClusterException if it fails and a worker is unreachable or a collective timed out
   */
  <T> T run(String what, boolean first, Supplier<T> call) {
    long start = System.nanoTime();
    Duration allowed = cluster.timeout().multipliedBy(2).plus(grace).plusNanos(4 * slowestNanos);
    if (first) {
      allowed = allowed.plus(cluster.startupTimeout());
    }
    synchronized (lock) {
      running = what;
      deadline = start + allowed.toNanos();
      startWatchdog();
    }
    try {
      T result = call.get();
      slowestNanos = Math.max(slowestNanos, System.nanoTime() - start);
      return result;
    } catch (RuntimeException e) {
      throw failure(what, e);
    } finally {
      synchronized (lock) {
        running = null;
      }
    }
  }

  private RuntimeException failure(String what, RuntimeException e) {
    String tf = String.valueOf(e.getMessage());
    boolean timedOut = tf.contains("timed out") || tf.contains("DEADLINE_EXCEEDED");
    boolean connection = tf.contains("UNAVAILABLE") || tf.contains("reset by peer") || tf.contains("failed to connect")
        || tf.contains("Socket closed");
    Map<Integer, String> missing = unreachable();
    // a killed process's sockets close a moment after its connections break: look again briefly
    for (int i = 0; i < 20 && missing.isEmpty() && connection; i++) {
      sleep(100);
      missing = unreachable();
    }
    if (missing.isEmpty() && !timedOut && !connection && !tf.contains("Collective")) {
      return e;   // not the cluster's doing: a bad value, a programming error
    }
    String cause;
    if (!missing.isEmpty()) {
      cause = describe(missing) + "; restart it, then resume every worker from the newest checkpoint";
    } else if (timedOut) {
      cause = "every worker's server answers, but an all-reduce did not complete within the timeout of "
          + seconds(cluster.timeout()) + ": a worker is stuck, or busy longer than that between steps (a long"
          + " evaluation or checkpoint on the chief?); raise ClusterSpec.timeout if that is expected";
    } else {
      cause = "a connection to another worker failed, though every worker's server answers again (did a worker"
          + " restart?); restart every worker and resume from the newest checkpoint";
    }
    return new ClusterException(self() + " cannot go on at " + what + ": " + cause + ". TensorFlow said: "
        + firstLine(tf), List.copyOf(missing.keySet()), e);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the watchdog; idempotent. */
  void close() {
    synchronized (lock) {
      closed = true;
      if (watchdog != null) {
        watchdog.interrupt();
      }
    }
  }

  private void startWatchdog() {
    if (watchdog != null || closed) {
      return;
    }
    watchdog = new Thread(this::watch, "gan4j-cluster-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private void watch() {
    while (true) {
      String what;
      synchronized (lock) {
        what = running != null && System.nanoTime() - deadline > 0 ? running : null;
      }
      if (what != null) {
        Map<Integer, String> missing = unreachable();
        onHang.accept(self() + " is stuck in " + what + " past its deadline, inside TensorFlow, which does not time"
            + " out when worker 0 (the collective group leader) is gone before a run: "
            + (missing.isEmpty() ? "every worker's server answers" : describe(missing))
            + ". Ending the process with exit status " + HUNG_EXIT_STATUS + "; restart every worker and resume from"
            + " the newest checkpoint.");
        return;
      }
      try {
        TimeUnit.SECONDS.sleep(1);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The other workers that do not accept a TCP connection now, with the reason. */
  Map<Integer, String> unreachable() {
    Map<Integer, String> out = new LinkedHashMap<>();
    for (int i = 0; i < cluster.size(); i++) {
      if (i == cluster.task()) {
        continue;
      }
      String address = cluster.workers().get(i);
      int colon = address.lastIndexOf(':');
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
            (int) CONNECT_TIMEOUT.toMillis());
      } catch (IOException e) {
        out.put(i, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
      }
    }
    return out;
  }

  private String describe(Map<Integer, String> missing) {
    List<String> parts = new ArrayList<>();
    missing.forEach((task, why) -> parts.add("worker " + task + " (" + cluster.workers().get(task) + ") is unreachable ("
        + why + ")"));
    return String.join(", ", parts);
  }

  private String self() {
    return "worker " + cluster.task() + " of " + cluster.size() + " (" + cluster.address() + ")";
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.3g s", d.toMillis() / 1000.0);
  }

  private static String firstLine(String s) {
    String t = s.strip();
    int nl = t.indexOf('\n');
    String first = nl < 0 ? t : t.substring(0, nl);
    String second = nl < 0 ? "" : t.substring(nl + 1).strip();
    int nl2 = second.indexOf('\n');
    second = nl2 < 0 ? second : second.substring(0, nl2);
    // TensorFlow's first line is often just "From /job:worker/replica:0/task:1:"
    return first.endsWith(":") && !second.isEmpty() ? first + " " + second : first;
  }
}
