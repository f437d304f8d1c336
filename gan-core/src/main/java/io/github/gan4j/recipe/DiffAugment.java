package io.github.gan4j.recipe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Differentiable augmentation (Zhao et al. 2020, "Differentiable Augmentation for
 * Data-Efficient GAN Training"): every image the discriminator sees during training, real or
 * fake, is augmented with the same random transformations, in the graph and differentiably, so
 * that the generator's gradient flows back through the augmentation. It keeps a discriminator
 * from memorising a small training set. Generation and the exported generator never augment.
 *
 * <pre>{@code
 * Trainer.of(gan).augment(DiffAugment.of(Policy.COLOR, Policy.TRANSLATION, Policy.CUTOUT))
 * Trainer.of(gan).augment(DiffAugment.parse("color,translation,cutout"))   // the same
 * }</pre>
 *
 * <p>The policies are applied in the order given, each with its own per-image random draw, as
 * in the paper's reference code (pixels in [-1, 1] there as here; images (batch, H, W, C)):
 * <ul>
 *   <li>{@link Policy#COLOR}: brightness {@code x + (u - 0.5)}, then saturation
 *       {@code (x - m_c) * 2u + m_c} with {@code m_c} the mean over the channels of each pixel,
 *       then contrast {@code (x - m) * (u + 0.5) + m} with {@code m} the mean over the whole
 *       image; each {@code u} uniform in [0, 1), one per image and transformation.
 *   <li>{@link Policy#TRANSLATION}: a shift by whole pixels per image, {@code dy} uniform in
 *       [-{@link #translationShift}(H), {@link #translationShift}(H)] rows and {@code dx} in
 *       [-{@link #translationShift}(W), {@link #translationShift}(W)] columns;
 *       {@code out[i][j] = x[i + dy][j + dx]}, zero where that is outside the image.
 *   <li>{@link Policy#CUTOUT}: a rectangle of {@code ch = }{@link #cutoutSize}(H) rows by
 *       {@code cw = }{@link #cutoutSize}(W) columns set to zero per image, rows
 *       {@code [cy - ch / 2, cy - ch / 2 + ch)} with {@code cy} uniform in
 *       {@code [0, H + 1 - ch % 2)} (columns likewise), clipped at the borders.
 * </ul>
 *
 * <p>The draws are keyed by the seed, the step and a named {@link RandomStream} (children of
 * {@code augment/}): real and fake batches of each discriminator update and the generator's
 * update draw independently, a restored run draws what an uninterrupted one would, and a worker
 * of a cluster draws its rows of the global batch's draw.
 *
 * @param policies the policies in the order they are applied; empty for no augmentation
 *     (copied)
 */
public record DiffAugment(List<Policy> policies) {

  /** A family of transformations of the paper's reference code. */
  public enum Policy {
    /** Brightness, saturation and contrast, each by a random factor per image. */
    COLOR,
    /** A random shift by up to 1/8 of the image's height and width, with zero fill. */
    TRANSLATION,
    /** A zero square of half the image's height and width at a random position. */
    CUTOUT;

    /** The policy's name as {@link #parse} reads it: {@code color}, {@code translation}, {@code cutout}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What {@link #parse} reads as no augmentation, and {@link #id()} of {@link #none()}. */
  public static final String NONE = "none";
  /** The largest translation as a fraction of the image's size, as the reference code: 1/8. */
  public static final double TRANSLATION_RATIO = 0.125;
  /** The cutout square's side as a fraction of the image's size, as the reference code: 1/2. */
  public static final double CUTOUT_RATIO = 0.5;

  /** Checks that no policy is null or given twice. */
  public DiffAugment {
    Objects.requireNonNull(policies, "policies");
    List<Policy> copy = new ArrayList<>();
    for (int i = 0; i < policies.size(); i++) {
      Policy p = policies.get(i);
      if (p == null) {
        throw new IllegalArgumentException("DiffAugment policy " + i + " is null; give COLOR, TRANSLATION or CUTOUT");
      }
      if (copy.contains(p)) {
        throw new IllegalArgumentException("DiffAugment policy " + p.id() + " is given twice in " + ids(policies)
            + "; give each policy at most once");
      }
      copy.add(p);
    }
    policies = List.copyOf(copy);
  }

  /** The policies, applied in this order; none at all is {@link #none()}. */
  public static DiffAugment of(Policy... policies) {
    return new DiffAugment(List.of(Objects.requireNonNull(policies, "policies")));
  }

  /** No augmentation: the discriminator sees the images as they are (the default). */
  public static DiffAugment none() {
    return new DiffAugment(List.of());
  }

  /**
   * Reads a comma-separated list of policies, as the paper's code takes it, e.g.
   * {@code "color,translation,cutout"}; {@code "none"} (or an empty string) is no augmentation.
   * Case and spaces around names are ignored. {@link #id()} writes what this reads.
   *
   * @throws IllegalArgumentException naming the unknown or repeated policy and the valid ones
   */
  public static DiffAugment parse(String text) {
    Objects.requireNonNull(text, "text");
    String trimmed = text.trim();
    if (trimmed.isEmpty() || trimmed.equalsIgnoreCase(NONE)) {
      return none();
    }
    List<Policy> policies = new ArrayList<>();
    for (String part : trimmed.split(",", -1)) {
      String name = part.trim().toLowerCase(Locale.ROOT);
      Policy found = null;
      for (Policy p : Policy.values()) {
        if (p.id().equals(name)) {
          found = p;
        }
      }
      if (found == null) {
        throw new IllegalArgumentException("unknown DiffAugment policy '" + part.trim() + "' in '" + text
            + "'; expected a comma-separated list of color, translation, cutout (e.g. color,translation,cutout),"
            + " or none");
      }
      if (policies.contains(found)) {
        throw new IllegalArgumentException("DiffAugment policy " + found.id() + " is given twice in '" + text
            + "'; give each policy at most once");
      }
      policies.add(found);
    }
    return new DiffAugment(policies);
  }

  /** Whether this augments anything. */
  public boolean isOn() {
    return !policies.isEmpty();
  }

  /** The policies as {@link #parse} reads them, e.g. {@code color,translation,cutout}, or {@code none}. */
  public String id() {
    return policies.isEmpty() ? NONE : ids(policies);
  }

  /** One line for logs and manifests, e.g. {@code diffAugment(color,translation,cutout)} or {@code none}. */
  public String describe() {
    return policies.isEmpty() ? NONE : "diffAugment(" + id() + ")";
  }

  /**
   * The largest shift of {@link Policy#TRANSLATION} along an axis of {@code size} pixels:
   * {@code (int) (size * 1/8 + 0.5)}, e.g. 4 for 32 and 28 (0 below 4 pixels: no shift).
   */
  public static int translationShift(int size) {
    return (int) (size * TRANSLATION_RATIO + 0.5);
  }

  /** The side of {@link Policy#CUTOUT}'s square along an axis of {@code size} pixels: {@code (int) (size / 2 + 0.5)}. */
  public static int cutoutSize(int size) {
    return (int) (size * CUTOUT_RATIO + 0.5);
  }

  private static String ids(List<Policy> policies) {
    List<String> names = new ArrayList<>();
    for (Policy p : policies) {
      names.add(p == null ? "null" : p.id());
    }
    return String.join(",", names);
  }
}
