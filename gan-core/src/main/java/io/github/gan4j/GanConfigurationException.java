package io.github.gan4j;

import io.github.gan4j.layers.Shape;

/**
 * Thrown by {@link GanBuilder#build()} for a configuration that cannot be built: a shape
 * that does not fit, a missing part, a duplicate name; and by a trainer's build for the
 * custom-layer errors only a TensorFlow graph reveals. The message says what, where, the
 * shapes received vs expected with the arithmetic, and how to fix it; the same facts are
 * available as fields for tools.
 */
public final class GanConfigurationException extends RuntimeException {
  private final String network;
  private final int layerIndex;
  private final String layer;
  private final Shape received;
  private final String fix;

  /**
   * A configuration error found in a layer. {@link GanBuilder#build()} throws it for what it
   * can check without TensorFlow; building a trainer's graph throws it for what only the
   * graph shows, e.g. a {@code CustomLayer} whose forward computation disagrees with its
   * declared output shape.
   *
   * @param network {@code "generator"}, {@code "discriminator"} or {@code null}
   * @param layerIndex index of the offending layer, or -1
   * @param layer the offending layer as written ({@code Layer.describe()}), or {@code null}
   * @param received the shape the layer received, or {@code null}
   * @param problem what is wrong, one sentence
   * @param detail where and the arithmetic, or {@code null}
   * @param fix how to fix it, or {@code null}
   */
  public GanConfigurationException(String network, int layerIndex, String layer, Shape received,
      String problem, String detail, String fix) {
    super(format(network, layerIndex, layer, received, problem, detail, fix));
    this.network = network;
    this.layerIndex = layerIndex;
    this.layer = layer;
    this.received = received;
    this.fix = fix;
  }

  private static String format(String network, int layerIndex, String layer, Shape received,
      String problem, String detail, String fix) {
    StringBuilder sb = new StringBuilder("Invalid GAN configuration: ").append(problem);
    String where = network + "[" + layerIndex + "] ";
    if (network != null && layerIndex >= 0 && (detail == null || !detail.startsWith(where))) {
      sb.append("\n  ").append(network).append('[').append(layerIndex).append("] ").append(layer);
      if (received != null) {
        sb.append(": received ").append(received);
      }
    }
    if (detail != null && !detail.isEmpty()) {
      sb.append("\n  ").append(detail);
    }
    if (fix != null && !fix.isEmpty()) {
      sb.append("\n  Fix: ").append(fix);
    }
    return sb.toString();
  }

  /** {@code "generator"}, {@code "discriminator"}, or {@code null} when no network is at fault. */
  public String network() {
    return network;
  }

  /** Index of the offending layer in its stack, or -1 when no single layer is at fault. */
  public int layerIndex() {
    return layerIndex;
  }

  /** The offending layer as written (e.g. {@code dense(units=1)}), or {@code null}. */
  public String layer() {
    return layer;
  }

  /** The shape the offending layer received, or {@code null}. */
  public Shape received() {
    return received;
  }

  /** How to fix the configuration. */
  public String fix() {
    return fix;
  }
}
