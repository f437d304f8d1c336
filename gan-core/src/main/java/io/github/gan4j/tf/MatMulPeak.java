package io.github.gan4j.tf;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * Measures the machine's float32 matrix-multiply throughput through TensorFlow: the peak a
 * training step's effective GFLOP/s is compared with. Internal API.
 */
public final class MatMulPeak {
  private MatMulPeak() {}

  /**
   * GFLOP/s of an {@code n x n} by {@code n x n} float32 MatMul (2 n^3 FLOP), best of
   * {@code repeats} timed runs after one warm-up, with TensorFlow's default threads.
   */
  public static double gflops(int n, int repeats) {
    OneDnn.prepare();
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> a = tf.withInitScope().variable(
          tf.withInitScope().random.statelessRandomUniform(tf.withInitScope().constant(new long[] {n, n}),
              tf.withInitScope().constant(new long[] {1, 2})));
      Operand<TFloat32> b = tf.withInitScope().variable(
          tf.withInitScope().random.statelessRandomUniform(tf.withInitScope().constant(new long[] {n, n}),
              tf.withInitScope().constant(new long[] {3, 4})));
      // fetch one element so that copying the product out is not timed
      Operand<TFloat32> product = tf.linalg.matMul(a, b);
      Operand<TFloat32> probe = tf.slice(product, tf.constant(new int[] {0, 0}), tf.constant(new int[] {1, 1}));
      try (Session s = new Session(g, ConfigProto.newBuilder().build())) {
        s.runner().fetch(probe).run().close();
        double best = 0;
        for (int i = 0; i < repeats; i++) {
          long t0 = System.nanoTime();
          try (Result r = s.runner().fetch(probe).run()) {
            double seconds = (System.nanoTime() - t0) / 1e9;
            best = Math.max(best, 2.0 * n * n * n / seconds / 1e9);
          }
        }
        return best;
      }
    }
  }
}
