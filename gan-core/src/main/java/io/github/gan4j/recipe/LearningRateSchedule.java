package io.github.gan4j.recipe;

import java.util.Locale;

/**
 * The learning rate as a function of the training step: a multiplier of the optimizer's
 * learning rate. Computed in-graph from the step counter, so a restored checkpoint continues
 * the schedule exactly. Every schedule can start with a linear warm-up ({@link #withWarmup}).
 *
 * <table>
 * <caption>Schedules (t = step, counted from 0; T = decay steps; f = floor)</caption>
 * <tr><th>schedule</th><th>multiplier at step t</th></tr>
 * <tr><td>{@link #constant()} (default)</td><td>1</td></tr>
 * <tr><td>{@link #linearDecay(long, float)}</td><td>{@code 1 - (1 - f) min(t, T) / T}</td></tr>
 * <tr><td>{@link #cosine(long, float)}</td><td>{@code f + (1 - f) (1 + cos(pi min(t, T) / T)) / 2}</td></tr>
 * <tr><td>{@link #stepDecay(long, float)}</td><td>{@code factor ^ floor(t / every)}</td></tr>
 * </table>
 *
 * <p>With a warm-up of W steps, the multiplier is {@code (t + 1) / W} times the schedule's for
 * {@code t < W}, and the schedule runs on {@code t - W} afterwards.
 */
