package io.github.gan4j.tests;

import io.github.gan4j.recipe.Precision;
import io.github.gan4j.train.Trainer;
import java.util.Arrays;
import java.util.Map;

/**
 * Run in a child JVM by {@link PrecisionInEffectTest}: builds two bfloat16 trainers (the
 * warning, if any, must appear once), prints {@code in-effect=<precision> reason=<reason>}, then
 * {@code same-as-fp32=<bool>}: whether two steps leave the same weights as a float32 trainer's.
 */
public final class PrecisionProbe {
  private PrecisionProbe() {}

  public static void main(String[] args) {
    Map<String, float[]> bf16;
    try (Trainer first = trainer(Precision.MIXED_BFLOAT16); Trainer trainer = trainer(Precision.MIXED_BFLOAT16)) {
      System.out.println("in-effect=" + trainer.precisionInEffect().precision() + " reason="
          + trainer.precisionInEffect().reason());
      bf16 = twoSteps(trainer);
    }
    Map<String, float[]> fp32;
    try (Trainer trainer = trainer(Precision.FLOAT32)) {
      fp32 = twoSteps(trainer);
    }
    System.out.println("same-as-fp32=" + sameWeights(bf16, fp32));
  }

  static Trainer trainer(Precision precision) {
    return Trainer.of(Fixtures.tiny()).batchSize(4).seed(3).precision(precision).threads(1, 1).build();
  }

  static Map<String, float[]> twoSteps(Trainer trainer) {
    trainer.step(Fixtures.squares());
    trainer.step(Fixtures.squares());
    return trainer.variables();
  }

  static boolean sameWeights(Map<String, float[]> a, Map<String, float[]> b) {
    return a.keySet().equals(b.keySet()) && a.keySet().stream().allMatch(k -> Arrays.equals(a.get(k), b.get(k)));
  }
}
