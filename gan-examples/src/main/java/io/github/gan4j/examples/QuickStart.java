package io.github.gan4j.examples;

import static io.github.gan4j.layers.Activation.RELU;
import static io.github.gan4j.layers.Activation.TANH;
import static io.github.gan4j.layers.Layers.batchNorm;
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
import io.github.gan4j.train.Listeners;
import io.github.gan4j.train.Steps;
import io.github.gan4j.train.TrainedGenerator;
import io.github.gan4j.train.Trainer;
import java.nio.file.Path;

/**
 * The README's quick start, kept here so that it compiles with every build: a DCGAN on
 * Fashion-MNIST from Debian's {@code dataset-fashion-mnist} package.
 */
public final class QuickStart {
  private QuickStart() {}

  /** Trains for {@code args[0]} steps (default 500) into {@code args[1]} (default runs/quickstart). */
  public static void main(String[] args) throws Exception {
    long steps = args.length > 0 ? Long.parseLong(args[0]) : 500;
    Path out = Path.of(args.length > 1 ? args[1] : "runs/quickstart");
    // BEGIN README QUICKSTART
    Gan gan = GanBuilder.forImages(28, 28, 1)
        .latentDim(100)
        .generator(
            dense(7 * 7 * 256).activation(RELU), reshape(7, 7, 256), batchNorm().momentum(0.8f),
            conv2dTranspose(128, 4).strides(2).padding(SAME), leakyRelu(0.2f), batchNorm().momentum(0.8f),
            conv2dTranspose(64, 4).strides(2).padding(SAME), leakyRelu(0.2f), batchNorm().momentum(0.8f),
            conv2d(1, 3).padding(SAME).activation(TANH))
        .discriminator(
            conv2d(64, 3).strides(2).padding(SAME), leakyRelu(0.2f),
            conv2d(128, 3).strides(2).padding(SAME), leakyRelu(0.2f),
            conv2d(256, 3).strides(2).padding(SAME), leakyRelu(0.2f),
            flatten(), dense(1))
        .build();                      // every shape inferred and checked here
    System.out.println(gan.summary()); // layer | output shape | params, like Keras

    Path fashion = Path.of("/usr/share/datasets/fashion-mnist");
    Dataset images = Idx.read(fashion.resolve("train-images-idx3-ubyte.gz"),
        fashion.resolve("train-labels-idx1-ubyte.gz"));

    try (Trainer trainer = Trainer.of(gan).batchSize(32).seed(42).build()) {
      trainer.fit(images, Steps.of(steps),
          Listeners.log(System.out, 100), Listeners.sampleGrid(out.resolve("samples"), 100));
      trainer.save(out.resolve("checkpoint"));
      trainer.exportGenerator(out.resolve("generator"));
    }

    try (TrainedGenerator generator = TrainedGenerator.load(out.resolve("generator"))) {
      float[] pixels = generator.generate(16, 7L);   // 16 images, 28x28x1 floats in [-1, 1]
    }
    // END README QUICKSTART
  }
}
