package io.github.gan4j.examples;

import io.github.gan4j.Gan;
import io.github.gan4j.data.BatchSchedule;
import io.github.gan4j.data.Dataset;
import io.github.gan4j.layers.Shape;
import io.github.gan4j.recipe.DiscriminatorUpdate;
import io.github.gan4j.train.Checkpoints;
import io.github.gan4j.recipe.FakeBatches;
import io.github.gan4j.recipe.GanLoss;
import io.github.gan4j.train.Listeners;
import io.github.gan4j.recipe.Optimizer;
import io.github.gan4j.recipe.Precision;
import io.github.gan4j.train.StepMetrics;
import io.github.gan4j.train.Trainer;
import io.github.gan4j.train.TrainingListener;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code train}: trains the default model of a dataset into a run directory, resumable. */
final class TrainCommand {
  static final String USAGE = String.join("\n",
      "usage: java -jar gan-examples.jar train [OPTIONS]",
      "",
      "data:",
      "  --dataset cifar10|fashion-mnist|mnist|folder   (default cifar10)",
      "  --data-dir DIR          where the data is; cifar10 downloads into ~/.gan4j/datasets/cifar10 without it",
      "  --image-size HxWxC      image shape for --dataset folder (default 32x32x3)",
      "length and output:",
      "  --steps N               total steps of the run (default 10000), or",
      "  --epochs N              total epochs of the run",
      "  --out RUN_DIR           run directory (default runs/DATASET)",
      "  --resume                continue the run in RUN_DIR from its latest checkpoint",
      "  --sample-every N        5x5 sample grid every N steps (default 1000)",
      "  --checkpoint-every N    checkpoint every N steps (default 1000)",
      "  --keep-checkpoints K    checkpoints kept (default 3)",
      "  --log-every N           metrics line every N steps (default 100)",
      "  --no-progress           plain log lines even on a terminal",
      "training (defaults reproduce the Keras CIFAR-10 DCGAN tutorial):",
      "  --batch-size B          (default 32)",
      "  --seed S                (default 0)",
      "  --lr LR                 Adam learning rate of both networks (default 0.001)",
      "  --d-lr LR, --g-lr LR    per network",
      "  --beta1 B               Adam beta1 (default 0.9; 0.5 is the DCGAN paper's)",
      "  --loss non-saturating|minimax|lsgan|hinge|wasserstein (default non-saturating)",
      "  --d-update separate|combined                     (default separate: real, then fake)",
      "  --d-steps K             discriminator updates per generator update (default 1)",
      "  --fake-batches inference|training                generator BatchNorm mode for D's fakes (default inference)",
      "  --threads N             TensorFlow intra-op threads (default 0: all cores)",
      "  --precision fp32|bf16   bf16: oneDNN bfloat16 mixed precision, faster on AVX512_BF16 CPUs (default fp32)",
      "when training goes wrong:",
      "  --on-divergence stop|rollback                    non-finite loss or weight: stop (default), or",
      "                          roll back to the last good checkpoint with lower learning rates",
      "  --max-rollbacks N       (default 3)",
      "  --rollback-lr-factor F  learning rates are multiplied by F at each rollback (default 0.5)",
      "  --warn-patience N       warn when D(G(z)) < 0.01 for N steps (default 500); mode collapse is",
      "                          checked at every sample grid");

  static final Set<String> VALUED = Set.of("dataset", "data-dir", "image-size", "steps", "epochs", "out",
      "sample-every", "checkpoint-every", "keep-checkpoints", "log-every", "batch-size", "seed", "lr", "d-lr",
      "g-lr", "beta1", "loss", "d-update", "d-steps", "fake-batches", "threads", "precision", "on-divergence", "max-rollbacks",
      "rollback-lr-factor", "warn-patience");
  static final Set<String> FLAGS = Set.of("resume", "no-progress");
  /** Options that define the run: on --resume they come from the run's config and may not change. */
  static final List<String> RUN_KEYS = List.of("dataset", "image-size", "batch-size", "seed", "d-lr", "g-lr", "beta1",
      "loss", "d-update", "d-steps", "fake-batches", "threads", "precision");

  private final PrintStream out;
  private final PrintStream err;
  private final boolean interactive;

  TrainCommand(PrintStream out, PrintStream err, boolean interactive) {
    this.out = out;
    this.err = err;
    this.interactive = interactive;
  }

