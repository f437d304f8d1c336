package io.github.gan4j.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The command line of {@code gan-examples.jar}: {@code train}, {@code generate},
 * {@code summary}, and the quick start and measurements.
 */
public final class Main {
  private Main() {}

  static final String USAGE = String.join("\n",
      "usage: java -jar gan-examples.jar COMMAND [OPTIONS]      (COMMAND --help for its options)",
      "",
      "commands:",
      "  train        train the default DCGAN of a dataset (default CIFAR-10) into a run directory",
      "  generate     samples from a trained run's generator (.npy, PNG files or a grid)",
      "  summary      the layer table of a dataset's default model",
      "  bench        training speed of the reference DCGAN vs the machine's peak (a measurement)",
      "  quickstart   the README's quick start: a DCGAN on Fashion-MNIST",
      "  soak         memory soak: RSS and heap while training (a measurement)");

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
    if (args.length == 0 || List.of("--help", "-h", "help").contains(args[0])) {
      out.println(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    String command = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    String usage = switch (command) {
      case "train" -> TrainCommand.USAGE;
      case "generate" -> GenerateCommand.USAGE;
      case "summary" -> SUMMARY_USAGE;
      case "bench" -> BenchCommand.USAGE;
      default -> USAGE;
    };
    if (rest.length > 0 && List.of("--help", "-h").contains(rest[0])) {
      out.println(usage);
      return 0;
    }
    try {
      return switch (command) {
        case "train" -> new TrainCommand(out, err, interactive).run(rest);
        case "generate" -> new GenerateCommand(out).run(rest);
        case "summary" -> summary(rest, out);
        case "bench" -> new BenchCommand(out).run(rest);
        case "quickstart" -> {
          QuickStart.main(rest);
          yield 0;
        }
        case "soak" -> {
          Soak.main(rest);
          yield 0;
        }
        default -> throw new UsageException("unknown command '" + command + "'");
      };
    } catch (UsageException e) {
      err.println("gan4j: " + e.getMessage());
      err.println(usage);
      return 2;
    } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
      err.println("gan4j: " + e.getMessage());
      if (System.getenv("GAN4J_DEBUG") != null) {
        e.printStackTrace(err);
      } else {
        err.println("(set GAN4J_DEBUG=1 for the stack trace)");
      }
      return 1;
    } catch (Exception e) {
      err.println("gan4j: unexpected error: " + e);
      e.printStackTrace(err);
      return 1;
    }
  }

  static final String SUMMARY_USAGE = String.join("\n",
      "usage: java -jar gan-examples.jar summary [--dataset cifar10|fashion-mnist|mnist|folder] [--image-size HxWxC]");

  private static int summary(String[] argv, PrintStream out) {
    Args args = Args.parse(argv, Set.of("dataset", "image-size"), Set.of());
    String dataset = args.choice("dataset", "cifar10", DataSources.NAMES);
    out.print(DataSources.defaultModel(DataSources.shapeOf(dataset, args.string("image-size", "32x32x3"))).summary());
    return 0;
  }
}
