package io.github.gan4j.tests;

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
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.gan4j.Gan;
import io.github.gan4j.GanBuilder;
import io.github.gan4j.GanConfigurationException;
import io.github.gan4j.Network;
import io.github.gan4j.NetworkLayer;
import io.github.gan4j.data.Dataset;
import io.github.gan4j.examples.CustomParts.MinibatchStddev;
import io.github.gan4j.examples.CustomParts.PixelNorm;
import io.github.gan4j.examples.CustomParts.SoftplusHinge;
import io.github.gan4j.extension.CustomLayer;
import io.github.gan4j.extension.LayerContext;
import io.github.gan4j.layers.Layer;
import io.github.gan4j.layers.Initializer;
import io.github.gan4j.layers.Shape;
import io.github.gan4j.layers.WeightSpec;
import io.github.gan4j.sample.Sampler;
import io.github.gan4j.train.ForwardPass;
import io.github.gan4j.train.StepMetrics;
import io.github.gan4j.train.TrainedGenerator;
import io.github.gan4j.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Users write their own parts (issue 8): a ProGAN minibatch-standard-deviation layer in D, a
 * pixel norm with a trainable gain in G, instance noise drawn with the layer's random key, and
 * a softplus hinge loss, all through {@code io.github.gan4j.extension}, take part in shape
 * inference, summaries, parameter counts, training, checkpoints, bit-exact resume and export
 * like built-in parts.
 */
class CustomPartsTest {

  /** Gaussian instance noise while training, identity otherwise: exercises {@link LayerContext#randomKey()}. */
  record InstanceNoise(float stddev) implements CustomLayer {
    public String kind() { return "instance_noise"; }
    public String name() { return null; }
    public String describe() { return "instanceNoise(" + stddev + ")"; }
    public Shape outputShape(Shape in) { return in; }

    public Operand<TFloat32> forward(LayerContext c, Operand<TFloat32> x) {
      if (!c.training()) {
        return x;
      }
      Ops tf = c.tf();
      // stopGradient: TensorFlow's C++ registry has no gradient for the random op, which reads tf.shape(x)
      Operand<TFloat32> noise = tf.stopGradient(tf.random.statelessRandomNormal(tf.shape(x), c.randomKey()));
      return tf.math.add(x, tf.math.mul(noise, tf.constant(stddev)));
    }
  }

  /** The tiny fixture with the three custom layers. */
  static Gan customGan() {
    return GanBuilder.forImages(8, 8, 1).latentDim(8)
        .generator(dense(2 * 2 * 16).activation(RELU), reshape(2, 2, 16), new PixelNorm(),
            conv2dTranspose(8, 4).strides(2).padding(SAME), leakyRelu(0.2f), batchNorm().momentum(0.8f),
            conv2dTranspose(1, 4).strides(2).padding(SAME).activation(TANH))
        .discriminator(new InstanceNoise(0.1f), conv2d(8, 3).strides(2).padding(SAME), leakyRelu(0.2f),
            new MinibatchStddev(), conv2d(16, 3).strides(2).padding(SAME), leakyRelu(0.2f), flatten(), dense(1))
        .build();
  }

  static Trainer.Builder trainer() {
    return Trainer.of(customGan()).loss(new SoftplusHinge()).batchSize(16).seed(33);
  }

  /** The layers of {@code net} before its last {@code drop}, as a network of their own. */
  static Network prefix(Network net, int keep) {
    return new Network(net.name(), net.input(), net.layers().subList(0, keep));
  }

  @Nested
  class GoldenValues {

    @Test
    void minibatchStddev_appendsTheMeanOfThePerFeatureStddevsAsAChannel() {
      Network d = GanBuilder.forImages(1, 2, 2).generator(dense(4), reshape(1, 2, 2))
          .discriminator(new MinibatchStddev(), flatten(), dense(1)).build().discriminator();
      // two examples of (1, 2, 2): pixel 0 holds (c0, c1), pixel 1 holds (c0, c1)
      float[] x = {1, 2, 10, 20,
                   3, 6, 10, 24};
      // per-feature std over the batch (population): (1, 2) at pixel 0, (0, 2) at pixel 1, each
      // sqrt(variance + 1e-8): the constant feature gives 1e-4, so the mean is (1 + 2 + 1e-4 + 2) / 4
      float s = (1f + 2f + 1e-4f + 2f) / 4f;
      for (boolean training : new boolean[] {false, true}) {
        float[] y = ForwardPass.run(prefix(d, 1), Map.of(), x, 2, training).output();
        assertThat(y).containsExactly(new float[] {1, 2, s, 10, 20, s, 3, 6, s, 10, 24, s}, within(1e-6f));
      }
    }

