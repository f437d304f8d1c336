package io.github.gan4j.examples;

import io.github.gan4j.Gan;
import io.github.gan4j.data.Dataset;
import io.github.gan4j.data.Datasets;
import io.github.gan4j.recipe.DiffAugment;
import io.github.gan4j.recipe.GeneratorEma;
import io.github.gan4j.recipe.DiscriminatorUpdate;
import io.github.gan4j.recipe.FakeBatches;
import io.github.gan4j.recipe.Precision;
import io.github.gan4j.recipe.PrecisionInEffect;
import io.github.gan4j.train.CpuKernels;
import io.github.gan4j.train.TrainedGenerator;
import io.github.gan4j.train.Trainer;
import io.github.gan4j.train.Benchmarks;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.SplittableRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench}: training speed of the reference DCGAN on synthetic data, against the
 * machine's measured matrix-multiply peak. A measurement, not a test: its last line is one
 * JSON object.
 */
@Command(name = "bench", abbreviateSynopsis = true, sortOptions = false,
    description = {"Training speed of the reference DCGAN on synthetic data vs the machine's measured peak"
        + " (a measurement; the last line is one JSON object)."})
final class BenchCommand implements Callable<Integer> {
  /** {@code --model}: the reference DCGAN (32x32x3), its 28x28x1 variant, or SNGAN's ResNet (32x32x3). */
  static final class Models extends OptionTypes.Choice<String> {
    Models() {
      super(List.of("cifar10", "mnist", DataSources.SNGAN_RESNET), m -> m);
    }
  }

  @Option(names = "--model", paramLabel = "MODEL", defaultValue = "cifar10", converter = Models.class,
      completionCandidates = Models.class, description = {"the reference DCGAN (32x32x3), its 28x28x1 variant, or"
          + " SNGAN's ResNet (32x32x3, one D update per step as the others):",
          "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})"})
  String model;

  @Option(names = "--batch-size", paramLabel = "B", defaultValue = "32", converter = OptionTypes.PositiveInt.class,
      description = "(default ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "10", converter = OptionTypes.NonNegativeInt.class,
      description = "untimed steps after the first (default ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "50", converter = OptionTypes.PositiveInt.class,
      description = "timed steps per repeat (default ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--repeats", paramLabel = "R", defaultValue = "3", converter = OptionTypes.PositiveInt.class,
      description = "timed repeats; the median is reported (default ${DEFAULT-VALUE})")
  int repeats;

  @Option(names = "--precision", paramLabel = "P", defaultValue = "fp32", converter = OptionTypes.Precisions.class,
      completionCandidates = OptionTypes.Precisions.class,
      description = {"bf16: oneDNN bfloat16 auto mixed precision (default ${DEFAULT-VALUE}); float32 on CPUs"
          + " without AVX512_BF16/AMX_BF16 (see precision_in_effect)"})
  Precision precisionRequested;

  @Option(names = "--xla", description = "TensorFlow's XLA JIT")
  boolean xla;

