package io.github.gan4j;

import io.github.gan4j.layers.Layer;
import io.github.gan4j.layers.Shape;
import io.github.gan4j.layers.WeightSpec;
import java.util.List;

/**
 * A layer placed in a network, with everything {@link GanBuilder#build()} inferred for it.
 *
 * @param index position in the stack, from 0
 * @param name unique name in the network (given, or Keras's default such as {@code conv2d_1})
 * @param layer the layer as declared
 * @param input shape of one example entering the layer
 * @param output shape of one example leaving it
 * @param weights the variables the layer owns
 */
public record NetworkLayer(int index, String name, Layer layer, Shape input, Shape output,
    List<WeightSpec> weights) {

  /** Validates and copies. */
  public NetworkLayer {
    weights = List.copyOf(weights);
  }

  /** Parameters an optimizer updates. */
  public long trainableParams() {
    return weights.stream().filter(WeightSpec::trainable).mapToLong(WeightSpec::size).sum();
  }

  /** Parameters that are not trained by gradients (BatchNorm moving statistics). */
  public long nonTrainableParams() {
    return weights.stream().filter(w -> !w.trainable()).mapToLong(WeightSpec::size).sum();
  }

  /** All parameters. */
  public long params() {
    return trainableParams() + nonTrainableParams();
  }

  /** Multiply-adds of the forward pass for one example. */
  public long multiplyAdds() {
    return layer.multiplyAdds(input);
  }
}
