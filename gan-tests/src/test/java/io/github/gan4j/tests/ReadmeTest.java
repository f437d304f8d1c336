package io.github.gan4j.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README shows real code: the quick start is QuickStart.java's and "Your own layers and
 * losses" is CustomParts.java's, character for character.
 */
class ReadmeTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void readmeQuickStart_isTheCompiledExample() throws IOException {
    String source = Files.readString(ROOT.resolve(
        "gan-examples/src/main/java/io/github/gan4j/examples/QuickStart.java"));
    String marked = source.split("// BEGIN README QUICKSTART\n")[1].split("    // END README QUICKSTART")[0];
    String dedented = marked.lines().map(l -> l.startsWith("    ") ? l.substring(4) : l)
        .collect(Collectors.joining("\n"));
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertThat(readme).contains("```java\n" + dedented + "\n```");
  }

  @Test
  void readmeCustomParts_isTheCompiledExample() throws IOException {
    String source = Files.readString(ROOT.resolve(
        "gan-examples/src/main/java/io/github/gan4j/examples/CustomParts.java"));
    String marked = source.split("  // BEGIN README CUSTOM PARTS\n")[1].split("  // END README CUSTOM PARTS")[0];
    String dedented = marked.lines().map(l -> l.startsWith("  ") ? l.substring(2) : l)
        .collect(Collectors.joining("\n"));
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertThat(readme).contains("```java\n" + dedented + "\n```");
  }

  @Test
  void readmeLossesAndPenalties_areTheCompiledExample() throws IOException {
    String source = Files.readString(ROOT.resolve(
        "gan-examples/src/main/java/io/github/gan4j/examples/TrainingOptions.java"));
    String marked = source.split("// BEGIN README LOSSES\n")[1].split("    // END README LOSSES")[0];
    String dedented = marked.lines().map(l -> l.startsWith("    ") ? l.substring(4) : l)
        .collect(Collectors.joining("\n"));
    assertThat(Files.readString(ROOT.resolve("README.md"))).contains("```java\n" + dedented + "\n```");
  }

  @Test
  void ciRunsTheTestCommandTheReadmeGives() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    String ci = Files.readString(ROOT.resolve(".ci/run"));
    assertThat(readme).contains("```sh\nmvn -B verify\n```");
    assertThat(ci).containsPattern("(?m)^mvn -B verify$");
  }
}
