package io.github.gan4j.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README shows real code: the quick start is QuickStart.java's, "Your own layers and
 * losses" is CustomParts.java's, the losses, DiffAugment and spectral-normalization snippets TrainingOptions.java's,
 * "Measuring quality" MeasuringQuality.java's and "Residual networks" ReferenceModels.java's, character for
 * character (the optimizer snippets are checked where they run, in OptimizerOptionsTest).
 */
class ReadmeTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /**
   * The lines of {@code file} between {@code // BEGIN README name} and {@code // END README name},
   * with {@code indent} leading spaces removed: what the README shows.
   */
  static String marked(String file, String name, int indent) throws IOException {
    String source = Files.readString(ROOT.resolve(file));
    String body = source.split("// BEGIN README " + name + "\n")[1].split("\n[ ]*// END README " + name)[0];
    String prefix = " ".repeat(indent);
    return body.lines().map(l -> l.startsWith(prefix) ? l.substring(indent) : l.strip())
        .collect(Collectors.joining("\n"));
  }

  /** Asserts that README.md shows the marked region of {@code file} as a Java block. */
  static void assertReadmeShows(String file, String name, int indent) throws IOException {
    assertThat(Files.readString(ROOT.resolve("README.md"))).as(name)
        .contains("```java\n" + marked(file, name, indent) + "\n```");
  }

  @Test
  void readmeQuickStart_isTheCompiledExample() throws IOException {
    assertReadmeShows("gan-examples/src/main/java/io/github/gan4j/examples/QuickStart.java", "QUICKSTART", 4);
  }

  @Test
  void readmeCustomParts_isTheCompiledExample() throws IOException {
    assertReadmeShows("gan-examples/src/main/java/io/github/gan4j/examples/CustomParts.java", "CUSTOM PARTS", 2);
  }

  @Test
  void readmeLossesAndPenalties_areTheCompiledExample() throws IOException {
    assertReadmeShows("gan-examples/src/main/java/io/github/gan4j/examples/TrainingOptions.java", "LOSSES", 4);
  }

  @Test
  void readmeDiffAugment_isTheCompiledExample() throws IOException {
    assertReadmeShows("gan-examples/src/main/java/io/github/gan4j/examples/TrainingOptions.java", "AUGMENT", 4);
  }

  @Test
  void readmeConditionalGans_isTheCompiledExample() throws IOException {
    String file = "gan-examples/src/main/java/io/github/gan4j/examples/ConditionalGans.java";
    assertReadmeShows(file, "CONDITIONAL MODEL", 4);
    assertReadmeShows(file, "CONDITIONAL TRAINING", 4);
    assertReadmeShows(file, "CONDITIONING", 8);
  }

  @Test
  void readmeSpectralNormalization_isTheCompiledExample() throws IOException {
    assertReadmeShows("gan-examples/src/main/java/io/github/gan4j/examples/TrainingOptions.java", "SPECTRAL NORM", 4);
    // and it is what it says: one non-trainable u per normalized layer, of its kernel's last dimension
    assertThat(io.github.gan4j.examples.TrainingOptions.spectralNormalization().recipe().gan().discriminator()
        .nonTrainableParams()).isEqualTo(64 + 128 + 256 + 1);
  }

  @Test
  void readmeMeasuringQuality_isTheCompiledExample() throws IOException {
    String file = "gan-examples/src/main/java/io/github/gan4j/examples/MeasuringQuality.java";
    assertReadmeShows(file, "EVALUATE", 4);
    assertReadmeShows(file, "EVALUATE WHILE TRAINING", 4);
  }

  @Test
  void readmeResidualNetworks_areTheCompiledReferenceModel() throws IOException {
    String file = "gan-examples/src/main/java/io/github/gan4j/examples/ReferenceModels.java";
    assertReadmeShows(file, "RESNET", 4);
    assertReadmeShows(file, "SNGAN RECIPE", 4);
  }

  @Test
  void ciRunsTheTestCommandTheReadmeGives() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    String ci = Files.readString(ROOT.resolve(".ci/run"));
    assertThat(readme).contains("```sh\n./mvnw -B verify\n```");
    assertThat(ci).containsPattern("(?m)^\\./mvnw -B verify$");
  }
}
