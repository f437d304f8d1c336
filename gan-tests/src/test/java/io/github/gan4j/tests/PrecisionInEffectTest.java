package io.github.gan4j.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.gan4j.recipe.Precision;
import io.github.gan4j.recipe.PrecisionInEffect;
import io.github.gan4j.train.CpuKernels;
import io.github.gan4j.train.CpuKernels.OneDnnState;
import io.github.gan4j.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The precision a trainer actually runs in: bfloat16 where the CPU and oneDNN allow it (this
 * machine, when it has AVX512_BF16 or AMX_BF16), float32 with one warning line elsewhere.
 * The rule itself is tested for every case without native code in gan-core's
 * {@code PrecisionInEffectTest}.
 */
class PrecisionInEffectTest {
  static final boolean X86_64_LINUX = OneDnnTest.X86_64_LINUX;

  @TempDir
  Path dir;

  static boolean bf16Cpu(CpuKernels cpu) {
    return cpu.oneDnnOn() && cpu.cpuFeatures().stream().anyMatch(PrecisionInEffect.BF16_FEATURES::contains);
  }

  @Test
  void float32_isInEffectWhenRequested() {
    try (Trainer trainer = Trainer.of(Fixtures.tiny()).batchSize(4).seed(1).build()) {
      assertThat(trainer.precisionInEffect().precision()).isEqualTo(Precision.FLOAT32);
      assertThat(trainer.precisionInEffect().fellBack()).isFalse();
    }
  }

  @Test
  void bf16_onThisMachine_isInEffect_andChangesTheArithmetic() {
    CpuKernels cpu = CpuKernels.current();
    assumeTrue(bf16Cpu(cpu), "this CPU has no AVX512_BF16/AMX_BF16 or oneDNN is off: " + cpu);
    Map<String, float[]> bf16;
    try (Trainer trainer = PrecisionProbe.trainer(Precision.MIXED_BFLOAT16)) {
      assertThat(trainer.precisionInEffect()).isEqualTo(cpu.precisionInEffect(Precision.MIXED_BFLOAT16));
      assertThat(trainer.precisionInEffect().precision()).isEqualTo(Precision.MIXED_BFLOAT16);
      assertThat(trainer.precisionInEffect().reason()).startsWith("oneDNN on and the CPU has ");
      bf16 = PrecisionProbe.twoSteps(trainer);
    }
    try (Trainer trainer = PrecisionProbe.trainer(Precision.FLOAT32)) {
      assertThat(PrecisionProbe.sameWeights(bf16, PrecisionProbe.twoSteps(trainer)))
          .as("bfloat16 in effect changes the weights").isFalse();
    }
  }

  @Test
  void aCpuWithoutBf16Instructions_yieldsFloat32_andTheWarningSaysWhy() {
    CpuKernels avx2Only = new CpuKernels("AMD EPYC-Milan Processor", List.of("avx2"), OneDnnState.ON,
        "TF_ENABLE_ONEDNN_OPTS=1 set by gan4j");
    PrecisionInEffect p = avx2Only.precisionInEffect(Precision.MIXED_BFLOAT16);
    assertThat(p.precision()).isEqualTo(Precision.FLOAT32);
    assertThat(p.warning()).hasValue("gan4j: bfloat16 mixed precision cannot take effect: this CPU lacks"
        + " AVX512_BF16 and AMX_BF16 (it has AVX2); training in float32");
    CpuKernels avx512 = new CpuKernels("AMD EPYC 9R14", List.of("avx2", "avx512f", "avx512_bf16"), OneDnnState.ON, "");
    assertThat(avx512.precisionInEffect(Precision.MIXED_BFLOAT16).precision()).isEqualTo(Precision.MIXED_BFLOAT16);
    CpuKernels off = new CpuKernels("AMD EPYC 9R14", List.of("avx2", "avx512f", "avx512_bf16"),
        OneDnnState.OFF_BY_USER, "");
    assertThat(off.precisionInEffect(Precision.MIXED_BFLOAT16).precision()).isEqualTo(Precision.FLOAT32);
  }

  @Test
  void commandLine_recordsThePrecisionInEffect_inConfigMetricsAndBench() throws IOException {
    String inEffect = bf16Cpu(CpuKernels.current()) ? "bf16" : "fp32";
    Path fp32 = dir.resolve("fp32");
    CommandLineTest.Outcome plain = CommandLineTest.run(CommandLineTest.train(fp32, 2));
    assertThat(plain.status()).as(plain.err()).isZero();
    assertThat(fp32.resolve("config.properties")).content().contains("precision=fp32", "precision.in-effect=fp32");
    assertThat(Files.readAllLines(fp32.resolve("metrics.jsonl"))).noneMatch(l -> l.contains("\"event\":\"precision\""));

    Path bf16 = dir.resolve("bf16");
    CommandLineTest.Outcome o = CommandLineTest.run(CommandLineTest.train(bf16, 2, "--precision", "bf16"));
    assertThat(o.status()).as(o.err()).isZero();
    assertThat(bf16.resolve("config.properties")).content().contains("precision=bf16",
        "precision.in-effect=" + inEffect);
    assertThat(Files.readAllLines(bf16.resolve("metrics.jsonl")).get(0)).startsWith(
        "{\"step\":0,\"event\":\"precision\",\"precision\":\"bf16\",\"precision_in_effect\":\"" + inEffect
            + "\",\"reason\":\"");

    CommandLineTest.Outcome bench = CommandLineTest.run("bench", "--model", "mnist", "--batch-size", "4", "--warmup",
        "0", "--steps", "1", "--repeats", "1", "--no-inference", "--peak-size", "64", "--precision", "bf16");
    assertThat(bench.status()).as(bench.err()).isZero();
    assertThat(bench.out()).contains("precision: bf16 requested, " + inEffect + " in effect (")
        .contains("\"precision\":\"bf16\",\"precision_in_effect\":\"" + inEffect + "\"");
  }

  /** The real fallback, in a child JVM with oneDNN off: float32 exactly, and one warning line. */
  @Test
  void withOneDnnOff_bf16FallsBackToExactFloat32_andWarnsOnce() throws Exception {
    assumeTrue(X86_64_LINUX, "oneDNN kernels exist in TensorFlow's x86-64 builds");
    String out = runProbe("0");
    assertThat(out).contains("in-effect=FLOAT32 reason=TensorFlow's oneDNN kernels are off").contains("same-as-fp32=true");
    List<String> warnings = out.lines().filter(l -> l.contains("gan4j: bfloat16 mixed precision cannot take effect"))
        .toList();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).endsWith("TensorFlow's oneDNN kernels are off; training in float32");
  }

  private String runProbe(String oneDnnVariable) throws IOException, InterruptedException {
    return Fixtures.runChildJvm(dir, List.of(), PrecisionProbe.class, List.of(), oneDnnVariable, 5);
  }
}
