package io.github.gan4j.examples;

import static io.github.gan4j.layers.Activation.TANH;
import static io.github.gan4j.layers.Layers.batchNorm;
import static io.github.gan4j.layers.Layers.conv2d;
import static io.github.gan4j.layers.Layers.conv2dTranspose;
import static io.github.gan4j.layers.Layers.dense;
import static io.github.gan4j.layers.Layers.flatten;
import static io.github.gan4j.layers.Layers.leakyRelu;
import static io.github.gan4j.layers.Layers.reshape;
import static io.github.gan4j.layers.Padding.SAME;

import io.github.gan4j.Conditioning;
import io.github.gan4j.Gan;
import io.github.gan4j.GanBuilder;
import io.github.gan4j.data.Dataset;
import io.github.gan4j.recipe.Optimizer;
import io.github.gan4j.train.Steps;
import io.github.gan4j.train.TrainedGenerator;
import io.github.gan4j.train.Trainer;
import java.nio.file.Path;

/**
 * README's "Conditional GANs", compiled with every build (a test checks that the README shows it
 * unchanged): a small class-conditional DCGAN for Fashion-MNIST, trained and sampled by class.
 */
public final class ConditionalGans {
  private ConditionalGans() {}

  /** The README's conditional DCGAN for 28x28x1 images of 10 classes. */
  public static Gan fashionMnist() {
    // BEGIN README CONDITIONAL MODEL
    Gan gan = GanBuilder.forImages(28, 28, 1).latentDim(64)
        .conditional(10)                               // label embedding into G, projection D
        .generator(
            dense(7 * 7 * 64), reshape(7, 7, 64), batchNorm(), leakyRelu(0.2f),
            conv2dTranspose(32, 4).strides(2).padding(SAME), batchNorm(), leakyRelu(0.2f),
            conv2dTranspose(1, 4).strides(2).padding(SAME).activation(TANH))
        .discriminator(
            conv2d(64, 4).strides(2).padding(SAME), leakyRelu(0.2f),
            conv2d(128, 4).strides(2).padding(SAME), leakyRelu(0.2f),
            flatten(), dense(1))                       // projection: D must end with dense(1)
        .build();
    // END README CONDITIONAL MODEL
    return gan;
  }

  /** The other ways of feeding labels: conditional BatchNorm in G, label maps in D. */
  public static Gan withConditionalBatchNormAndLabelMaps() {
    return GanBuilder.forImages(28, 28, 1).latentDim(64)
        // BEGIN README CONDITIONING
        .conditional(Conditioning.of(10)
            .generator(Conditioning.GeneratorInput.CONDITIONAL_BATCH_NORM)  // per-class gamma, beta
            .discriminator(Conditioning.DiscriminatorInput.LABEL_MAPS))    // one-hot maps as channels
        // END README CONDITIONING
        .generator(
            dense(7 * 7 * 64), reshape(7, 7, 64), batchNorm(), leakyRelu(0.2f),
            conv2dTranspose(32, 4).strides(2).padding(SAME), batchNorm(), leakyRelu(0.2f),
            conv2dTranspose(1, 4).strides(2).padding(SAME).activation(TANH))
        .discriminator(
            conv2d(64, 4).strides(2).padding(SAME), leakyRelu(0.2f),
            conv2d(128, 4).strides(2).padding(SAME), leakyRelu(0.2f),
            flatten(), dense(1))
        .build();
  }

  /**
   * Trains {@code gan} on {@code fashionMnist} (labelled), exports it into {@code out} and
   * returns 8 sneakers (class 7) from the export.
   */
  public static float[] trainAndSample(Gan gan, Dataset fashionMnist, Path out) {
    // BEGIN README CONDITIONAL TRAINING
    try (Trainer trainer = Trainer.of(gan).batchSize(64).generatorEma(0.99f)
        .optimizer(Optimizer.adam().learningRate(2e-4f).beta1(0.5f)).build()) {
      trainer.fit(fashionMnist, Steps.of(1_200));      // labels come from the dataset
      trainer.exportGenerator(out);                    // SavedModel inputs: latent, labels
    }
    try (TrainedGenerator generator = TrainedGenerator.load(out)) {
      int[] sneakers = {7, 7, 7, 7, 7, 7, 7, 7};
      return generator.generate(8, 42L, sneakers);    // 8 images of class 7
    }
    // END README CONDITIONAL TRAINING
  }
}
