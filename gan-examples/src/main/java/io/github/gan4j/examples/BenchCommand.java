package io.github.gan4j.examples;

import io.github.gan4j.Gan;
import io.github.gan4j.data.Dataset;
import io.github.gan4j.data.Datasets;
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
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code bench}: training speed of the reference DCGAN on synthetic data, against the
 * machine's measured matrix-multiply peak. A measurement, not a test: its last line is one
 * JSON object.
 */
final class BenchCommand {
  static final String USAGE = String.join("\n",
      "usage: java -jar gan-examples.jar bench [OPTIONS]",
      "",
      "  --model cifar10|mnist          the reference DCGAN (32x32x3) or its 28x28x1 variant (default cifar10)",
      "  --batch-size B                 (default 32)",
      "  --warmup N                     untimed steps after the first (default 10)",
      "  --steps N                      timed steps per repeat (default 50)",
      "  --repeats R                    timed repeats; the median is reported (default 3)",
      "  --precision fp32|bf16          bf16: oneDNN bfloat16 auto mixed precision (default fp32); float32 on CPUs",
      "                                 without AVX512_BF16/AMX_BF16 (see precision_in_effect)",
      "  --xla                          TensorFlow's XLA JIT",
      "  --d-update separate|combined   (default separate, the reference procedure)",
      "  --fake-batches inference|training",
      "  --threads N, --inter-threads N TensorFlow thread pools (default 0: TensorFlow's choice)",
      "  --profile                      print the time per op type of one traced step",
      "  --no-inference                 skip the exported generator's throughput at batch 256",
      "  --peak-size N                  MatMul size for the peak (default 2048)");

  private final PrintStream out;

  BenchCommand(PrintStream out) {
    this.out = out;
  }

  int run(String[] argv) throws IOException {
    Args args = Args.parse(argv, Set.of("model", "batch-size", "warmup", "steps", "repeats", "precision",
        "d-update", "fake-batches", "threads", "inter-threads", "peak-size"), Set.of("xla", "profile", "no-inference"));
    String model = args.choice("model", "cifar10", List.of("cifar10", "mnist"));
    int batch = args.positiveInt("batch-size", 32);
    int warmup = (int) args.anyLong("warmup", 10);
    int steps = args.positiveInt("steps", 50);
    int repeats = args.positiveInt("repeats", 3);
    boolean bf16 = args.choice("precision", "fp32", List.of("fp32", "bf16")).equals("bf16");
    boolean combined = args.choice("d-update", "separate", List.of("separate", "combined")).equals("combined");
    boolean trainingFakes = args.choice("fake-batches", "inference", List.of("inference", "training"))
        .equals("training");
    int threads = (int) args.anyLong("threads", 0);
    int interThreads = (int) args.anyLong("inter-threads", 0);
    int peakSize = args.positiveInt("peak-size", 2048);
    if (warmup < 0 || threads < 0 || interThreads < 0) {
      throw new UsageException("--warmup, --threads and --inter-threads must not be negative");
    }

    Gan gan = model.equals("cifar10") ? ReferenceModels.cifar10() : ReferenceModels.mnist();
    double flopPerImage = 2.0 * gan.trainingMultiplyAddsPerImage();
    Dataset data = synthetic(gan, Math.max(8 * batch, 1024));
    Trainer.Builder builder = Trainer.of(gan).batchSize(batch).seed(1)
        .precision(bf16 ? Precision.MIXED_BFLOAT16 : Precision.FLOAT32).xla(args.flag("xla"))
        .discriminatorUpdate(combined ? DiscriminatorUpdate.COMBINED_BATCH : DiscriminatorUpdate.SEPARATE_BATCHES)
        .fakeBatches(trainingFakes ? FakeBatches.TRAINING_MODE : FakeBatches.INFERENCE_MODE)
        .threads(threads, interThreads);
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
      if (args.flag("profile")) {
        profile = trainer.profileStep(data);
      }
      if (!args.flag("no-inference")) {
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
    fields.add(String.format(Locale.ROOT, "\"d_update\":\"%s\"", combined ? "combined" : "separate"));
    fields.add(String.format(Locale.ROOT, "\"xla\":%s", args.flag("xla")));
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