  int run(String[] argv) throws IOException {
    Args args = Args.parse(argv, VALUED, FLAGS);
    if (args.has("steps") && args.has("epochs")) {
      throw new UsageException("give --steps or --epochs, not both");
    }
    String dataset = args.choice("dataset", "cifar10", DataSources.NAMES);
    RunDirectory run = new RunDirectory(args.path("out", Path.of("runs", dataset)));
    Map<String, String> config = resolveConfig(args, dataset, run);
    Shape shape = DataSources.shapeOf(config.get("dataset"), config.get("image-size"));
    Gan gan = DataSources.defaultModel(shape);

    boolean resume = args.flag("resume");
    Optional<Path> checkpoint = resume
        ? Checkpoints.latestValid(run.checkpoints(), gan, skipped -> err.println("gan4j: warning: skipping "
            + skipped.checkpoint().getFileName() + ": " + skipped.getMessage()))
        : Optional.empty();
    if (resume && checkpoint.isEmpty()) {
      throw new UsageException("--resume: " + run.root() + " holds no complete checkpoint to resume from");
    }
    if (!resume && !Checkpoints.list(run.checkpoints()).isEmpty()) {
      throw new UsageException(run.root() + " already holds a run; add --resume to continue it, or choose another"
          + " --out");
    }

    int sampleEvery = args.positiveInt("sample-every", 1000);
    int checkpointEvery = args.positiveInt("checkpoint-every", 1000);
    int keep = args.positiveInt("keep-checkpoints", 3);
    int logEvery = args.positiveInt("log-every", 100);
    long epochs = args.positiveLong("epochs", 1);
    long steps = args.positiveLong("steps", 10_000);
    boolean progressBar = interactive && !args.flag("no-progress");

    Dataset data = DataSources.load(config.get("dataset"), args.path("data-dir", null), shape, out, interactive);
    int batch = Integer.parseInt(config.get("batch-size"));
    int dSteps = Integer.parseInt(config.get("d-steps"));
    long stepsPerEpoch = new BatchSchedule(data.size(), batch, 0).batchesPerEpoch() / dSteps;
    long total = args.has("epochs") ? epochs * Math.max(1, stepsPerEpoch) : steps;
    config.put("total-steps", String.valueOf(total));
    config.put("model.fingerprint", gan.fingerprint());
    run.writeConfig(toProperties(config));

    boolean rollback = args.choice("on-divergence", "stop", List.of("stop", "rollback")).equals("rollback");
    int maxRollbacks = (int) args.anyLong("max-rollbacks", 3);
    float lrFactor = args.positiveFloat("rollback-lr-factor", 0.5f);
    int warnPatience = args.positiveInt("warn-patience", 500);
    if (maxRollbacks < 0) {
      throw new UsageException("option --max-rollbacks must not be negative");
    }
    Path restoreFrom = checkpoint.orElse(null);
    String event = null;
    int rollbacks = 0;
    while (true) {
      try (Trainer trainer = trainer(gan, config)) {
        if (restoreFrom != null) {
          trainer.restore(restoreFrom);
          out.println((event != null ? "rolled back " + run.root() + " to step " : "resumed " + run.root()
              + " at step ") + trainer.step() + " of " + total);
        } else {
          out.println("training " + gan + " on " + data.name() + " for " + total + " steps into " + run.root());
        }
        int status = loop(trainer, data, run, total, sampleEvery, checkpointEvery, keep, logEvery, progressBar,
            warnPatience, event);
        if (status != DIVERGED) {
          return status;
        }
        long divergedAt = trainer.step();
        Optional<Path> good = Checkpoints.latestValid(run.checkpoints(), gan, skipped -> { });
        if (!rollback || rollbacks >= maxRollbacks || good.isEmpty()) {
          err.println("gan4j: " + (rollback ? good.isEmpty() ? "no checkpoint to roll back to; "
              : "gave up after " + rollbacks + " rollbacks; " : "") + "stopping. Lower --lr and start a new run"
              + (rollback ? "" : ", or use --on-divergence rollback") + ".");
          return 1;
        }
        rollbacks++;
        restoreFrom = good.get();
        for (String key : List.of("d-lr", "g-lr")) {
          config.put(key, String.valueOf(Float.parseFloat(config.get(key)) * lrFactor));
        }
        config.put("rollbacks", String.valueOf(rollbacks));
        run.writeConfig(toProperties(config));
        event = String.format(Locale.ROOT, "{\"step\":%d,\"event\":\"rollback\",\"diverged_at\":%d,"
            + "\"d_lr\":%s,\"g_lr\":%s}", Checkpoints.stepOf(restoreFrom), divergedAt, config.get("d-lr"),
            config.get("g-lr"));
        err.println("gan4j: rolling back to " + restoreFrom.getFileName() + " with learning rates D "
            + config.get("d-lr") + ", G " + config.get("g-lr") + " (rollback " + rollbacks + " of " + maxRollbacks
            + ")");
      }
    }
  }

