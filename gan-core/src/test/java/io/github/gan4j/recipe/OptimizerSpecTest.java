package io.github.gan4j.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OptimizerSpecTest {

  @Test
  void clipWeights_isOffByDefault_andKeptByEveryWither() {
    assertThat(Optimizer.adam().clipWeights()).isZero();
    assertThat(Optimizer.sgd().clipWeights()).isZero();
    assertThat(Optimizer.rmsProp().clipWeights()).isZero();
    RmsProp wgan = Optimizer.rmsProp().clipWeights(0.01f).learningRate(5e-5f).rho(0.95f).momentum(0.1f).epsilon(1e-6f);
    assertThat(wgan).isEqualTo(new RmsProp(5e-5f, 0.95f, 0.1f, 1e-6f, 0.01f));
    assertThat(Optimizer.adam().clipWeights(0.1f).beta1(0.5f).beta2(0.9f).epsilon(1e-8f).learningRate(1e-4f))
        .isEqualTo(new Adam(1e-4f, 0.5f, 0.9f, 1e-8f, 0.1f));
    assertThat(Optimizer.sgd().clipWeights(0.1f).momentum(0.5f)).isEqualTo(new Sgd(0.01f, 0.5f, 0.1f));
  }

  @Test
  void clipWeights_mustBePositiveAndFinite() {
    assertThatThrownBy(() -> Optimizer.adam().clipWeights(0f))
        .hasMessage("Adam clipWeights must be positive and finite, was 0.0");
    assertThatThrownBy(() -> Optimizer.sgd().clipWeights(Float.POSITIVE_INFINITY))
        .hasMessage("SGD clipWeights must be positive and finite, was Infinity");
    assertThatThrownBy(() -> Optimizer.rmsProp().clipWeights(Float.NaN))
        .hasMessage("RMSprop clipWeights must be positive and finite, was NaN");
    assertThatThrownBy(() -> new Adam(1e-3f, 0.9f, 0.999f, 1e-7f, -1f)).hasMessageContaining("Adam clipWeights");
  }

  @Test
  void describe_readsAsCode_andNamesTheKind() {
    assertThat(Optimizer.sgd().momentum(0.9f).clipWeights(0.5f).describe())
        .isEqualTo("sgd(learningRate=0.01, momentum=0.9, clipWeights=0.5)");
    assertThat(Optimizer.adam().describe()).isEqualTo("adam(learningRate=0.001, beta1=0.9, beta2=0.999, epsilon=1.0E-7)");
    assertThat(Optimizer.adam().kind()).isEqualTo("adam");
    assertThat(Optimizer.sgd().kind()).isEqualTo("sgd");
    assertThat(Optimizer.rmsProp().kind()).isEqualTo("rmsProp");
  }
}
