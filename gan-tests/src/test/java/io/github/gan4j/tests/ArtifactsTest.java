package io.github.gan4j.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gan4j.Gan;
import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the published artifacts promise: gan-core's stable module name, and README's
 * single-platform dependency snippet being the one .ci/consumer-check builds with.
 */
class ArtifactsTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void ganCoreIsTheModuleIoGithubGan4j() throws URISyntaxException {
    // gan-core's jar in the reactor build (its classes directory in an IDE): both hold module-info.class
    Path ganCore = Path.of(Gan.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertThat(ModuleFinder.of(ganCore).findAll()).as(ganCore.toString())
        .map(ModuleReference::descriptor).singleElement()
        .satisfies(d -> assertThat(d.name()).isEqualTo("io.github.gan4j"));
  }

  @Test
  void readmeSinglePlatformSnippet_isTheConsumerChecksPom() throws IOException {
    String pom = Files.readString(ROOT.resolve(".ci/consumer/pom.xml"));
    String body = pom.split("<!-- BEGIN README SINGLE PLATFORM -->\n")[1]
        .split("\n[ ]*<!-- END README SINGLE PLATFORM -->")[0];
    String snippet = body.lines().map(l -> l.startsWith("    ") ? l.substring(4) : l.strip())
        .collect(Collectors.joining("\n"));
    assertThat(snippet).contains("<classifier>linux-x86_64</classifier>");
    assertThat(Files.readString(ROOT.resolve("README.md"))).contains("```xml\n" + snippet + "\n```");
  }

  @Test
  void licenseIsApache2() throws IOException {
    assertThat(Files.readString(ROOT.resolve("LICENSE"))).contains("Apache License", "Version 2.0, January 2004");
    assertThat(Files.readString(ROOT.resolve("pom.xml"))).contains("<name>Apache-2.0</name>");
  }
}