  static final int DIVERGED = -1;

  private int loop(Trainer trainer, Dataset data, RunDirectory run, long total, int sampleEvery,
      int checkpointEvery, int keep, int logEvery, boolean progressBar, int warnPatience, String startEvent)
      throws IOException {
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.set(true);
      try {
        stopped.await(120, TimeUnit.SECONDS);   // let the loop save its checkpoint first
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "gan4j-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
    Progress progress = new Progress(out, progressBar, total, trainer.step());
    long lastCheckpoint = trainer.step();
    try (BufferedWriter metrics = run.openMetrics(trainer.step())) {
      if (startEvent != null) {
        metrics.write(startEvent);
        metrics.newLine();
      }
      List<String> warnings = new java.util.ArrayList<>();
      TrainingListener watch = Listeners.failureWarnings(warnings::add, warnPatience, sampleEvery);
      while (trainer.step() < total && !stop.get()) {
        StepMetrics m = trainer.step(data);
        progress.step(m);
        if (!m.finite()) {
          metrics.write(RunDirectory.json(m, progress.stepsPerSecond()));
          metrics.newLine();
          progress.end();
          err.println("gan4j: training diverged at step " + m.step() + " (d_loss " + m.dLoss() + ", g_loss "
              + m.gLoss() + (m.weightsFinite() ? "" : ", a weight is no longer a finite number")
              + "); " + (lastCheckpoint > 0 ? "the last checkpoint is step " + lastCheckpoint : "no checkpoint yet")
              + ".");
          return DIVERGED;
        }
        watch.onStep(trainer, m);
        for (String w : warnings) {
          progress.end();
          err.println("gan4j: warning: " + w);
          metrics.write(String.format(Locale.ROOT, "{\"step\":%d,\"warning\":\"%s\"}", m.step(),
              w.replace("\\", "\\\\").replace("\"", "\\\"")));
          metrics.newLine();
        }
        warnings.clear();
        if (m.step() % logEvery == 0 || m.step() == total) {
          metrics.write(RunDirectory.json(m, progress.stepsPerSecond()));
          metrics.newLine();
          metrics.flush();
          progress.log(m);
        }
        if (m.step() % sampleEvery == 0 || m.step() == total) {
          Listeners.writeGrid(trainer, run.sample(m.step()), 5);
        }
        if (m.step() % checkpointEvery == 0) {
          Checkpoints.save(trainer, run.checkpoints(), keep);
          lastCheckpoint = m.step();
        }
      }
      progress.end();
      if (trainer.step() != lastCheckpoint) {
        Checkpoints.save(trainer, run.checkpoints(), keep);
      }
      if (stop.get()) {
        out.println("stopped at step " + trainer.step() + "; checkpoint saved. Continue with the same command"
            + " plus --resume.");
        return 130;
      }
      Path tmp = run.root().resolve("generator.tmp");
      RunDirectory.deleteRecursively(tmp);
      trainer.exportGenerator(tmp);
      RunDirectory.deleteRecursively(run.generator());
      Files.move(tmp, run.generator());
      out.println("done: " + trainer.step() + " steps; samples in " + run.samples() + ", generator in "
          + run.generator());
      return 0;
    } finally {
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it returns now that the checkpoint is saved
      }
    }
  }

