package io.github.gan4j.tf;

import io.github.gan4j.Network;
import io.github.gan4j.layers.Activation;
import io.github.gan4j.layers.Conv2DTranspose;
import io.github.gan4j.layers.Padding;
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
          Placeholder.shape(org.tensorflow.ndarray.Shape.of(network.input().withBatch(batch))));
      NetworkLowering.Pass pass = new NetworkLowering.Pass(tf,
          training ? new NetworkLowering.Mode(true, true) : NetworkLowering.Mode.INFERENCE, tf.constant(0L));
      Operand<TFloat32> y = tf.identity(lowering.forward(pass, x));
      try (Session session = new Session(graph)) {
        if (!assigns.isEmpty()) {
          Session.Runner r = session.runner();
          assigns.forEach(r::addTarget);
          r.run().close();
        }
        float[] out;
        try (TFloat32 in = TFloat32.tensorOf(x.shape(), DataBuffers.of(input, true, false))) {
          Session.Runner r = session.runner().feed(x, in).fetch(y);
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

  /**
   * A transposed convolution, its gradient with respect to its input and to its kernel.
   *
   * @param output {@code (n, h', w', filters)}
   * @param inputGradient {@code (n, h, w, c)}
   * @param kernelGradient {@code (k, k, filters, c)}
   */
  public record TransposedConvolution(float[] output, float[] inputGradient, float[] kernelGradient) {}

  /**
   * Runs one transposed convolution, as the trainer lowers it ({@code subPixel}) or as
   * TensorFlow's {@code Conv2DBackpropInput}, and back-propagates {@code outputGradient}.
   *
   * @param input {@code (batch, h, w, c)}, row-major
   * @param kernel {@code (k, k, filters, c)}, row-major
   * @param outputGradient the gradient of a loss with respect to the output, row-major
   */
  public static TransposedConvolution conv2dTranspose(boolean subPixel, float[] input, int batch, int h, int w,
      int c, float[] kernel, int k, int filters, int strides, Padding padding, float[] outputGradient) {
    io.github.gan4j.layers.Shape in = io.github.gan4j.layers.Shape.of(h, w, c);
    io.github.gan4j.layers.Shape out =
        new Conv2DTranspose(filters, k, strides, padding, Activation.LINEAR, false, null).outputShape(in);
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> x = tf.constant(org.tensorflow.ndarray.Shape.of(batch, h, w, c),
          DataBuffers.of(input, true, false));
      Operand<TFloat32> f = tf.constant(org.tensorflow.ndarray.Shape.of(k, k, filters, c),
          DataBuffers.of(kernel, true, false));
      Operand<TFloat32> dy = tf.constant(org.tensorflow.ndarray.Shape.of(out.withBatch(batch)),
          DataBuffers.of(outputGradient, true, false));
      Operand<TFloat32> y = subPixel
          ? SubPixel.conv2dTranspose(tf, x, f, in.dims(), out.dims(), c, filters, k, strides, padding)
          : NetworkLowering.conv2dBackpropInput(tf, x, f, out.dims(), strides, padding);
      org.tensorflow.Output<?>[] grads = graph.addGradients("probe_gradients", new org.tensorflow.Output<?>[] {y.asOutput()},
          new org.tensorflow.Output<?>[] {x.asOutput(), f.asOutput()}, new org.tensorflow.Output<?>[] {dy.asOutput()});
      try (Session session = new Session(graph);
          Result result = session.runner().fetch(y).fetch(grads[0]).fetch(grads[1]).run()) {
        return new TransposedConvolution(floats(result.get(0)), floats(result.get(1)), floats(result.get(2)));
      }
    }
  }

  private static float[] floats(org.tensorflow.Tensor t) {
    TFloat32 f = (TFloat32) t;
    float[] v = new float[(int) f.size()];
    f.copyTo(DataBuffers.of(v, false, false));
    return v;
  }
}