public sealed interface LearningRateSchedule
    permits LearningRateSchedule.Constant, LearningRateSchedule.LinearDecay, LearningRateSchedule.Cosine,
        LearningRateSchedule.StepDecay {

  /** Linear warm-up steps before the schedule starts (0 = none). */
  long warmupSteps();

  /** This schedule after {@code steps} steps of linear warm-up from {@code 1 / steps}. */
  LearningRateSchedule withWarmup(long steps);

  /** The multiplier at {@code step} without warm-up, in double precision (the lowering is tested against it). */
  double decayed(long step);

  /** The schedule as written in code. */
  String describe();

  /** The multiplier of the optimizer's learning rate at {@code step} (from 0), warm-up included. */
  default double multiplier(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must not be negative, was " + step);
    }
    long w = warmupSteps();
    if (step < w) {
      return (step + 1) / (double) w * decayed(0);
    }
    return decayed(step - w);
  }

  /** The same learning rate at every step. */
  static Constant constant() {
    return new Constant(0);
  }

  /** Linear decay from the full learning rate to {@code floor} times it over {@code decaySteps}, then flat. */
  static LinearDecay linearDecay(long decaySteps, float floor) {
    return new LinearDecay(decaySteps, floor, 0);
  }

  /** Cosine decay (Loshchilov and Hutter) to {@code floor} times the learning rate over {@code decaySteps}. */
  static Cosine cosine(long decaySteps, float floor) {
    return new Cosine(decaySteps, floor, 0);
  }

  /** Multiplies the learning rate by {@code factor} every {@code every} steps. */
  static StepDecay stepDecay(long every, float factor) {
    return new StepDecay(every, factor, 0);
  }

  /**
   * Parses the command line's form: {@code constant}, {@code linear:DECAY_STEPS[:FLOOR]},
   * {@code cosine:DECAY_STEPS[:FLOOR]}, {@code step:EVERY:FACTOR}, each optionally followed by
   * {@code ,warmup:STEPS}. Floors default to 0.
   *
   * @throws IllegalArgumentException naming the part that is wrong and the expected form
   */
  static LearningRateSchedule parse(String text) {
    String form = "expected constant, linear:DECAY_STEPS[:FLOOR], cosine:DECAY_STEPS[:FLOOR] or step:EVERY:FACTOR,"
        + " optionally followed by ,warmup:STEPS";
    String[] parts = text.trim().toLowerCase(Locale.ROOT).split(",");
    if (parts.length > 2 || (parts.length == 2 && !parts[1].startsWith("warmup:"))) {
      throw new IllegalArgumentException("bad learning-rate schedule '" + text + "'; " + form);
    }
    String[] f = parts[0].split(":");
    LearningRateSchedule s;
    try {
      s = switch (f[0]) {
        case "constant" -> f.length == 1 ? constant() : null;
        case "linear" -> f.length == 2 || f.length == 3
            ? linearDecay(Long.parseLong(f[1]), f.length == 3 ? Float.parseFloat(f[2]) : 0f) : null;
        case "cosine" -> f.length == 2 || f.length == 3
            ? cosine(Long.parseLong(f[1]), f.length == 3 ? Float.parseFloat(f[2]) : 0f) : null;
        case "step" -> f.length == 3 ? stepDecay(Long.parseLong(f[1]), Float.parseFloat(f[2])) : null;
        default -> null;
      };
      if (s != null && parts.length == 2) {
        s = s.withWarmup(Long.parseLong(parts[1].substring("warmup:".length())));
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad number in learning-rate schedule '" + text + "'; " + form, e);
    }
    if (s == null) {
      throw new IllegalArgumentException("bad learning-rate schedule '" + text + "'; " + form);
    }
    return s;
  }

  /**
   * The learning rate never changes.
   *
   * @param warmupSteps linear warm-up steps, not negative
   */
  record Constant(long warmupSteps) implements LearningRateSchedule {
    /** Validates the arguments. */
    public Constant {
      checkWarmup(warmupSteps);
    }

    @Override
    public Constant withWarmup(long steps) {
      return new Constant(steps);
    }

    @Override
    public double decayed(long step) {
      return 1;
    }

    @Override
    public String describe() {
      return "constant()" + warmup(warmupSteps);
    }
  }

  /**
   * Linear decay to a floor.
   *
   * @param decaySteps steps from the full rate to the floor, positive
   * @param floor the final multiplier, in [0, 1]
   * @param warmupSteps linear warm-up steps, not negative
   */
  record LinearDecay(long decaySteps, float floor, long warmupSteps) implements LearningRateSchedule {
    /** Validates the arguments. */
    public LinearDecay {
      checkSteps("linear decay steps", decaySteps);
      checkFloor(floor);
      checkWarmup(warmupSteps);
    }

    @Override
    public LinearDecay withWarmup(long steps) {
      return new LinearDecay(decaySteps, floor, steps);
    }

    @Override
    public double decayed(long step) {
      return 1 - (1 - (double) floor) * Math.min(step, decaySteps) / decaySteps;
    }

    @Override
    public String describe() {
      return "linearDecay(decaySteps=" + decaySteps + ", floor=" + floor + ")" + warmup(warmupSteps);
    }
  }

  /**
   * Cosine decay to a floor.
   *
   * @param decaySteps steps from the full rate to the floor, positive
   * @param floor the final multiplier, in [0, 1]
   * @param warmupSteps linear warm-up steps, not negative
   */
  record Cosine(long decaySteps, float floor, long warmupSteps) implements LearningRateSchedule {
    /** Validates the arguments. */
    public Cosine {
      checkSteps("cosine decay steps", decaySteps);
      checkFloor(floor);
      checkWarmup(warmupSteps);
    }

    @Override
    public Cosine withWarmup(long steps) {
      return new Cosine(decaySteps, floor, steps);
    }

    @Override
    public double decayed(long step) {
      double progress = Math.min(step, decaySteps) / (double) decaySteps;
      return floor + (1 - (double) floor) * (1 + Math.cos(Math.PI * progress)) / 2;
    }

    @Override
    public String describe() {
      return "cosine(decaySteps=" + decaySteps + ", floor=" + floor + ")" + warmup(warmupSteps);
    }
  }

  /**
   * Step decay: the rate times {@code factor} every {@code every} steps.
   *
   * @param every steps between decays, positive
   * @param factor the multiplier per decay, in (0, 1]
   * @param warmupSteps linear warm-up steps, not negative
   */
  record StepDecay(long every, float factor, long warmupSteps) implements LearningRateSchedule {
    /** Validates the arguments. */
    public StepDecay {
      checkSteps("step decay interval", every);
      if (!(factor > 0f && factor <= 1f)) {
        throw new IllegalArgumentException("step decay factor must be in (0, 1], was " + factor);
      }
      checkWarmup(warmupSteps);
    }

    @Override
    public StepDecay withWarmup(long steps) {
      return new StepDecay(every, factor, steps);
    }

    @Override
    public double decayed(long step) {
      return Math.pow(factor, Math.floorDiv(step, every));
    }

    @Override
    public String describe() {
      return "stepDecay(every=" + every + ", factor=" + factor + ")" + warmup(warmupSteps);
    }
  }

  private static String warmup(long steps) {
    return steps > 0 ? ".withWarmup(" + steps + ")" : "";
  }

  private static void checkSteps(String what, long steps) {
    if (steps < 1) {
      throw new IllegalArgumentException(what + " must be positive, was " + steps);
    }
  }

  private static void checkFloor(float floor) {
    if (!(floor >= 0f && floor <= 1f)) {
      throw new IllegalArgumentException("learning-rate floor must be in [0, 1] (a fraction of the rate), was " + floor);
    }
  }

  private static void checkWarmup(long steps) {
    if (steps < 0) {
      throw new IllegalArgumentException("warm-up steps must not be negative, was " + steps);
    }
  }
}
