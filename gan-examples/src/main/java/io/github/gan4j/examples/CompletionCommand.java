package io.github.gan4j.examples;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code completion}: prints the bash and zsh completion script that picocli generates from
 * the command tree, for the command {@value Main#COMPLETION_NAME} (an alias of
 * {@code java -jar gan-examples.jar}).
 */
@Command(name = "completion",
    description = {"Prints a bash/zsh completion script for the command " + Main.COMPLETION_NAME + ":",
        "  alias " + Main.COMPLETION_NAME + "='java -jar PATH/gan-examples.jar'; source <(" + Main.COMPLETION_NAME
            + " completion)"})
final class CompletionCommand implements Callable<Integer> {
  @Mixin
  Main.HelpOption help;

  @Spec
  CommandSpec spec;

  private final PrintStream out;

  CompletionCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() {
    out.print(AutoComplete.bash(Main.COMPLETION_NAME, spec.root().commandLine()));
    return 0;
  }
}
