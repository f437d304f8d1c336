package io.github.gan4j.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecipeTest {

  @Test
  void optimizers_haveKerasDefaults() {
    assertThat(Optimizer.adam()).isEqualTo(new Adam(0.001f, 0.9f, 0.999f, 1e-7f));
    assertThat(Optimizer.sgd().learningRate()).isEqualTo(0.01f);
    assertThat(Optimizer.rmsProp()).isEqualTo(new RmsProp(0.001f, 0.9f, 0f, 1e-7f));
    assertThat(Optimizer.adam().learningRate(2e-4f).beta1(0.5f)).isEqualTo(new Adam(2e-4f, 0.5f, 0.999f, 1e-7f));
  }

  @Test
  void optimizers_validateAtOnce() {
    assertThatThrownBy(() -> Optimizer.adam().learningRate(0)).hasMessage("Adam learningRate must be positive and finite, was 0.0");
    assertThatThrownBy(() -> Optimizer.adam().beta1(1f)).hasMessage("Adam beta1 must be in [0, 1), was 1.0");
    assertThatThrownBy(() -> Optimizer.sgd().momentum(-0.1f)).hasMessageContaining("momentum");
  }

  @Test
  void randomStreams_keysDependOnSeedStepAndNameOnly() {
    RandomStream noise = RandomStream.discriminatorFakeNoise(0);
    assertThat(noise.name()).isEqualTo("d_fake_noise/0");
    assertThat(noise.key(42, 7)).containsExactly(noise.seedWord(42), 7L);
    assertThat(new RandomStream("d_fake_noise/0").key(42, 7)).isEqualTo(noise.key(42, 7));
    assertThat(noise.seedWord(43)).isNotEqualTo(noise.seedWord(42));
    assertThat(RandomStream.GENERATOR_DROPOUT.child("discriminator/dropout").name())
        .isEqualTo("g_dropout/discriminator/dropout");
    assertThatThrownBy(() -> new RandomStream("")).hasMessageContaining("name");
  }

  @Test
  void randomStreams_ofOneRunHaveDistinctSeedWords() {
    java.util.Set<Long> words = new java.util.HashSet<>();
    java.util.List<RandomStream> all = new java.util.ArrayList<>(java.util.List.of(RandomStream.GENERATOR_NOISE,
        RandomStream.GENERATOR_DROPOUT, RandomStream.PENALTY_INTERPOLATION, RandomStream.AUGMENT));
    for (int j = 0; j < TrainingRecipe.MAX_DISCRIMINATOR_STEPS; j++) {
      all.addAll(java.util.List.of(RandomStream.discriminatorFakeNoise(j), RandomStream.discriminatorRealDropout(j),
          RandomStream.discriminatorFakeDropout(j), RandomStream.discriminatorFakeGeneratorDropout(j)));
    }
    for (long seed : new long[] {0, 1, 42, -1}) {
      for (RandomStream s : all) {
        assertThat(words.add(s.seedWord(seed))).as("%s under seed %d", s.name(), seed).isTrue();
      }
    }
  }
}