  private Map<String, String> resolveConfig(Args args, String dataset, RunDirectory run) throws IOException {
    Map<String, String> given = new LinkedHashMap<>();
    given.put("dataset", dataset);
    given.put("image-size", args.string("image-size", dataset.equals("folder") ? "32x32x3" : null));
    given.put("batch-size", String.valueOf(args.positiveInt("batch-size", 32)));
    given.put("seed", String.valueOf(args.anyLong("seed", 0)));
    float lr = args.positiveFloat("lr", 0.001f);
    given.put("d-lr", String.valueOf(args.positiveFloat("d-lr", lr)));
    given.put("g-lr", String.valueOf(args.positiveFloat("g-lr", lr)));
    given.put("beta1", String.valueOf(args.unitFloat("beta1", 0.9f)));
    given.put("loss", args.choice("loss", "non-saturating", List.of("non-saturating", "minimax", "lsgan", "hinge", "wasserstein")));
    given.put("d-update", args.choice("d-update", "separate", List.of("separate", "combined")));
    int dSteps = args.positiveInt("d-steps", 1);
    if (dSteps > 31) {
      throw new UsageException("option --d-steps must be at most 31, got " + dSteps);
    }
    given.put("d-steps", String.valueOf(dSteps));
    given.put("fake-batches", args.choice("fake-batches", "inference", List.of("inference", "training")));
    given.put("threads", String.valueOf(args.anyLong("threads", 0)));
    given.put("precision", args.choice("precision", "fp32", List.of("fp32", "bf16")));
    if (Long.parseLong(given.get("threads")) < 0) {
      throw new UsageException("option --threads must not be negative");
    }
    if (dataset.equals("folder")) {
      DataSources.parseSize(given.get("image-size"));
    } else if (args.has("image-size")) {
      throw new UsageException("--image-size is only for --dataset folder; " + dataset + " has a fixed shape");
    }
    if (!args.flag("resume") || !run.hasConfig()) {
      given.values().removeIf(v -> v == null);
      return given;
    }
    Properties saved = run.readConfig();
    Map<String, String> config = new LinkedHashMap<>();
    for (String key : RUN_KEYS) {
      String was = saved.getProperty(key);
      boolean explicit = args.has(key) || (key.endsWith("-lr") && args.has("lr")) || key.equals("dataset") && args.has("dataset");
      if (explicit && given.get(key) != null && was != null && !given.get(key).equals(was)) {
        throw new UsageException("--" + key + " " + given.get(key) + " differs from this run's " + was + " ("
            + run.root().resolve(RunDirectory.CONFIG) + "); drop it to resume, or start a new run with another --out");
      }
      if (was != null) {
        config.put(key, was);
      }
    }
    return config;
  }

  private static Trainer trainer(Gan gan, Map<String, String> c) {
    float beta1 = Float.parseFloat(c.get("beta1"));
    return Trainer.of(gan)
        .batchSize(Integer.parseInt(c.get("batch-size")))
        .seed(Long.parseLong(c.get("seed")))
        .discriminatorOptimizer(Optimizer.adam().learningRate(Float.parseFloat(c.get("d-lr"))).beta1(beta1))
        .generatorOptimizer(Optimizer.adam().learningRate(Float.parseFloat(c.get("g-lr"))).beta1(beta1))
        .loss(GanLoss.parse(c.get("loss")))
        .discriminatorUpdate(c.get("d-update").equals("combined")
            ? DiscriminatorUpdate.COMBINED_BATCH : DiscriminatorUpdate.SEPARATE_BATCHES)
        .discriminatorSteps(Integer.parseInt(c.get("d-steps")))
        .fakeBatches(c.get("fake-batches").equals("training") ? FakeBatches.TRAINING_MODE : FakeBatches.INFERENCE_MODE)
        .threads(Integer.parseInt(c.get("threads")), 0)
        .precision("bf16".equals(c.get("precision")) ? Precision.MIXED_BFLOAT16 : Precision.FLOAT32)
        .build();
  }

  private static Properties toProperties(Map<String, String> config) {
    Properties p = new Properties();
    config.forEach(p::setProperty);
    return p;
  }

  /** Progress bar on a terminal, periodic lines otherwise. */
  static final class Progress {
    private final PrintStream out;
    private final boolean bar;
    private final long total;
    private final long start;
    private double rate = Double.NaN;
    private long lastDraw;
    private StepMetrics last;

    Progress(PrintStream out, boolean bar, long total, long start) {
      this.out = out;
      this.bar = bar;
      this.total = total;
      this.start = start;
    }

    void step(StepMetrics m) {
      double r = m.stepsPerSecond();
      rate = Double.isNaN(rate) || m.step() - start < 3 ? r : 0.95 * rate + 0.05 * r;
      last = m;
      long now = System.nanoTime();
      if (bar && (now - lastDraw > 200_000_000L || m.step() == total)) {
        lastDraw = now;
        int width = 30;
        int filled = (int) (width * m.step() / Math.max(1, total));
        out.print(String.format(Locale.ROOT, "\r[%s%s] %d/%d  %.2f steps/s  d_loss %.3f  g_loss %.3f  ETA %s ",
            "#".repeat(filled), ".".repeat(width - filled), m.step(), total, rate, m.dLoss(), m.gLoss(),
            eta((total - m.step()) / rate)));
        out.flush();
      }
    }

    double stepsPerSecond() {
      return rate;
    }

    void log(StepMetrics m) {
      if (!bar) {
        out.println(Listeners.format(m).replaceFirst("[0-9.]+ steps/s$",
            String.format(Locale.ROOT, "%.2f steps/s  ETA %s", rate, eta((total - m.step()) / rate))));
      }
    }

    void end() {
      if (bar && last != null) {
        out.println();
      }
    }

    static String eta(double seconds) {
      if (!Double.isFinite(seconds)) {
        return "--:--:--";
      }
      long s = Math.round(seconds);
      return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
  }
}
