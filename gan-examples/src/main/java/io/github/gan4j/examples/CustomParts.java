package io.github.gan4j.examples;

import static io.github.gan4j.layers.Activation.TANH;
import static io.github.gan4j.layers.Layers.conv2d;
import static io.github.gan4j.layers.Layers.conv2dTranspose;
import static io.github.gan4j.layers.Layers.dense;
import static io.github.gan4j.layers.Layers.flatten;
import static io.github.gan4j.layers.Layers.leakyRelu;
import static io.github.gan4j.layers.Layers.reshape;
import static io.github.gan4j.layers.Padding.SAME;

import io.github.gan4j.Gan;
import io.github.gan4j.GanBuilder;
import io.github.gan4j.data.Dataset;
import io.github.gan4j.data.Idx;
import io.github.gan4j.extension.CustomLayer;
import io.github.gan4j.extension.CustomLoss;
import io.github.gan4j.extension.LayerContext;
import io.github.gan4j.layers.LayerShapeException;
import io.github.gan4j.layers.Initializer;
import io.github.gan4j.layers.Shape;
import io.github.gan4j.layers.WeightSpec;
import io.github.gan4j.train.Listeners;
import io.github.gan4j.train.Steps;
import io.github.gan4j.train.Trainer;
import java.nio.file.Path;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * The README's "Your own layers and losses", kept here so that it compiles with every build:
 * ProGAN's minibatch standard deviation in the discriminator, a pixel norm with a learned
 * gain in the generator, and a softplus hinge loss, all written by the user on TensorFlow
 * Java operands through {@code io.github.gan4j.extension}.
 */
public final class CustomParts {
  private CustomParts() {}

  // BEGIN README CUSTOM PARTS
  /**
   * ProGAN's minibatch standard deviation (Karras et al. 2018): the standard deviation over
   * the batch of every feature, averaged to one number, appended as a constant channel.
   * Shape: (h, w, c) -> (h, w, c + 1). No weights.
   */
  public record MinibatchStddev() implements CustomLayer {
    public String kind() { return "minibatch_stddev"; }   // unnamed layers become minibatch_stddev, ..._1
    public String name() { return null; }
    public String describe() { return "minibatchStddev()"; }

    public Shape outputShape(Shape in) {
      if (in.rank() != 3) {
        throw new LayerShapeException("minibatchStddev needs an image (h, w, c), got " + in + ".",
            "place it before flatten().");
      }
      return Shape.of(in.dim(0), in.dim(1), in.dim(2) + 1);
    }

    public Operand<TFloat32> forward(LayerContext c, Operand<TFloat32> x) {
      Ops tf = c.tf();
      Operand<TFloat32> deviation = tf.math.sub(x, tf.math.mean(x, tf.constant(0), Mean.keepDims(true)));
      Operand<TFloat32> variance = tf.math.mean(tf.math.square(deviation), tf.constant(0));
      Operand<TFloat32> std = tf.math.sqrt(tf.math.add(variance, tf.constant(1e-8f)));
      Operand<TFloat32> average = tf.math.mean(std, tf.constant(new int[] {0, 1, 2}));   // a scalar
      Shape in = c.inputShape();
      Operand<TFloat32> firstChannel = tf.slice(x, tf.constant(new int[] {0, 0, 0, 0}),
          tf.constant(new int[] {-1, in.dim(0), in.dim(1), 1}));
      Operand<TFloat32> feature = tf.math.add(tf.zerosLike(firstChannel), average);   // (batch, h, w, 1)
      return tf.concat(List.of(x, feature), tf.constant(3));
    }
  }

  /**
   * Pixel norm with a learned gain: every feature vector (the last axis) scaled to unit root
   * mean square, then multiplied by a trainable per-channel {@code gain} (initially ones).
   * Shape: unchanged. Weights: gain (c).
   */
  public record PixelNorm() implements CustomLayer {
    public String kind() { return "pixel_norm"; }
    public String name() { return null; }
    public String describe() { return "pixelNorm()"; }
    public Shape outputShape(Shape in) { return in; }

