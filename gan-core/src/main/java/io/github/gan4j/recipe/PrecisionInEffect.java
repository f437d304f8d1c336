package io.github.gan4j.recipe;

import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The precision a training step actually runs in, given the one requested, and why.
 *
 * <p>{@link Precision#MIXED_BFLOAT16} is TensorFlow's oneDNN auto-mixed-precision rewrite. It
 * takes effect only where oneDNN's kernels are on and the CPU has bfloat16 instructions
 * (AVX512_BF16 or AMX_BF16); elsewhere TensorFlow leaves the graph in float32 without a word
 * (float32 and "bf16" runs give bit-identical weights). {@link #decide} is that rule as a pure
 * function, so it can be checked for any CPU without native code:
 *
 * <pre>{@code
 * PrecisionInEffect p = PrecisionInEffect.decide(Precision.MIXED_BFLOAT16, List.of("avx2"), true);
 * p.precision();   // FLOAT32
 * p.warning();     // "gan4j: bfloat16 mixed precision cannot take effect: this CPU lacks AVX512_BF16 ..."
 * }</pre>
 *
 * @param requested the precision asked for
 * @param precision the precision in effect: {@code requested}, or {@link Precision#FLOAT32} where
 *     bfloat16 cannot take effect
 * @param reason one line saying why {@code precision} is in effect
 */
public record PrecisionInEffect(Precision requested, Precision precision, String reason) {
  /** The CPU features (as {@code /proc/cpuinfo} names them) of which bfloat16 needs one. */
  public static final java.util.List<String> BF16_FEATURES = java.util.List.of("avx512_bf16", "amx_bf16");

  public PrecisionInEffect {
    Objects.requireNonNull(requested, "requested");
    Objects.requireNonNull(precision, "precision");
    Objects.requireNonNull(reason, "reason");
  }

  /**
   * The precision in effect for {@code requested} on a CPU with {@code cpuFeatures} (lower-case
   * {@code /proc/cpuinfo} flag names; empty where unknown) and oneDNN's kernels on or off.
   * bfloat16 takes effect only with oneDNN on and one of {@link #BF16_FEATURES}; with the
   * features unknown, gan4j does not assume them.
   */
  public static PrecisionInEffect decide(Precision requested, Collection<String> cpuFeatures, boolean oneDnnOn) {
    Objects.requireNonNull(requested, "requested");
    Objects.requireNonNull(cpuFeatures, "cpuFeatures");
    if (requested == Precision.FLOAT32) {
      return new PrecisionInEffect(requested, requested, "float32 requested");
    }
    boolean bf16Cpu = cpuFeatures.stream().anyMatch(BF16_FEATURES::contains);
    if (bf16Cpu && oneDnnOn) {
      return new PrecisionInEffect(requested, requested, "oneDNN on and the CPU has "
          + String.join("/", cpuFeatures.stream().filter(BF16_FEATURES::contains).map(PrecisionInEffect::upper).toList()));
    }
    String missing = "";
    if (!bf16Cpu) {
      missing = cpuFeatures.isEmpty()
          ? "the CPU's features are unknown (no /proc/cpuinfo), so AVX512_BF16/AMX_BF16 cannot be assumed"
          : "this CPU lacks AVX512_BF16 and AMX_BF16 (it has " + String.join(" ", cpuFeatures.stream()
              .map(PrecisionInEffect::upper).toList()) + ")";
    }
    if (!oneDnnOn) {
      missing += (missing.isEmpty() ? "" : ", and ") + "TensorFlow's oneDNN kernels are off";
    }
    return new PrecisionInEffect(requested, Precision.FLOAT32, missing);
  }

  /** Whether the precision in effect differs from the one requested. */
  public boolean fellBack() {
    return precision != requested;
  }

  /**
   * The one-line warning for a fallback ({@link #fellBack()}), naming what is missing and that
   * float32 is used; empty when the requested precision is in effect.
   */
  public Optional<String> warning() {
    return fellBack()
        ? Optional.of("gan4j: bfloat16 mixed precision cannot take effect: " + reason + "; training in float32")
        : Optional.empty();
  }

  private static String upper(String feature) {
    return feature.toUpperCase(Locale.ROOT);
  }
}