    @Test
    void pixelNorm_scalesEachFeatureVectorToUnitRms_timesItsGain() {
      Network g = GanBuilder.forImages(1, 1, 2).latentDim(2).generator(new PixelNorm(), reshape(1, 1, 2))
          .discriminator(flatten(), dense(1)).build().generator();
      float[] y = ForwardPass.run(prefix(g, 1), Map.of("generator/pixel_norm/gain", new float[] {2, 1}),
          new float[] {3, 4, 0, 0}, 2, false).output();
      // rms of (3, 4) is sqrt(12.5); (0, 0) stays 0 thanks to the epsilon
      double rms = Math.sqrt(12.5);
      assertThat(y).containsExactly(new float[] {(float) (2 * 3 / rms), (float) (4 / rms), 0, 0}, within(1e-6f));
    }

    @Test
    void instanceNoise_drawsFromItsKey_reproduciblyInTraining_andIsIdentityInInference() {
      Network d = GanBuilder.forImages(2, 2, 1).generator(dense(4), reshape(2, 2, 1))
          .discriminator(new InstanceNoise(1f), flatten(), dense(1)).build().discriminator();
      float[] x = new float[8];
      float[] first = ForwardPass.run(prefix(d, 1), Map.of(), x, 2, true).output();
      assertThat(ForwardPass.run(prefix(d, 1), Map.of(), x, 2, true).output()).containsExactly(first);
      assertThat(first).doesNotContain(0f);
      assertThat(ForwardPass.run(prefix(d, 1), Map.of(), x, 2, false).output()).containsExactly(x);
    }
  }

  @Nested
  class LikeBuiltInParts {
    final Gan gan = customGan();

    @Test
    void summary_showsCustomLayersWithShapesAndParameterCounts() {
      String summary = gan.summary();
      assertThat(summary).containsPattern("pixel_norm \\(PixelNorm\\) +\\(None, 2, 2, 16\\) +16\n");
      assertThat(summary).containsPattern("instance_noise \\(InstanceNoise\\) +\\(None, 8, 8, 1\\) +0\n");
      assertThat(summary).containsPattern("minibatch_stddev \\(MinibatchStddev\\) +\\(None, 4, 4, 9\\) +0\n");
      // the next convolution sees the extra channel: 3 * 3 * 9 * 16 + 16
      assertThat(summary).containsPattern("conv2d_1 \\(Conv2D\\) +\\(None, 2, 2, 16\\) +1,312\n");
      NetworkLayer pixelNorm = gan.generator().layers().get(2);
      assertThat(pixelNorm.weights()).containsExactly(
          new WeightSpec("gain", Shape.of(16), true, Initializer.ones()));
      assertThat(pixelNorm.trainableParams()).isEqualTo(16);
      // the fixture's first BatchNorm (gamma and beta of 16 channels) replaced by the pixel norm's gain
      assertThat(gan.generator().trainableParams()).isEqualTo(
          Fixtures.tiny().generator().trainableParams() - 32 + 16);
    }

    @Test
    void trainRestoreContinue_isBitIdentical_andTheExportGeneratesWhatTheTrainerDoes(@TempDir Path dir) {
      Dataset data = Fixtures.squares();
      List<StepMetrics> uninterrupted = new ArrayList<>();
      Map<String, float[]> initial;
      Map<String, float[]> expected;
      float[] z = new float[6 * 8];
      Sampler.normal().sample(3, 0, z);
      float[] generated;
      try (Trainer t = trainer().build()) {
        initial = t.variables();
        assertThat(initial).containsKey("generator/pixel_norm/gain");
        assertThat(initial.get("generator/pixel_norm/gain")).containsOnly(1f);
        for (int i = 0; i < 3; i++) {
          t.step(data);
        }
        t.save(dir.resolve("checkpoint"));
        for (int i = 0; i < 3; i++) {
          uninterrupted.add(t.step(data));
        }
        expected = t.variables();
        generated = t.generate(z);
        t.exportGenerator(dir.resolve("generator"));
      }
      assertThat(expected.get("generator/pixel_norm/gain")).as("the custom weight is trained")
          .isNotEqualTo(initial.get("generator/pixel_norm/gain"));
      assertThat(expected.keySet()).anyMatch(n -> n.contains("pixel_norm") && n.startsWith("optimizer/"));
      for (StepMetrics m : uninterrupted) {
        for (float v : TrainerContractTest.losses(m)) {
          assertThat(Float.isFinite(v)).as("step %d: %s", m.step(), m).isTrue();
        }
      }

      try (Trainer t = trainer().build()) {
        t.restore(dir.resolve("checkpoint"));
        assertThat(t.stepCount()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
          StepMetrics m = t.step(data);
          assertThat(TrainerContractTest.losses(m)).as("step %d", m.step())
              .containsExactly(TrainerContractTest.losses(uninterrupted.get(i)));
        }
        TrainerContractTest.assertBitIdentical(expected, t.variables());
      }

      try (TrainedGenerator g = TrainedGenerator.load(dir.resolve("generator"))) {
        assertThat(g.imageShape()).isEqualTo(Shape.of(8, 8, 1));
        assertThat(g.generate(z)).containsExactly(generated);
      }
    }
  }

