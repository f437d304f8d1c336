package io.github.gan4j;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * gan4j's packages depend one way (STYLE.md): layers <- io.github.gan4j <- data, sample <-
 * recipe <- extension <- tf <- train. Specs are plain Java; only extension (the advanced door
 * for custom layers and losses), tf and train speak TensorFlow.
 */
@AnalyzeClasses(packages = "io.github.gan4j", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String ROOT = "io.github.gan4j";
  private static final String[] SPEC_PACKAGES = {ROOT, ROOT + ".layers..", ROOT + ".data..", ROOT + ".sample..",
      ROOT + ".recipe.."};

  /** Every package of gan4j is its own slice, the root package included. */
  private static final SliceAssignment PACKAGES = new SliceAssignment() {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass c) {
      String p = c.getPackageName();
      return p.equals(ROOT) || p.startsWith(ROOT + ".") ? SliceIdentifier.of(p) : SliceIdentifier.ignore();
    }

    @Override
    public String getDescription() {
      return "packages of io.github.gan4j";
    }
  };

  @ArchTest
  static final ArchRule packages_haveNoCycles = slices().assignedFrom(PACKAGES).should().beFreeOfCycles();

  @ArchTest
  static final ArchRule packages_dependOneWay = layeredArchitecture().consideringOnlyDependenciesInLayers()
      .layer("layers").definedBy(ROOT + ".layers..")
      .layer("model").definedBy(ROOT)
      .layer("data").definedBy(ROOT + ".data..")
      .layer("sample").definedBy(ROOT + ".sample..")
      .layer("recipe").definedBy(ROOT + ".recipe..")
      .layer("extension").definedBy(ROOT + ".extension..")
      .layer("tf").definedBy(ROOT + ".tf..")
      .layer("train").definedBy(ROOT + ".train..")
      .whereLayer("train").mayNotBeAccessedByAnyLayer()
      .whereLayer("tf").mayOnlyBeAccessedByLayers("train")
      .whereLayer("extension").mayOnlyBeAccessedByLayers("tf", "train")
      .whereLayer("recipe").mayOnlyBeAccessedByLayers("extension", "tf", "train")
      .whereLayer("data").mayOnlyBeAccessedByLayers("recipe", "tf", "train")
      .whereLayer("sample").mayOnlyBeAccessedByLayers("recipe", "tf", "train")
      .whereLayer("model").mayOnlyBeAccessedByLayers("data", "sample", "recipe", "tf", "train")
      .whereLayer("layers").mayOnlyBeAccessedByLayers("model", "data", "sample", "recipe", "extension", "tf", "train");

  @ArchTest
  static final ArchRule specs_doNotUseTensorFlow = noClasses().that().resideInAnyPackage(SPEC_PACKAGES)
      .should().dependOnClassesThat().resideInAnyPackage("org.tensorflow..", ROOT + ".tf..", ROOT + ".train..")
      .because("specs are plain Java, testable without native code, and sit above the runtime");

  @ArchTest
  static final ArchRule lowering_doesNotUseTheRuntime = noClasses().that().resideInAPackage(ROOT + ".tf..")
      .should().dependOnClassesThat().resideInAPackage(ROOT + ".train..")
      .because("the lowering sits below the Trainer: train may import tf, never the reverse");
}
