package io.github.gan4j.examples;

import java.util.Arrays;

/** Entry point of {@code gan-examples.jar}: dispatches to the commands. */
public final class Main {
  private Main() {}

  static final String USAGE = String.join("\n",
      "usage: java -jar gan-examples.jar COMMAND [OPTIONS]",
      "",
      "commands:",
      "  quickstart [STEPS] [OUT]   the README's quick start: a DCGAN on Fashion-MNIST",
      "  summary                    the reference DCGAN's layer table",
      "  soak [STEPS] [EVERY]       memory soak: RSS and heap while training (a measurement)");

  /** Runs a command. */
  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.println(USAGE);
      return;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "quickstart" -> QuickStart.main(rest);
      case "summary" -> System.out.println(ReferenceModels.cifar10().summary());
      case "soak" -> Soak.main(rest);
      default -> {
        System.err.println("gan4j: unknown command '" + args[0] + "'");
        System.err.println(USAGE);
        System.exit(2);
      }
    }
  }
}