  @Nested
  class Errors {

    /** Declares (h, w, c + 1) but forward returns its input unchanged. */
    record ForgetsTheChannel() implements CustomLayer {
      public String kind() { return "forgets"; }
      public String name() { return null; }
      public String describe() { return "forgetsTheChannel()"; }
      public Shape outputShape(Shape in) { return Shape.of(in.dim(0), in.dim(1), in.dim(2) + 1); }
      public Operand<TFloat32> forward(LayerContext c, Operand<TFloat32> x) { return x; }
    }

    /** Implements the TensorFlow-free half only. */
    record HalfLayer() implements Layer.Custom {
      public String kind() { return "half"; }
      public String name() { return null; }
      public String describe() { return "halfLayer()"; }
      public Shape outputShape(Shape in) { return in; }
    }

    /** Reads a weight it never declared. */
    record ReadsUndeclared() implements CustomLayer {
      public String kind() { return "reads"; }
      public String name() { return null; }
      public String describe() { return "readsUndeclared()"; }
      public Shape outputShape(Shape in) { return in; }
      public List<WeightSpec> weights(Shape in) {
        return List.of(new WeightSpec("scale", Shape.of(in.last()), true, Initializer.ones()));
      }
      public Operand<TFloat32> forward(LayerContext c, Operand<TFloat32> x) {
        return c.tf().math.mul(x, c.weight("gain"));
      }
    }

    /** Declares a trainable weight and never reads it. */
    record IgnoresItsWeight() implements CustomLayer {
      public String kind() { return "ignores"; }
      public String name() { return null; }
      public String describe() { return "ignoresItsWeight()"; }
      public Shape outputShape(Shape in) { return in; }
      public List<WeightSpec> weights(Shape in) {
        return List.of(new WeightSpec("scale", Shape.of(in.last()), true, Initializer.ones()));
      }
      public Operand<TFloat32> forward(LayerContext c, Operand<TFloat32> x) { return x; }
    }

    Trainer.Builder withD(Layer layer) {
      return Trainer.of(GanBuilder.forImages(8, 8, 1).latentDim(8).generator(dense(64), reshape(8, 8, 1))
          .discriminator(conv2d(4, 3).strides(2).padding(SAME), layer, flatten(), dense(1)).build());
    }

    @Test
    void forwardOfTheWrongShape_failsAtGraphBuild_namingNetworkLayerAndBothShapes() {
      assertThatThrownBy(() -> withD(new ForgetsTheChannel()).build())
          .isInstanceOfSatisfying(GanConfigurationException.class, e -> {
            assertThat(e.network()).isEqualTo("discriminator");
            assertThat(e.layerIndex()).isEqualTo(1);
            assertThat(e.layer()).isEqualTo("forgetsTheChannel()");
            assertThat(e.received()).isEqualTo(Shape.of(4, 4, 4));
          })
          .hasMessageContaining("discriminator[1] forgetsTheChannel() built an output of shape (32, 4, 4, 4)"
              + " where its outputShape declares (32, 4, 4, 5)")
          .hasMessageContaining("(4, 4, 4) -> (4, 4, 5) by outputShape(4, 4, 4)")
          .hasMessageContaining("Fix: make forward(LayerContext, Operand<TFloat32>) and outputShape(Shape) of"
              + " ForgetsTheChannel agree");
    }

    @Test
    void layerCustomWithoutCustomLayer_saysWhatToImplement() {
      assertThatThrownBy(() -> withD(new HalfLayer()).build())
          .isInstanceOf(GanConfigurationException.class)
          .hasMessageContaining("discriminator[1] halfLayer()")
          .hasMessageContaining("implements Layer.Custom but not io.github.gan4j.extension.CustomLayer")
          .hasMessageContaining("Fix: implement io.github.gan4j.extension.CustomLayer");
    }

    @Test
    void readingAnUndeclaredWeight_namesTheDeclaredOnes() {
      assertThatThrownBy(() -> withD(new ReadsUndeclared()).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("discriminator[1] readsUndeclared() has no weight named 'gain';"
              + " its weights(inputShape) declares [scale].");
    }

    @Test
    void aTrainableWeightForwardNeverReads_isRefused() {
      assertThatThrownBy(() -> withD(new IgnoresItsWeight()).build())
          .isInstanceOf(GanConfigurationException.class)
          .hasMessageContaining("declares the trainable weight 'scale' but its forward never reads it")
          .hasMessageContaining("context.weight(\"scale\")");
    }
  }
}
