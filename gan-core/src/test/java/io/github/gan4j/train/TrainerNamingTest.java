package io.github.gan4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gan4j.data.Dataset;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Actions are verbs, counts are nouns: {@code step(data)} runs a step, {@code stepCount()} counts them. */
class TrainerNamingTest {

  @Test
  void step_isAlwaysAnAction_andTheCountHasItsOwnName() throws NoSuchMethodException {
    Method[] steps = Arrays.stream(Trainer.class.getMethods())
        .filter(m -> m.getName().equals("step") && Modifier.isPublic(m.getModifiers()))
        .toArray(Method[]::new);
    assertThat(steps).isNotEmpty().allSatisfy(m -> {
      assertThat(m.getReturnType()).as("%s", m).isEqualTo(StepMetrics.class);
      assertThat(m.getParameterTypes()).as("%s", m).contains(Dataset.class);
    });
    assertThat(Trainer.class.getMethod("stepCount").getReturnType()).isEqualTo(long.class);
  }
}
