package io.github.gan4j.recipe;

/**
 * The arithmetic of a training step, as requested. Whether a requested bfloat16 can take
 * effect depends on the CPU: {@link PrecisionInEffect#decide} says, and
 * {@code Trainer.precisionInEffect()} reports what a trainer actually runs.
 */
public enum Precision {
  /** Everything in float32: numerically faithful, the default. */
  FLOAT32("fp32"),
  /**
   * TensorFlow's oneDNN auto mixed precision: matrix multiplications and convolutions run in
   * bfloat16 (8 bits of mantissa) while variables, optimizer state and losses stay float32.
   * About 1.8x faster on CPUs with AVX512_BF16 (or AMX_BF16), and only there: on other CPUs,
   * or with oneDNN off, TensorFlow's rewrite does nothing, so gan4j trains in float32 instead
   * and says so once (see {@link PrecisionInEffect}). Results are no longer bit-comparable with
   * float32 runs; see BENCHMARKS.md for the measured effect on losses and samples.
   */
  MIXED_BFLOAT16("bf16");

  private final String shortName;

  Precision(String shortName) {
    this.shortName = shortName;
  }

  /** The short name the command line and its files use: {@code fp32} or {@code bf16}. */
  public String shortName() {
    return shortName;
  }
}
