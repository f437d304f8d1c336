package io.github.gan4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.gan4j.GanBuilder;
import io.github.gan4j.layers.Layers;
import io.github.gan4j.recipe.GanLoss;
import org.junit.jupiter.api.Test;

class TrainConfigTest {

  @Test
  void steps_countFromTheCurrentStep() {
    assertThat(Steps.of(10).remaining(500, 100)).isEqualTo(10);
    assertThat(Steps.until(600).remaining(500, 100)).isEqualTo(100);
    assertThat(Steps.until(400).remaining(500, 100)).isZero();
    assertThat(Steps.epochs(2).remaining(500, 1875)).isEqualTo(3750);
    assertThatThrownBy(() -> Steps.of(-1)).hasMessageContaining("must not be negative");
    Steps timed = Steps.until(600).orTrainingTime(java.time.Duration.ofMinutes(15));
    assertThat(timed.remaining(500, 100)).isEqualTo(100);
    assertThat(timed.trainingTime()).contains(java.time.Duration.ofMinutes(15));
    assertThat(timed.trainingTimeNanos()).isEqualTo(900_000_000_000L);
    assertThat(Steps.of(1).trainingTimeNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(timed).hasToString("until step 600 or PT15M of training time");
    assertThatThrownBy(() -> Steps.of(1).orTrainingTime(java.time.Duration.ZERO)).hasMessageContaining("positive");
  }

  @Test
  void stepMetrics_finiteness() {
    assertThat(new StepMetrics(1, 0.5f, 0.7f, 0.5f, 0.5f, 100_000_000, true).finite()).isTrue();
    assertThat(new StepMetrics(1, 0.5f, 0.7f, 0.5f, 0.5f, 100_000_000, false).finite()).as("NaN weight").isFalse();
    assertThat(new StepMetrics(1, Float.NaN, Float.NaN, 0.5f, 0.5f, 1, true).finite()).isFalse();
    assertThat(new StepMetrics(1, 1f, Float.POSITIVE_INFINITY, 0.5f, 0.5f, 1, true).finite()).isFalse();
    assertThat(new StepMetrics(1, 0.5f, Float.NaN, 0.5f, 0.5f, 1, true).finite()).as("discriminator-only step").isTrue();
    assertThat(new StepMetrics(1, 1f, 1f, 0.5f, 0.5f, 250_000_000, true).stepsPerSecond()).isEqualTo(4.0);
  }

  @Test
  void customLossWithoutItsTensorFlowTerms_isRefusedAtOnce() {
    // GanLoss.Custom alone (not extension.CustomLoss) has nothing to lower
    GanLoss.Custom halfDone = new GanLoss.Custom() {
      @Override
      public Outputs outputs() {
        return Outputs.SCORES;
      }

      @Override
      public String id() {
        return "half-done";
      }
    };
    Trainer.Builder builder = Trainer.of(GanBuilder.forImages(4, 4, 1).latentDim(2)
        .generator(Layers.dense(16), Layers.reshape(4, 4, 1)).discriminator(Layers.flatten(), Layers.dense(1)).build());
    assertThatThrownBy(() -> builder.loss(halfDone)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("loss half-done implements GanLoss.Custom but not io.github.gan4j.extension.CustomLoss,"
            + " which computes its terms on TensorFlow operands; implement that");
  }

  @Test
  void listeners_validateArguments() {
    assertThatThrownBy(() -> Listeners.sampleGrid(java.nio.file.Path.of("x"), 0)).hasMessageContaining("positive");
    assertThatThrownBy(() -> Listeners.log(System.out, 0)).hasMessageContaining("positive");
  }

  @Test
  void format_isOneReadableLine() {
    assertThat(Listeners.format(new StepMetrics(1000, 0.6931f, 0.75f, 0.51f, 0.49f, 200_000_000, true)))
        .isEqualTo("step 1000  d_loss 0.6931  g_loss 0.7500  D(x) 0.510  D(G(z)) 0.490  5.00 steps/s");
  }

  @Test
  void format_namesBothScoresOfTheFakes() {
    StepMetrics m = new StepMetrics(20, 0.6f, 0.9f, 0.8f, 0.99f, 0.43f, Float.NaN, 200_000_000, true);
    assertThat(Listeners.format(m))
        .isEqualTo("step 20  d_loss 0.6000  g_loss 0.9000  D(x) 0.800  D(G(z)) 0.990 (D's update 0.430)  5.00 steps/s");
    assertThat(Listeners.json(m, 5.0)).contains("\"d_g_z\":0.99,").contains("\"d_g_z_d_update\":0.43,");
  }
}
