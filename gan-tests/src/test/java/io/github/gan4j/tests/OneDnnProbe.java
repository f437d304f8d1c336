package io.github.gan4j.tests;

import io.github.gan4j.train.CpuKernels;
import io.github.gan4j.train.Trainer;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Run in a child JVM by {@link OneDnnTest}: trains the tiny model one profiled step and prints
 * {@code state=<CpuKernels state> kernels=<oneDNN kernels in the profile>}. With the argument
 * {@code tf-first} it first runs a plain TensorFlow convolution, as an application that used
 * TensorFlow before gan4j would, so that TensorFlow makes its oneDNN decision before gan4j.
 */
public final class OneDnnProbe {
  private OneDnnProbe() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("tf-first")) {
      try (Graph g = new Graph(); Session s = new Session(g)) {
        Ops tf = Ops.create(g);
        var conv = tf.nn.conv2d(tf.zeros(tf.constant(new long[] {1, 4, 4, 1}), TFloat32.class),
            tf.zeros(tf.constant(new long[] {3, 3, 1, 1}), TFloat32.class), java.util.List.of(1L, 1L, 1L, 1L), "SAME");
        s.runner().fetch(conv).run().close();
      }
    }
    Map<String, long[]> profile;
    // two trainers: the warning, if any, must still appear only once
    try (Trainer first = Trainer.of(Fixtures.tiny()).batchSize(2).seed(1).build();
        Trainer trainer = Trainer.of(Fixtures.tiny()).batchSize(2).seed(1).build()) {
      profile = trainer.profileStep(Fixtures.squares());
    }
    System.out.println("state=" + CpuKernels.current().oneDnn() + " kernels=" + CpuKernels.profileUsesOneDnn(profile));
  }
}
