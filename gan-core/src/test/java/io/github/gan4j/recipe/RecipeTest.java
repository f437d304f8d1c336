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
}
