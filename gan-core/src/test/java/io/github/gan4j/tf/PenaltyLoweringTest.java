package io.github.gan4j.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.gan4j.recipe.GradientPenalty;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat64;

/**
 * Gradient penalties: the second-order gradient with respect to D's weights against central
 * finite differences on a small float64 critic (conv, LeakyReLU, dense) built
 * with the same helpers the training graph uses, and the penalty's value against
 * {@link GradientPenalty#value} on the per-sample norms the graph computed.
 */
class PenaltyLoweringTest {
  static final int BATCH = 3;
  /**
   * Shapes of the critic's weights: conv kernel, conv bias, dense, dense. (No output bias: it
   * does not change D's input gradient, so the penalty does not depend on it.)
   */
  static final long[][] WEIGHTS = {{2, 2, 1, 2}, {2}, {8, 3}, {3, 1}};
  static final double H = 1e-6;

  @BeforeAll
  static void loadTensorFlow() {
    OneDnn.prepare();
  }

  /** The penalty's value, its per-sample squared norms and its gradient with respect to each weight. */
  record Evaluated(double value, double[] squaredNorms, double[][] gradient) {}

  /** A float64 graph computing one penalty of a small critic whose weights are fed. */
  static final class Check implements AutoCloseable {
    final Graph graph = new Graph();
    final Session session = new Session(graph);
    final List<Placeholder<TFloat64>> weights = new ArrayList<>();
    final PenaltyLowering.Term<TFloat64> term;
    final List<Operand<?>> gradients = new ArrayList<>();

