package io.github.gan4j.train;

import io.github.gan4j.recipe.Precision;
import io.github.gan4j.recipe.PrecisionInEffect;
import io.github.gan4j.tf.OneDnn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CPU this process runs on and whether TensorFlow uses its oneDNN kernels on it.
 *
 * <p>TensorFlow's oneDNN kernels are much faster than its Eigen kernels for convolutions
 * (about 1.8x per training step on an AVX2-only CPU), but TensorFlow 2.18 turns them on by
 * itself only on CPUs with AVX512_VNNI, AVX512_BF16, AVX_VNNI or AMX. gan4j turns them on for
 * every x86-64 Linux CPU by setting {@code TF_ENABLE_ONEDNN_OPTS=1} before it first uses
 * TensorFlow, unless the environment already sets that variable ({@code =0} is respected).
 * If the kernels end up off, gan4j logs one warning line ({@code System.Logger}
 * {@code io.github.gan4j}) that says why and how to turn them on.
 *
 * <pre>{@code
 * CpuKernels cpu = CpuKernels.current();
 * System.out.println(cpu.cpuModel() + " " + cpu.cpuFeatures() + " oneDNN " + cpu.oneDnn());
 * }</pre>
 *
 * @param cpuModel the CPU's model name ({@code /proc/cpuinfo}), or the architecture where unknown
 * @param cpuFeatures the features that decide TensorFlow's kernels, of: avx2, avx512f,
 *     avx512_vnni, avx512_bf16, avx_vnni, amx_tile, amx_bf16 (empty where unknown)
 * @param oneDnn whether TensorFlow's oneDNN kernels are on, as TensorFlow itself reports it
 * @param reason why, in one line; for every state but {@link OneDnnState#ON}, how to turn them on
 */
public record CpuKernels(String cpuModel, List<String> cpuFeatures, OneDnnState oneDnn, String reason) {
  private static final List<String> FEATURES =
      List.of("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "avx_vnni", "amx_tile", "amx_bf16");

  /** Whether TensorFlow uses its oneDNN kernels, and why. */
  public enum OneDnnState {
    /** On: by gan4j, by the user's environment, or by TensorFlow's default for this CPU. */
    ON,
    /** Off because the environment sets {@code TF_ENABLE_ONEDNN_OPTS=0}. */
    OFF_BY_USER,
    /** Off because TensorFlow decided before gan4j first ran (other TensorFlow code ran first). */
    OFF_DECIDED_BEFORE_GAN4J,
    /** This platform's TensorFlow has no oneDNN kernels. */
    NOT_AVAILABLE,
    /** gan4j could not set the variable or could not ask TensorFlow; see the reason. */
    UNKNOWN
  }

  public CpuKernels {
    cpuFeatures = List.copyOf(cpuFeatures);
  }

  /**
   * Reads the CPU and asks TensorFlow whether its oneDNN kernels are on. Loads TensorFlow's
   * native library if needed (after gan4j has prepared its environment).
   */
  public static CpuKernels current() {
    OneDnn.Status s = OneDnn.status();
    String model = System.getProperty("os.arch");
    List<String> features = new ArrayList<>();
    try {
      String model0 = null;
      Set<String> flags = Set.of();
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (model0 == null && line.startsWith("model name")) {
          model0 = line.substring(line.indexOf(':') + 1).trim();
        } else if (line.startsWith("flags")) {
          flags = Set.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
          break;
        }
      }
      if (model0 != null) {
        model = model0;
      }
      for (String f : FEATURES) {
        if (flags.contains(f)) {
          features.add(f);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: model stays the architecture, features unknown
    }
    return new CpuKernels(model, features, OneDnnState.valueOf(s.state().name()), s.reason());
  }

  /** Whether TensorFlow's oneDNN kernels are on. */
  public boolean oneDnnOn() {
    return oneDnn == OneDnnState.ON;
  }

  /**
   * The precision a trainer runs in on this CPU when {@code requested} is asked for:
   * {@link PrecisionInEffect#decide} of this CPU's features and oneDNN state. Reads
   * {@code /proc/cpuinfo}, so under a user-mode emulator (qemu-user) it sees the host's
   * features, not the emulated CPU's.
   */
  public PrecisionInEffect precisionInEffect(Precision requested) {
    return PrecisionInEffect.decide(requested, cpuFeatures, oneDnnOn());
  }

  /**
   * Whether a step profile ({@link Trainer#profileStep}) ran any oneDNN kernel (op types
   * {@code _MklNative*}, {@code _MklFused*}, {@code _Mkl*}): the ground truth for one graph.
   */
  public static boolean profileUsesOneDnn(Map<String, long[]> profile) {
    return profile.keySet().stream().anyMatch(type -> type.startsWith("_Mkl"));
  }
}
