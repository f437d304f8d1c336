package io.github.gan4j.train;

import io.github.gan4j.tf.MatMulPeak;

/** Measurements of the machine that training speed is compared with. */
public final class Benchmarks {
  private Benchmarks() {}

  /**
   * GFLOP/s of an {@code n x n} by {@code n x n} float32 matrix multiply through
   * TensorFlow (2 n^3 FLOP), best of {@code repeats} timed runs after one warm-up, with
   * TensorFlow's default threads: the peak a training step's effective GFLOP/s is compared with.
   *
   * @throws IllegalArgumentException unless {@code n} and {@code repeats} are positive
   */
  public static double matMulPeakGflops(int n, int repeats) {
    if (n <= 0 || repeats <= 0) {
      throw new IllegalArgumentException("matrix size and repeats must be positive, were " + n + ", " + repeats);
    }
    return MatMulPeak.gflops(n, repeats);
  }
}