    /** {@code penalty} builds the term from (ops, critic) on the check's real and fake batches. */
    Check(BiFunction<Ops, Critic, PenaltyLowering.Term<TFloat64>> penalty) {
      Ops tf = Ops.create(graph);
      for (long[] w : WEIGHTS) {
        weights.add(tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(w))));
      }
      term = penalty.apply(tf, new Critic(tf, weights));
      tf.gradients(term.value(), weights).forEach(gradients::add);
    }

    Evaluated run(double[][] w) {
      List<Tensor> fed = new ArrayList<>();
      try {
        Session.Runner r = session.runner().fetch(term.value()).fetch(term.squaredNorms());
        gradients.forEach(r::fetch);
        for (int i = 0; i < w.length; i++) {
          TFloat64 t = TFloat64.tensorOf(Shape.of(WEIGHTS[i]), DataBuffers.of(w[i], true, false));
          fed.add(t);
          r.feed(weights.get(i), t);
        }
        try (Result res = r.run()) {
          double[][] g = new double[w.length][];
          for (int i = 0; i < w.length; i++) {
            g[i] = values((TFloat64) res.get(2 + i));
          }
          return new Evaluated(((TFloat64) res.get(0)).getDouble(), values((TFloat64) res.get(1)), g);
        }
      } finally {
        fed.forEach(Tensor::close);
      }
    }

    @Override
    public void close() {
      session.close();
      graph.close();
    }
  }

  /**
   * D: conv 2x2 (2 filters, VALID) + bias, {@code c -> leakyRelu(c) + 0.1 c^2} (curved, and
   * built from ops whose gradients have gradients: TensorFlow's C++ registry has none for
   * TanhGrad), flatten, dense 3, LeakyReLU 0.2, dense 1.
   */
  record Critic(Ops tf, List<Placeholder<TFloat64>> w) {
    Operand<TFloat64> apply(Operand<TFloat64> x) {
      Operand<TFloat64> h = tf.nn.biasAdd(tf.nn.conv2d(x, w.get(0), List.of(1L, 1L, 1L, 1L), "VALID"), w.get(1));
      h = tf.math.add(tf.nn.leakyRelu(h, LeakyRelu.alpha(0.2f)), tf.math.mul(tf.constant(0.1), tf.math.square(h)));
      h = tf.reshape(h, tf.constant(new int[] {-1, 8}));
      h = tf.nn.leakyRelu(tf.linalg.matMul(h, w.get(2)), LeakyRelu.alpha(0.2f));
      return tf.linalg.matMul(h, w.get(3));
    }
  }

  static Operand<TFloat64> images(Ops tf, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] px = new double[BATCH * 9];
    for (int i = 0; i < px.length; i++) {
      px[i] = r.nextDouble(-1, 1);
    }
    return tf.constant(Shape.of(BATCH, 3, 3, 1), DataBuffers.of(px));
  }

  static double[][] randomWeights() {
    SplittableRandom r = new SplittableRandom(42);
    double[][] w = new double[WEIGHTS.length][];
    for (int i = 0; i < w.length; i++) {
      w[i] = new double[(int) Shape.of(WEIGHTS[i]).size()];
      for (int j = 0; j < w[i].length; j++) {
        w[i][j] = r.nextDouble(-1, 1);
      }
    }
    return w;
  }

  static double[] values(TFloat64 t) {
    double[] out = new double[(int) t.size()];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  /**
   * Max over all weights of |analytic - central difference|, relative to the largest
   * analytic component; asserts it is below 1e-6 and returns it.
   */
  static double checkGradient(Check check, String name) {
    double[][] w = randomWeights();
    Evaluated at = check.run(w);
    double maxError = 0;
    double scale = 0;
    for (int i = 0; i < w.length; i++) {
      for (int j = 0; j < w[i].length; j++) {
        double keep = w[i][j];
        w[i][j] = keep + H;
        double plus = check.run(w).value();
        w[i][j] = keep - H;
        double minus = check.run(w).value();
        w[i][j] = keep;
        double numeric = (plus - minus) / (2 * H);
        maxError = Math.max(maxError, Math.abs(numeric - at.gradient()[i][j]));
        scale = Math.max(scale, Math.abs(at.gradient()[i][j]));
      }
    }
    double relative = maxError / scale;
    System.out.printf("%s: max relative error of d penalty / d weights vs central differences %.2e (scale %.3f)%n",
        name, relative, scale);
    assertThat(scale).as("the penalty depends on the weights").isGreaterThan(1e-3);
    assertThat(relative).as(name).isLessThan(1e-6);
    return relative;
  }

  static double[] sqrt(double[] xs) {
    double[] out = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      out[i] = Math.sqrt(xs[i]);
    }
    return out;
  }

  @Nested
  class SecondOrderGradients {
    @Test
    void wganGp_matchesFiniteDifferences_andTheReferenceValue() {
      GradientPenalty.WganGp gp = GradientPenalty.wganGp(10f);
      try (Check check = new Check((tf, d) -> PenaltyLowering.wganGp(tf, gp.lambda(), gp.interval(),
          images(tf, 1), images(tf, 2),
          PenaltyLowering.interpolationWeights(tf, tf.constant(new long[] {7, 3}), BATCH, 4, TFloat64.class),
          d::apply))) {
        checkGradient(check, "WGAN-GP");
        Evaluated e = check.run(randomWeights());
        assertThat(e.value()).isCloseTo(gp.value(sqrt(e.squaredNorms())), within(1e-9 * Math.abs(e.value())));
      }
    }

    @Test
    void r1_matchesFiniteDifferences_andTheReferenceValue_lazyScaleIncluded() {
      GradientPenalty r1 = GradientPenalty.r1(5f).every(4);
      try (Check check = new Check((tf, d) -> {
        Operand<TFloat64> real = images(tf, 1);
        return PenaltyLowering.squaredNormPenalty(tf, r1.weight(), r1.interval(), d.apply(real), real);
      })) {
        checkGradient(check, "R1");
        Evaluated e = check.run(randomWeights());
        assertThat(e.value()).isCloseTo(r1.value(sqrt(e.squaredNorms())), within(1e-12 * Math.abs(e.value())));
      }
    }

    @Test
    void r2_matchesFiniteDifferences_andTheReferenceValue() {
      GradientPenalty r2 = GradientPenalty.r2(0.5f);
      try (Check check = new Check((tf, d) -> {
        Operand<TFloat64> fake = tf.stopGradient(images(tf, 2));
        return PenaltyLowering.squaredNormPenalty(tf, r2.weight(), r2.interval(), d.apply(fake), fake);
      })) {
        checkGradient(check, "R2");
        Evaluated e = check.run(randomWeights());
        assertThat(e.value()).isCloseTo(r2.value(sqrt(e.squaredNorms())), within(1e-12 * Math.abs(e.value())));
      }
    }

    @Test
    void interpolationWeights_arePerSampleAndUniform() {
      try (Graph g = new Graph(); Session s = new Session(g)) {
        Ops tf = Ops.create(g);
        Operand<TFloat64> e = PenaltyLowering.interpolationWeights(tf, tf.constant(new long[] {1, 2}), 1000, 4,
            TFloat64.class);
        assertThat(e.shape()).isEqualTo(Shape.of(1000, 1, 1, 1));
        try (Result r = s.runner().fetch(e).run()) {
          double[] v = values((TFloat64) r.get(0));
          double mean = 0;
          for (double x : v) {
            assertThat(x).isBetween(0.0, 1.0);
            mean += x / v.length;
          }
          assertThat(mean).isCloseTo(0.5, within(0.05));
        }
      }
    }
  }

  @Nested
  class LazySchedule {
    @Test
    void activeAt_followsEachPenaltysInterval() {
      PenaltyLowering p = new PenaltyLowering(List.of(GradientPenalty.wganGp(), GradientPenalty.r1(1f).every(4)));
      assertThat(p.activeAt(0)).isEqualTo(0b11);
      assertThat(p.activeAt(1)).isEqualTo(0b01);
      assertThat(p.activeAt(3)).isEqualTo(0b01);
      assertThat(p.activeAt(8)).isEqualTo(0b11);
    }

    @Test
    void activeSets_listTheSetsStepsUse_allPenaltiesFirst() {
      assertThat(new PenaltyLowering(List.of()).activeSets()).containsExactly(0);
      assertThat(new PenaltyLowering(List.of(GradientPenalty.r1(1f))).activeSets()).containsExactly(1);
      assertThat(new PenaltyLowering(List.of(GradientPenalty.wganGp(), GradientPenalty.r1(1f).every(4)))
          .activeSets()).containsExactly(0b11, 0b01);
      // r1 every 2, r2 every 3: steps 0..5 apply {both}, {}, {r1}, {r2}, {r1}, {}
      assertThat(new PenaltyLowering(List.of(GradientPenalty.r1(1f).every(2), GradientPenalty.r2(1f).every(3)))
          .activeSets()).containsExactly(0b11, 0b00, 0b01, 0b10);
      // a period too long to enumerate: every subset of the lazy penalties
      assertThat(new PenaltyLowering(List.of(GradientPenalty.r1(1f).every(65_521), GradientPenalty.r2(1f).every(65_519),
          GradientPenalty.wganGp())).activeSets()).containsExactlyInAnyOrder(0b111, 0b101, 0b110, 0b100);
    }
  }
}
