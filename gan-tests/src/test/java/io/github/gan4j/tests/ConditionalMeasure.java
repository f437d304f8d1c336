package io.github.gan4j.tests;

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
import io.github.gan4j.eval.Evaluator;
import io.github.gan4j.recipe.Optimizer;
import io.github.gan4j.train.Steps;
import io.github.gan4j.train.Trainer;
import org.junit.jupiter.api.Test;

/** Temporary: measures the steps the 80% check needs. */
class ConditionalMeasure {
  static Trainer.Builder ema(Trainer.Builder b) {
    String e = System.getProperty("cm.ema");
    Integer decay = Integer.getInteger("cm.decay");
    if (decay != null) {
      b.learningRateSchedule(io.github.gan4j.recipe.LearningRateSchedule.linearDecay(decay, 0f));
    }
    if ("hinge".equals(System.getProperty("cm.loss"))) {
      b.loss(io.github.gan4j.recipe.GanLoss.hinge());
    }
    return e == null ? b : b.generatorEma(Float.parseFloat(e));
  }

  @Test
  void measure() {
    for (String seed : System.getProperty("cm.seeds", "1").split(",")) {
      System.setProperty("cm.seed", seed);
      measureOne();
    }
  }

  void measureOne() {
    int g = Integer.getInteger("cm.g", 32);
    io.github.gan4j.Conditioning c = io.github.gan4j.Conditioning.of(10);
    if (Boolean.getBoolean("cm.cbn")) {
      c = c.generator(io.github.gan4j.Conditioning.GeneratorInput.CONDITIONAL_BATCH_NORM);
    }
    int dw = Integer.getInteger("cm.dw", g);
    Gan gan = GanBuilder.forImages(28, 28, 1).latentDim(64).conditional(c)
        .generator(dense(7 * 7 * 2 * g), reshape(7, 7, 2 * g), batchNorm(), leakyRelu(0.2f),
            conv2dTranspose(g, 4).strides(2).padding(SAME), batchNorm(), leakyRelu(0.2f),
            conv2dTranspose(1, 4).strides(2).padding(SAME).activation(TANH))
        .discriminator(conv2d(dw, 4).strides(2).padding(SAME), leakyRelu(0.2f),
            conv2d(2 * dw, 4).strides(2).padding(SAME), leakyRelu(0.2f), flatten(), dense(1))
        .build();
    System.out.println(gan.summary());
    Dataset train = Fixtures.fashionMnistTrain();
    try (Evaluator evaluator = Fixtures.fashionEvaluator(train, Fixtures.fashionMnist());
        Trainer trainer = ema(Trainer.of(gan).batchSize(64).seed(Long.getLong("cm.seed", 1))
            .optimizer(Optimizer.adam().learningRate(2e-4f).beta1(0.5f))).build()) {
      int[] labels = new int[1000];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = i / 100;
      }
      long start = System.nanoTime();
      for (int round = 1; round <= Integer.getInteger("cm.rounds", 12); round++) {
        trainer.fit(train, Steps.of(100));
        long t = System.nanoTime() - start;
        int[] predicted = evaluator.classify(trainer.generate(labels.length, 7L, labels), gan.imageShape());
        int ok = 0;
        int[] right = new int[10];
        for (int i = 0; i < labels.length; i++) {
          ok += predicted[i] == labels[i] ? 1 : 0;
          right[labels[i]] += predicted[i] == labels[i] ? 1 : 0;
        }
        System.out.println("[measure per class] " + java.util.Arrays.toString(right));
        System.out.printf("[measure g=%d dw=" + dw + " cbn=" + Boolean.getBoolean("cm.cbn") + " loss=" + System.getProperty("cm.loss") + " decay=" + Integer.getInteger("cm.decay") + " ema=" + System.getProperty("cm.ema") + " seed=" + Long.getLong("cm.seed", 1) + "] step %d: %.1f%% after %.1f s%n", g, trainer.stepCount(),
            ok / 10.0, t / 1e9);
      }
    }
  }
}
