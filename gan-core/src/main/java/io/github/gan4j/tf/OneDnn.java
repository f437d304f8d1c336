package io.github.gan4j.tf;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns TensorFlow's oneDNN kernels on for every x86-64 Linux CPU, and finds out whether
 * they are really on.
 *
 * <p>TensorFlow 2.18 enables its oneDNN ("MKL") kernels by default only on CPUs with
 * AVX512_VNNI, AVX512_BF16, AVX_VNNI or AMX; elsewhere (every AVX2-only CPU) it runs Eigen's
 * kernels, which made a training step about 1.8x slower on the AVX2 machines measured. It
 * decides once, the first time it needs to know, from the process environment variable
 * {@code TF_ENABLE_ONEDNN_OPTS}. {@link #prepare()} sets that variable to 1 in the native
 * environment (libc {@code setenv}, through JNA) before gan4j first touches TensorFlow, unless
 * the user set it: an explicit {@code TF_ENABLE_ONEDNN_OPTS=0} is respected.
 * {@link #status()} asks TensorFlow itself ({@code tensorflow::IsMKLEnabled()}) what it
 * decided, and {@link #warnIfOff()} says once, in one line, why the kernels are off and how
 * to turn them on.
 *
 * <p>Internal: the public view is {@code io.github.gan4j.train.CpuKernels}.
 */
public final class OneDnn {
  /** The environment variable TensorFlow reads. */
  public static final String VARIABLE = "TF_ENABLE_ONEDNN_OPTS";
  /** The speed-up of a training step measured on an AVX2-only CPU (BENCHMARKS.md). */
  static final String SPEEDUP = "about 1.8x faster training on CPUs without AVX512-VNNI/BF16 or AMX";

  private static final System.Logger LOG = System.getLogger("io.github.gan4j");
  private static final boolean LINUX_X86_64 = System.getProperty("os.name", "").toLowerCase(Locale.ROOT)
      .startsWith("linux") && List.of("amd64", "x86_64").contains(System.getProperty("os.arch", ""));

  /** What TensorFlow decided, and why. */
  public enum State {
    /** oneDNN kernels are on. */
    ON,
    /** Off because the user's environment says {@code TF_ENABLE_ONEDNN_OPTS=0} (or false). */
    OFF_BY_USER,
    /** Off because TensorFlow had decided before gan4j could set the variable. */
    OFF_DECIDED_BEFORE_GAN4J,
    /** This platform's TensorFlow build has no oneDNN kernels (e.g. arm64). */
    NOT_AVAILABLE,
    /** Off or unknown: gan4j could not set the variable or ask TensorFlow (reason says why). */
    UNKNOWN
  }

  /**
   * The outcome of {@link #prepare()} and TensorFlow's decision.
   *
   * @param state what TensorFlow decided
   * @param userValue the user's {@code TF_ENABLE_ONEDNN_OPTS}, if it was set before gan4j
   * @param setByGan4j whether gan4j set the variable
   * @param reason one line saying why, and for every state but ON how to turn the kernels on
   */
  public record Status(State state, Optional<String> userValue, boolean setByGan4j, String reason) {}

  /** libc, through JNA. */
  interface LibC extends Library {
    String getenv(String name);

    int setenv(String name, String value, int overwrite);
  }

  private static boolean prepared;
  private static Optional<String> userValue = Optional.empty();
  private static boolean setByGan4j;
  private static boolean loadedBefore;
  private static String prepareProblem;
  private static Status status;
  private static boolean warned;

  private OneDnn() {}

  /**
   * Sets {@code TF_ENABLE_ONEDNN_OPTS=1} in the native environment unless the user set it;
   * call before the first use of TensorFlow. Idempotent and cheap after the first call.
   * Never throws: a failure is reported by {@link #status()}.
   */
  public static synchronized void prepare() {
    if (prepared) {
      return;
    }
    prepared = true;
    if (!LINUX_X86_64) {
      return;
    }
    loadedBefore = tensorFlowLibrary().isPresent();
    try {
      LibC libc = Native.load("c", LibC.class);
      userValue = Optional.ofNullable(libc.getenv(VARIABLE));
      // also when TensorFlow is loaded already: until its first graph optimization it has not
      // decided, and its idle thread pools do not read the environment meanwhile
      if (userValue.isEmpty()) {
        setByGan4j = libc.setenv(VARIABLE, "1", 0) == 0;
        if (!setByGan4j) {
          prepareProblem = "setenv(" + VARIABLE + ") failed";
        }
      }
    } catch (LinkageError | RuntimeException e) {
      // JNA missing from the class path, or its native stub not loadable (a noexec temp directory)
      userValue = Optional.ofNullable(System.getenv(VARIABLE));
      prepareProblem = "gan4j could not set " + VARIABLE + " natively (" + e + ")";
    }
  }

  /**
   * What TensorFlow decided. Loads TensorFlow's native library if it is not loaded yet (after
   * {@link #prepare()}); the answer is computed once and cached.
   */
  public static synchronized Status status() {
    if (status != null) {
      return status;
    }
    prepare();
    if (!LINUX_X86_64) {
      String arch = System.getProperty("os.name") + " " + System.getProperty("os.arch");
      boolean x86 = List.of("amd64", "x86_64").contains(System.getProperty("os.arch", ""));
      status = new Status(x86 ? State.UNKNOWN : State.NOT_AVAILABLE, userValue, false, x86
          ? "gan4j turns oneDNN on by itself only on Linux; on " + arch + " set " + VARIABLE
              + "=1 in the environment for " + SPEEDUP
          : "TensorFlow has no oneDNN kernels on " + arch);
      return status;
    }
    org.tensorflow.TensorFlow.version();   // loads the native library
    Boolean enabled = askTensorFlow();
    boolean userOff = userValue.filter(v -> isFalse(v)).isPresent();
    State state;
    String reason;
    String fix = "unset " + VARIABLE + " or set it to 1 for " + SPEEDUP;
    if (enabled == null) {
      state = State.UNKNOWN;
      reason = "cannot ask TensorFlow whether oneDNN is on" + (prepareProblem != null ? "; " + prepareProblem : "")
          + "; set " + VARIABLE + "=1 in the environment for " + SPEEDUP;
    } else if (enabled) {
      state = State.ON;
      reason = userValue.isPresent() ? VARIABLE + "=" + userValue.get() + " in the environment"
          : setByGan4j ? VARIABLE + "=1 set by gan4j" : "TensorFlow's default for this CPU";
    } else if (userOff) {
      state = State.OFF_BY_USER;
      reason = VARIABLE + "=" + userValue.get() + " in the environment turns TensorFlow's oneDNN kernels off; "
          + fix;
    } else if (prepareProblem != null) {
      state = State.UNKNOWN;
      reason = prepareProblem + ", and TensorFlow's oneDNN kernels are off; set " + VARIABLE
          + "=1 in the environment for " + SPEEDUP;
    } else {
      state = State.OFF_DECIDED_BEFORE_GAN4J;
      reason = "TensorFlow's oneDNN kernels are off: TensorFlow" + (loadedBefore ? " was loaded and" : "")
          + " decided before gan4j set " + VARIABLE + "; set " + VARIABLE + "=1 in the environment, or create"
          + " gan4j's trainer before other TensorFlow code runs, for " + SPEEDUP;
    }
    status = new Status(state, userValue, setByGan4j, reason);
    return status;
  }

  /** Logs {@link Status#reason()} once per process, as one warning line, if the kernels are not on. */
  public static void warnIfOff() {
    Status s = status();
    synchronized (OneDnn.class) {
      if (warned || s.state() == State.ON || s.state() == State.NOT_AVAILABLE) {
        return;
      }
      warned = true;
    }
    LOG.log(System.Logger.Level.WARNING, "gan4j: " + s.reason());
  }

  private static boolean isFalse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    return v.equals("0") || v.equals("false");
  }

  /** {@code tensorflow::IsMKLEnabled()}, or null if it cannot be called. */
  private static Boolean askTensorFlow() {
    try {
      Optional<Path> library = tensorFlowLibrary();
      if (library.isEmpty()) {
        return null;
      }
      NativeLibrary lib = NativeLibrary.getInstance(library.get().toString());
      // a C++ bool comes back in the low byte of the return register only
      int result = lib.getFunction("_ZN10tensorflow12IsMKLEnabledEv").invokeInt(new Object[0]);
      return (result & 0xff) != 0;
    } catch (LinkageError | RuntimeException e) {
      return null;
    }
  }

  /** The loaded {@code libtensorflow_framework.so}, found in this process's memory map. */
  private static Optional<Path> tensorFlowLibrary() {
    try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
      return lines.map(l -> l.substring(l.lastIndexOf(' ') + 1))
          .filter(p -> p.contains("/libtensorflow_framework.so"))
          .findFirst().map(Path::of);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
