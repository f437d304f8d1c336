package io.github.gan4j.tests;

import static io.github.gan4j.layers.Layers.batchNorm;
import static io.github.gan4j.layers.Layers.conv2d;
import static io.github.gan4j.layers.Layers.conv2dTranspose;
import static io.github.gan4j.layers.Layers.dense;
import static io.github.gan4j.layers.Layers.dropout;
import static io.github.gan4j.layers.Layers.flatten;
import static io.github.gan4j.layers.Layers.leakyRelu;
import static io.github.gan4j.layers.Layers.relu;
import static io.github.gan4j.layers.Layers.reshape;
import static io.github.gan4j.layers.Layers.spectralNorm;
import static io.github.gan4j.layers.Layers.upSampling2d;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.gan4j.GanBuilder;
import io.github.gan4j.Network;
import io.github.gan4j.examples.CustomParts;
import io.github.gan4j.layers.ActivationLayer;
import io.github.gan4j.layers.BatchNorm;
import io.github.gan4j.layers.Conv2D;
import io.github.gan4j.layers.Conv2DTranspose;
import io.github.gan4j.layers.Dense;
import io.github.gan4j.layers.Dropout;
import io.github.gan4j.layers.Flatten;
import io.github.gan4j.layers.Layer;
import io.github.gan4j.layers.LeakyRelu;
import io.github.gan4j.layers.Reshape;
import io.github.gan4j.layers.SpectralNorm;
import io.github.gan4j.layers.UpSampling2D;
import io.github.gan4j.train.ForwardPass;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every layer type the sealed {@link Layer} permits is lowered to TensorFlow: a layer type
 * added without a lowering fails here, not in a user's first training step.
 */
class LayerLoweringCoverageTest {

  /** A discriminator stack (before the closing flatten and dense(1)) using each concrete layer type. */
  static final Map<Class<?>, List<Layer>> EXAMPLES = Map.ofEntries(
      Map.entry(Dense.class, List.of(flatten(), dense(4))),
      Map.entry(Conv2D.class, List.of(conv2d(3, 3).strides(2))),
      Map.entry(Conv2DTranspose.class, List.of(conv2dTranspose(3, 3).strides(2))),
      Map.entry(BatchNorm.class, List.of(batchNorm())),
      Map.entry(LeakyRelu.class, List.of(leakyRelu(0.2f))),
      Map.entry(ActivationLayer.class, List.of(relu())),
      Map.entry(Reshape.class, List.of(reshape(2, 8, 2))),
      Map.entry(Flatten.class, List.of(flatten())),
      Map.entry(Dropout.class, List.of(dropout(0.5f))),
      Map.entry(UpSampling2D.class, List.of(upSampling2d(2))),
      Map.entry(SpectralNorm.class, List.of(spectralNorm(conv2d(3, 3).strides(2)))),
      // Layer.Custom is non-sealed: users' CustomLayers, here the README's two examples
      Map.entry(Layer.Custom.class, List.of(new CustomParts.MinibatchStddev(), new CustomParts.PixelNorm())));

  /**
   * The concrete (record or final) layer types reachable through {@code permits}, recursively,
   * and the non-sealed {@link Layer.Custom}, which stands for every user-defined layer.
   */
  static List<Class<?>> concreteLayerTypes() {
    List<Class<?>> out = new ArrayList<>();
    collect(Layer.class, out);
    return out;
  }

  private static void collect(Class<?> type, List<Class<?>> out) {
    Class<?>[] permitted = type.getPermittedSubclasses();
    if (permitted == null) {
      out.add(type);
      return;
    }
    for (Class<?> c : permitted) {
      collect(c, out);
    }
  }

  @Test
  void everyPermittedLayerType_hasAnExampleHere() {
    assertThat(EXAMPLES.keySet()).as("add an example (and a lowering in NetworkLowering) for each new layer type")
        .containsExactlyInAnyOrderElementsOf(concreteLayerTypes());
  }

  @TestFactory
  Stream<DynamicTest> everyPermittedLayerType_isLowered_inTrainingAndInference() {
    return concreteLayerTypes().stream().filter(EXAMPLES::containsKey).flatMap(type -> Stream.of(true, false)
        .map(training -> DynamicTest.dynamicTest(type.getSimpleName() + (training ? " training" : " inference"), () -> {
          List<Layer> stack = new ArrayList<>(EXAMPLES.get(type));
          stack.add(flatten().name("probe_flatten"));
          stack.add(dense(1).name("probe_dense"));
          Network d = GanBuilder.forImages(4, 4, 2).generator(dense(32), reshape(4, 4, 2))
              .discriminator(stack.toArray(Layer[]::new)).build().discriminator();
          assertThat(d.layers()).anySatisfy(l -> assertThat(l.layer()).isInstanceOf(type));
          int batch = 2;
          float[] input = new float[batch * 32];
          for (int i = 0; i < input.length; i++) {
            input[i] = (i % 7) / 7f - 0.5f;
          }
          float[] y = ForwardPass.run(d, Map.of(), input, batch, training).output();
          assertThat(y).hasSize(batch);
          assertThat(Arrays.toString(y)).doesNotContain("NaN").doesNotContain("Infinity");
        })));
  }
}
