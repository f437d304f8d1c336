package io.github.gan4j.recipe;

import java.util.Locale;

/**
 * The adversarial loss: what the discriminator (or critic) minimizes on a real and a fake
 * batch, and what the generator minimizes through the frozen discriminator. Every loss works
 * on D's raw outputs (logits, or critic scores); none expects a sigmoid at the end of D.
 *
 * <p>With {@code r} = D's outputs on a real batch, {@code f} = on a fake batch, means over the
 * batch, {@code sp(x) = log(1 + e^x)} (softplus):
 *
 * <table>
 * <caption>Losses</caption>
 * <tr><th>loss</th><th>D minimizes</th><th>G minimizes</th></tr>
 * <tr><td>{@link #nonSaturating()} (default)</td>
 *     <td>{@code (BCE(r, l) + BCE(f, 0)) / 2}</td><td>{@code mean sp(-f)}</td></tr>
 * <tr><td>{@link #minimax()}</td><td>as above</td><td>{@code -mean sp(f)}</td></tr>
 * <tr><td>{@link #leastSquares()}</td>
 *     <td>{@code (mean (r - b)^2 + mean (f - a)^2) / 2}</td><td>{@code mean (f - c)^2 / 2}</td></tr>
 * <tr><td>{@link #hinge()}</td>
 *     <td>{@code mean relu(1 - r) + mean relu(1 + f)}</td><td>{@code -mean f}</td></tr>
 * <tr><td>{@link #wasserstein()}</td><td>{@code mean f - mean r}</td><td>{@code -mean f}</td></tr>
 * </table>
 *
 * <p>where {@code BCE(x, l) = mean(l sp(-x) + (1 - l) sp(x))} is the binary cross-entropy of
 * logits against label {@code l} (the real label, 1 unless one-sided label smoothing lowers
 * it). Cross-entropy losses are ln 2 at zero logits. D's loss is always
 * {@code termWeight() * (realTerm + fakeTerm)}; with separate real and fake updates (the
 * reference procedure) each update minimizes its own term. Gradient penalties
 * ({@link GradientPenalty}) add to D's loss and combine with any of these.
 *
 * <p>Advanced users can supply their own loss computed on TensorFlow operands:
 * {@code io.github.gan4j.extension.CustomLoss}.
 */
