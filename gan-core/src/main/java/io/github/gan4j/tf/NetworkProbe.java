package io.github.gan4j.tf;

import io.github.gan4j.Network;
import io.github.gan4j.recipe.RandomStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Runs one forward pass of a network with given weights, exactly as the trainer lowers it:
 * for golden-value tests of the lowering and for debugging a model. Internal API.
 */
public final class NetworkProbe {
  private NetworkProbe() {}

  /**
   * The result of a probe.
   *
   * @param output the network's output, batch first
   * @param variables every variable of the network after the pass (BatchNorm statistics
   *     are updated by a training pass)
   */
  public record Output(float[] output, Map<String, float[]> variables) {}

  /**
   * Runs {@code network} on {@code batch} examples.
   *
   * @param weights values for some variables by full name ({@code generator/dense/kernel});
   *     the others keep their initial values (seed 0)
   * @param training BatchNorm on batch statistics (updating the moving ones) and dropout active
   */
  public static Output run(Network network, Map<String, float[]> weights, float[] input, int batch,
      boolean training) {
    return run(network, weights, input, null, batch, training);
  }

  /** As {@link #run(Network, Map, float[], int, boolean)}, with one class label per example for a conditional network. */
  public static Output run(Network network, Map<String, float[]> weights, float[] input, int[] labels, int batch,
      boolean training) {
    OneDnn.prepare();
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      NetworkLowering lowering = new NetworkLowering(tf, network, 0L);
      List<Op> assigns = new ArrayList<>();
      weights.forEach((name, values) -> {
        Variable<TFloat32> v = lowering.variables().get(name);
        if (v == null) {
          throw new IllegalArgumentException("no variable " + name + "; the network has " + lowering.variables().keySet());
        }
        assigns.add(tf.assign(v, tf.constant(v.shape(), DataBuffers.of(values, true, false))));
      });
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class,
          Placeholder.shape(org.tensorflow.ndarray.Shape.of(network.dataInput().withBatch(batch))));
      Placeholder<TInt32> y0 = labels == null ? null : tf.placeholder(TInt32.class,
          Placeholder.shape(org.tensorflow.ndarray.Shape.of(batch)));
      NetworkLowering.Pass pass = new NetworkLowering.Pass(tf,
          training ? new NetworkLowering.Mode(true, true) : NetworkLowering.Mode.INFERENCE,
          new RandomKeys(0L, tf.constant(0L)), new RandomStream("probe")).labeled(y0);
      Operand<TFloat32> y = tf.identity(lowering.forward(pass, x));
      try (Session session = new Session(graph)) {
        if (!assigns.isEmpty()) {
          Session.Runner r = session.runner();
          assigns.forEach(r::addTarget);
          r.run().close();
        }
        float[] out;
        try (TFloat32 in = TFloat32.tensorOf(x.shape(), DataBuffers.of(input, true, false));
            TInt32 classes = labels == null ? null : TInt32.tensorOf(y0.shape(), DataBuffers.of(labels, true, false))) {
          Session.Runner r = session.runner().feed(x, in).fetch(y);
          if (classes != null) {
            r.feed(y0, classes);
          }
          pass.statUpdates.forEach(r::addTarget);
          try (Result result = r.run()) {
            TFloat32 t = (TFloat32) result.get(0);
            out = new float[(int) t.size()];
            t.copyTo(DataBuffers.of(out, false, false));
          }
        }
        Map<String, float[]> vars = new LinkedHashMap<>();
        if (lowering.variables().isEmpty()) {
          return new Output(out, vars);
        }
        Session.Runner r = session.runner();
        lowering.variables().values().forEach(r::fetch);
        try (Result result = r.run()) {
          int i = 0;
          for (String name : lowering.variables().keySet()) {
            TFloat32 t = (TFloat32) result.get(i++);
            float[] v = new float[(int) t.size()];
            t.copyTo(DataBuffers.of(v, false, false));
            vars.put(name, v);
          }
        }
        return new Output(out, vars);
      }
    }
  }
}
