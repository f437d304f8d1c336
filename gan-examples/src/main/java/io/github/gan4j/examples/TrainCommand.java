package io.github.gan4j.examples;

import io.github.gan4j.Gan;
import io.github.gan4j.data.BatchSchedule;
import io.github.gan4j.data.Dataset;
import io.github.gan4j.layers.Shape;
import io.github.gan4j.eval.Evaluations;
import io.github.gan4j.eval.Evaluator;
import io.github.gan4j.eval.Reference;
import io.github.gan4j.recipe.ClusterSpec;
import io.github.gan4j.recipe.Precision;
import io.github.gan4j.recipe.PrecisionInEffect;
import io.github.gan4j.train.Checkpoints;
import io.github.gan4j.train.FitResult;
import io.github.gan4j.train.LocalWorkers;
import io.github.gan4j.train.Listeners;
import io.github.gan4j.train.Steps;
import io.github.gan4j.train.TensorBoard;
import io.github.gan4j.train.TrainingListener;
import io.github.gan4j.train.Trainer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** {@code train}: trains the default model of a dataset into a run directory, resumable. */
@Command(name = "train", abbreviateSynopsis = true, sortOptions = false,
    description = "Trains the default DCGAN of a dataset (default CIFAR-10) into a run directory.",
    footer = {"%nThe defaults reproduce the Keras CIFAR-10 DCGAN tutorial. The DCGAN paper's Adam settings:",
        "--lr 2e-4 --beta1 0.5; WGAN-GP's: --loss wasserstein --gp 10 --d-steps 5 --lr 1e-4 --beta1 0",
        "--beta2 0.9."})
final class TrainCommand implements Callable<Integer> {
  /** Where the data is, how long to train, what to write. */
  static final class Output {
    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "where the data is; cifar10 downloads into ~/.gan4j/datasets/cifar10 without it")
    Path dataDir;

    @Option(names = "--steps", paramLabel = "N", converter = OptionTypes.PositiveLong.class,
        description = "total steps of the run (default 10000), or")
    Long steps;

    @Option(names = "--epochs", paramLabel = "N", converter = OptionTypes.PositiveLong.class,
        description = "total epochs of the run")
    Long epochs;

    @Option(names = "--minutes", paramLabel = "M", converter = OptionTypes.PositiveFloat.class,
        description = {"total training time of the run in minutes: the steps' own time,",
            "without start-up, sample grids, evaluation or checkpoints; --steps",
            "or --epochs, if given, bound it"})
    Float minutes;

    @Option(names = "--preset", paramLabel = "PRESET", completionCandidates = Presets.Names.class,
        description = {"${COMPLETION-CANDIDATES}: a set of the run options below", "(options given here win)"})
    String preset;

    @Option(names = "--out", paramLabel = "RUN_DIR", description = "run directory (default runs/DATASET)")
    Path out;

    @Option(names = "--resume", description = "continue the run in RUN_DIR from its latest checkpoint")
    boolean resume;

