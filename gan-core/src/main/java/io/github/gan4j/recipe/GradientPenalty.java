package io.github.gan4j.recipe;

/**
 * A gradient penalty added to the discriminator's (critic's) loss; combines with any
 * {@link GanLoss}. Each penalises the norm of D's gradient with respect to its input:
 *
 * <ul>
 *   <li>{@link #wganGp()} (Gulrajani et al. 2017): {@code lambda * mean (||grad D(x^)|| - 1)^2}
 *       at {@code x^ = e x + (1 - e) G(z)}, {@code e ~ U(0, 1)} per sample, drawn from the named
 *       random stream {@code gp_interpolation}; lambda 10 by default.
 *   <li>{@link #r1(float)} (Mescheder et al. 2018): {@code gamma / 2 * mean ||grad D(x)||^2} on
 *       real images.
 *   <li>{@link #r2(float)}: the same on generated images.
 * </ul>
 *
 * <p>Any penalty can be <em>lazy</em> ({@link #every(int)}, StyleGAN2's lazy regularization):
 * applied only every {@code n} steps and then multiplied by {@code n}, which keeps its average
 * strength and saves the second backward pass on the other steps. The penalty's gradient with
 * respect to D's weights needs a second-order backward pass through D.
 */
public sealed interface GradientPenalty permits GradientPenalty.WganGp, GradientPenalty.R1, GradientPenalty.R2 {

  /** The weight (lambda for WGAN-GP, gamma for R1/R2). */
  float weight();

  /** Applied every this many steps (1 = every step), scaled by it. */
  int interval();

  /** The penalty as written in code, e.g. {@code r1(gamma=10.0, every=16)}. */
  String describe();

  /** Whether the penalty is applied at {@code step} (0-based): {@code step % interval() == 0}. */
  default boolean appliesAt(long step) {
    return step % interval() == 0;
  }

  /**
   * The value added to D's loss for the per-sample input-gradient norms {@code norms} on a
   * step where the penalty applies (already multiplied by the interval), in double precision:
   * the definition the lowering is tested against.
   */
  double value(double[] norms);

  /** WGAN-GP with lambda 10. */
  static WganGp wganGp() {
    return new WganGp(10f, 1);
  }

  /** WGAN-GP with the given lambda. */
  static WganGp wganGp(float lambda) {
    return new WganGp(lambda, 1);
  }

  /** R1 on real images with the given gamma (10 for faces, ~0.1-1 for small images is common). */
  static R1 r1(float gamma) {
    return new R1(gamma, 1);
  }

  /** R2 on generated images with the given gamma. */
  static R2 r2(float gamma) {
    return new R2(gamma, 1);
  }

  /** This penalty applied every {@code n} steps and scaled by {@code n}. */
  GradientPenalty every(int n);

  /**
   * WGAN-GP: {@code lambda * mean (||grad D(x^)|| - 1)^2} on per-sample interpolations of real
   * and fake images.
   *
   * @param lambda positive
   * @param interval apply every this many steps, positive
   */
  record WganGp(float lambda, int interval) implements GradientPenalty {
    /** Validates the arguments. */
    public WganGp {
      check("WGAN-GP lambda", lambda, interval);
    }

    @Override
    public float weight() {
      return lambda;
    }

    @Override
    public WganGp every(int n) {
      return new WganGp(lambda, n);
    }

    @Override
    public String describe() {
      return "wganGp(lambda=" + lambda + (interval > 1 ? ", every=" + interval : "") + ")";
    }

    @Override
    public double value(double[] norms) {
      double s = 0;
      for (double n : norms) {
        s += (n - 1) * (n - 1);
      }
      return interval * lambda * s / norms.length;
    }
  }

  /**
   * R1: {@code gamma / 2 * mean ||grad D(x)||^2} on the real batch.
   *
   * @param gamma positive
   * @param interval apply every this many steps, positive
   */
  record R1(float gamma, int interval) implements GradientPenalty {
    /** Validates the arguments. */
    public R1 {
      check("R1 gamma", gamma, interval);
    }

    @Override
    public float weight() {
      return gamma;
    }

    @Override
    public R1 every(int n) {
      return new R1(gamma, n);
    }

    @Override
    public String describe() {
      return "r1(gamma=" + gamma + (interval > 1 ? ", every=" + interval : "") + ")";
    }

    @Override
    public double value(double[] norms) {
      return interval * squaredNormPenalty(gamma, norms);
    }
  }

  /**
   * R2: {@code gamma / 2 * mean ||grad D(G(z))||^2} on the fake batch.
   *
   * @param gamma positive
   * @param interval apply every this many steps, positive
   */
  record R2(float gamma, int interval) implements GradientPenalty {
    /** Validates the arguments. */
    public R2 {
      check("R2 gamma", gamma, interval);
    }

    @Override
    public float weight() {
      return gamma;
    }

    @Override
    public R2 every(int n) {
      return new R2(gamma, n);
    }

    @Override
    public String describe() {
      return "r2(gamma=" + gamma + (interval > 1 ? ", every=" + interval : "") + ")";
    }

    @Override
    public double value(double[] norms) {
      return interval * squaredNormPenalty(gamma, norms);
    }
  }

  private static double squaredNormPenalty(float gamma, double[] norms) {
    double s = 0;
    for (double n : norms) {
      s += n * n;
    }
    return gamma / 2.0 * s / norms.length;
  }

  private static void check(String what, float weight, int interval) {
    if (!(weight > 0f) || Float.isInfinite(weight)) {
      throw new IllegalArgumentException(what + " must be positive and finite, was " + weight);
    }
    if (interval < 1) {
      throw new IllegalArgumentException("penalty interval must be at least 1 step, was " + interval);
    }
  }
}
