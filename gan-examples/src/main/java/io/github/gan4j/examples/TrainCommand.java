package io.github.gan4j.examples;

import io.github.gan4j.Gan;
import io.github.gan4j.data.BatchSchedule;
import io.github.gan4j.data.Dataset;
import io.github.gan4j.layers.Shape;
import io.github.gan4j.recipe.Precision;
import io.github.gan4j.recipe.PrecisionInEffect;
import io.github.gan4j.train.Checkpoints;
import io.github.gan4j.train.FitResult;
import io.github.gan4j.train.Listeners;
import io.github.gan4j.train.Steps;
import io.github.gan4j.train.Trainer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
      "  --beta2 B               Adam beta2 (default 0.999; WGAN-GP uses 0.9)",
      "  --loss non-saturating|minimax|lsgan|hinge|wasserstein (default non-saturating)",
      "  --label-smoothing S     one-sided: D's target on real images is 1 - S (cross-entropy losses; e.g. 0.1)",
      "  --gp LAMBDA             WGAN-GP gradient penalty (10 is usual; D without ReLU/tanh/sigmoid/BatchNorm)",
      "  --r1 GAMMA, --r2 GAMMA  R1 penalty on real images, R2 on fakes",
      "  --penalty-every N       lazy penalties: every N steps, scaled by N (default 1)",
      "  --clip-weights C        clip D's weights to [-C, C] after each update (the original WGAN)",
      "  --lr-schedule S         constant (default), linear:STEPS[:FLOOR], cosine:STEPS[:FLOOR],",
      "                          step:EVERY:FACTOR, each optionally followed by ,warmup:STEPS",
      "  --init I                kernel initializer: glorot (default), he, normal:STD (DCGAN: normal:0.02)",
      "  --d-update separate|combined                     (default separate: real, then fake)",
      "  --d-steps K             discriminator updates per generator update (default 1)",
      "  --fake-batches inference|training                generator BatchNorm mode for D's fakes (default inference)",
      "  --threads N             TensorFlow intra-op threads (default 0: all cores)",
      "  --precision fp32|bf16   bf16: oneDNN bfloat16 mixed precision, faster on AVX512_BF16 CPUs (default fp32);",
      "                          elsewhere float32, with a warning; config.properties records precision.in-effect",
      "when training goes wrong:",
      "  --on-divergence stop|rollback                    non-finite loss or weight: stop (default), or",
      "                          roll back to the last good checkpoint with lower learning rates",
      "  --max-rollbacks N       (default 3)",
      "  --rollback-lr-factor F  learning rates are multiplied by F at each rollback (default 0.5)",
      "  --warn-patience N       warn when D(G(z)) < 0.01 for N steps (default 500); mode collapse is",
      "                          checked at every sample grid");

  static final Set<String> VALUED = Set.of("dataset", "data-dir", "image-size", "steps", "epochs", "out",
      "sample-every", "checkpoint-every", "keep-checkpoints", "log-every", "batch-size", "seed", "lr", "d-lr",
      "g-lr", "beta1", "beta2", "loss", "label-smoothing", "gp", "r1", "r2", "penalty-every", "lr-schedule", "init",
      "clip-weights", "d-update", "d-steps", "fake-batches", "threads", "precision", "on-divergence", "max-rollbacks",
      "rollback-lr-factor", "warn-patience");
  static final Set<String> FLAGS = Set.of("resume", "no-progress");

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
    Map<String, String> config = RunConfig.fromArgs(args, dataset, run);
    Shape shape = DataSources.shapeOf(config.get("dataset"), config.get("image-size"));
    Gan gan = DataSources.defaultModel(shape, RunConfig.initializer(config));

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
    run.writeConfig(RunConfig.toProperties(config));

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
    // fit runs the steps; this loop only starts a new trainer after a rollback
    try (Interrupt interrupt = Interrupt.install()) {
      while (true) {
        try (Trainer trainer = RunConfig.trainer(gan, config).build()) {
          // decided by the machine this trainer runs on, so written again at every start
          PrecisionInEffect precision = trainer.precisionInEffect();
          config.put(RunConfig.PRECISION_IN_EFFECT, precision.precision().shortName());
          run.writeConfig(RunConfig.toProperties(config));
          if (restoreFrom != null) {
            trainer.restore(restoreFrom);
            out.println((event != null ? "rolled back " + run.root() + " to step " : "resumed " + run.root()
                + " at step ") + trainer.stepCount() + " of " + total);
          } else {
            out.println("training " + gan + " on " + data.name() + " for " + total + " steps into " + run.root());
          }
          interrupt.watch(trainer);
          RunListeners.Progress progress = new RunListeners.Progress(out, progressBar, total, logEvery);
          RunListeners.Divergence divergence = new RunListeners.Divergence(err, progress, run);
          FitResult result;
          try (BufferedWriter metrics = run.openMetrics(trainer.stepCount())) {
            if (event != null) {
              RunListeners.line(metrics, event);
            }
            if (precision.requested() != Precision.FLOAT32) {   // float32 is the default: nothing to record
              RunListeners.line(metrics, String.format(Locale.ROOT, "{\"step\":%d,\"event\":\"precision\","
                  + "\"precision\":\"%s\",\"precision_in_effect\":\"%s\",\"reason\":\"%s\"}", trainer.stepCount(),
                  precision.requested().shortName(), precision.precision().shortName(),
                  precision.reason().replace("\\", "\\\\").replace("\"", "\\\"")));
            }
            result = trainer.fit(data, Steps.until(total),
                progress,
                divergence,
                RunListeners.warnings(err, metrics, progress, warnPatience, sampleEvery),
                Listeners.jsonLines(metrics, logEvery),
                RunListeners.samples(run, sampleEvery, total),
                Listeners.checkpoints(run.checkpoints(), checkpointEvery, keep));
          }
          if (divergence.divergedAt().isEmpty()) {
            return finish(trainer, result, run);
          }
          long divergedAt = divergence.divergedAt().getAsLong();
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
          run.writeConfig(RunConfig.toProperties(config));
          event = String.format(Locale.ROOT, "{\"step\":%d,\"event\":\"rollback\",\"diverged_at\":%d,"
              + "\"d_lr\":%s,\"g_lr\":%s}", Checkpoints.stepOf(restoreFrom), divergedAt, config.get("d-lr"),
              config.get("g-lr"));
          err.println("gan4j: rolling back to " + restoreFrom.getFileName() + " with learning rates D "
              + config.get("d-lr") + ", G " + config.get("g-lr") + " (rollback " + rollbacks + " of " + maxRollbacks
              + ")");
        }
      }
    }
  }

  /** After a fit that did not diverge: the checkpoint is saved; export the generator unless stopped early. */
  private int finish(Trainer trainer, FitResult result, RunDirectory run) throws IOException {
    if (!result.completed()) {
      out.println("stopped at step " + trainer.stepCount() + "; checkpoint saved. Continue with the same command"
          + " plus --resume.");
      return 130;
    }
    Path tmp = run.root().resolve("generator.tmp");
    RunDirectory.deleteRecursively(tmp);
    trainer.exportGenerator(tmp);
    RunDirectory.deleteRecursively(run.generator());
    Files.move(tmp, run.generator());
    out.println("done: " + trainer.stepCount() + " steps; samples in " + run.samples() + ", generator in "
        + run.generator());
    return 0;
  }

  /**
   * Ctrl-C (SIGINT) or SIGTERM while training: the shutdown hook asks the current trainer to
   * stop, then holds the JVM's exit until {@link #close()}, so that {@code fit} finishes its
   * step, the checkpoint listener saves, and the command says so.
   */
  static final class Interrupt implements AutoCloseable {
    private final AtomicBoolean requested = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread hook;
    private volatile Trainer trainer;

    private Interrupt() {
      hook = new Thread(() -> {
        requested.set(true);
        Trainer t = trainer;
        if (t != null) {
          t.requestStop();
        }
        try {
          closed.await(120, TimeUnit.SECONDS);   // let the command save its checkpoint first
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "gan4j-interrupt");
    }

    static Interrupt install() {
      Interrupt i = new Interrupt();
      Runtime.getRuntime().addShutdownHook(i.hook);
      return i;
    }

    /** Directs a stop request to {@code t} from now on; passes on one that came before. */
    void watch(Trainer t) {
      trainer = t;
      if (requested.get()) {
        t.requestStop();
      }
    }

    @Override
    public void close() {
      trainer = null;
      closed.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it returns now
      }
    }
  }
}
