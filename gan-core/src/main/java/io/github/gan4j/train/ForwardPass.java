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
    return run(network, weights, input, null, batch, training);
  }

  /**
   * As {@link #run(Network, Map, float[], int, boolean)} for a network of a conditional GAN:
   * {@code input} holds {@link Network#dataInput()} values per example (the latent vector or the
   * image, before the label joins it) and {@code labels} one class label per example.
   *
   * @throws IllegalArgumentException also if the network is conditional and {@code labels} does
   *     not hold {@code batch} labels in [0, numClasses), or it is not and labels are given
   */
  public static Result run(Network network, Map<String, float[]> weights, float[] input, int[] labels, int batch,
      boolean training) {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(weights, "weights");
    if (batch <= 0 || input.length != batch * network.dataInput().size()) {
      throw new IllegalArgumentException("got " + input.length + " input values for batch " + batch + " of "
          + network.dataInput() + "; expected " + batch + " * " + network.dataInput().size());
    }
    if (labels != null || network.labels().isPresent()) {
      ClassLabels.check(labels, batch, network.labels().map(l -> l.conditioning().numClasses()).orElse(0));
    }
    NetworkProbe.Output out = NetworkProbe.run(network, weights, input, labels, batch, training);
    return new Result(out.output(), out.variables());
  }
}