public sealed interface GanLoss
    permits GanLoss.CrossEntropy, GanLoss.LeastSquares, GanLoss.Hinge, GanLoss.Wasserstein, GanLoss.Custom {

  /** What D's outputs mean, which decides how metrics report them. */
  enum Outputs {
    /** Logits of the probability of "real": metrics report mean sigmoid(D(x)), mean sigmoid(D(G(z))). */
    PROBABILITY_LOGITS,
    /** Unbounded scores (critic, hinge, least squares): metrics report the raw means. */
    SCORES
  }

  /** How metrics should read D's outputs under this loss. */
  Outputs outputs();

  /** The loss as it would be written in code, e.g. {@code nonSaturating(realLabel=0.9)}. */
  String describe();

  /** The name used on the command line and in saved configurations ({@code hinge}). */
  String id();

  /**
   * D's term on a real batch, in double precision: the definition the in-graph lowering is
   * tested against. With separate real and fake updates (the reference procedure) D's first
   * update minimizes this term alone.
   */
  double realTerm(double[] real);

  /** D's term on a fake batch; the second of separate updates minimizes it alone. */
  double fakeTerm(double[] fake);

  /**
   * The weight of the two terms in D's loss: 1/2 for the cross-entropy losses (the mean over
   * a batch of real and fake examples) and least squares, 1 for hinge and Wasserstein.
   */
  double termWeight();

  /** D's loss: {@code termWeight() * (realTerm(real) + fakeTerm(fake))}, what a combined update minimizes. */
  default double discriminatorLoss(double[] real, double[] fake) {
    return termWeight() * (realTerm(real) + fakeTerm(fake));
  }

  /** G's loss for D's outputs on fakes, in double precision (see {@link #discriminatorLoss}). */
  double generatorLoss(double[] fake);

  /** The non-saturating cross-entropy loss, the reference DCGAN's and the default. */
  static NonSaturating nonSaturating() {
    return new NonSaturating(1f);
  }

  /** Goodfellow's original minimax cross-entropy loss. */
  static Minimax minimax() {
    return new Minimax(1f);
  }

  /** Least squares (LSGAN, Mao et al. 2017) with labels a = 0 (fake), b = 1 (real), c = 1 (G's target). */
  static LeastSquares leastSquares() {
    return new LeastSquares(0f, 1f, 1f);
  }

  /** The hinge loss of SNGAN and BigGAN. */
  static Hinge hinge() {
    return new Hinge();
  }

  /**
   * The Wasserstein critic loss (WGAN). Keep the critic Lipschitz: with a gradient penalty
   * ({@link GradientPenalty#wganGp()}) or with weight clipping (an optimizer's
   * {@code clipWeights(c)}).
   */
  static Wasserstein wasserstein() {
    return new Wasserstein();
  }

  /**
   * Parses a command-line name: {@code non-saturating}, {@code minimax}, {@code lsgan},
   * {@code hinge}, {@code wasserstein}.
   *
   * @throws IllegalArgumentException for any other name, listing the valid ones
   */
  static GanLoss parse(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "non-saturating" -> nonSaturating();
      case "minimax" -> minimax();
      case "lsgan", "least-squares" -> leastSquares();
      case "hinge" -> hinge();
      case "wasserstein", "wgan" -> wasserstein();
      default -> throw new IllegalArgumentException("unknown loss '" + name
          + "'; expected one of non-saturating, minimax, lsgan, hinge, wasserstein");
    };
  }

  /**
   * The cross-entropy losses: D's outputs are logits of "real", D learns real =
   * {@link #realLabel()} and fake = 0 by binary cross-entropy; they differ in G's objective.
   */
  sealed interface CrossEntropy extends GanLoss permits NonSaturating, Minimax {
    /** D's target on real images: 1, or less for one-sided label smoothing. */
    float realLabel();

    @Override
    default Outputs outputs() {
      return Outputs.PROBABILITY_LOGITS;
    }

    @Override
    default double realTerm(double[] real) {
      return crossEntropy(real, realLabel());
    }

    @Override
    default double fakeTerm(double[] fake) {
      return crossEntropy(fake, 0);
    }

    @Override
    default double termWeight() {
      return 0.5;
    }
  }

  /**
   * The non-saturating cross-entropy loss: D learns real = {@code realLabel}, fake = 0; G
   * minimizes {@code -log sigmoid(D(G(z)))}, strong gradients early in training.
   *
   * @param realLabel D's target on real images: 1, or less for one-sided label smoothing
   *     (Salimans et al. 2016 use 0.9); in (0, 1]
   */
  record NonSaturating(float realLabel) implements CrossEntropy {
    /** Validates the label. */
    public NonSaturating {
      checkLabel(realLabel);
    }

    /** This loss with one-sided label smoothing: D's target on real images, e.g. 0.9. */
    public NonSaturating realLabel(float realLabel) {
      return new NonSaturating(realLabel);
    }

    @Override
    public String id() {
      return "non-saturating";
    }

    @Override
    public String describe() {
      return realLabel == 1f ? "nonSaturating()" : "nonSaturating(realLabel=" + realLabel + ")";
    }

    @Override
    public double generatorLoss(double[] fake) {
      double sum = 0;
      for (double f : fake) {
        sum += softplus(-f);
      }
      return sum / fake.length;
    }
  }

  /**
   * Goodfellow's minimax loss: D as in {@link NonSaturating}; G maximizes D's loss on fakes,
   * i.e. minimizes {@code log(1 - sigmoid(D(G(z))))}. Its gradients vanish when D is
   * confident, so it usually trains slower.
   *
   * @param realLabel D's target on real images, in (0, 1]
   */
  record Minimax(float realLabel) implements CrossEntropy {
    /** Validates the label. */
    public Minimax {
      checkLabel(realLabel);
    }

    /** This loss with one-sided label smoothing. */
    public Minimax realLabel(float realLabel) {
      return new Minimax(realLabel);
    }

    @Override
    public String id() {
      return "minimax";
    }

    @Override
    public String describe() {
      return realLabel == 1f ? "minimax()" : "minimax(realLabel=" + realLabel + ")";
    }

    @Override
    public double generatorLoss(double[] fake) {
      double sum = 0;
      for (double f : fake) {
        sum += softplus(f);
      }
      return -sum / fake.length;
    }
  }

  /**
   * Least squares (LSGAN): D regresses real outputs to {@code b} and fake ones to {@code a};
   * G pushes fakes towards {@code c}. Mao et al.'s 0/1/1 is the default; -1/1/0 is their
   * other choice.
   *
   * @param fakeLabel a, D's target on fakes
   * @param realLabel b, D's target on real images
   * @param generatorTarget c, the value G wants D to output on fakes
   */
  record LeastSquares(float fakeLabel, float realLabel, float generatorTarget) implements GanLoss {
    /** Validates the labels. */
    public LeastSquares {
      if (!Float.isFinite(fakeLabel) || !Float.isFinite(realLabel) || !Float.isFinite(generatorTarget)) {
        throw new IllegalArgumentException("least-squares labels must be finite, were a=" + fakeLabel + ", b="
            + realLabel + ", c=" + generatorTarget);
      }
      if (fakeLabel == realLabel) {
        throw new IllegalArgumentException("least-squares labels a (fake) and b (real) must differ, both were "
            + fakeLabel);
      }
    }

    /** This loss with other labels: a (fake), b (real), c (G's target). */
    public LeastSquares labels(float a, float b, float c) {
      return new LeastSquares(a, b, c);
    }

    @Override
    public Outputs outputs() {
      return Outputs.SCORES;
    }

    @Override
    public String id() {
      return "lsgan";
    }

    @Override
    public String describe() {
      return "leastSquares(a=" + fakeLabel + ", b=" + realLabel + ", c=" + generatorTarget + ")";
    }

    @Override
    public double realTerm(double[] real) {
      return meanSquare(real, realLabel);
    }

    @Override
    public double fakeTerm(double[] fake) {
      return meanSquare(fake, fakeLabel);
    }

    @Override
    public double termWeight() {
      return 0.5;
    }

    @Override
    public double generatorLoss(double[] fake) {
      return 0.5 * meanSquare(fake, generatorTarget);
    }
  }

  /** The hinge loss (Lim and Ye 2017; SNGAN, BigGAN): D has margins at +1 and -1, G raises D's score. */
  record Hinge() implements GanLoss {
    @Override
    public Outputs outputs() {
      return Outputs.SCORES;
    }

    @Override
    public String id() {
      return "hinge";
    }

    @Override
    public String describe() {
      return "hinge()";
    }

    @Override
    public double realTerm(double[] real) {
      double r = 0;
      for (double x : real) {
        r += Math.max(0, 1 - x);
      }
      return r / real.length;
    }

    @Override
    public double fakeTerm(double[] fake) {
      double f = 0;
      for (double x : fake) {
        f += Math.max(0, 1 + x);
      }
      return f / fake.length;
    }

    @Override
    public double termWeight() {
      return 1;
    }

    @Override
    public double generatorLoss(double[] fake) {
      return -mean(fake);
    }
  }

  /**
   * The Wasserstein critic loss (Arjovsky et al. 2017): the critic maximizes
   * {@code mean D(x) - mean D(G(z))}, an estimate of the Wasserstein-1 distance when the critic
   * is 1-Lipschitz; G maximizes {@code mean D(G(z))}.
   */
  record Wasserstein() implements GanLoss {
    @Override
    public Outputs outputs() {
      return Outputs.SCORES;
    }

    @Override
    public String id() {
      return "wasserstein";
    }

    @Override
    public String describe() {
      return "wasserstein()";
    }

    @Override
    public double realTerm(double[] real) {
      return -mean(real);
    }

    @Override
    public double fakeTerm(double[] fake) {
      return mean(fake);
    }

    @Override
    public double termWeight() {
      return 1;
    }

    @Override
    public double generatorLoss(double[] fake) {
      return -mean(fake);
    }
  }

  /**
   * A loss defined by the user on TensorFlow operands: implement
   * {@code io.github.gan4j.extension.CustomLoss}, which extends this interface. The recipe
   * only needs its name and how its outputs read; the lowering calls the extension.
   */
  non-sealed interface Custom extends GanLoss {
    @Override
    default String describe() {
      return "custom(" + id() + ")";
    }

    /** A custom loss is computed in-graph only. */
    @Override
    default double realTerm(double[] real) {
      throw new UnsupportedOperationException("custom loss " + id() + " has no double-precision reference");
    }

    /** A custom loss is computed in-graph only. */
    @Override
    default double fakeTerm(double[] fake) {
      throw new UnsupportedOperationException("custom loss " + id() + " has no double-precision reference");
    }

    /** A custom loss is computed in-graph only. */
    @Override
    default double generatorLoss(double[] fake) {
      throw new UnsupportedOperationException("custom loss " + id() + " has no double-precision reference");
    }

    /** 1: D's loss is the sum of the custom real and fake terms. */
    @Override
    default double termWeight() {
      return 1;
    }
  }

  private static void checkLabel(float realLabel) {
    if (!(realLabel > 0f && realLabel <= 1f)) {
      throw new IllegalArgumentException("real label must be in (0, 1] (0.9 is usual one-sided label smoothing), was "
          + realLabel);
    }
  }

  private static double softplus(double x) {
    // log(1 + e^x) without overflow: max(x, 0) + log1p(e^-|x|)
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  /** Mean binary cross-entropy of logits against {@code label}. */
  private static double crossEntropy(double[] logits, double label) {
    double sum = 0;
    for (double x : logits) {
      sum += label * softplus(-x) + (1 - label) * softplus(x);
    }
    return sum / logits.length;
  }

  private static double mean(double[] xs) {
    double s = 0;
    for (double x : xs) {
      s += x;
    }
    return s / xs.length;
  }

  private static double meanSquare(double[] xs, double target) {
    double s = 0;
    for (double x : xs) {
      s += (x - target) * (x - target);
    }
    return s / xs.length;
  }
}
