package io.github.gan4j.recipe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The worker processes of a synchronous data-parallel run and which one this process is: every
 * worker holds a full replica of the training graph, takes its share of every global batch and
 * averages both networks' gradients with the others (all-reduce) before each update, so all
 * replicas hold the same weights after every step. Worker 0 is the chief: it alone writes
 * checkpoints and sample grids.
 *
 * <pre>{@code
 * ClusterSpec cluster = ClusterSpec.of(List.of("10.0.0.1:2222", "10.0.0.2:2222"), task)
 *     .timeout(Duration.ofSeconds(60));
 * ClusterSpec fromEnv = ClusterSpec.fromEnvironment().orElseThrow();   // TF_CONFIG
 * }</pre>
 *
 * <p>A plain value: nothing is started until a trainer is built with it. TensorFlow's gRPC
 * servers have no authentication or encryption and listen on every network interface of the
 * machine, whatever host the cluster names: run multi-machine clusters on a trusted network
 * only. {@link #loopback(int)} makes the addresses of a cluster on one machine.
 */
public final class ClusterSpec {
  /** The environment variable cluster managers set (Kubeflow's TFJob among them). */
  public static final String TF_CONFIG = "TF_CONFIG";
  /** Default of {@link #timeout(Duration)} in seconds. */
  public static final int DEFAULT_TIMEOUT_SECONDS = 60;
  /** Default of {@link #timeout(Duration)}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
  /** Default of {@link #startupTimeout(Duration)}. */
  public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofMinutes(5);

  private final List<String> workers;
  private final int task;
  private final Duration timeout;
  private final Duration startupTimeout;

  private ClusterSpec(List<String> workers, int task, Duration timeout, Duration startupTimeout) {
    this.workers = workers;
    this.task = task;
    this.timeout = timeout;
    this.startupTimeout = startupTimeout;
  }

  /**
   * A cluster of {@code workers} ({@code host:port} each, in task order) in which this process is
   * worker {@code task}.
   *
   * @throws IllegalArgumentException if the list is empty, an address is not {@code host:port}
   *     with a port in [1, 65535], an address appears twice, or {@code task} is out of range
   */
  public static ClusterSpec of(List<String> workers, int task) {
    Objects.requireNonNull(workers, "workers");
    if (workers.isEmpty()) {
      throw new IllegalArgumentException("a cluster needs at least one worker address (host:port)");
    }
    List<String> copy = List.copyOf(workers);
    for (int i = 0; i < copy.size(); i++) {
      checkAddress(copy.get(i), i);
      for (int j = 0; j < i; j++) {
        if (copy.get(j).equals(copy.get(i))) {
          throw new IllegalArgumentException("workers " + j + " and " + i + " have the same address " + copy.get(i)
              + "; every worker needs a port of its own");
        }
      }
    }
    if (task < 0 || task >= copy.size()) {
      throw new IllegalArgumentException("task " + task + " is not a worker of this cluster of " + copy.size()
          + " (tasks 0 to " + (copy.size() - 1) + ")");
    }
    return new ClusterSpec(copy, task, DEFAULT_TIMEOUT, DEFAULT_STARTUP_TIMEOUT);
  }

  private static void checkAddress(String address, int index) {
    Objects.requireNonNull(address, "worker address " + index);
    int colon = address.lastIndexOf(':');
    String host = colon < 0 ? "" : address.substring(0, colon);
    String port = colon < 0 ? "" : address.substring(colon + 1);
    boolean ok = !host.isEmpty() && !host.contains(" ") && port.matches("[0-9]{1,5}")
        && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535;
    if (!ok) {
      throw new IllegalArgumentException("worker " + index + " address '" + address
          + "' is not host:port with a port in [1, 65535], e.g. 10.0.0.1:2222 or worker-0.gan:2222");
    }
  }

  /**
   * The cluster described by the JSON of {@value #TF_CONFIG}:
   * {@code {"cluster": {"worker": ["host:port", ...]}, "task": {"type": "worker", "index": i}}}.
   * A {@code "chief"} job of one address, as MultiWorkerMirroredStrategy allows, becomes worker 0
   * and the {@code "worker"} job's tasks follow it. Other keys are ignored.
   *
   * @throws IllegalArgumentException if the text is not JSON (naming the character), or does not
   *     describe a cluster of workers with this task in it: a parameter-server ({@code "ps"}) or
   *     evaluator job, a missing key, a value of the wrong type; the message says how to fix it
   */
  public static ClusterSpec fromTfConfig(String json) {
    Objects.requireNonNull(json, "TF_CONFIG text");
    Object root = new Json(json).document();
    Map<String, Object> config = object(root, "TF_CONFIG");
    Map<String, Object> cluster = object(required(config, "cluster", "TF_CONFIG"), "TF_CONFIG's \"cluster\"");
    for (String job : cluster.keySet()) {
      if (!job.equals("worker") && !job.equals("chief")) {
        throw new IllegalArgumentException("TF_CONFIG's cluster has a \"" + job + "\" job; gan4j trains synchronously"
            + " with all-reduce among workers only (no parameter servers, no evaluator): list every training"
            + " process under \"worker\" (and at most one under \"chief\")");
      }
    }
    List<String> chief = addresses(cluster.get("chief"), "chief");
    List<String> worker = addresses(cluster.get("worker"), "worker");
    if (chief.size() > 1) {
      throw new IllegalArgumentException("TF_CONFIG's cluster has " + chief.size() + " chiefs; a cluster has at most one"
          + " (it becomes worker 0)");
    }
    List<String> all = new ArrayList<>(chief);
    all.addAll(worker);
    if (all.isEmpty()) {
      throw new IllegalArgumentException("TF_CONFIG's cluster lists no workers; expected"
          + " {\"cluster\": {\"worker\": [\"host:port\", ...]}, ...}");
    }
    Map<String, Object> taskObject = object(required(config, "task", "TF_CONFIG"), "TF_CONFIG's \"task\"");
    Object type = required(taskObject, "type", "TF_CONFIG's \"task\"");
    Object index = required(taskObject, "index", "TF_CONFIG's \"task\"");
    if (!(type instanceof String t) || !(t.equals("worker") || t.equals("chief"))) {
      throw new IllegalArgumentException("TF_CONFIG's task type is " + Json.describe(type)
          + "; gan4j runs \"worker\" (or \"chief\") tasks only");
    }
    if (!(index instanceof Double d) || d != Math.rint(d) || d < 0 || d > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("TF_CONFIG's task index is " + Json.describe(index)
          + "; expected a whole number from 0");
    }
    int i = (int) (double) d;
    int task = t.equals("chief") ? i : i + chief.size();
    if (t.equals("chief") ? i >= chief.size() : i >= worker.size()) {
      throw new IllegalArgumentException("TF_CONFIG's task is " + t + " " + i + " but the cluster has "
          + (t.equals("chief") ? chief.size() : worker.size()) + " " + t + " address(es)");
    }
    return of(all, task);
  }

  /**
   * The cluster of the environment variable {@value #TF_CONFIG}, or empty when it is not set
   * or blank.
   *
   * @throws IllegalArgumentException as {@link #fromTfConfig}, when it is set but wrong
   */
  public static Optional<ClusterSpec> fromEnvironment() {
    String value = System.getenv(TF_CONFIG);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(fromTfConfig(value));
  }

  /**
   * {@code workers} addresses on the loopback interface ({@code 127.0.0.1}) with ports that
   * were free a moment ago, for a cluster of processes on one machine; pass them with each
   * process's task to {@link #of}. (Another program could take a port before the workers
   * start; then a worker fails to start and says which port.)
   */
  public static List<String> loopback(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("a cluster needs at least one worker, was " + workers);
    }
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        ServerSocket s = new ServerSocket();
        sockets.add(s);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        out.add("127.0.0.1:" + s.getLocalPort());
      }
      return List.copyOf(out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot find free ports on 127.0.0.1", e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // the port is released either way
        }
      }
    }
  }

  /**
   * How long one all-reduce may wait for the other workers once training runs (default
   * {@value #DEFAULT_TIMEOUT_SECONDS} s). A worker that stopped answering makes the others fail
   * after this time, naming it; a worker whose process ended is noticed at once. Work the chief
   * alone does between steps (checkpoints, sample grids, evaluations) must take less.
   */
  public ClusterSpec timeout(Duration timeout) {
    return new ClusterSpec(workers, task, checkPositive(timeout, "timeout"), startupTimeout);
  }

  /**
   * How long a worker waits for every other worker to start and reach its first step (default 5
   * minutes), before failing with the names of those that did not.
   */
  public ClusterSpec startupTimeout(Duration startupTimeout) {
    return new ClusterSpec(workers, task, timeout, checkPositive(startupTimeout, "startup timeout"));
  }

  private static Duration checkPositive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero() || d.toMillis() < 100) {
      throw new IllegalArgumentException(what + " must be at least 100 ms, was " + d);
    }
    return d;
  }

  /** This cluster with this process as worker {@code task} (the same addresses and timeouts). */
  public ClusterSpec task(int task) {
    return of(workers, task).timeout(timeout).startupTimeout(startupTimeout);
  }

  /** The workers' addresses, {@code host:port}, in task order. */
  public List<String> workers() {
    return workers;
  }

  /** This process's task: its index in {@link #workers()}. */
  public int task() {
    return task;
  }

  /** The number of workers. */
  public int size() {
    return workers.size();
  }

  /** Whether this process is worker 0, which writes checkpoints and sample grids. */
  public boolean isChief() {
    return task == 0;
  }

  /** This process's address. */
  public String address() {
    return workers.get(task);
  }

  /** See {@link #timeout(Duration)}. */
  public Duration timeout() {
    return timeout;
  }

  /** See {@link #startupTimeout(Duration)}. */
  public Duration startupTimeout() {
    return startupTimeout;
  }

  /**
   * The images of every global batch of {@code batchSize} this worker takes: {@code batchSize /
   * size()}.
   *
   * @throws IllegalArgumentException if the batch cannot be split evenly, suggesting sizes
   */
  public int shareOf(int batchSize) {
    int n = size();
    if (batchSize % n != 0) {
      int lower = batchSize / n * n;
      int upper = lower + n;
      throw new IllegalArgumentException("batch size " + batchSize + " cannot be split evenly over " + n
          + " workers: each worker takes batchSize / workers images of every batch; use a multiple of " + n
          + (lower > 0 ? " (" + lower + " or " + upper + ")" : " (" + upper + ")"));
    }
    return batchSize / n;
  }

  /**
   * This cluster and task as the JSON of {@value #TF_CONFIG}, which {@link #fromTfConfig} reads
   * back (the timeouts are not part of it).
   */
  public String toTfConfig() {
    StringBuilder out = new StringBuilder("{\"cluster\": {\"worker\": [");
    for (int i = 0; i < workers.size(); i++) {
      out.append(i == 0 ? "" : ", ").append('"').append(workers.get(i).replace("\\", "\\\\").replace("\"", "\\\""))
          .append('"');
    }
    return out.append("]}, \"task\": {\"type\": \"worker\", \"index\": ").append(task).append("}}").toString();
  }

  /** One line: {@code worker 1 of 2 [127.0.0.1:2222, 127.0.0.1:2223], timeout 60 s}. */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "worker %d of %d %s, timeout %s s, startup timeout %s s", task, size(), workers,
        seconds(timeout), seconds(startupTimeout));
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? String.valueOf(d.toSeconds()) : String.valueOf(d.toMillis() / 1000.0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterSpec c && c.workers.equals(workers) && c.task == task && c.timeout.equals(timeout)
        && c.startupTimeout.equals(startupTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(workers, task, timeout, startupTimeout);
  }

  private static Object required(Map<String, Object> object, String key, String where) {
    if (!object.containsKey(key)) {
      throw new IllegalArgumentException(where + " has no \"" + key + "\"; expected"
          + " {\"cluster\": {\"worker\": [\"host:port\", ...]}, \"task\": {\"type\": \"worker\", \"index\": i}}");
    }
    return object.get(key);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value, String what) {
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException(what + " is " + Json.describe(value) + "; expected a JSON object");
    }
    return (Map<String, Object>) value;
  }

  private static List<String> addresses(Object job, String name) {
    if (job == null) {
      return List.of();
    }
    if (!(job instanceof List<?> list)) {
      throw new IllegalArgumentException("TF_CONFIG's \"" + name + "\" job is " + Json.describe(job)
          + "; expected a list of \"host:port\" strings");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof String s)) {
        throw new IllegalArgumentException("TF_CONFIG's \"" + name + "\" job entry " + i + " is "
            + Json.describe(list.get(i)) + "; expected a \"host:port\" string");
      }
      out.add(s);
    }
    return out;
  }

  /**
   * A small JSON reader for {@value #TF_CONFIG}: objects (as maps), arrays (lists), strings,
   * numbers (doubles), booleans and null; errors name the character.
   */
  private static final class Json {
    private final String text;
    private int pos;

    Json(String text) {
      this.text = text;
    }

    Object document() {
      Object value = value();
      skipSpace();
      if (pos < text.length()) {
        throw error("end of text");
      }
      return value;
    }

    private Object value() {
      skipSpace();
      if (pos >= text.length()) {
        throw error("a value");
      }
      char c = text.charAt(pos);
      switch (c) {
        case '{':
          return object();
        case '[':
          return array();
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", null);
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw error("a value");
      }
    }

    private Map<String, Object> object() {
      Map<String, Object> out = new LinkedHashMap<>();
      pos++;
      skipSpace();
      if (peek() == '}') {
        pos++;
        return out;
      }
      while (true) {
        skipSpace();
        if (peek() != '"') {
          throw error("a quoted key");
        }
        String key = string();
        skipSpace();
        expect(':');
        out.put(key, value());
        skipSpace();
        if (peek() == ',') {
          pos++;
        } else if (peek() == '}') {
          pos++;
          return out;
        } else {
          throw error("',' or '}'");
        }
      }
    }

    private List<Object> array() {
      List<Object> out = new ArrayList<>();
      pos++;
      skipSpace();
      if (peek() == ']') {
        pos++;
        return out;
      }
      while (true) {
        out.add(value());
        skipSpace();
        if (peek() == ',') {
          pos++;
        } else if (peek() == ']') {
          pos++;
          return out;
        } else {
          throw error("',' or ']'");
        }
      }
    }

    private String string() {
      StringBuilder out = new StringBuilder();
      pos++;
      while (pos < text.length()) {
        char c = text.charAt(pos++);
        if (c == '"') {
          return out.toString();
        }
        if (c == '\\') {
          if (pos >= text.length()) {
            break;
          }
          char e = text.charAt(pos++);
          switch (e) {
            case '"', '\\', '/' -> out.append(e);
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'u' -> {
              if (pos + 4 > text.length() || !text.substring(pos, pos + 4).matches("[0-9a-fA-F]{4}")) {
                throw error("four hex digits after \\u");
              }
              out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
              pos += 4;
            }
            default -> {
              pos--;
              throw error("an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
            }
          }
        } else {
          out.append(c);
        }
      }
      throw error("a closing '\"'");
    }

    private Double number() {
      int start = pos;
      while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
        pos++;
      }
      try {
        return Double.valueOf(text.substring(start, pos));
      } catch (NumberFormatException e) {
        pos = start;
        throw error("a number");
      }
    }

    private Object literal(String word, Object value) {
      if (!text.startsWith(word, pos)) {
        throw error("a value");
      }
      pos += word.length();
      return value;
    }

    private void expect(char c) {
      if (peek() != c) {
        throw error("'" + c + "'");
      }
      pos++;
    }

    private char peek() {
      return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipSpace() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    private IllegalArgumentException error(String expected) {
      String found = pos >= text.length() ? "the end of the text" : "'" + text.charAt(pos) + "'";
      int from = Math.max(0, pos - 20);
      String context = text.substring(from, Math.min(text.length(), pos + 20)).replace('\n', ' ');
      return new IllegalArgumentException("TF_CONFIG is not valid JSON: at character " + (pos + 1) + " expected "
          + expected + " but found " + found + ": ..." + context + "...");
    }

    static String describe(Object value) {
      if (value == null) {
        return "null";
      }
      if (value instanceof String s) {
        return "the string \"" + s + "\"";
      }
      if (value instanceof Double d) {
        return "the number " + (d == Math.rint(d) ? String.valueOf(d.longValue()) : d.toString());
      }
      if (value instanceof Map) {
        return "an object";
      }
      if (value instanceof List) {
        return "a list";
      }
      return String.valueOf(value);
    }
  }
}
