package io.github.gan4j;

import io.github.gan4j.layers.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated stack of layers with every shape inferred: the generator or the
 * discriminator of a {@link Gan}. Immutable.
 *
 * @param name {@code "generator"} or {@code "discriminator"}
 * @param input shape of one example entering the network
 * @param layers the placed layers, in order
 * @param labels how the network takes the class label, for a conditional GAN
 *     ({@link GanBuilder#conditional(Conditioning)}); with label maps or a label embedding,
 *     {@code input} is what the first layer receives (image and maps, latent and embedding)
 */
public record Network(String name, Shape input, List<NetworkLayer> layers, Optional<LabelInput> labels) {

  /** Copies the list. */
  public Network {
    layers = List.copyOf(layers);
    Objects.requireNonNull(labels, "labels");
  }

  /** A network without class labels. */
  public Network(String name, Shape input, List<NetworkLayer> layers) {
    this(name, input, layers, Optional.empty());
  }

  /**
   * Shape of one example as fed to the network, before a class label joins it: the latent
   * vector or the image. Equals {@link #input()} unless the label is concatenated at the input
   * (a label embedding, label maps).
   */
  public Shape dataInput() {
    if (labels.isEmpty()) {
      return input;
    }
    LabelInput l = labels.get();
    if (l.name().equals(LabelInput.EMBEDDING)) {
      return Shape.of(input.dim(0) - l.output().dim(0));
    }
    if (l.name().equals(LabelInput.LABEL_MAPS)) {
      return Shape.of(input.dim(0), input.dim(1), input.dim(2) - l.output().dim(2));
    }
    return input;
  }

  /** Shape of one example leaving the network. */
  public Shape output() {
    return layers.isEmpty() ? input : layers.get(layers.size() - 1).output();
  }

  /** Parameters an optimizer updates. */
  public long trainableParams() {
    return layers.stream().mapToLong(NetworkLayer::trainableParams).sum() + labels.map(LabelInput::params).orElse(0L);
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
   * A Keras-like table: layer (type), output shape, parameters, then the totals. Each column
   * is as wide as its longest entry (at least 34, 26 and 14 characters), so long layer names
   * and types such as {@code batch_normalization_12 (BatchNormalization)} stay aligned.
   */
  public String summary() {
    List<String[]> rows = new ArrayList<>();
    // the label's row stands where it joins: before the first layer, or beside the last (projection)
    boolean last = labels.isPresent() && labels.get().name().equals(LabelInput.PROJECTION);
    if (labels.isPresent() && !last && !labels.get().name().equals(LabelInput.CONDITIONAL_BATCH_NORM)) {
      rows.add(labelRow(labels.get()));
    }
    for (NetworkLayer l : layers) {
      rows.add(new String[] {l.name() + " (" + l.layer().typeName() + ")",
          "(None, " + l.output().toString().substring(1), String.format("%,d", l.params())});
    }
    if (last) {
      rows.add(labelRow(labels.get()));
    }
    int[] width = {34, 26, 14};
    String[] header = {"Layer (type)", "Output Shape", "Param #"};
    for (String[] row : rows) {
      for (int c = 0; c < 3; c++) {
        width[c] = Math.max(width[c], Math.max(row[c].length(), header[c].length()));
      }
    }
    String format = "%-" + width[0] + "s %-" + width[1] + "s %" + width[2] + "s%n";
    int total = width[0] + width[1] + width[2] + 2;
    String rule = "-".repeat(total);
    StringBuilder sb = new StringBuilder();
    sb.append("Model: \"").append(name).append("\"  input ").append(input).append('\n');
    sb.append(rule).append('\n');
    sb.append(String.format(format, (Object[]) header));
    sb.append("=".repeat(total)).append('\n');
    for (String[] row : rows) {
      sb.append(String.format(format, (Object[]) row));
    }
    sb.append("=".repeat(total)).append('\n');
    sb.append(String.format("Total params: %,d%n", params()));
    sb.append(String.format("Trainable params: %,d%n", trainableParams()));
    sb.append(String.format("Non-trainable params: %,d%n", nonTrainableParams()));
    sb.append(String.format("Forward multiply-adds per example: %,d%n", multiplyAdds()));
    sb.append(rule).append('\n');
    return sb.toString();
  }

  private static String[] labelRow(LabelInput l) {
    return new String[] {l.name() + " (" + l.typeName() + ")", "(None, " + l.output().toString().substring(1),
        String.format("%,d", l.params())};
  }
}
