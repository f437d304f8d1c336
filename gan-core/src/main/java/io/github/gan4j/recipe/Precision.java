package io.github.gan4j.recipe;

/** The arithmetic of a training step. */
public enum Precision {
  /** Everything in float32: numerically faithful, the default. */
  FLOAT32,
  /**
   * TensorFlow's oneDNN auto mixed precision: matrix multiplications and convolutions run in
   * bfloat16 (8 bits of mantissa) while variables, optimizer state and losses stay float32.
   * About 1.8x faster on CPUs with AVX512_BF16 (or AMX); on other CPUs bfloat16 is emulated
   * and slower. Results are no longer bit-comparable with float32 runs; see BENCHMARKS.md for
   * the measured effect on losses and samples.
   */
  MIXED_BFLOAT16
}
