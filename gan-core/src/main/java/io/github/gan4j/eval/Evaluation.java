package io.github.gan4j.eval;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * How close a set of samples is to real images, as measured by an {@link Evaluator} against a
 * {@link Reference}: distances between the two sets of features, the samples' coverage of the
 * reference's feature manifold and their classes, and the protocol that makes the numbers
 * comparable (or shows that two numbers are not). A value the evaluator cannot measure is NaN:
 * the class statistics of an evaluator without logits.
 *
 * <p>Numbers measured with different evaluators, feature layers, sample counts or references
 * are not comparable; FD and KID in particular depend on the feature extractor, so an FD here
 * is not an Inception FID unless the evaluator is Inception-v3's pool features
 * ({@link Evaluator#fromSavedModel}).
 *
 * @param frechetDistance the Frechet distance of Gaussians fitted to the two sets of features
 *     (the formula of FID: the squared distance {@code |mu1 - mu2|^2 + tr(S1 + S2 -
 *     2 (S1^(1/2) S2 S1^(1/2))^(1/2))}), in float64; 0 for identical sets, lower is better
 * @param kidMean Kernel Inception Distance: the unbiased estimate of the squared maximum mean
 *     discrepancy with the cubic polynomial kernel {@code (x.y / d + 1)^3}, averaged over
 *     {@link Protocol#kidSubsets()} random subsets of {@link Protocol#kidSubsetSize()} from each
 *     set; near 0 (it can be slightly negative) for sets from one distribution, lower is better
 * @param kidStd the standard deviation of KID over the subsets
 * @param precision the fraction of samples inside the reference's feature manifold: within the
 *     distance of some reference image to its k-th nearest reference neighbour (Kynkaanniemi et
 *     al. 2019, k = {@link Protocol#neighbours()}); low precision means unrealistic samples
 * @param recall the fraction of reference images inside the samples' manifold, measured the
 *     same way; low recall means missing variety (mode collapse)
 * @param classifierScore the Inception Score's formula {@code exp(E_x KL(p(y|x) || p(y)))} on
 *     the evaluator's classifier, over all samples (one split): from 1 (one prediction for
 *     all) up to the number of classes (confident and balanced); NaN without logits
 * @param classEntropy the entropy, in bits, of the samples' predicted classes (arg-max): 0 when
 *     all fall into one class, {@code log2(classes)} when the classes are equally frequent;
 *     NaN without logits
 * @param classCoverage the fraction of classes covered: a class is covered when its share of
 *     the samples' predictions is at least half its share of the reference's; NaN without logits
 * @param protocol how the numbers were measured
 * @param elapsed the time the evaluation took (generating the samples, when it did, included)
 */
public record Evaluation(double frechetDistance, double kidMean, double kidStd, double precision, double recall,
    double classifierScore, double classEntropy, double classCoverage, Protocol protocol, Duration elapsed) {

  /** Checks the non-null parts. */
  public Evaluation {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /**
   * How an {@link Evaluation} was measured: two evaluations are comparable only when their
   * protocols agree on everything but the seed of the samples.
   *
   * @param evaluator the evaluator's id ({@link Evaluator#id()}), e.g. {@code fashion-mnist-3f9c0d2a71b4}
   * @param evaluatorAccuracy the evaluator's classifier's accuracy on its dataset's test split,
   *     NaN when unknown (a user-supplied model)
   * @param featureLayer the layer the features come from
   * @param featureSize the number of features per image
   * @param classes the number of classes of the logits, 0 without logits
   * @param samples the number of samples evaluated
   * @param seed the seed the samples were generated with, empty when the images were given
   * @param reference the name of the reference images ({@link Reference#name()}), e.g. the test split
   * @param referenceCount the number of reference images
   * @param referenceSeed the seed that chose the reference images
   * @param kidSubsets KID's number of subsets
   * @param kidSubsetSize KID's subset size (from each set)
   * @param neighbours precision and recall's k
   */
  public record Protocol(String evaluator, double evaluatorAccuracy, String featureLayer, int featureSize,
      int classes, int samples, OptionalLong seed, String reference, int referenceCount, long referenceSeed,
      int kidSubsets, int kidSubsetSize, int neighbours) {

    /** Checks the non-null parts. */
    public Protocol {
      Objects.requireNonNull(evaluator, "evaluator");
      Objects.requireNonNull(featureLayer, "featureLayer");
      Objects.requireNonNull(seed, "seed");
      Objects.requireNonNull(reference, "reference");
    }
  }

  /**
   * The evaluation as one line of JSON, metrics first, then the protocol; NaN as {@code null}.
   * Keys: {@code fd, kid_mean, kid_std, precision, recall, classifier_score, class_entropy,
   * class_coverage, evaluator, evaluator_accuracy, feature_layer, feature_size, classes,
   * samples, seed, reference, reference_count, reference_seed, kid_subsets, kid_subset_size, k,
   * elapsed_s}.
   */
  public String toJson() {
    Protocol p = protocol;
    return "{\"fd\":" + number(frechetDistance) + ",\"kid_mean\":" + number(kidMean) + ",\"kid_std\":" + number(kidStd)
        + ",\"precision\":" + number(precision) + ",\"recall\":" + number(recall)
        + ",\"classifier_score\":" + number(classifierScore) + ",\"class_entropy\":" + number(classEntropy)
        + ",\"class_coverage\":" + number(classCoverage)
        + ",\"evaluator\":" + string(p.evaluator()) + ",\"evaluator_accuracy\":" + number(p.evaluatorAccuracy())
        + ",\"feature_layer\":" + string(p.featureLayer()) + ",\"feature_size\":" + p.featureSize()
        + ",\"classes\":" + p.classes() + ",\"samples\":" + p.samples()
        + ",\"seed\":" + (p.seed().isPresent() ? String.valueOf(p.seed().getAsLong()) : "null")
        + ",\"reference\":" + string(p.reference()) + ",\"reference_count\":" + p.referenceCount()
        + ",\"reference_seed\":" + p.referenceSeed() + ",\"kid_subsets\":" + p.kidSubsets()
        + ",\"kid_subset_size\":" + p.kidSubsetSize() + ",\"k\":" + p.neighbours()
        + ",\"elapsed_s\":" + String.format(Locale.ROOT, "%.3f", elapsed.toNanos() / 1e9) + "}";
  }

  /**
   * A table for people: one metric per line with a short explanation, then the protocol.
   *
   * <pre>
   * Frechet distance     3.214    (lower is better; 0 = same feature statistics)
   * KID                  0.0132 +- 0.0011
   * ...
   * </pre>
   */
  public String format() {
    Protocol p = protocol;
    StringBuilder b = new StringBuilder();
    b.append(line("Frechet distance", String.format(Locale.ROOT, "%.4f", frechetDistance),
        "lower is better; 0 = same feature statistics"));
    b.append(line("KID", String.format(Locale.ROOT, "%.5f +- %.5f", kidMean, kidStd), "lower is better; ~0 = same distribution"));
    b.append(line("precision", String.format(Locale.ROOT, "%.4f", precision), "samples inside the real manifold"));
    b.append(line("recall", String.format(Locale.ROOT, "%.4f", recall), "real images inside the samples' manifold"));
    if (p.classes() > 0) {
      b.append(line("classifier score", String.format(Locale.ROOT, "%.3f", classifierScore),
          "Inception Score formula, 1.." + p.classes()));
      b.append(line("class entropy", String.format(Locale.ROOT, "%.3f bits", classEntropy),
          String.format(Locale.ROOT, "of predicted classes, max %.3f", Math.log(p.classes()) / Math.log(2))));
      b.append(line("class coverage", String.format(Locale.ROOT, "%.3f", classCoverage),
          "classes with at least half their reference share"));
    }
    b.append(String.format(Locale.ROOT, "%d samples%s vs %d images of %s (seed %d); evaluator %s%s, features %s (%d);"
            + " KID %d x %d, k = %d; %.1f s%n",
        p.samples(), p.seed().isPresent() ? " (seed " + p.seed().getAsLong() + ")" : "", p.referenceCount(),
        p.reference(), p.referenceSeed(), p.evaluator(),
        Double.isNaN(p.evaluatorAccuracy()) ? "" : String.format(Locale.ROOT, " (test accuracy %.2f%%)",
            100 * p.evaluatorAccuracy()),
        p.featureLayer(), p.featureSize(), p.kidSubsets(), p.kidSubsetSize(), p.neighbours(), elapsed.toNanos() / 1e9));
    return b.toString();
  }

  private static String line(String name, String value, String note) {
    return String.format(Locale.ROOT, "%-18s %-22s (%s)%n", name, value, note);
  }

  private static String number(double v) {
    if (!Double.isFinite(v)) {
      return "null";
    }
    return Double.toString(v);
  }

  private static String string(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