    public List<WeightSpec> weights(Shape in) {
      return List.of(new WeightSpec("gain", Shape.of(in.last()), true, Initializer.ones()));
    }

    public Operand<TFloat32> forward(LayerContext c, Operand<TFloat32> x) {
      Ops tf = c.tf();
      Operand<TFloat32> meanSquare = tf.math.mean(tf.math.square(x), tf.constant(-1), Mean.keepDims(true));
      Operand<TFloat32> normalized = tf.math.mul(x, tf.math.rsqrt(tf.math.add(meanSquare, tf.constant(1e-8f))));
      return tf.math.mul(normalized, c.weight("gain"));
    }
  }

  /**
   * A hinge loss with the kinks smoothed by softplus: D minimizes
   * {@code mean softplus(1 - D(x)) + mean softplus(1 + D(G(z)))}, G minimizes {@code -mean D(G(z))}.
   */
  public record SoftplusHinge() implements CustomLoss {
    public String id() { return "softplus-hinge"; }
    public Outputs outputs() { return Outputs.SCORES; }

    public Operand<TFloat32> realTerm(Ops tf, Operand<TFloat32> real) {
      return mean(tf, tf.math.softplus(tf.math.sub(tf.constant(1f), real)));
    }

    public Operand<TFloat32> fakeTerm(Ops tf, Operand<TFloat32> fake) {
      return mean(tf, tf.math.softplus(tf.math.add(tf.constant(1f), fake)));
    }

    public Operand<TFloat32> generatorLoss(Ops tf, Operand<TFloat32> fake) {
      return tf.math.neg(mean(tf, fake));
    }

    private static Operand<TFloat32> mean(Ops tf, Operand<TFloat32> x) {
      return tf.math.mean(x, tf.constant(new int[] {0, 1}));   // D's outputs are (batch, 1)
    }
  }

  /** A small GAN for 28x28 grey images with both custom layers; they appear in summary() like built-ins. */
  public static Gan gan() {
    return GanBuilder.forImages(28, 28, 1)
        .latentDim(64)
        .generator(
            dense(7 * 7 * 128), reshape(7, 7, 128), leakyRelu(0.2f), new PixelNorm(),
            conv2dTranspose(64, 4).strides(2).padding(SAME), leakyRelu(0.2f), new PixelNorm(),
            conv2dTranspose(1, 4).strides(2).padding(SAME).activation(TANH))
        .discriminator(
            conv2d(64, 3).strides(2).padding(SAME), leakyRelu(0.2f),
            new MinibatchStddev(),
            conv2d(128, 3).strides(2).padding(SAME), leakyRelu(0.2f),
            flatten(), dense(1))
        .build();
  }

  /** Trains {@link #gan()} with the custom loss; checkpoints and the export work as with built-in parts. */
  public static void train(Dataset images, long steps, Path out) {
    try (Trainer trainer = Trainer.of(gan()).loss(new SoftplusHinge()).batchSize(32).seed(42).build()) {
      trainer.fit(images, Steps.of(steps), Listeners.log(System.out, 50),
          Listeners.sampleGrid(out.resolve("samples"), 100));
      trainer.save(out.resolve("checkpoint"));
      trainer.exportGenerator(out.resolve("generator"));
    }
  }
  // END README CUSTOM PARTS

  /** Trains for {@code args[0]} steps (default 300) on Fashion-MNIST into {@code args[1]} (default runs/custom-parts). */
  public static void main(String[] args) throws Exception {
    long steps = args.length > 0 ? Long.parseLong(args[0]) : 300;
    Path out = Path.of(args.length > 1 ? args[1] : "runs/custom-parts");
    System.out.println(gan().summary());
    Path fashion = Path.of("/usr/share/datasets/fashion-mnist");
    train(Idx.read(fashion.resolve("train-images-idx3-ubyte.gz"), fashion.resolve("train-labels-idx1-ubyte.gz")),
        steps, out);
  }
}
