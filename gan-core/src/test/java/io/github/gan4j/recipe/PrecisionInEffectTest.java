package io.github.gan4j.recipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule deciding which precision a training step runs in, for any CPU; no native code. */
class PrecisionInEffectTest {
  static final List<String> AVX2_ONLY = List.of("avx2");
  static final List<String> AVX512_BF16 = List.of("avx2", "avx512f", "avx512_vnni", "avx512_bf16");
  static final List<String> AMX = List.of("avx2", "amx_tile", "amx_bf16");

  @Test
  void float32_isAlwaysInEffect_withoutWarning() {
    for (boolean oneDnn : new boolean[] {true, false}) {
      PrecisionInEffect p = PrecisionInEffect.decide(Precision.FLOAT32, AVX2_ONLY, oneDnn);
      assertThat(p.precision()).isEqualTo(Precision.FLOAT32);
      assertThat(p.fellBack()).isFalse();
      assertThat(p.warning()).isEmpty();
    }
  }

  @Test
  void bf16_takesEffect_withAvx512Bf16OrAmxBf16_andOneDnnOn() {
    PrecisionInEffect avx512 = PrecisionInEffect.decide(Precision.MIXED_BFLOAT16, AVX512_BF16, true);
    assertThat(avx512.precision()).isEqualTo(Precision.MIXED_BFLOAT16);
    assertThat(avx512.fellBack()).isFalse();
    assertThat(avx512.warning()).isEmpty();
    assertThat(avx512.reason()).isEqualTo("oneDNN on and the CPU has AVX512_BF16");
    PrecisionInEffect amx = PrecisionInEffect.decide(Precision.MIXED_BFLOAT16, AMX, true);
    assertThat(amx.precision()).isEqualTo(Precision.MIXED_BFLOAT16);
    assertThat(amx.reason()).isEqualTo("oneDNN on and the CPU has AMX_BF16");
  }

  @Test
  void bf16_onAvx2OnlyCpu_isFloat32_andTheWarningNamesTheMissingFeatures() {
    PrecisionInEffect p = PrecisionInEffect.decide(Precision.MIXED_BFLOAT16, AVX2_ONLY, true);
    assertThat(p.requested()).isEqualTo(Precision.MIXED_BFLOAT16);
    assertThat(p.precision()).isEqualTo(Precision.FLOAT32);
    assertThat(p.fellBack()).isTrue();
    assertThat(p.warning()).hasValue("gan4j: bfloat16 mixed precision cannot take effect: this CPU lacks"
        + " AVX512_BF16 and AMX_BF16 (it has AVX2); training in float32");
    assertThat(p.warning().get()).doesNotContain("\n");
  }

  @Test
  void bf16_withOneDnnOff_isFloat32_evenOnABf16Cpu() {
    PrecisionInEffect p = PrecisionInEffect.decide(Precision.MIXED_BFLOAT16, AVX512_BF16, false);
    assertThat(p.precision()).isEqualTo(Precision.FLOAT32);
    assertThat(p.warning()).hasValue("gan4j: bfloat16 mixed precision cannot take effect: TensorFlow's oneDNN"
        + " kernels are off; training in float32");
    PrecisionInEffect both = PrecisionInEffect.decide(Precision.MIXED_BFLOAT16, AVX2_ONLY, false);
    assertThat(both.reason()).isEqualTo("this CPU lacks AVX512_BF16 and AMX_BF16 (it has AVX2), and TensorFlow's"
        + " oneDNN kernels are off");
  }

  @Test
  void bf16_withUnknownFeatures_isNotAssumed() {
    PrecisionInEffect p = PrecisionInEffect.decide(Precision.MIXED_BFLOAT16, List.of(), true);
    assertThat(p.precision()).isEqualTo(Precision.FLOAT32);
    assertThat(p.reason()).startsWith("the CPU's features are unknown");
  }

  @Test
  void shortNames_areTheCommandLinesWords() {
    assertThat(Precision.FLOAT32.shortName()).isEqualTo("fp32");
    assertThat(Precision.MIXED_BFLOAT16.shortName()).isEqualTo("bf16");
  }
}
