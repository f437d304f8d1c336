package io.github.gan4j.train;

import io.github.gan4j.Network;
import io.github.gan4j.tf.NetworkProbe;
import java.util.Map;
import java.util.Objects;

/**
 * Runs one forward pass of a network with given weights, lowered exactly as the
 * {@link Trainer} lowers it: for golden-value tests of layers and for debugging a model.
 *
 * <pre>{@code
 * ForwardPass.Result r = ForwardPass.run(gan.discriminator(),
 *     Map.of("discriminator/dense/kernel", ones), images, 4, false);
 * }</pre>
 */
public final class ForwardPass {
  private ForwardPass() {}

  /**
   * What a pass computed.
   *
   * @param output the network's output, batch first, flat
   * @param variables every variable of the network after the pass, by full name (a training
   *     pass updates BatchNorm's moving statistics)
   */
  public record Result(float[] output, Map<String, float[]> variables) {}

  /**
   * Runs {@code network} on {@code batch} examples in a graph of its own.
   *
   * @param weights values for some variables by full name ({@code generator/dense/kernel});
   *     the others keep their initial values (seed 0)
   * @param input {@code batch} inputs of the network's input shape, flat
   * @param training BatchNorm on batch statistics (updating the moving ones) and dropout active
   * @throws IllegalArgumentException if a weight names no variable of the network, or the
   *     input does not hold {@code batch} inputs
   */
  public static Result run(Network network, Map<String, float[]> weights, float[] input, int batch,
      boolean training) {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(weights, "weights");
    if (batch <= 0 || input.length != batch * network.input().size()) {
      throw new IllegalArgumentException("got " + input.length + " input values for batch " + batch + " of "
          + network.input() + "; expected " + batch + " * " + network.input().size());
    }
    NetworkProbe.Output out = NetworkProbe.run(network, weights, input, batch, training);
    return new Result(out.output(), out.variables());
  }
}
