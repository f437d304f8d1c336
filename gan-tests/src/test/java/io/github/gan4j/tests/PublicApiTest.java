package io.github.gan4j.tests;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The examples and these tests use gan4j's public API only, as users do. */
@AnalyzeClasses(packages = {"io.github.gan4j.examples", "io.github.gan4j.tests"})
class PublicApiTest {

  @ArchTest
  static final ArchRule examplesAndTests_doNotReachIntoTheLowering = noClasses()
      .that().resideInAnyPackage("io.github.gan4j.examples..", "io.github.gan4j.tests..")
      .should().dependOnClassesThat().resideInAPackage("io.github.gan4j.tf..")
      .because("io.github.gan4j.tf is not exported by the module io.github.gan4j; use the public API");
}
