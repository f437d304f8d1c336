package io.github.gan4j.examples;

import io.github.gan4j.Conditioning;
import io.github.gan4j.layers.Initializer;
import io.github.gan4j.layers.Shape;
import io.github.gan4j.recipe.DiffAugment;
import io.github.gan4j.recipe.DiscriminatorUpdate;
import io.github.gan4j.recipe.FakeBatches;
import io.github.gan4j.recipe.GanLoss;
import io.github.gan4j.recipe.GeneratorEma;
import io.github.gan4j.recipe.LearningRateSchedule;
import io.github.gan4j.recipe.Precision;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The value types of the command line's options: picocli converters that check a value
 * and say what is wrong with it, and for the structured values the inverse, the text that
 * converts back to the same value ({@code config.properties} is written with it and read
 * back through the same converters).
 *
 * <p>A converter's message continues "option --NAME": a phrase ({@code "must be positive,
 * got 0"}), or a sentence of its own after a colon ({@code ": cosine decay steps must be
 * positive, was 0"}); {@link Main#message} puts the option's name in front.
 */
final class OptionTypes {
  private OptionTypes() {}

  /** A whole number greater than 0; underscores may group digits (10_000). */
  static final class PositiveLong implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      long n = wholeNumber(value.replace("_", ""), value);
      if (n <= 0) {
        throw new TypeConversionException("must be positive, got " + value);
      }
      return n;
    }
  }

  /** A whole number from 1 to {@link Integer#MAX_VALUE}; underscores may group digits. */
  static final class PositiveInt implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      long n = new PositiveLong().convert(value);
      if (n > Integer.MAX_VALUE) {
        throw new TypeConversionException("is too large: " + value);
      }
      return (int) n;
    }
  }

  /** A whole number from 0 to {@link Integer#MAX_VALUE}. */
  static final class NonNegativeInt implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      long n = wholeNumber(value, value);
      if (n < 0) {
        throw new TypeConversionException("must not be negative, got " + value);
      }
      if (n > Integer.MAX_VALUE) {
        throw new TypeConversionException("is too large: " + value);
      }
      return (int) n;
    }
  }

  /** Any whole number of 64 bits (a seed). */
  static final class WholeNumber implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return wholeNumber(value, value);
    }
  }

  /** A finite number greater than 0. */
  static final class PositiveFloat implements ITypeConverter<Float> {
    @Override
    public Float convert(String value) {
      float f = number(value);
      if (!(f > 0f) || Float.isInfinite(f)) {
        throw new TypeConversionException("must be a positive number, got " + value);
      }
      return f;
    }
  }

  /** A number in [0, 1): Adam's betas, label smoothing. */
  static final class UnitFloat implements ITypeConverter<Float> {
    @Override
    public Float convert(String value) {
      float f = number(value);
      if (!(f >= 0f && f < 1f)) {
        throw new TypeConversionException("must be in [0, 1), got " + value);
      }
      return f;
    }
  }

  /** An image shape {@code HEIGHTxWIDTHxCHANNELS} with 1 or 3 channels; written back by {@link #imageSize}. */
  static final class ImageSize implements ITypeConverter<Shape> {
    @Override
    public Shape convert(String value) {
      String[] parts = value.toLowerCase(Locale.ROOT).split("x");
      try {
        if (parts.length == 3) {
          int h = Integer.parseInt(parts[0]);
          int w = Integer.parseInt(parts[1]);
          int c = Integer.parseInt(parts[2]);
          if (h > 0 && w > 0 && (c == 1 || c == 3)) {
            return Shape.of(h, w, c);
          }
        }
      } catch (NumberFormatException e) {
        // the message below
      }
      throw new TypeConversionException("needs HEIGHTxWIDTHxCHANNELS with 1 or 3 channels, e.g. 32x32x3, got '"
          + value + "'");
    }
  }

  /**
   * A learning-rate schedule as {@link LearningRateSchedule#parse} reads it; written back by
   * {@link #schedule}.
   */
  static final class Schedule implements ITypeConverter<LearningRateSchedule> {
    @Override
    public LearningRateSchedule convert(String value) {
      try {
        return LearningRateSchedule.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(": " + e.getMessage());
      }
    }
  }

  /**
   * The kernel initializer of the default model: {@code glorot} (Keras's default), {@code he}
   * (He normal) or {@code normal:STD} (the DCGAN paper's is normal:0.02); written back by
   * {@link #initializer}.
   */
  static final class Init implements ITypeConverter<Initializer> {
    @Override
    public Initializer convert(String value) {
      if (value.equals("glorot")) {
        return Initializer.glorotUniform();
      } else if (value.equals("he")) {
        return Initializer.heNormal();
      } else if (value.startsWith("normal:")) {
        try {
          return Initializer.normal(Float.parseFloat(value.substring("normal:".length())));
        } catch (IllegalArgumentException e) {
          throw new TypeConversionException("normal:STD needs a positive standard deviation, e.g. normal:0.02, got '"
              + value + "'");
        }
      }
      throw new TypeConversionException("must be glorot, he or normal:STD (e.g. normal:0.02), got '" + value + "'");
    }
  }

  /** {@code --ema DECAY[:START]}: the generator's moving average, e.g. {@code 0.999} or {@code 0.999:1000}. */
  static final class Ema implements ITypeConverter<GeneratorEma> {
    @Override
    public GeneratorEma convert(String value) {
      String[] parts = value.split(":", -1);
      try {
        if (parts.length == 1) {
          return new GeneratorEma(Float.parseFloat(parts[0]), 0);
        } else if (parts.length == 2) {
          return new GeneratorEma(Float.parseFloat(parts[0]), Long.parseLong(parts[1]));
        }
      } catch (IllegalArgumentException e) {
        // a number that does not parse, or a decay or start out of range: the message below
      }
      throw new TypeConversionException("must be DECAY or DECAY:START_STEP with DECAY in (0, 1), e.g. 0.999 or"
          + " 0.999:1000, got '" + value + "'");
    }
  }

  /** {@code --augment POLICIES}: DiffAugment's policies, e.g. {@code color,translation,cutout}, or {@code none}. */
  static final class Augment implements ITypeConverter<DiffAugment> {
    @Override
    public DiffAugment convert(String value) {
      try {
        return DiffAugment.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(": " + e.getMessage());
      }
    }
  }

  /** {@code --ema}'s syntax for a moving average: what {@link Ema} parses back. */
  static String ema(GeneratorEma ema) {
    return ema.startStep() == 0 ? Float.toString(ema.decay()) : ema.decay() + ":" + ema.startStep();
  }

  /**
   * One of a few named values, matched ignoring case: the converter, the completion
   * candidates (in the help's {@code ${COMPLETION-CANDIDATES}} and the completion script) and
   * the name of a value, which converts back to it.
   */
  abstract static class Choice<T> implements ITypeConverter<T>, Iterable<String> {
    private final Map<String, T> values = new LinkedHashMap<>();

    /** {@code values} named by {@code name}. */
    Choice(List<T> values, Function<T, String> name) {
      values.forEach(v -> this.values.put(name.apply(v), v));
    }

    /** The values of {@code names}, by {@code value}. */
    Choice(Function<String, T> value, String... names) {
      for (String n : names) {
        values.put(n, value.apply(n));
      }
    }

    @Override
    public T convert(String value) {
      T v = values.get(value.toLowerCase(Locale.ROOT));
      if (v == null) {
        throw new TypeConversionException("must be one of " + String.join(", ", values.keySet()) + ", got '"
            + value + "'");
      }
      return v;
    }

    @Override
    public Iterator<String> iterator() {
      return values.keySet().iterator();
    }

    /** The name of {@code value}, which {@link #convert} turns back into it. */
    String name(T value) {
      return values.entrySet().stream().filter(e -> e.getValue().equals(value)).map(Map.Entry::getKey).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no name for " + value));
    }
  }

  /** {@code --dataset}: cifar10, fashion-mnist, mnist, folder. */
  static final class Datasets extends Choice<DataSources.Name> {
    Datasets() {
      super(List.of(DataSources.Name.values()), DataSources.Name::toString);
    }
  }

  /** {@code --model}: the reference models {@code train} builds ({@link DataSources#model}). */
  static final class Models extends Choice<String> {
    Models() {
      super(List.of(DataSources.DCGAN, DataSources.SNGAN_RESNET), m -> m);
    }
  }

  /** {@code --loss}: the losses of {@link GanLoss#parse} by their command-line names. */
  static final class Losses extends Choice<GanLoss> {
    Losses() {
      super(GanLoss::parse, "non-saturating", "minimax", "lsgan", "hinge", "wasserstein");
    }
  }

  /** {@code --d-update}: separate (real, then fake) or combined. */
  static final class DiscriminatorUpdates extends Choice<DiscriminatorUpdate> {
    DiscriminatorUpdates() {
      super(List.of(DiscriminatorUpdate.SEPARATE_BATCHES, DiscriminatorUpdate.COMBINED_BATCH),
          u -> u == DiscriminatorUpdate.COMBINED_BATCH ? "combined" : "separate");
    }
  }

  /** {@code --fake-batches}: inference or training mode of the generator's BatchNorm for D's fakes. */
  static final class FakeBatchModes extends Choice<FakeBatches> {
    FakeBatchModes() {
      super(List.of(FakeBatches.INFERENCE_MODE, FakeBatches.TRAINING_MODE),
          f -> f == FakeBatches.TRAINING_MODE ? "training" : "inference");
    }
  }

  /**
   * How {@code --conditional} feeds class labels: to the generator by a label embedding or
   * conditional BatchNorm, to the discriminator by projection or label maps.
   *
   * @param generator how the generator takes the label
   * @param discriminator how the discriminator takes the label
   */
  record Conditional(Conditioning.GeneratorInput generator, Conditioning.DiscriminatorInput discriminator) {
    /** The default: a label embedding and a projection discriminator. */
    static final Conditional DEFAULT = new Conditional(Conditioning.GeneratorInput.EMBEDDING_CONCAT,
        Conditioning.DiscriminatorInput.PROJECTION);

    /** These ways for {@code numClasses} classes. */
    Conditioning conditioning(int numClasses) {
      return Conditioning.of(numClasses).generator(generator).discriminator(discriminator);
    }
  }

  /**
   * {@code --conditional}'s value: up to two of {@code embedding} or {@code cbn} (the
   * generator's way) and {@code projection} or {@code maps} (the discriminator's), comma
   * separated; a missing one takes its default ({@code embedding}, {@code projection}).
   */
  static final class Conditionals implements ITypeConverter<Conditional> {
    @Override
    public Conditional convert(String value) {
      Conditioning.GeneratorInput g = null;
      Conditioning.DiscriminatorInput d = null;
      for (String part : value.split(",", -1)) {
        switch (part.trim().toLowerCase(Locale.ROOT)) {
          case "embedding" -> g = g == null ? Conditioning.GeneratorInput.EMBEDDING_CONCAT : fail(value);
          case "cbn" -> g = g == null ? Conditioning.GeneratorInput.CONDITIONAL_BATCH_NORM : fail(value);
          case "projection" -> d = d == null ? Conditioning.DiscriminatorInput.PROJECTION : fail(value);
          case "maps" -> d = d == null ? Conditioning.DiscriminatorInput.LABEL_MAPS : fail(value);
          default -> fail(value);
        }
      }
      return new Conditional(g != null ? g : Conditional.DEFAULT.generator(),
          d != null ? d : Conditional.DEFAULT.discriminator());
    }

    private static <T> T fail(String value) {
      throw new TypeConversionException("must be the generator's way (embedding or cbn) and/or the discriminator's"
          + " (projection or maps), comma separated, e.g. embedding,projection or cbn,maps; got '" + value + "'");
    }
  }

  /** {@code --conditional}'s syntax for {@code c}: what {@link Conditionals} parses back. */
  static String conditional(Conditional c) {
    return (c.generator() == Conditioning.GeneratorInput.EMBEDDING_CONCAT ? "embedding" : "cbn") + ","
        + (c.discriminator() == Conditioning.DiscriminatorInput.PROJECTION ? "projection" : "maps");
  }

  /** {@code --spectral-norm}: none, discriminator, generator or both. */
  static final class SpectralNorms extends Choice<SpectralNormTarget> {
    SpectralNorms() {
      super(List.of(SpectralNormTarget.values()), t -> t.name().toLowerCase(Locale.ROOT));
    }
  }

  /** {@code --precision}: fp32 or bf16, by {@link Precision#shortName()}. */
  static final class Precisions extends Choice<Precision> {
    Precisions() {
      super(List.of(Precision.values()), Precision::shortName);
    }
  }

  /** {@code HxWxC}, which {@link ImageSize} reads. */
  static String imageSize(Shape shape) {
    return shape.dim(0) + "x" + shape.dim(1) + "x" + shape.dim(2);
  }

  /** The command line's form of {@code schedule}, which {@link Schedule} reads. */
  static String schedule(LearningRateSchedule schedule) {
    String form;
    if (schedule instanceof LearningRateSchedule.LinearDecay l) {
      form = "linear:" + l.decaySteps() + floor(l.floor());
    } else if (schedule instanceof LearningRateSchedule.Cosine c) {
      form = "cosine:" + c.decaySteps() + floor(c.floor());
    } else if (schedule instanceof LearningRateSchedule.StepDecay s) {
      form = "step:" + s.every() + ":" + s.factor();
    } else {
      form = "constant";
    }
    return schedule.warmupSteps() > 0 ? form + ",warmup:" + schedule.warmupSteps() : form;
  }

  /** The command line's form of {@code init}, which {@link Init} reads. */
  static String initializer(Initializer init) {
    if (init instanceof Initializer.HeNormal) {
      return "he";
    } else if (init instanceof Initializer.Normal n) {
      return "normal:" + n.stddev();
    } else if (init instanceof Initializer.GlorotUniform) {
      return "glorot";
    }
    throw new IllegalArgumentException("the command line has no name for " + init.describe());
  }

  private static String floor(float floor) {
    return floor == 0f ? "" : ":" + floor;
  }

  private static long wholeNumber(String digits, String value) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new TypeConversionException("needs a whole number, got '" + value + "'");
    }
  }

  private static float number(String value) {
    try {
      return Float.parseFloat(value);
    } catch (NumberFormatException e) {
      throw new TypeConversionException("needs a number, got '" + value + "'");
    }
  }
}
