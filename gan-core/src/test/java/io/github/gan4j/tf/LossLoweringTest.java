package io.github.gan4j.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.gan4j.recipe.GanLoss;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Golden values: every built-in loss lowered to ops equals GanLoss's double-precision reference. */
class LossLoweringTest {
  static final double[] REAL = {-1.5, 0, 0.3, 2, 7};
  static final double[] FAKE = {0.7, -2, 0, 1, -6};
  static final double[] ZEROS = {0, 0, 0, 0};

  @BeforeAll
  static void loadTensorFlow() {
    OneDnn.prepare();
  }

  static Stream<GanLoss> losses() {
    return Stream.of(GanLoss.nonSaturating(), GanLoss.nonSaturating().realLabel(0.9f), GanLoss.minimax(),
        GanLoss.minimax().realLabel(0.8f), GanLoss.leastSquares(), GanLoss.leastSquares().labels(-1f, 1f, 0f),
        GanLoss.hinge(), GanLoss.wasserstein());
  }

  /** {realTerm, fakeTerm, dLoss, gLoss} computed in-graph in float32 on the given outputs of D. */
  static double[] lowered(GanLoss loss, double[] real, double[] fake) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      LossLowering l = new LossLowering(loss);
      Operand<TFloat32> r = column(tf, real);
      Operand<TFloat32> f = column(tf, fake);
      Operand<TFloat32> realTerm = l.discriminatorReal(tf, r);
      Operand<TFloat32> fakeTerm = l.discriminatorFake(tf, f);
      List<Operand<TFloat32>> outs = List.of(realTerm, fakeTerm, l.discriminator(tf, realTerm, fakeTerm),
          l.generator(tf, f));
      Session.Runner runner = s.runner();
      outs.forEach(runner::fetch);
      try (Result res = runner.run()) {
        double[] v = new double[outs.size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = ((TFloat32) res.get(i)).getFloat();
        }
        return v;
      }
    }
  }

  private static Operand<TFloat32> column(Ops tf, double[] xs) {
    float[] f = new float[xs.length];
    for (int i = 0; i < xs.length; i++) {
      f[i] = (float) xs[i];
    }
    return tf.constant(Shape.of(xs.length, 1), DataBuffers.of(f));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("losses")
  void loweredTerms_equalTheDoubleReference(GanLoss loss) {
    double[] v = lowered(loss, REAL, FAKE);
    assertThat(v[0]).as("real term").isCloseTo(loss.realTerm(REAL), within(1e-6));
    assertThat(v[1]).as("fake term").isCloseTo(loss.fakeTerm(FAKE), within(1e-6));
    assertThat(v[2]).as("D loss").isCloseTo(loss.discriminatorLoss(REAL, FAKE), within(1e-6));
    assertThat(v[3]).as("G loss").isCloseTo(loss.generatorLoss(FAKE), within(1e-6));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("losses")
  void loweredTerms_equalTheDoubleReference_atZeroOutputs(GanLoss loss) {
    double[] v = lowered(loss, ZEROS, ZEROS);
    assertThat(v[2]).as("D loss").isCloseTo(loss.discriminatorLoss(ZEROS, ZEROS), within(1e-6));
    assertThat(v[3]).as("G loss").isCloseTo(loss.generatorLoss(ZEROS), within(1e-6));
  }

  @Test
  void crossEntropy_isLn2AtZeroLogits_andSmoothedLabelMixesBothTerms() {
    double ln2 = Math.log(2);
    double[] v = lowered(GanLoss.nonSaturating(), ZEROS, ZEROS);
    assertThat(v).containsExactly(new double[] {ln2, ln2, ln2, ln2}, within(1e-6));
    // label 0.9 at logit 2: 0.9 softplus(-2) + 0.1 softplus(2) = 0.326928...
    double[] smoothed = lowered(GanLoss.nonSaturating().realLabel(0.9f), new double[] {2}, new double[] {2});
    assertThat(smoothed[0]).isCloseTo(0.326928, within(1e-6));
  }

  @Test
  void hingeAndWasserstein_goldenValues() {
    // hinge: mean relu(1 - r) = (2.5 + 1 + 0.7 + 0 + 0) / 5, mean relu(1 + f) = (1.7 + 0 + 1 + 2 + 0) / 5
    double[] h = lowered(GanLoss.hinge(), REAL, FAKE);
    assertThat(h[0]).isCloseTo(4.2 / 5, within(1e-6));
    assertThat(h[1]).isCloseTo(4.7 / 5, within(1e-6));
    // wasserstein: mean f - mean r = -6.3 / 5 - 7.8 / 5
    double[] w = lowered(GanLoss.wasserstein(), REAL, FAKE);
    assertThat(w[2]).isCloseTo((-6.3 - 7.8) / 5, within(1e-6));
    assertThat(w[3]).isCloseTo(6.3 / 5, within(1e-6));
  }
}