    @Option(names = "--sample-every", paramLabel = "N", defaultValue = "1000",
        converter = OptionTypes.PositiveInt.class, description = "5x5 sample grid every N steps (default ${DEFAULT-VALUE})")
    int sampleEvery;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "1000",
        converter = OptionTypes.PositiveInt.class, description = "checkpoint every N steps (default ${DEFAULT-VALUE})")
    int checkpointEvery;

    @Option(names = "--keep-checkpoints", paramLabel = "K", defaultValue = "3",
        converter = OptionTypes.PositiveInt.class, description = "checkpoints kept (default ${DEFAULT-VALUE})")
    int keepCheckpoints;

    @Option(names = "--log-every", paramLabel = "N", defaultValue = "100", converter = OptionTypes.PositiveInt.class,
        description = "metrics line every N steps (default ${DEFAULT-VALUE})")
    int logEvery;

    @Option(names = "--no-progress", description = "plain log lines even on a terminal")
    boolean noProgress;

    @Option(names = "--no-tensorboard", description = "no TensorBoard event files (default: RUN_DIR/tensorboard)")
    boolean noTensorBoard;

    @Option(names = "--eval-every", paramLabel = "N", converter = OptionTypes.PositiveInt.class,
        description = {"evaluate every N steps against the test split (FD, KID, precision,",
            "recall...): into metrics.jsonl, the log and TensorBoard (see evaluate)"})
    Integer evalEvery;

    @Option(names = "--eval-count", paramLabel = "N", defaultValue = "10000", converter = OptionTypes.PositiveInt.class,
        description = "samples per evaluation (default ${DEFAULT-VALUE})")
    int evalCount;
  }

  /** What to do when training goes wrong. */
  static final class Recovery {
    @Option(names = "--on-divergence", paramLabel = "ACTION", defaultValue = "stop",
        converter = OnDivergence.class, completionCandidates = OnDivergence.class,
        description = {"non-finite loss or weight: stop (default), or rollback to the last",
            "good checkpoint with lower learning rates"})
    DivergenceAction onDivergence;

    @Option(names = "--max-rollbacks", paramLabel = "N", defaultValue = "3",
        converter = OptionTypes.NonNegativeInt.class, description = "(default ${DEFAULT-VALUE})")
    int maxRollbacks;

    @Option(names = "--rollback-lr-factor", paramLabel = "F", defaultValue = "0.5",
        converter = OptionTypes.PositiveFloat.class,
        description = "learning rates are multiplied by F at each rollback (default ${DEFAULT-VALUE})")
    float rollbackLrFactor;

    @Option(names = "--warn-patience", paramLabel = "N", defaultValue = "500",
        converter = OptionTypes.PositiveInt.class,
        description = {"warn when D(G(z)) < 0.01 for N steps (default ${DEFAULT-VALUE});",
            "mode collapse is checked at every sample grid"})
    int warnPatience;
  }

  /** Data-parallel training across processes (README, Distributed training). */
  static final class Distributed {
    @Option(names = "--workers", paramLabel = "H:P,...",
        description = {"the workers of a data-parallel run, this process among them (or TF_CONFIG);",
            "--batch-size is the global batch, split among them"})
    String workers;

    @Option(names = "--task", paramLabel = "I", converter = OptionTypes.NonNegativeInt.class,
        description = "this process's index in --workers (worker 0 writes the run directory)")
    Integer task;

    @Option(names = "--local-workers", paramLabel = "N", converter = OptionTypes.PositiveInt.class,
        description = "run as N worker processes on 127.0.0.1 (one big machine, or a test)")
    Integer localWorkers;
  }

  /** What {@code train} does when a step's loss or a weight is not a finite number. */
  enum DivergenceAction { STOP, ROLLBACK }

  /** {@code --on-divergence}: stop or rollback. */
  static final class OnDivergence extends OptionTypes.Choice<DivergenceAction> {
    OnDivergence() {
      super(List.of(DivergenceAction.values()), a -> a.name().toLowerCase(Locale.ROOT));
    }
  }

  @ArgGroup(validate = false, order = 1, heading = "%ndata, length and output:%n")
  Output output = new Output();

  @ArgGroup(validate = false, order = 2, heading = "%nthe run, recorded in config.properties and kept by --resume:%n")
  RunOptions options = new RunOptions();

  @ArgGroup(validate = false, order = 3, heading = "%nwhen training goes wrong:%n")
  Recovery recovery = new Recovery();

  @ArgGroup(validate = false, order = 4, heading = "%nacross processes (README: Distributed training):%n")
  Distributed distributed = new Distributed();

  /** Whether this process writes the run directory: the only one, or worker 0 of a cluster. */
  private boolean chief = true;

  @Mixin
  Main.HelpOption help;

  @Spec
  CommandSpec spec;

  private final PrintStream out;
  private final PrintStream err;
  private final boolean interactive;

  TrainCommand(PrintStream out, PrintStream err, boolean interactive) {
    this.out = out;
    this.err = err;
    this.interactive = interactive;
  }

  @Override
  public Integer call() throws IOException {
    if (output.steps != null && output.epochs != null) {
      throw new UsageException("give --steps or --epochs, not both");
    }
    if (distributed.localWorkers != null) {
      return startLocalWorkers();
    }
    Optional<ClusterSpec> cluster = cluster();
    chief = cluster.map(ClusterSpec::isChief).orElse(true);
    RunDirectory run = new RunDirectory(output.out != null ? output.out : Path.of("runs", options.dataset.toString()));
    RunConfig config = options.config();
    if (output.resume && run.hasConfig()) {
      config = saved(run, config);
    }
    Shape shape = config.imageShape();
    Gan gan = config.spectralNorm().apply(DataSources.defaultModel(config.dataset(), shape, config.init(),
        config.conditional()));

    boolean resume = output.resume;
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

    int sampleEvery = output.sampleEvery;
    int checkpointEvery = output.checkpointEvery;
    int keep = output.keepCheckpoints;
    int logEvery = output.logEvery;
    boolean progressBar = interactive && !output.noProgress;

    Dataset data = DataSources.load(config.dataset(), output.dataDir, shape, out, interactive);
    long stepsPerEpoch = new BatchSchedule(data.size(), config.batchSize(), 0).batchesPerEpoch() / config.dSteps();
    long total = output.epochs != null ? output.epochs * Math.max(1, stepsPerEpoch)
        : output.steps != null ? output.steps : output.minutes != null ? Long.MAX_VALUE : 10_000;
    Duration budget = output.minutes == null ? null : Duration.ofNanos(Math.round(output.minutes * 60e9));
    Steps length = budget == null ? Steps.until(total) : Steps.until(total).orTrainingTime(budget);
    // config.properties: the configuration, and facts of the run that are not options
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("total-steps", total == Long.MAX_VALUE ? "unbounded" : String.valueOf(total));
    if (output.minutes != null) {
      facts.put("training-minutes", String.valueOf(output.minutes));
    }
    if (output.preset != null) {
      facts.put("preset", output.preset);
    }
    facts.put("model.fingerprint", gan.fingerprint());
    writeConfig(run, config, facts);

    boolean rollback = recovery.onDivergence == DivergenceAction.ROLLBACK;
    int maxRollbacks = recovery.maxRollbacks;
    float lrFactor = recovery.rollbackLrFactor;
    int warnPatience = recovery.warnPatience;
    Path restoreFrom = checkpoint.orElse(null);
    String event = null;
    int rollbacks = 0;
    // fit runs the steps; this loop only starts a new trainer after a rollback
    if (output.evalEvery != null && (output.evalCount <= Evaluator.NEIGHBOURS
        || output.evalCount > EvaluateCommand.MAX_COUNT)) {
      throw new UsageException("option --eval-count must be between " + (Evaluator.NEIGHBOURS + 1) + " and "
          + EvaluateCommand.MAX_COUNT + ", got " + output.evalCount);
    }
    Evaluator evaluator = null;
    Reference reference = null;
    if (output.evalEvery != null && chief) {
      Dataset test = DataSources.load(config.dataset(), output.dataDir, shape, out, interactive, true);
      if (!test.hasLabels()) {
        throw new UsageException("--eval-every needs labelled images to train the evaluator's classifier on; "
            + config.dataset() + " has none here. Evaluate with evaluate --feature-model instead");
      }
      evaluator = Evaluator.classifier(config.dataset().toString(), data, test).build();
      reference = evaluator.reference(test, Math.min(output.evalCount, test.size()), 0L);
      out.println(String.format(Locale.ROOT, "evaluating every %d steps with %s (test accuracy %.2f%%)",
          output.evalEvery, evaluator.id(), 100 * evaluator.accuracy()));
    }
    try (Evaluator closeEvaluator = evaluator;
        Interrupt interrupt = Interrupt.install();
        TensorBoard board = output.noTensorBoard || !chief ? null : TensorBoard.open(run.root().resolve("tensorboard"),
            TensorBoard.Options.defaults().imagesEvery(sampleEvery).histogramsEvery(sampleEvery))) {
      while (true) {
        Trainer.Builder builder = config.trainer(gan);
        cluster.ifPresent(builder::cluster);
        try (Trainer trainer = builder.build()) {
          // decided by the machine this trainer runs on, so written again at every start
          PrecisionInEffect precision = trainer.precisionInEffect();
          facts.put(RunConfig.PRECISION_IN_EFFECT, precision.precision().shortName());
          writeConfig(run, config, facts);
          if (restoreFrom != null) {
            trainer.restore(restoreFrom);
            out.println((event != null ? "rolled back " + run.root() + " to step " : "resumed " + run.root()
                + " at step ") + trainer.stepCount() + " of " + describe(total, budget) + " (" + minutes(trainer)
                + " of training so far)");
          } else {
            out.println("training " + gan + " on " + data.name() + " for " + describe(total, budget) + " into "
                + run.root());
          }
          interrupt.watch(trainer);
          RunListeners.Progress progress = new RunListeners.Progress(out, progressBar, total, logEvery, budget);
          RunListeners.Divergence divergence = new RunListeners.Divergence(err, progress, run);
          FitResult result;
          try (BufferedWriter metrics = chief ? run.openMetrics(trainer.stepCount())
              : new BufferedWriter(java.io.Writer.nullWriter())) {
            if (event != null) {
              RunListeners.line(metrics, event);
            }
            if (precision.requested() != Precision.FLOAT32) {   // float32 is the default: nothing to record
              RunListeners.line(metrics, String.format(Locale.ROOT, "{\"step\":%d,\"event\":\"precision\","
                  + "\"precision\":\"%s\",\"precision_in_effect\":\"%s\",\"reason\":\"%s\"}", trainer.stepCount(),
                  precision.requested().shortName(), precision.precision().shortName(),
                  precision.reason().replace("\\", "\\\\").replace("\"", "\\\"")));
            }
            List<TrainingListener> listeners = new ArrayList<>(List.of(
                progress,
                divergence,
                RunListeners.warnings(err, metrics, progress, warnPatience, sampleEvery),
                Listeners.jsonLines(metrics, logEvery),
                chief ? RunListeners.samples(run, sampleEvery, total) : (t, m) -> { },
                Listeners.checkpoints(run.checkpoints(), checkpointEvery, keep)));
            if (board != null) {
              listeners.add(board.listener());
            }
            if (closeEvaluator != null && chief) {
              listeners.add(Evaluations.every(closeEvaluator, reference, output.evalEvery, output.evalCount, 0L,
                  (e, step) -> {
                    String json = e.toJson();
                    RunListeners.line(metrics, "{\"step\":" + step + ",\"event\":\"evaluation\","
                        + json.substring(1));
                    progress.endLine();
                    out.println(String.format(Locale.ROOT, "step %d  FD %.3f  KID %.5f  precision %.3f  recall %.3f"
                        + "  class entropy %.3f bits  (%d samples, %.1f s)", step, e.frechetDistance(), e.kidMean(),
                        e.precision(), e.recall(), e.classEntropy(), e.protocol().samples(),
                        e.elapsed().toNanos() / 1e9));
                    if (board != null) {
                      Map<String, Double> scalars = new LinkedHashMap<>();
                      scalars.put("eval/fd", e.frechetDistance());
                      scalars.put("eval/kid", e.kidMean());
                      scalars.put("eval/precision", e.precision());
                      scalars.put("eval/recall", e.recall());
                      scalars.put("eval/classifier_score", e.classifierScore());
                      scalars.put("eval/class_entropy", e.classEntropy());
                      scalars.put("eval/class_coverage", e.classCoverage());
                      board.scalars(step, scalars);
                    }
                  }));
            }
            result = trainer.fit(data, length, listeners.toArray(TrainingListener[]::new));
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
          config = config.withLearningRates(config.dLr() * lrFactor, config.gLr() * lrFactor);
          facts.put("rollbacks", String.valueOf(rollbacks));
          writeConfig(run, config, facts);
          event = String.format(Locale.ROOT, "{\"step\":%d,\"event\":\"rollback\",\"diverged_at\":%d,"
              + "\"d_lr\":%s,\"g_lr\":%s}", Checkpoints.stepOf(restoreFrom), divergedAt, config.dLr(), config.gLr());
          err.println("gan4j: rolling back to " + restoreFrom.getFileName() + " with learning rates D "
              + config.dLr() + ", G " + config.gLr() + " (rollback " + rollbacks + " of " + maxRollbacks + ")");
        }
      }
    }
  }

  private Optional<ClusterSpec> cluster() {
    if (distributed.workers == null) {
      if (distributed.task != null) {
        throw new UsageException("--task needs --workers");
      }
      try {
        return ClusterSpec.fromEnvironment();
      } catch (IllegalArgumentException e) {
        throw new UsageException("TF_CONFIG: " + e.getMessage());
      }
    }
    if (distributed.task == null) {
      throw new UsageException("--workers needs --task: this process's index in the list");
    }
    try {
      return Optional.of(ClusterSpec.of(List.of(distributed.workers.split(",")), distributed.task));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--workers/--task: " + e.getMessage());
    }
  }

  /** {@code --local-workers N}: the same command as N workers on 127.0.0.1; their first failure's status. */
  private int startLocalWorkers() throws IOException {
    if (distributed.workers != null || distributed.task != null) {
      throw new UsageException("--local-workers starts its own workers; drop --workers and --task");
    }
    List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--local-workers")) {
        args.remove(i + 1);
        args.remove(i);
        break;
      } else if (args.get(i).startsWith("--local-workers=")) {
        args.remove(i);
        break;
      }
    }
    if (args.isEmpty() || !args.get(0).equals("train")) {
      args.add(0, "train");
    }
    try {
      return LocalWorkers.run(distributed.localWorkers, LocalWorkers.javaCommand(Main.class, args), out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  /**
   * The configuration saved in {@code run}, read back through {@link RunOptions}'s converters;
   * an option given on this command line must agree with it.
   *
   * @throws UsageException for an option given with another value, or one the run did not have
   */
  private RunConfig saved(RunDirectory run, RunConfig given) throws IOException {
    Path file = run.root().resolve(RunDirectory.CONFIG);
    RunConfig saved = RunConfig.read(run.readConfig(), file);
    Map<String, String> was = saved.values();
    ParseResult parsed = spec.commandLine().getParseResult();
    for (Map.Entry<String, String> option : given.values().entrySet()) {
      String key = option.getKey();
      boolean explicit = parsed.hasMatchedOption("--" + key) || key.endsWith("-lr") && parsed.hasMatchedOption("--lr");
      if (explicit && !was.containsKey(key)) {
        throw new UsageException("--" + key + " was not part of this run (" + file + "); drop it to resume, or start"
            + " a new run with another --out");
      }
      if (explicit && !option.getValue().equals(was.get(key))) {
        throw new UsageException("--" + key + " " + option.getValue() + " differs from this run's " + was.get(key)
            + " (" + file + "); drop it to resume, or start a new run with another --out");
      }
    }
    return saved;
  }

  private static String describe(long total, Duration budget) {
    String steps = total == Long.MAX_VALUE ? null : total + " steps";
    if (budget == null) {
      return steps;
    }
    String time = new java.math.BigDecimal(budget.toNanos() / 60e9).round(new java.math.MathContext(4))
        .stripTrailingZeros().toPlainString() + " minutes of training";
    return steps == null ? time : steps + " or " + time + ", whichever ends first";
  }

  private static String minutes(Trainer trainer) {
    return String.format(Locale.ROOT, "%.2f min", trainer.trainingTime().toNanos() / 60e9);
  }

  private void writeConfig(RunDirectory run, RunConfig config, Map<String, String> facts) throws IOException {
    if (!chief) {
      return;   // worker 0 writes the run directory
    }
    Properties p = config.toProperties();
    facts.forEach(p::setProperty);
    run.writeConfig(p);
  }

  /** After a fit that did not diverge: the checkpoint is saved; export the generator unless stopped early. */
  private int finish(Trainer trainer, FitResult result, RunDirectory run) throws IOException {
    boolean outOfTime = result.reason() == FitResult.Reason.TRAINING_TIME_REACHED;
    if (!result.completed() && !outOfTime) {
      out.println("stopped at step " + trainer.stepCount() + "; checkpoint saved. Continue with the same command"
          + " plus --resume.");
      return 130;
    }
    if (!chief) {
      out.println("done: " + trainer.stepCount() + " steps (worker 0 exports the generator)");
      return 0;
    }
    Path tmp = run.root().resolve("generator.tmp");
    RunDirectory.deleteRecursively(tmp);
    trainer.exportGenerator(tmp);
    RunDirectory.deleteRecursively(run.generator());
    Files.move(tmp, run.generator());
    out.println("done: " + trainer.stepCount() + " steps" + (outOfTime ? " (the training-time budget, "
        + minutes(trainer) + ", is used up; a larger --minutes with --resume continues)" : "") + "; samples in "
        + run.samples() + ", generator in " + run.generator());
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