  @Option(names = "--d-update", paramLabel = "UPDATE", defaultValue = "separate",
      converter = OptionTypes.DiscriminatorUpdates.class, completionCandidates = OptionTypes.DiscriminatorUpdates.class,
      description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}, the reference procedure)")
  DiscriminatorUpdate dUpdate;

  @Option(names = "--fake-batches", paramLabel = "MODE", defaultValue = "inference",
      converter = OptionTypes.FakeBatchModes.class, completionCandidates = OptionTypes.FakeBatchModes.class,
      description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
  FakeBatches fakeBatches;

  @Option(names = "--spectral-norm", paramLabel = "NETWORKS", defaultValue = "none",
      converter = OptionTypes.SpectralNorms.class, completionCandidates = OptionTypes.SpectralNorms.class,
      description = "spectral normalization of: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
  SpectralNormTarget spectralNorm;

  @Option(names = "--augment", paramLabel = "POLICIES", defaultValue = "none", converter = OptionTypes.Augment.class,
      description = "DiffAugment of D's inputs, e.g. color,translation,cutout (default ${DEFAULT-VALUE})")
  DiffAugment augment;

  @Option(names = "--ema", paramLabel = "DECAY[:START]", converter = OptionTypes.Ema.class,
      description = "a moving average of G's weights, updated every step (e.g. 0.999; default none)")
  GeneratorEma ema;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "0", converter = OptionTypes.NonNegativeInt.class,
      description = "TensorFlow intra-op threads (default ${DEFAULT-VALUE}: TensorFlow's choice)")
  int threads;

  @Option(names = "--inter-threads", paramLabel = "N", defaultValue = "0",
      converter = OptionTypes.NonNegativeInt.class,
      description = "TensorFlow inter-op threads (default ${DEFAULT-VALUE}: TensorFlow's choice)")
  int interThreads;

  @Option(names = "--profile", description = "print the time per op type of one traced step")
  boolean profileStep;

  @Option(names = "--no-inference", description = "skip the exported generator's throughput at batch 256")
  boolean noInference;

  @Option(names = "--peak-size", paramLabel = "N", defaultValue = "2048", converter = OptionTypes.PositiveInt.class,
      description = "MatMul size for the peak (default ${DEFAULT-VALUE})")
  int peakSize;

  @Mixin
  Main.HelpOption help;

  private final PrintStream out;

  BenchCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws IOException {
    boolean bf16 = precisionRequested == Precision.MIXED_BFLOAT16;
    Gan gan = spectralNorm.apply(model.equals("cifar10") ? ReferenceModels.cifar10()
        : model.equals("mnist") ? ReferenceModels.mnist() : ReferenceModels.snganResNet(32, 32, 3));
    double flopPerImage = 2.0 * gan.trainingMultiplyAddsPerImage();
    Dataset data = synthetic(gan, Math.max(8 * batch, 1024));
    Trainer.Builder builder = Trainer.of(gan).batchSize(batch).seed(1)
        .precision(precisionRequested).xla(xla)
        .discriminatorUpdate(dUpdate)
        .fakeBatches(fakeBatches)
        .augment(augment)
        .threads(threads, interThreads);
    if (ema != null) {
      builder.generatorEma(ema.decay(), ema.startStep());
    }
    CpuKernels cpu = CpuKernels.current();
    out.printf(Locale.ROOT, "cpu: %s, %d cores; features %s; oneDNN kernels %s (%s)%n", cpu.cpuModel(),
        Runtime.getRuntime().availableProcessors(), cpu.cpuFeatures(), cpu.oneDnn(), cpu.reason());

    double firstStepSeconds;
    double[] rates = new double[repeats];
    double inferenceImagesPerSecond = Double.NaN;
    Map<String, long[]> profile = null;
    PrecisionInEffect precision;
    try (Trainer trainer = builder.build()) {
      precision = trainer.precisionInEffect();
      out.printf(Locale.ROOT, "precision: %s requested, %s in effect (%s)%n", precision.requested().shortName(),
          precision.precision().shortName(), precision.reason());
      trainer.step(data);
      firstStepSeconds = (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1e3;
      for (int i = 0; i < warmup; i++) {
        trainer.step(data);
      }
      for (int r = 0; r < repeats; r++) {
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
          trainer.step(data);
        }
        rates[r] = steps / ((System.nanoTime() - t0) / 1e9);
        out.printf(Locale.ROOT, "repeat %d: %.3f steps/s (%.1f images/s, %.1f GFLOP/s)%n", r + 1, rates[r],
            rates[r] * batch, rates[r] * batch * flopPerImage / 1e9);
      }
      if (profileStep) {
        profile = trainer.profileStep(data);
      }
      if (!noInference) {
        inferenceImagesPerSecond = inference(trainer, bf16);
      }
    }
    double peak = Benchmarks.matMulPeakGflops(peakSize, 5);
    double inputMs = inputMillisPerBatch(data, batch);
    double[] sorted = rates.clone();
    Arrays.sort(sorted);
    double median = sorted[repeats / 2];
    double gflops = median * batch * flopPerImage / 1e9;

    if (profile != null) {
      long total = profile.values().stream().mapToLong(v -> v[0]).sum();
      out.println("time per op type in one traced step (each kernel's wall time, summed; kernels may overlap):");
      int shown = 0;
      for (Map.Entry<String, long[]> e : profile.entrySet()) {
        if (shown++ == 15) {
          break;
        }
        out.printf(Locale.ROOT, "  %-40s %8.1f ms %5.1f%%  (%d kernels)%n", e.getKey(), e.getValue()[0] / 1e3,
            100.0 * e.getValue()[0] / total, e.getValue()[1]);
      }
    }
    List<String> fields = new ArrayList<>();
    fields.add(String.format(Locale.ROOT, "\"cpu_model\":\"%s\"", cpu.cpuModel().replace("\"", "'")));
    fields.add(String.format(Locale.ROOT, "\"cpu_features\":[%s]",
        String.join(",", cpu.cpuFeatures().stream().map(f -> "\"" + f + "\"").toList())));
    fields.add(String.format(Locale.ROOT, "\"cores\":%d", Runtime.getRuntime().availableProcessors()));
    fields.add(String.format(Locale.ROOT, "\"onednn\":\"%s\"", cpu.oneDnn().name().toLowerCase(Locale.ROOT)));
    // the ground truth when a step was traced: did any oneDNN kernel run?
    fields.add(String.format(Locale.ROOT, "\"onednn_kernels_in_profile\":%s",
        profile == null ? "null" : String.valueOf(CpuKernels.profileUsesOneDnn(profile))));
    fields.add(String.format(Locale.ROOT, "\"model\":\"%s\"", model));
    fields.add(String.format(Locale.ROOT, "\"batch_size\":%d", batch));
    fields.add(String.format(Locale.ROOT, "\"precision\":\"%s\"", precision.requested().shortName()));
    fields.add(String.format(Locale.ROOT, "\"precision_in_effect\":\"%s\"", precision.precision().shortName()));
    fields.add(String.format(Locale.ROOT, "\"d_update\":\"%s\"",
        new OptionTypes.DiscriminatorUpdates().name(dUpdate)));
    fields.add(String.format(Locale.ROOT, "\"spectral_norm\":\"%s\"",
        new OptionTypes.SpectralNorms().name(spectralNorm)));
    fields.add(String.format(Locale.ROOT, "\"augment\":\"%s\"", augment.id()));
    fields.add(ema == null ? "\"ema\":null" : String.format(Locale.ROOT, "\"ema\":\"%s\"", OptionTypes.ema(ema)));
    fields.add(String.format(Locale.ROOT, "\"xla\":%s", xla));
    fields.add(String.format(Locale.ROOT, "\"steps_per_s\":%.3f", median));
    fields.add(String.format(Locale.ROOT, "\"steps_per_s_repeats\":%s", Arrays.toString(round(rates))));
    fields.add(String.format(Locale.ROOT, "\"images_per_s\":%.1f", median * batch));
    fields.add(String.format(Locale.ROOT, "\"gflop_per_step\":%.3f", batch * flopPerImage / 1e9));
    fields.add(String.format(Locale.ROOT, "\"gflops\":%.1f", gflops));
    fields.add(String.format(Locale.ROOT, "\"peak_gflops\":%.1f", peak));
    fields.add(String.format(Locale.ROOT, "\"peak_fraction\":%.3f", gflops / peak));
    fields.add(String.format(Locale.ROOT, "\"time_to_first_step_s\":%.2f", firstStepSeconds));
    fields.add(String.format(Locale.ROOT, "\"input_ms_per_batch\":%.3f", inputMs));
    fields.add(String.format(Locale.ROOT, "\"inference_images_per_s_b256\":%s",
        Double.isNaN(inferenceImagesPerSecond) ? "null" : String.format(Locale.ROOT, "%.1f", inferenceImagesPerSecond)));
    fields.add(String.format(Locale.ROOT, "\"peak_rss_mb\":%.1f", Soak.peakRssMb()));
    out.println("{" + String.join(",", fields) + "}");
    return 0;
  }

  private static double[] round(double[] values) {
    double[] r = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      r[i] = Math.round(values[i] * 1000) / 1000.0;
    }
    return r;
  }

  /** Images/s of the exported generator at batch 256 (loaded without the training graph). */
  private static double inference(Trainer trainer, boolean bf16) throws IOException {
    Path dir = Files.createTempDirectory("gan4j-bench");
    try {
      trainer.exportGenerator(dir.resolve("g"));
      try (TrainedGenerator g = TrainedGenerator.load(dir.resolve("g"))) {
        float[] z = new float[256 * g.latentDim()];
        io.github.gan4j.sample.Sampler.normal().sample(1, 0, z);
        g.generate(z);
        int n = 5;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          g.generate(z);
        }
        return n * 256 / ((System.nanoTime() - t0) / 1e9);
      }
    } finally {
      RunDirectory.deleteRecursively(dir);
    }
  }

  /** Random uint8 images held as CIFAR-10 is (one byte per value), so feeding is measured as in real use. */
  static Dataset synthetic(Gan gan, int count) {
    SplittableRandom r = new SplittableRandom(7);
    byte[] px = new byte[Math.toIntExact(count * gan.imageShape().size())];
    r.nextBytes(px);
    var s = gan.imageShape();
    return Datasets.fromBytes(px, s.dim(0), s.dim(1), s.dim(2));
  }

  /** Milliseconds to pick and convert one batch from the dataset, as the trainer does before each step. */
  static double inputMillisPerBatch(Dataset data, int batch) {
    io.github.gan4j.data.BatchSchedule schedule = new io.github.gan4j.data.BatchSchedule(data.size(), batch, 1);
    int size = (int) data.imageShape().size();
    float[] buffer = new float[batch * size];
    int[] indices = new int[batch];
    int n = 200;
    long t0 = System.nanoTime();
    for (int b = 0; b < n; b++) {
      schedule.indices(b, indices);
      for (int i = 0; i < batch; i++) {
        data.copyImage(indices[i], buffer, i * size);
      }
    }
    return (System.nanoTime() - t0) / 1e6 / n;
  }
}
