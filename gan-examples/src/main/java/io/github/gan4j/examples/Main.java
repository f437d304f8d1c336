package io.github.gan4j.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.RunLast;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The command line of {@code gan-examples.jar}: {@code train}, {@code generate},
 * {@code summary}, the quick start and measurements, {@code help} and {@code completion}.
 * picocli parses it; a mistake is one line {@code gan4j: ...} and the command's usage (exit
 * code 2), a failure one line (exit code 1).
 */
public final class Main {
  private Main() {}

  /** The start of every usage line. */
  static final String SYNOPSIS_HEADING = "usage: java -jar ";

  /** The name of the command that the completion script completes (an alias of {@code java -jar gan-examples.jar}). */
  static final String COMPLETION_NAME = "gan-examples";

  /** Runs the command line and exits with its status (0 ok, 1 failure, 2 usage, 130 interrupted). */
  public static void main(String[] args) {
    // gan4j's warnings (System.Logger, java.util.logging by default) as one line each: "WARNING gan4j: ..."
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s %5$s%6$s%n");
    }
    int status = run(args, System.out, System.err, System.console() != null);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs a command, printing to {@code out} and {@code err}; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err, boolean interactive) {
    CommandLine cli = commandLine(out, err, interactive);
    List<String> argList = List.of(args);
    Help.Ansi ansi = interactive ? Help.Ansi.AUTO : Help.Ansi.OFF;
    cli.setParameterExceptionHandler((e, given) -> {
      err.println("gan4j: " + message(e, argList));
      err.print(e.getCommandLine().getUsageMessage(ansi));
      return 2;
    });
    cli.setExecutionExceptionHandler((e, command, parsed) -> failed(e, command, err, ansi));
    String[] expanded;
    try {
      expanded = Presets.expand(args);
    } catch (UsageException e) {
      err.println("gan4j: " + e.getMessage());
      err.print(cli.getSubcommands().get("train").getUsageMessage(ansi));
      return 2;
    }
    int status = cli.execute(expanded);
    out.flush();
    err.flush();
    return status;
  }

  /**
   * The command tree, its output going to {@code out} and {@code err}. Every option is single:
   * one given twice is a mistake.
   */
  static CommandLine commandLine(PrintStream out, PrintStream err, boolean interactive) {
    CommandLine cli = new CommandLine(new Top(out))
        .addSubcommand(new TrainCommand(out, err, interactive))
        .addSubcommand(new GenerateCommand(out))
        .addSubcommand(new EvaluateCommand(out))
        .addSubcommand(new GridCommand(out))
        .addSubcommand(new SummaryCommand(out))
        .addSubcommand(new BenchCommand(out))
        .addSubcommand(new QuickStartCommand())
        .addSubcommand(new SoakCommand())
        .addSubcommand(new HelpCommand())
        .addSubcommand(new CompletionCommand(out));
    cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cli.setColorScheme(Help.defaultColorScheme(interactive ? Help.Ansi.AUTO : Help.Ansi.OFF));
    for (CommandLine command : cli.getSubcommands().values()) {
      command.getCommandSpec().usageMessage().synopsisHeading(SYNOPSIS_HEADING);
    }
    cli.setExpandAtFiles(false);   // an @ starts no argument file: --out @samples.png is a path
    cli.setUsageHelpWidth(100);
    cli.setUsageHelpLongOptionsMaxWidth(28);
    cli.setExecutionStrategy(parsed -> {
      givenOnce(parsed);
      return new RunLast().execute(parsed);
    });
    return cli;
  }

  /** Options in argument groups may be given twice without picocli noticing; they may not. */
  private static void givenOnce(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      for (OptionSpec o : p.matchedOptions()) {
        if (o.originalStringValues().size() > 1) {
          throw new OverwrittenOptionException(p.commandSpec().commandLine(), o, "option " + o.longestName()
              + " is given twice");
        }
      }
    }
  }

  /**
   * The one-line message of a mistake picocli found: {@code unknown option --stpes. Did you
   * mean: --steps?}, {@code option --steps must be positive, got 0}, {@code option --run is
   * required}.
   *
   * @param args the arguments that were parsed, to tell an option without its value from a
   *     required option that is missing
   */
  static String message(ParameterException e, List<String> args) {
    if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String first = u.getUnmatched().get(0);
      String what = first.startsWith("-") ? "unknown option " + first.split("=", 2)[0]
          : u.getCommandLine().getSubcommands().isEmpty() ? "unexpected argument '" + first + "'"
          : "unknown command '" + first + "'";
      return u.getSuggestions().isEmpty() ? what
          : what + ". Did you mean: " + String.join(" or ", u.getSuggestions()) + "?";
    }
    if (e instanceof MissingParameterException m && !m.getMissing().isEmpty()) {
      ArgSpec missing = m.getMissing().get(0);
      String name = name(missing);
      boolean given = missing instanceof OptionSpec o && args.stream()
          .anyMatch(a -> List.of(o.names()).contains(a.split("=", 2)[0]));
      if (given) {
        return name + " needs a value";
      }
      return m.getMissing().size() == 1 ? name + " is required" : "options " + m.getMissing().stream()
          .map(s -> s instanceof OptionSpec o ? o.longestName() : s.paramLabel()).collect(Collectors.joining(", "))
          + " are required";
    }
    if (e instanceof OverwrittenOptionException o) {
      return name(o.getOverwritten()) + " is given twice";
    }
    if (e.getCause() instanceof TypeConversionException t && e.getArgSpec() != null) {
      return name(e.getArgSpec()) + (t.getMessage().startsWith(":") ? "" : " ") + t.getMessage();
    }
    String m = String.valueOf(e.getMessage());
    return m.isEmpty() ? m : Character.toLowerCase(m.charAt(0)) + m.substring(1);
  }

  private static String name(ArgSpec spec) {
    return spec instanceof OptionSpec o ? "option " + o.longestName() : "argument " + spec.paramLabel();
  }

  /** A command that failed: a mistake found while running (exit 2), or a one-line failure (exit 1). */
  private static int failed(Exception e, CommandLine command, PrintStream err, Help.Ansi ansi) {
    if (e instanceof UsageException) {
      err.println("gan4j: " + e.getMessage());
      err.print(command.getUsageMessage(ansi));
      return 2;
    }
    if (e instanceof IOException || e instanceof UncheckedIOException || e instanceof IllegalArgumentException
        || e instanceof IllegalStateException) {
      err.println("gan4j: " + e.getMessage());
      if (System.getenv("GAN4J_DEBUG") != null) {
        e.printStackTrace(err);
      } else {
        err.println("(set GAN4J_DEBUG=1 for the stack trace)");
      }
      return 1;
    }
    err.println("gan4j: unexpected error: " + e);
    e.printStackTrace(err);
    return 1;
  }

  /** {@code -h}, {@code --help} of every command. */
  static final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;
  }

  /** The top command: without a command, its usage (exit code 2). */
  @Command(name = "gan-examples.jar", synopsisHeading = SYNOPSIS_HEADING,
      customSynopsis = "gan-examples.jar COMMAND [OPTIONS]      (COMMAND --help for its options)%n",
      commandListHeading = "%ncommands:%n")
  static final class Top implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    private final PrintStream out;

    Top(PrintStream out) {
      this.out = out;
    }

    @Override
    public Integer call() {
      out.print(spec.commandLine().getUsageMessage());
      return 2;
    }
  }

  /** {@code summary}: the layer table of a dataset's default model. */
  @Command(name = "summary", sortOptions = false,
      description = "The layer table of a dataset's default model.")
  static final class SummaryCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "cifar10",
        converter = OptionTypes.Datasets.class, completionCandidates = OptionTypes.Datasets.class,
        description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    DataSources.Name dataset;

    @Option(names = "--image-size", paramLabel = "HxWxC", defaultValue = RunOptions.DEFAULT_IMAGE_SIZE,
        converter = OptionTypes.ImageSize.class, description = "image shape for --dataset folder (default ${DEFAULT-VALUE})")
    io.github.gan4j.layers.Shape imageSize;

    private final PrintStream out;

    SummaryCommand(PrintStream out) {
      this.out = out;
    }

    @Override
    public Integer call() {
      out.print(DataSources.defaultModel(DataSources.shapeOf(dataset, imageSize)).summary());
      return 0;
    }
  }

  /** {@code quickstart}: the README's quick start ({@link QuickStart}). */
  @Command(name = "quickstart", description = "The README's quick start: a DCGAN on Fashion-MNIST.")
  static final class QuickStartCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "STEPS", arity = "0..1", defaultValue = "500",
        converter = OptionTypes.PositiveLong.class, description = "training steps (default ${DEFAULT-VALUE})")
    long steps;

    @Parameters(index = "1", paramLabel = "RUN_DIR", arity = "0..1", defaultValue = "runs/quickstart",
        description = "where samples, checkpoint and generator go (default ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
      QuickStart.main(new String[] {String.valueOf(steps), out.toString()});
      return 0;
    }
  }

  /** {@code soak}: the memory soak ({@link Soak}). */
  @Command(name = "soak", description = "Memory soak: RSS and heap while training (a measurement).")
  static final class SoakCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "STEPS", arity = "0..1", defaultValue = "2000",
        converter = OptionTypes.PositiveLong.class, description = "training steps (default ${DEFAULT-VALUE})")
    long steps;

    @Parameters(index = "1", paramLabel = "EVERY", arity = "0..1", defaultValue = "100",
        converter = OptionTypes.PositiveInt.class, description = "a line every EVERY steps (default ${DEFAULT-VALUE})")
    int every;

    @Override
    public Integer call() throws IOException {
      Soak.main(new String[] {String.valueOf(steps), String.valueOf(every)});
      return 0;
    }
  }
}
