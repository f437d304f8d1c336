package io.github.gan4j.eval;

/**
 * What a classifier's predictions say about a set of images, from its logits: the classifier
 * score (the Inception Score's formula on the evaluator's classifier), the entropy of the
 * predicted classes and the class coverage.
 */
final class ClassStatistics {
  private ClassStatistics() {}

  /**
   * @param score {@code exp(E_x KL(p(y|x) || p(y)))} with {@code p(y)} the mean of the
   *     predictions: 1 when every image gets the same prediction, up to the number of classes
   *     when each image is confidently one class and the classes are used equally
   * @param entropyBits the entropy of the predicted (arg-max) classes' histogram, in bits: 0 for
   *     one class, {@code log2(K)} for K classes equally often
   * @param histogram how many images were predicted as each class
   */
  record Result(double score, double entropyBits, int[] histogram) {}

  /** The statistics of {@code n} rows of {@code k} logits. */
  static Result of(float[] logits, int n, int k) {
    if (k < 2 || n < 1 || (long) n * k != logits.length) {
      throw new IllegalArgumentException("expected " + n + " x " + k + " logits (k >= 2), got " + logits.length);
    }
    double[] p = new double[n * k];
    double[] marginal = new double[k];
    int[] histogram = new int[k];
    for (int i = 0; i < n; i++) {
      int row = i * k;
      double max = Double.NEGATIVE_INFINITY;
      int argmax = 0;
      for (int c = 0; c < k; c++) {
        if (logits[row + c] > max) {
          max = logits[row + c];
          argmax = c;
        }
      }
      histogram[argmax]++;
      double sum = 0;
      for (int c = 0; c < k; c++) {
        double e = Math.exp(logits[row + c] - max);
        p[row + c] = e;
        sum += e;
      }
      for (int c = 0; c < k; c++) {
        p[row + c] /= sum;
        marginal[c] += p[row + c] / n;
      }
    }
    double kl = 0;
    for (int i = 0; i < n; i++) {
      int row = i * k;
      for (int c = 0; c < k; c++) {
        double pc = p[row + c];
        if (pc > 0) {
          kl += pc * (Math.log(pc) - Math.log(marginal[c]));
        }
      }
    }
    return new Result(Math.exp(kl / n), entropyBits(histogram), histogram);
  }

  /** The entropy in bits of the distribution given by counts. */
  static double entropyBits(int[] histogram) {
    long total = 0;
    for (int h : histogram) {
      total += h;
    }
    double entropy = 0;
    for (int h : histogram) {
      if (h > 0) {
        double q = (double) h / total;
        entropy -= q * Math.log(q);
      }
    }
    return entropy / Math.log(2) + 0.0;   // + 0.0 turns -0.0 into 0.0
  }

  /**
   * The fraction of classes the samples cover: a class counts as covered when its share of the
   * samples' predictions is at least half its share of the reference images' predictions.
   * Classes the classifier never predicts for the reference are left out.
   */
  static double coverage(int[] samples, int[] reference) {
    long ns = 0;
    long nr = 0;
    for (int i = 0; i < samples.length; i++) {
      ns += samples[i];
      nr += reference[i];
    }
    int classes = 0;
    int covered = 0;
    for (int c = 0; c < samples.length; c++) {
      if (reference[c] == 0) {
        continue;
      }
      classes++;
      if ((double) samples[c] / ns >= 0.5 * reference[c] / nr) {
        covered++;
      }
    }
    return classes == 0 ? Double.NaN : (double) covered / classes;
  }
}
