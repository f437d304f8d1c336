package io.github.gan4j.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.gan4j.train.CpuKernels;
import io.github.gan4j.train.CpuKernels.OneDnnState;
import io.github.gan4j.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gan4j turns TensorFlow's oneDNN kernels on for every x86-64 CPU: tested in this JVM, in child
 * JVMs with the user's {@code TF_ENABLE_ONEDNN_OPTS=0}, and on an emulated AVX2-only CPU
 * (qemu-user's EPYC-Milan model: AVX2, no AVX512), where TensorFlow alone leaves them off.
 */
class OneDnnTest {
  static final boolean X86_64_LINUX = System.getProperty("os.name").startsWith("Linux")
      && System.getProperty("os.arch").equals("amd64");

  @TempDir
  Path dir;

  @Test
  void profiledStep_runsOneDnnKernels_andStateSaysSo() {
    assumeTrue(X86_64_LINUX, "oneDNN kernels exist in TensorFlow's x86-64 builds");
    assumeTrue(System.getenv("TF_ENABLE_ONEDNN_OPTS") == null, "the environment sets TF_ENABLE_ONEDNN_OPTS");
    Map<String, long[]> profile;
    try (Trainer trainer = Trainer.of(Fixtures.tiny()).batchSize(4).seed(1).build()) {
      profile = trainer.profileStep(Fixtures.squares());
    }
    assertThat(profile.keySet()).as("op types of a traced step").anyMatch(t -> t.startsWith("_MklNative"));
    CpuKernels cpu = CpuKernels.current();
    assertThat(cpu.oneDnn()).isEqualTo(OneDnnState.ON);
    assertThat(cpu.cpuFeatures()).contains("avx2");
  }

  @Test
  void userSetsZero_isRespected_andWarnedOnceInOneLine() throws Exception {
    assumeTrue(X86_64_LINUX, "oneDNN kernels exist in TensorFlow's x86-64 builds");
    String out = runProbe(List.of(), "0", List.of());
    assertThat(out).contains("state=OFF_BY_USER kernels=false");
    List<String> warnings = out.lines().filter(l -> l.contains("gan4j: TF_ENABLE_ONEDNN_OPTS=0")).toList();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).contains("unset TF_ENABLE_ONEDNN_OPTS or set it to 1").contains("faster");
  }

  /**
   * Each case boots TensorFlow under full CPU emulation (about a minute or two on 2 cores).
   * The emulator comes from {@link TestData#qemuX86_64()}: installed, or fetched once; where it
   * cannot be had the cases are skipped, unless {@code CI} is set, where they fail.
   */
  @Nested
  class OnAnEmulatedAvx2OnlyCpu {
    @Test
    void gan4jAlone_turnsOneDnnKernelsOn() throws Exception {
      requireQemu();
      assertThat(runProbe(emulated(), null, List.of())).contains("state=ON kernels=true");
    }

    @Test
    void tensorFlowUsedFirst_keepsThemOff_andGan4jSaysWhyOnce() throws Exception {
      requireQemu();
      // the control for the case above: this CPU's TensorFlow default really is off
      String out = runProbe(emulated(), null, List.of("tf-first"));
      assertThat(out).contains("state=OFF_DECIDED_BEFORE_GAN4J kernels=false");
      assertThat(out.lines().filter(l -> l.contains("gan4j: TensorFlow's oneDNN kernels are off"))).hasSize(1);
    }

    private List<String> emulated() {
      return List.of(TestData.qemuX86_64().toString(), "-cpu", "EPYC-Milan");
    }
  }

  private static void requireQemu() {
    assumeTrue(X86_64_LINUX, "the emulation runs x86-64 Linux binaries");
    TestData.qemuX86_64();
  }

  /** Runs {@link OneDnnProbe} in a child JVM (optionally under a wrapper) and returns its output. */
  private String runProbe(List<String> wrapper, String oneDnnVariable, List<String> args) throws IOException,
      InterruptedException {
    return Fixtures.runChildJvm(dir, wrapper, OneDnnProbe.class, args, oneDnnVariable, 10);
  }
}
