package io.github.gan4j;

import io.github.gan4j.layers.Shape;
import java.util.List;

/**
 * A validated stack of layers with every shape inferred: the generator or the
 * discriminator of a {@link Gan}. Immutable.
 *
 * @param name {@code "generator"} or {@code "discriminator"}
 * @param input shape of one example entering the network
 * @param layers the placed layers, in order
 */
public record Network(String name, Shape input, List<NetworkLayer> layers) {

  /** Copies the list. */
  public Network {
    layers = List.copyOf(layers);
  }

  /** Shape of one example leaving the network. */
  public Shape output() {
    return layers.isEmpty() ? input : layers.get(layers.size() - 1).output();
  }

  /** Parameters an optimizer updates. */
  public long trainableParams() {
    return layers.stream().mapToLong(NetworkLayer::trainableParams).sum();
  }

  /** BatchNorm moving statistics and other parameters not trained by gradients. */
  public long nonTrainableParams() {
    return layers.stream().mapToLong(NetworkLayer::nonTrainableParams).sum();
  }

  /** All parameters. */
  public long params() {
    return trainableParams() + nonTrainableParams();
  }

  /** Multiply-adds of one forward pass for one example. */
  public long multiplyAdds() {
    return layers.stream().mapToLong(NetworkLayer::multiplyAdds).sum();
  }

  /**
   * A Keras-like table: layer (type), output shape, parameters, then the totals.
   */
  public String summary() {
    String rule = "-".repeat(78);
    StringBuilder sb = new StringBuilder();
    sb.append("Model: \"").append(name).append("\"  input ").append(input).append('\n');
    sb.append(rule).append('\n');
    sb.append(String.format("%-34s %-26s %14s%n", "Layer (type)", "Output Shape", "Param #"));
    sb.append("=".repeat(78)).append('\n');
    for (NetworkLayer l : layers) {
      String label = l.name() + " (" + l.layer().typeName() + ")";
      sb.append(String.format("%-34s %-26s %,14d%n", label, "(None, " + l.output().toString().substring(1),
          l.params()));
    }
    sb.append("=".repeat(78)).append('\n');
    sb.append(String.format("Total params: %,d%n", params()));
    sb.append(String.format("Trainable params: %,d%n", trainableParams()));
    sb.append(String.format("Non-trainable params: %,d%n", nonTrainableParams()));
    sb.append(String.format("Forward multiply-adds per example: %,d%n", multiplyAdds()));
    sb.append(rule).append('\n');
    return sb.toString();
  }
}
