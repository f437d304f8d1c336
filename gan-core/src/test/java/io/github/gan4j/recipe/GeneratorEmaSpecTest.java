package io.github.gan4j.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GeneratorEmaSpecTest {
  @Test
  void decayMustBeInTheOpenUnitInterval_andTheStartNotNegative() {
    assertThat(new GeneratorEma(0.999f, 1000).describe()).isEqualTo("ema(decay=0.999, start=1000)");
    for (float bad : new float[] {0f, 1f, -0.5f, 1.5f, Float.NaN}) {
      assertThatThrownBy(() -> new GeneratorEma(bad, 0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("decay must be in (0, 1)").hasMessageContaining("0.999");
    }
    assertThatThrownBy(() -> new GeneratorEma(0.9f, -1)).hasMessageContaining("start step must not be negative");
  }
}
