package io.github.gan4j.eval;

import io.github.gan4j.layers.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real images samples are measured against, as an {@link Evaluator} sees them: their
 * features, the Gaussian fitted to them (with its covariance's square root), each image's
 * k-nearest-neighbour radius and KID's within-set kernel sums, computed once by
 * {@link Evaluator#reference} and reused by every {@link Evaluator#evaluate} call. Immutable
 * and thread-safe; it holds no native memory. A reference belongs to the evaluator that made
 * it (its features mean nothing to another).
 */
public final class Reference {
  private final String evaluator;
  private final String name;
  private final int count;
  private final long seed;
  private final Shape imageShape;
  final float[] features;
  final int featureSize;
  final Gaussian gaussian;
  final float[] radius2;
  /** predicted classes' histogram, null without logits */
  final int[] histogram;
  private final Map<Integer, KidSide> kid = new ConcurrentHashMap<>();
  private volatile double[] sqrtCovariance;

  /** A subset plan over the reference images and its within-subset kernel sums. */
  record KidSide(SubsetPlan plan, double[] kernelSums) {}

  Reference(String evaluator, String name, int count, long seed, Shape imageShape, float[] features, int featureSize,
      int[] histogram) {
    this.evaluator = evaluator;
    this.name = name;
    this.count = count;
    this.seed = seed;
    this.imageShape = imageShape;
    this.features = features;
    this.featureSize = featureSize;
    this.histogram = histogram;
    this.gaussian = Gaussian.of(features, count, featureSize);
    int size = Math.min(Evaluator.KID_SUBSET_SIZE, count);
    SubsetPlan plan = SubsetPlan.draw(count, Evaluator.KID_SUBSETS, size, planSeed());
    FeatureSets.Within within = FeatureSets.within(features, count, featureSize, Evaluator.NEIGHBOURS, plan);
    this.radius2 = within.radius2();
    kid.put(size, new KidSide(plan, within.kernelSums()));
  }

  /** The id of the evaluator that made this reference. */
  public String evaluator() {
    return evaluator;
  }

  /** What the images are: the dataset's name ({@code Dataset.name()}), e.g. its test split. */
  public String name() {
    return name;
  }

  /** The number of reference images. */
  public int count() {
    return count;
  }

  /** The seed that chose the images from the dataset. */
  public long seed() {
    return seed;
  }

  /** The shape of one image; samples evaluated against this reference must have it. */
  public Shape imageShape() {
    return imageShape;
  }

  /** The square root of the reference covariance, computed once. */
  double[] sqrtCovariance() {
    double[] s = sqrtCovariance;
    if (s == null) {
      synchronized (this) {
        s = sqrtCovariance;
        if (s == null) {
          s = FrechetDistance.sqrt(gaussian.covariance(), featureSize);
          sqrtCovariance = s;
        }
      }
    }
    return s;
  }

  /** The reference side of KID for subsets of {@code size} (a pass over all pairs the first time a size is asked for). */
  KidSide kid(int size) {
    return kid.computeIfAbsent(size, m -> {
      SubsetPlan plan = SubsetPlan.draw(count, Evaluator.KID_SUBSETS, m, planSeed());
      return new KidSide(plan, FeatureSets.within(features, count, featureSize, Evaluator.NEIGHBOURS, plan).kernelSums());
    });
  }

  private long planSeed() {
    return seed * 0x9E3779B97F4A7C15L + 0x4B4944L;   // "KID"
  }

  @Override
  public String toString() {
    return count + " images of " + name + " (seed " + seed + ") for evaluator " + evaluator;
  }
}
