package io.github.gan4j;

import io.github.gan4j.Conditioning.DiscriminatorInput;
import io.github.gan4j.Conditioning.GeneratorInput;
import io.github.gan4j.layers.Activation;
import io.github.gan4j.layers.ActivationLayer;
import io.github.gan4j.layers.BatchNorm;
import io.github.gan4j.layers.Conv2D;
import io.github.gan4j.layers.Conv2DTranspose;
import io.github.gan4j.layers.Dense;
import io.github.gan4j.layers.Initializer;
import io.github.gan4j.layers.Layer;
import io.github.gan4j.layers.LayerShapeException;
import io.github.gan4j.layers.Padding;
import io.github.gan4j.layers.Reshape;
import io.github.gan4j.layers.ResidualBlock;
import io.github.gan4j.layers.Shape;
import io.github.gan4j.layers.SpectralNorm;
import io.github.gan4j.layers.UpSampling2D;
import io.github.gan4j.layers.WeightSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Declares a GAN as two layer stacks and validates it.
 *
 * <pre>{@code
 * Gan gan = GanBuilder.forImages(32, 32, 3)
 *     .latentDim(100)
 *     .generator(
 *         dense(8 * 8 * 256).activation(RELU), reshape(8, 8, 256), batchNorm().momentum(0.8f),
 *         conv2dTranspose(128, 4).strides(2).padding(SAME), leakyRelu(0.2f), batchNorm().momentum(0.8f),
 *         conv2dTranspose(64, 4).strides(2).padding(SAME), leakyRelu(0.2f), batchNorm().momentum(0.8f),
 *         conv2d(3, 3).padding(SAME).activation(TANH))
 *     .discriminator(
 *         conv2d(64, 3).strides(2).padding(SAME), leakyRelu(0.2f),
 *         conv2d(128, 3).strides(2).padding(SAME), leakyRelu(0.2f),
 *         conv2d(256, 3).strides(2).padding(SAME), leakyRelu(0.2f),
 *         flatten(), dense(1))
 *     .build();
 * }</pre>
 *
 * <p>Setters check single values at once ({@link IllegalArgumentException}); {@link #build()}
 * infers every shape and checks the structure ({@link GanConfigurationException}). The
 * builder is not changed by {@code build()}, which may be called again.
 */
public final class GanBuilder {
  private final Shape imageShape;
  private int latentDim = 100;
  private List<Layer> generator = List.of();
  private List<Layer> discriminator = List.of();
  private Conditioning conditioning;

  private GanBuilder(Shape imageShape) {
    this.imageShape = imageShape;
  }

  /**
   * Starts a GAN for images of {@code height x width x channels} (NHWC, pixels in [-1, 1]).
   *
   * @throws IllegalArgumentException if a size is not positive
   */
  public static GanBuilder forImages(int height, int width, int channels) {
    if (height <= 0 || width <= 0 || channels <= 0) {
      throw new IllegalArgumentException("image height, width and channels must be positive, were ("
          + height + ", " + width + ", " + channels + ")");
    }
    return new GanBuilder(Shape.of(height, width, channels));
  }

  /**
   * Size of the latent vector fed to the generator (default 100).
   *
   * @throws IllegalArgumentException if not positive
   */
  public GanBuilder latentDim(int latentDim) {
    this.latentDim = Layer.positive("latentDim", latentDim);
    return this;
  }

  /** The generator's layers, from the latent vector to the image. */
  public GanBuilder generator(Layer... layers) {
    this.generator = copy("generator", layers);
    return this;
  }

  /** The generator's layers, from the latent vector to the image. */
  public GanBuilder generator(List<? extends Layer> layers) {
    return generator(layers.toArray(Layer[]::new));
  }

  /** The discriminator's layers, from the image to one logit (no final sigmoid). */
  public GanBuilder discriminator(Layer... layers) {
    this.discriminator = copy("discriminator", layers);
    return this;
  }

  /** The discriminator's layers, from the image to one logit (no final sigmoid). */
  public GanBuilder discriminator(List<? extends Layer> layers) {
    return discriminator(layers.toArray(Layer[]::new));
  }

  /**
   * Makes the GAN conditional on {@code numClasses} class labels with the defaults of
   * {@link Conditioning#of(int)}: a label embedding concatenated to the generator's latent
   * vector, and a projection discriminator (whose last layer must be {@code dense(1)}).
   * Training then reads each image's label from the dataset, and generation takes labels.
   *
   * @throws IllegalArgumentException if {@code numClasses < 2}
   */
  public GanBuilder conditional(int numClasses) {
    return conditional(Conditioning.of(numClasses));
  }

  /** Makes the GAN conditional on class labels, fed to the networks as {@code conditioning} says. */
  public GanBuilder conditional(Conditioning conditioning) {
    this.conditioning = Objects.requireNonNull(conditioning, "conditioning");
    return this;
  }

  private static List<Layer> copy(String network, Layer[] layers) {
    Objects.requireNonNull(layers, network + " layers");
    for (int i = 0; i < layers.length; i++) {
      if (layers[i] == null) {
        throw new IllegalArgumentException(network + " layer " + i + " is null");
      }
    }
    return List.of(layers);
  }

  /**
   * Infers every shape and checks the configuration.
   *
   * @throws GanConfigurationException if a layer cannot take its input, the generator does
   *     not produce the image shape, the discriminator does not produce one logit per image,
   *     a stack is empty, or two layers of a network share a name; for a conditional GAN,
   *     also if the generator has no BatchNorm for conditional BatchNorm, or a projection
   *     discriminator does not end with {@code dense(1)}
   */
  public Gan build() {
    Conditioning c = conditioning;
    boolean concat = c != null && c.generator() == GeneratorInput.EMBEDDING_CONCAT;
    boolean maps = c != null && c.discriminator() == DiscriminatorInput.LABEL_MAPS;
    Network g = resolve("generator", Shape.of(latentDim + (concat ? c.embeddingDim() : 0)), generator,
        concat ? " (latent " + latentDim + " + label embedding " + c.embeddingDim() + ")" : "");
    checkGeneratorOutput(g);
    Network d = resolve("discriminator", maps ? Shape.of(imageShape.dim(0), imageShape.dim(1),
        imageShape.dim(2) + c.numClasses()) : imageShape, discriminator,
        maps ? " (image " + imageShape + " + " + c.numClasses() + " label maps)" : "");
    checkDiscriminatorOutput(d);
    if (c != null) {
      g = concat ? withLabels(g, new LabelInput(c, LabelInput.EMBEDDING, "Embedding", Shape.of(c.embeddingDim()),
          List.of(embeddings(c.numClasses(), c.embeddingDim()))))
          : conditionalBatchNorm(g, c);
      d = maps ? withLabels(d, new LabelInput(c, LabelInput.LABEL_MAPS, "LabelMaps",
          Shape.of(imageShape.dim(0), imageShape.dim(1), c.numClasses()), List.of()))
          : withLabels(d, projection(d, c));
    }
    return new Gan(imageShape, latentDim, g, d, Optional.ofNullable(c));
  }

  private static Network withLabels(Network n, LabelInput labels) {
    return new Network(n.name(), n.input(), n.layers(), Optional.of(labels));
  }

  private static WeightSpec embeddings(int numClasses, int size) {
    return new WeightSpec("embeddings", Shape.of(numClasses, size), true, Initializer.glorotUniform());
  }

  /** G with every BatchNorm's gamma and beta replaced by per-class rows; refused without BatchNorm. */
  private static Network conditionalBatchNorm(Network g, Conditioning c) {
    List<NetworkLayer> placed = new ArrayList<>();
    boolean any = false;
    for (NetworkLayer l : g.layers()) {
      if (l.layer() instanceof ResidualBlock b && b.batchNorm() != null) {
        throw new GanConfigurationException("generator", l.index(), l.layer().describe(), l.input(),
            "conditional BatchNorm cannot reach the BatchNorm inside a residual block, and leaving it unconditional"
                + " would be another model than asked for.",
            "Only batchNorm() layers of the stack itself get class-dependent gamma and beta.",
            "condition the generator with GeneratorInput.EMBEDDING_CONCAT, or use blocks without BatchNorm"
                + " (batchNorm(null)) and batchNorm() layers between them.");
      }
      if (l.layer() instanceof BatchNorm) {
        any = true;
        Shape classes = Shape.of(c.numClasses(), l.input().last());
        List<WeightSpec> weights = new ArrayList<>();
        for (WeightSpec w : l.weights()) {
          weights.add(switch (w.name()) {
            case "gamma" -> new WeightSpec(LabelInput.CLASS_GAMMA, classes, true, Initializer.ones());
            case "beta" -> new WeightSpec(LabelInput.CLASS_BETA, classes, true, Initializer.zeros());
            default -> w;
          });
        }
        l = new NetworkLayer(l.index(), l.name(), l.layer(), l.input(), l.output(), weights);
      }
      placed.add(l);
    }
    if (!any) {
      throw new GanConfigurationException("generator", -1, null, null,
          "conditional BatchNorm needs BatchNorm layers in the generator, but it has none.",
          "Conditional BatchNorm feeds the label through the class-dependent gamma and beta of each batchNorm().",
          "add batchNorm() layers to the generator, or condition it with GeneratorInput.EMBEDDING_CONCAT.");
    }
    return new Network(g.name(), g.input(), placed, Optional.of(new LabelInput(c, LabelInput.CONDITIONAL_BATCH_NORM,
        "ConditionalBatchNorm", Shape.of(c.numClasses()), List.of())));
  }


  /** The projection's embedding, sized by the input of D's last layer, which must be dense(1). */
  private static LabelInput projection(Network d, Conditioning c) {
    NetworkLayer last = d.layers().get(d.layers().size() - 1);
    Layer l = last.layer() instanceof SpectralNorm sn ? sn.layer() : last.layer();   // SNGAN: spectralNorm(dense(1))
    if (!(l instanceof Dense dense) || dense.units() != 1) {
      throw new GanConfigurationException("discriminator", last.index(), last.layer().describe(), last.input(),
          "a projection discriminator must end with dense(1), but it ends with " + last.layer().describe() + ".",
          "Projection adds <embed(y), h> to the logit, where h is the input of the last dense(1) layer.",
          "end the discriminator with flatten(), dense(1), or condition it with DiscriminatorInput.LABEL_MAPS.");
    }
    return new LabelInput(c, LabelInput.PROJECTION, "Embedding", Shape.of(1), List.of(embeddings(c.numClasses(),
        last.input().dim(0))));
  }

  /** @param inputNote what a conditional network's input is made of, e.g. " (latent 100 + label embedding 50)", or "" */
  private static Network resolve(String network, Shape input, List<Layer> layers, String inputNote) {
    if (layers.isEmpty()) {
      throw new GanConfigurationException(network, -1, null, null,
          "the " + network + " has no layers.", null,
          "declare it with ." + network + "(layer, layer, ...).");
    }
    List<NetworkLayer> placed = new ArrayList<>();
    Set<String> explicit = new HashSet<>();
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      if (l instanceof Layer.Custom) {
        checkCustomNames(network, i, l);
      }
      if (l.name() != null && !explicit.add(l.name())) {
        int first = indexOfName(layers, l.name());
        throw new GanConfigurationException(network, i, l.describe(), null,
            "two layers of the " + network + " are named '" + l.name() + "'.",
            network + "[" + first + "] " + layers.get(first).describe() + " has that name already.",
            "give each layer a unique name, or leave names out to get Keras-style defaults.");
      }
    }
    Map<String, Integer> counters = new HashMap<>();
    Shape shape = input;
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      Shape out;
      try {
        out = l.outputShape(shape);
      } catch (LayerShapeException e) {
        throw new GanConfigurationException(network, i, l.describe(), shape,
            network + "[" + i + "] " + l.describe() + " cannot take its input.",
            e.problem() + trace(network, input, placed, inputNote), e.fix());
      } catch (RuntimeException e) {
        if (!(l instanceof Layer.Custom)) {
          throw e;
        }
        throw new GanConfigurationException(network, i, l.describe(), shape,
            network + "[" + i + "] " + l.describe() + " failed to infer its output shape: " + e + "."
                + trace(network, input, placed, inputNote), null,
            "throw LayerShapeException(problem, fix) from outputShape(Shape) for inputs the layer cannot take.");
      }
      List<WeightSpec> weights = l instanceof Layer.Custom ? customWeights(network, i, l, shape, out)
          : l.weights(shape);
      String name = l.name() != null ? l.name() : defaultName(l.kind(), counters, explicit);
      placed.add(new NetworkLayer(i, name, l, shape, out, weights));
      shape = out;
    }
    return new Network(network, input, placed);
  }

  /** A custom layer's self-description, checked before anything uses it. */
  private static void checkCustomNames(String network, int i, Layer l) {
    String type = l.getClass().getName();
    if (l.describe() == null || l.describe().isBlank()) {
      throw new GanConfigurationException(network, i, type, null,
          "the custom layer " + type + " at " + network + "[" + i + "] describes itself as '" + l.describe() + "'.",
          null, "return the layer as written in code from describe(), e.g. \"minibatchStddev()\".");
    }
    if (l.kind() == null || !l.kind().matches(NAME_PATTERN)) {
      throw new GanConfigurationException(network, i, l.describe(), null,
          network + "[" + i + "] " + l.describe() + " has the kind " + quote(l.kind())
              + "; a kind is the stem of default layer names.",
          null, "return a snake_case stem from kind(), e.g. \"minibatch_stddev\" (letters, digits, '_', '-', '.'; not starting with '_' or '-').");
    }
    if (l.name() != null && !l.name().matches(NAME_PATTERN)) {
      throw new GanConfigurationException(network, i, l.describe(), null,
          network + "[" + i + "] " + l.describe() + " is named " + quote(l.name()) + ".",
          null, "use only letters, digits, '_', '-' and '.' in a layer name, not starting with '_' or '-', or return null to get a default.");
    }
  }

  /** A custom layer's declared weights, checked: they become variables named {@code <network>/<layer>/<weight>}. */
  private static List<WeightSpec> customWeights(String network, int i, Layer l, Shape in, Shape out) {
    String where = network + "[" + i + "] " + l.describe();
    if (out == null) {
      throw new GanConfigurationException(network, i, l.describe(), in,
          where + " returned null from outputShape(" + in.toString().substring(1) + ".", null,
          "return the output shape of one example from outputShape(Shape).");
    }
    List<WeightSpec> weights;
    try {
      weights = l.weights(in);
    } catch (RuntimeException e) {
      throw new GanConfigurationException(network, i, l.describe(), in,
          where + " failed to declare its weights for input " + in + ": " + e + ".", null,
          "make weights(Shape) return the layer's weights for every input its outputShape(Shape) accepts.");
    }
    if (weights == null) {
      throw new GanConfigurationException(network, i, l.describe(), in,
          where + " returned null from weights(" + in.toString().substring(1) + ".", null,
          "return List.of() from weights(Shape) for a layer without weights.");
    }
    Set<String> names = new HashSet<>();
    for (WeightSpec w : weights) {
      String problem = w == null ? "declares a null weight"
          : w.name() == null || !w.name().matches(NAME_PATTERN) ? "declares a weight named " + quote(w.name())
          : !names.add(w.name()) ? "declares two weights named '" + w.name() + "'"
          : w.shape() == null ? "declares the weight '" + w.name() + "' without a shape"
          : w.initializer() == null ? "declares the weight '" + w.name() + "' without an initializer"
          : null;
      if (problem != null) {
        throw new GanConfigurationException(network, i, l.describe(), in, where + " " + problem + ".", null,
            "give each WeightSpec a unique name of letters, digits, '_', '-' and '.', not starting with '_' or '-' (it becomes the variable "
                + network + "/<layer>/<name>), a shape and an initializer.");
      }
    }
    return weights;
  }

  /** What TensorFlow accepts in a scope or op name, which layer and weight names become. */
  private static final String NAME_PATTERN = "[A-Za-z0-9.][A-Za-z0-9_.\\-]*";

  private static String quote(String s) {
    return s == null ? "null" : "'" + s + "'";
  }

  private static int indexOfName(List<Layer> layers, String name) {
    for (int i = 0; i < layers.size(); i++) {
      if (name.equals(layers.get(i).name())) {
        return i;
      }
    }
    return -1;
  }

  private static String defaultName(String kind, Map<String, Integer> counters, Set<String> taken) {
    while (true) {
      int n = counters.merge(kind, 1, Integer::sum) - 1;
      String name = n == 0 ? kind : kind + "_" + n;
      if (!taken.contains(name)) {
        return name;
      }
    }
  }

  private static String trace(String network, Shape input, List<NetworkLayer> placed, String inputNote) {
    StringBuilder sb = new StringBuilder("\n  Shapes so far: ").append(network).append(" input ").append(input)
        .append(inputNote);
    for (NetworkLayer p : placed) {
      sb.append(" -> ").append(p.output());
    }
    return sb.toString();
  }

  private void checkGeneratorOutput(Network g) {
    Shape out = g.output();
    if (out.equals(imageShape)) {
      return;
    }
    NetworkLayer last = g.layers().get(g.layers().size() - 1);
    StringBuilder detail = new StringBuilder();
    StringBuilder fix = new StringBuilder();
    if (out.rank() != 3) {
      detail.append("The generator must end in an image (height, width, channels).");
      fix.append("end the generator with reshape(").append(imageShape.toString(), 1, imageShape.toString().length() - 1)
          .append(") or with convolutions that produce ").append(imageShape).append('.');
    } else {
      List<String> steps = new ArrayList<>();
      int factor = 1;
      String firstImage = null;
      for (NetworkLayer l : g.layers()) {
        if (l.output().rank() == 3 && firstImage == null) {
          firstImage = String.valueOf(l.output().dim(0));
          steps.add(firstImage);
        } else if (l.input().rank() == 3 && l.output().rank() == 3 && l.output().dim(0) != l.input().dim(0)) {
          steps.add(String.valueOf(l.output().dim(0)));
          factor = l.output().dim(0) % l.input().dim(0) == 0 ? factor * (l.output().dim(0) / l.input().dim(0)) : -1;
        }
      }
      if (out.dim(0) != imageShape.dim(0) || out.dim(1) != imageShape.dim(1)) {
        detail.append("Height through the generator: ").append(String.join(" -> ", steps)).append('.');
        List<NetworkLayer> valid = validPaddingResizes(g);
        if (!valid.isEmpty()) {
          detail.append("\n  Convolutions with padding VALID:");
          for (NetworkLayer l : valid) {
            detail.append("\n    generator[").append(l.index()).append("] ").append(l.layer().describe())
                .append(": ").append(l.input().dim(0)).append(" -> ").append(l.output().dim(0));
          }
          detail.append("\n  ").append(validPaddingFormulas(valid)).append(" DCGAN-style stacks use .padding(SAME).");
        } else if (upsamples(g)) {
          detail.append(" Each strides=s transposed convolution or upSampling2d(s) multiplies height and width by s"
              + " (resBlockUp by 2).");
        }
        int[] start = reshapeStart(g);
        if (!valid.isEmpty() && imageShape.equals(outputWithSamePadding(g, valid))) {
          fix.append("add .padding(SAME) to ");
          for (int i = 0; i < valid.size(); i++) {
            NetworkLayer l = valid.get(i);
            fix.append(i == 0 ? "" : i == valid.size() - 1 ? " and " : ", ")
                .append("generator[").append(l.index()).append("] ")
                .append(l.layer().kind().equals("conv2d") ? "conv2d" : "conv2dTranspose");
          }
          fix.append("; the generator then ends at ").append(imageShape.dim(0)).append(" x ")
              .append(imageShape.dim(1)).append('.');
        } else if (start != null) {
          boolean multiplies = factor > 0 && start[0] * factor == imageShape.dim(0)
              && start[1] * factor == imageShape.dim(1);
          fix.append("start from reshape(").append(start[0]).append(", ").append(start[1]).append(", C) so the ")
              .append(multiplies ? "x" + factor + " upsampling" : "generator")
              .append(" ends at ").append(imageShape.dim(0)).append(" x ").append(imageShape.dim(1))
              .append(", or declare GanBuilder.forImages(").append(out.dim(0)).append(", ")
              .append(out.dim(1)).append(", ").append(out.dim(2)).append(").");
        } else {
          fix.append("change the upsampling so the output is ").append(imageShape.dim(0)).append(" x ")
              .append(imageShape.dim(1)).append(", or declare GanBuilder.forImages(").append(out.dim(0))
              .append(", ").append(out.dim(1)).append(", ").append(out.dim(2)).append(").");
        }
      } else {
        detail.append("Height and width match; the generator produces ").append(out.dim(2))
            .append(" channels where the images have ").append(imageShape.dim(2)).append('.');
        fix.append("give the last convolution filters=").append(imageShape.dim(2)).append('.');
      }
    }
    throw new GanConfigurationException("generator", last.index(), last.layer().describe(), last.input(),
        "generator output " + out + " does not match image shape " + imageShape + ".",
        "generator[" + last.index() + "] " + last.layer().describe() + ": " + last.input() + " -> " + out
            + "\n  " + detail, fix.toString());
  }

  /**
   * The convolutions of {@code g} with padding VALID whose output size differs from what
   * padding SAME would give them.
   */
  private static List<NetworkLayer> validPaddingResizes(Network g) {
    List<NetworkLayer> valid = new ArrayList<>();
    for (NetworkLayer l : g.layers()) {
      Layer same = withSamePadding(l.layer());
      if (same != l.layer() && !same.outputShape(l.input()).equals(l.output())) {
        valid.add(l);
      }
    }
    return valid;
  }

  /** {@code l} with padding SAME if it is a convolution with padding VALID, else {@code l} itself. */
  private static Layer withSamePadding(Layer l) {
    if (l instanceof SpectralNorm sn) {
      Layer inner = withSamePadding(sn.layer());
      return inner == sn.layer() ? l : new SpectralNorm(inner, sn.powerIterations(), sn.epsilon());
    }
    if (l instanceof Conv2D c && c.padding() == Padding.VALID) {
      return c.padding(Padding.SAME);
    }
    if (l instanceof Conv2DTranspose t && t.padding() == Padding.VALID) {
      return t.padding(Padding.SAME);
    }
    return l;
  }

  /** The output shape of {@code g} with the layers {@code valid} switched to padding SAME, or null. */
  private static Shape outputWithSamePadding(Network g, List<NetworkLayer> valid) {
    List<Layer> layers = new ArrayList<>();
    for (NetworkLayer l : g.layers()) {
      layers.add(valid.contains(l) ? withSamePadding(l.layer()) : l.layer());
    }
    return outputShape(layers, g.input());
  }

  private static String validPaddingFormulas(List<NetworkLayer> valid) {
    boolean transposed = valid.stream().anyMatch(l -> l.layer().kind().equals("conv2d_transpose"));
    boolean conv = valid.stream().anyMatch(l -> l.layer().kind().equals("conv2d"));
    String t = "out = in * strides + max(kernelSize - strides, 0)";
    String c = "out = floor((in - kernelSize) / strides) + 1";
    if (transposed && conv) {
      return "conv2dTranspose and conv2d default to padding VALID as in Keras: conv2dTranspose gives " + t
          + ", conv2d " + c + ".";
    }
    return transposed
        ? "conv2dTranspose defaults to padding VALID as in Keras: " + t + "."
        : "conv2d defaults to padding VALID as in Keras: " + c + ".";
  }

  /**
   * The height and width of the generator's first reshape that make it end at the image's
   * height and width, found by running the layers after it (exact for any padding), or null.
   */
  private int[] reshapeStart(Network g) {
    List<NetworkLayer> placed = g.layers();
    int r = 0;
    while (r < placed.size() && placed.get(r).output().rank() != 3) {
      r++;
    }
    if (r == placed.size() || !(placed.get(r).layer() instanceof Reshape)) {
      return null;
    }
    Shape from = placed.get(r).output();
    List<Layer> rest = placed.subList(r + 1, placed.size()).stream().map(NetworkLayer::layer).toList();
    int h = search(rest, from, 0, imageShape.dim(0));
    int w = search(rest, from, 1, imageShape.dim(1));
    if (h < 0 || w < 0) {
      return null;
    }
    Shape end = outputShape(rest, Shape.of(h, w, from.dim(2)));
    return end != null && end.rank() == 3 && end.dim(0) == imageShape.dim(0) && end.dim(1) == imageShape.dim(1)
        ? new int[] {h, w} : null;
  }

  /** The smallest size of dimension {@code dim} of {@code from} that {@code layers} take to {@code target}, or -1. */
  private static int search(List<Layer> layers, Shape from, int dim, int target) {
    for (int x = 1; x <= 4 * target; x++) {
      Shape s = outputShape(layers, dim == 0 ? Shape.of(x, from.dim(1), from.dim(2)) : Shape.of(from.dim(0), x, from.dim(2)));
      if (s != null && s.rank() == 3 && s.dim(dim) == target) {
        return x;
      }
    }
    return -1;
  }

  /** The output of {@code layers} from {@code input}, or null if a layer cannot take its input. */
  private static Shape outputShape(List<Layer> layers, Shape input) {
    Shape s = input;
    for (Layer l : layers) {
      try {
        s = l.outputShape(s);
      } catch (LayerShapeException | IllegalArgumentException e) {
        return null;
      }
    }
    return s;
  }

  private static boolean upsamples(Network g) {
    return g.layers().stream().anyMatch(l ->
        (l.layer() instanceof Conv2DTranspose t && t.strides() > 1) || l.layer() instanceof UpSampling2D
            || (l.layer() instanceof ResidualBlock b && b.type() == ResidualBlock.Type.UP));
  }

  private static void checkDiscriminatorOutput(Network d) {
    NetworkLayer last = d.layers().get(d.layers().size() - 1);
    Shape out = d.output();
    if (!out.equals(Shape.of(1))) {
      String fix;
      if (out.rank() != 1) {
        fix = "end the discriminator with flatten(), dense(1).";
      } else {
        fix = "end the discriminator with dense(1)"
            + (last.layer() instanceof Dense ? " instead of " + last.layer().describe() : "") + ".";
      }
      throw new GanConfigurationException("discriminator", last.index(), last.layer().describe(), last.input(),
          "discriminator output " + out + " is not one logit per image (1).",
          "discriminator[" + last.index() + "] " + last.layer().describe() + ": " + last.input() + " -> " + out,
          fix);
    }
    Layer l = last.layer() instanceof SpectralNorm sn ? sn.layer() : last.layer();
    Activation finalActivation = l instanceof Dense dense ? dense.activation()
        : l instanceof Conv2D conv ? conv.activation()
        : l instanceof ActivationLayer a ? a.activation()
        : Activation.LINEAR;
    if (finalActivation != Activation.LINEAR) {
      throw new GanConfigurationException("discriminator", last.index(), last.layer().describe(), last.input(),
          "the discriminator must output a logit, but its last layer applies " + finalActivation.kerasName() + ".",
          "The loss applies the sigmoid itself (a numerically stable cross-entropy on logits).",
          last.layer() instanceof ActivationLayer
              ? "remove the final " + last.layer().describe() + " layer."
              : "remove .activation(" + finalActivation.name() + ") from the last layer.");
    }
  }
}
