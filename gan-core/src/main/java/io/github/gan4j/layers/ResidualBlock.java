package io.github.gan4j.layers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A residual block of the SNGAN and BigGAN ResNets (Miyato et al. 2018, the ResNet models of
 * their code {@code pfnet-research/sngan_projection}): {@code y = residual(x) + shortcut(x)},
 * one entry in a stack. Its two paths are ordinary layer specs ({@link #residualPath(Shape)},
 * {@link #shortcutPath(Shape)}), named inside the block, so the block's variables are
 * {@code <network>/<block>/<sublayer>/<weight>}, e.g. {@code discriminator/res_block_1/conv_1/kernel},
 * and the trainer lowers them as it lowers a stack (BatchNorm inside a block is synchronized
 * across the replicas of a data-parallel run like any other).
 *
 * <p>The four types, with {@code n} BatchNorm if {@link #batchNorm} is set, else nothing;
 * every convolution has padding SAME and a bias:
 * <table>
 * <caption>Block types</caption>
 * <tr><th>type (factory)</th><th>residual path</th><th>shortcut</th><th>shape</th></tr>
 * <tr><td>{@link Type#UP} ({@link Layers#resBlockUp}, G)</td>
 *     <td>n, ReLU, upSampling2d(2), conv 3x3 (filters), n, ReLU, conv 3x3 (filters)</td>
 *     <td>upSampling2d(2), conv 1x1</td><td>{@code (h, w, c) -> (2h, 2w, filters)}</td></tr>
 * <tr><td>{@link Type#DOWN} ({@link Layers#resBlockDown}, D)</td>
 *     <td>n, ReLU, conv 3x3 (c), n, ReLU, conv 3x3 (filters), averagePooling2d(2)</td>
 *     <td>conv 1x1, averagePooling2d(2)</td><td>{@code (h, w, c) -> (h/2, w/2, filters)}, h and w even</td></tr>
 * <tr><td>{@link Type#DOWN_OPTIMIZED} ({@link Layers#resBlockDownOptimized}, D's first block)</td>
 *     <td>conv 3x3 (filters), n, ReLU, conv 3x3 (filters), averagePooling2d(2)</td>
 *     <td>averagePooling2d(2), conv 1x1</td><td>{@code (h, w, c) -> (h/2, w/2, filters)}, h and w even</td></tr>
 * <tr><td>{@link Type#PLAIN} ({@link Layers#resBlock})</td>
 *     <td>n, ReLU, conv 3x3 (c), n, ReLU, conv 3x3 (filters)</td>
 *     <td>identity if {@code c == filters}, else conv 1x1</td><td>{@code (h, w, c) -> (h, w, filters)}</td></tr>
 * </table>
 * The hidden convolution (conv_1) has {@code filters} outputs in the up-sampling and the
 * optimized block, and the input's {@code c} in the others, as in SNGAN's code. The optimized
 * block has no ReLU before its first convolution (it sees the image) and pools before the
 * shortcut's convolution, which is 4 times cheaper.
 *
 * <p>With {@link #spectralNorm()} every convolution is wrapped in {@link Layers#spectralNorm(Layer)}.
 *
 * <p>Weights: those of the sublayers, named {@code conv_1/kernel}, {@code bn_1/gamma},
 * {@code shortcut_conv/bias}, ...; parameters: for each 3x3 convolution
 * {@code 9 * in * out + out}, for the 1x1 shortcut {@code in * out + out}, and {@code 4 * channels}
 * for each BatchNorm (half of them non-trainable). Multiply-adds: the sublayers'.
 *
 * @param type the block's structure
 * @param filters output channels, positive
 * @param batchNorm the BatchNorm before each ReLU of the residual path, or {@code null} for
 *     none (the default of the discriminator blocks)
 * @param spectralNormalized whether every convolution of the block is wrapped in
 *     {@link Layers#spectralNorm(Layer)} (SNGAN's discriminator; default {@code false}); the
 *     block's variables then include {@code conv_1/u} and so on
 * @param name layer name, or {@code null} for the default ({@code res_block}, {@code res_block_1}, ...)
 */
public record ResidualBlock(Type type, int filters, BatchNorm batchNorm, boolean spectralNormalized, String name)
    implements Layer {

  /** The structure of a residual block; see {@link ResidualBlock}. */
  public enum Type {
    /** Up-sampling by 2 (SNGAN's generator block). */
    UP,
    /** Down-sampling by 2 (SNGAN's discriminator block). */
    DOWN,
    /** Down-sampling by 2 without a ReLU on the input (SNGAN's first discriminator block, {@code OptimizedBlock}). */
    DOWN_OPTIMIZED,
    /** No resampling. */
    PLAIN
  }

  /** The BatchNorm of SNGAN's generator blocks: Chainer's defaults, decay 0.9 and epsilon 2e-5. */
  public static final BatchNorm SNGAN_BATCH_NORM = new BatchNorm(0.9f, 2e-5f, null);

  /** Validates the arguments. */
  public ResidualBlock {
    Objects.requireNonNull(type, "residual block type");
    Layer.positive("residual block filters", filters);
    if (batchNorm != null && batchNorm.name() != null) {
      throw new IllegalArgumentException("the batchNorm of a residual block must not be named ('" + batchNorm.name()
          + "'); the block names its BatchNorms bn_1 and bn_2");
    }
    Layer.validName(name);
  }

  /** This block with another BatchNorm before each ReLU, or none ({@code null}). */
  public ResidualBlock batchNorm(BatchNorm batchNorm) {
    return new ResidualBlock(type, filters, batchNorm, spectralNormalized, name);
  }

  /** This block with spectral normalization of every convolution, as SNGAN's discriminator. */
  public ResidualBlock spectralNorm() {
    return spectralNorm(true);
  }

  /** This block with or without spectral normalization of every convolution. */
  public ResidualBlock spectralNorm(boolean spectralNormalized) {
    return new ResidualBlock(type, filters, batchNorm, spectralNormalized, name);
  }

  /** This block with a name. */
  public ResidualBlock name(String name) {
    return new ResidualBlock(type, filters, batchNorm, spectralNormalized, name);
  }

  @Override
  public String kind() {
    return "res_block";
  }

  @Override
  public String typeName() {
    return switch (type) {
      case UP -> "ResBlockUp";
      case DOWN -> "ResBlockDown";
      case DOWN_OPTIMIZED -> "ResBlockDownOptimized";
      case PLAIN -> "ResBlock";
    };
  }

  /** Output channels of the first 3x3 convolution for an input of {@code input.last()} channels. */
  public int hiddenFilters(Shape input) {
    return type == Type.UP || type == Type.DOWN_OPTIMIZED ? filters : input.last();
  }

  /**
   * The residual path for an input of shape {@code input}: ordinary layers named inside the
   * block ({@code bn_1}, {@code relu_1}, {@code upsample}, {@code conv_1}, {@code bn_2},
   * {@code relu_2}, {@code conv_2}, {@code pool}).
   */
  public List<Layer> residualPath(Shape input) {
    List<Layer> path = new ArrayList<>();
    Layer conv1 = normalized(conv3x3(hiddenFilters(input), "conv_1"));
    Layer conv2 = normalized(conv3x3(filters, "conv_2"));
    if (type == Type.DOWN_OPTIMIZED) {
      path.add(conv1);
      addNormRelu(path, 1);
      path.add(conv2);
    } else {
      addNormRelu(path, 1);
      if (type == Type.UP) {
        path.add(new UpSampling2D(2, "upsample"));
      }
      path.add(conv1);
      addNormRelu(path, 2);
      path.add(conv2);
    }
    if (type == Type.DOWN || type == Type.DOWN_OPTIMIZED) {
      path.add(new AveragePooling2D(2, "pool"));
    }
    return path;
  }

  /**
   * The shortcut path for an input of shape {@code input}, empty for the identity
   * ({@code shortcut_upsample}, {@code shortcut_pool}, {@code shortcut_conv}).
   */
  public List<Layer> shortcutPath(Shape input) {
    Layer conv = normalized(new Conv2D(filters, 1, 1, Padding.VALID, Activation.LINEAR, true, "shortcut_conv"));
    AveragePooling2D pool = new AveragePooling2D(2, "shortcut_pool");
    return switch (type) {
      case UP -> List.of(new UpSampling2D(2, "shortcut_upsample"), conv);
      case DOWN -> List.of(conv, pool);
      case DOWN_OPTIMIZED -> List.of(pool, conv);
      case PLAIN -> input.last() == filters ? List.of() : List.of(conv);
    };
  }

  private void addNormRelu(List<Layer> path, int i) {
    if (batchNorm != null) {
      path.add(batchNorm.name("bn_" + i));
    }
    path.add(new ActivationLayer(Activation.RELU, "relu_" + i));
  }

  private Layer normalized(Conv2D conv) {
    return spectralNormalized ? Layers.spectralNorm(conv) : conv;
  }

  private static Conv2D conv3x3(int filters, String name) {
    return new Conv2D(filters, 3, 1, Padding.SAME, Activation.LINEAR, true, name);
  }

  @Override
  public Shape outputShape(Shape input) {
    Convolutions.requireImage(factory(), input);
    if ((type == Type.DOWN || type == Type.DOWN_OPTIMIZED) && (input.dim(0) % 2 != 0 || input.dim(1) % 2 != 0)) {
      throw new LayerShapeException(describe() + " halves height and width but received " + input + ": "
          + (input.dim(0) % 2 != 0 ? "height " + input.dim(0) : "width " + input.dim(1))
          + " is odd, and average pooling would drop its last row or column.",
          "give the block an input of even height and width (e.g. a generator and images of a size divisible by"
              + " 2 for each down-sampling block).");
    }
    Shape residual = through(residualPath(input), input);
    Shape shortcut = through(shortcutPath(input), input);
    if (!residual.equals(shortcut)) {   // by construction they agree; a check, not a configuration error
      throw new IllegalStateException(describe() + ": residual path gives " + residual + ", shortcut " + shortcut);
    }
    return residual;
  }

  private Shape through(List<Layer> path, Shape input) {
    Shape s = input;
    for (Layer l : path) {
      try {
        s = l.outputShape(s);
      } catch (LayerShapeException e) {
        throw new LayerShapeException("inside " + describe() + ", " + l.name() + " " + l.describe() + ": "
            + e.problem(), e.fix());
      }
    }
    return s;
  }

  /**
   * The sublayers' weights, each named {@code <sublayer>/<weight>} ({@code conv_1/kernel}), the
   * residual path's first.
   */
  @Override
  public List<WeightSpec> weights(Shape input) {
    List<WeightSpec> all = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (List<Layer> path : List.of(residualPath(input), shortcutPath(input))) {
      Shape s = input;
      for (Layer l : path) {
        if (!names.add(l.name())) {
          throw new IllegalStateException(describe() + " has two sublayers named " + l.name());
        }
        for (WeightSpec w : l.weights(s)) {
          all.add(new WeightSpec(l.name() + "/" + w.name(), w.shape(), w.trainable(), w.initializer()));
        }
        s = l.outputShape(s);
      }
    }
    return all;
  }

  @Override
  public long multiplyAdds(Shape input) {
    long sum = 0;
    for (List<Layer> path : List.of(residualPath(input), shortcutPath(input))) {
      Shape s = input;
      for (Layer l : path) {
        sum += l.multiplyAdds(s);
        s = l.outputShape(s);
      }
    }
    return sum;
  }

  private String factory() {
    return switch (type) {
      case UP -> "resBlockUp";
      case DOWN -> "resBlockDown";
      case DOWN_OPTIMIZED -> "resBlockDownOptimized";
      case PLAIN -> "resBlock";
    };
  }

  /**
   * The factory of this type; {@code batchNorm=...} when it is not the type's default, and
   * {@code .spectralNorm()} after it when set.
   */
  @Override
  public String describe() {
    StringBuilder sb = new StringBuilder(factory()).append("(filters=").append(filters);
    BatchNorm standard = type == Type.UP ? SNGAN_BATCH_NORM : null;
    if (!Objects.equals(batchNorm, standard)) {
      sb.append(", batchNorm=").append(batchNorm == null ? "none" : batchNorm.describe());
    }
    return sb.append(')').append(spectralNormalized ? ".spectralNorm()" : "").toString();
  }
}
