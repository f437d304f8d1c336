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
 * recipe <- extension <- tf <- train <- eval. Specs are plain Java; only extension (the advanced
 * door for custom layers and losses), tf, train and eval speak TensorFlow. eval, the quality
 * metrics, sits on top: it evaluates trainers and trained generators (train) and lowers its
 * classifier through tf, which is why tf may be accessed by eval as well as train; nothing
 * depends on eval.
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
      .layer("eval").definedBy(ROOT + ".eval..")
      .whereLayer("eval").mayNotBeAccessedByAnyLayer()
      .whereLayer("train").mayOnlyBeAccessedByLayers("eval")
      .whereLayer("tf").mayOnlyBeAccessedByLayers("train", "eval")
      .whereLayer("extension").mayOnlyBeAccessedByLayers("tf", "train", "eval")
      .whereLayer("recipe").mayOnlyBeAccessedByLayers("extension", "tf", "train", "eval")
      .whereLayer("data").mayOnlyBeAccessedByLayers("recipe", "tf", "train", "eval")
      .whereLayer("sample").mayOnlyBeAccessedByLayers("recipe", "tf", "train", "eval")
      .whereLayer("model").mayOnlyBeAccessedByLayers("data", "sample", "recipe", "tf", "train", "eval")
      .whereLayer("layers").mayOnlyBeAccessedByLayers("model", "data", "sample", "recipe", "extension", "tf", "train",
          "eval");

  @ArchTest
  static final ArchRule specs_doNotUseTensorFlow = noClasses().that().resideInAnyPackage(SPEC_PACKAGES)
      .should().dependOnClassesThat().resideInAnyPackage("org.tensorflow..", ROOT + ".tf..", ROOT + ".train..")
      .because("specs are plain Java, testable without native code, and sit above the runtime");

  @ArchTest
  static final ArchRule lowering_doesNotUseTheRuntime = noClasses().that().resideInAPackage(ROOT + ".tf..")
      .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".train..", ROOT + ".eval..")
      .because("the lowering sits below the Trainer and the evaluator: they may import tf, never the reverse");

  /** The metrics themselves, testable without native code; only the evaluator and its model runner speak TensorFlow. */
  @ArchTest
  static final ArchRule metrics_arePlainJava = noClasses().that().resideInAPackage(ROOT + ".eval")
      .and().haveNameNotMatching(".*\\.(Evaluator|Evaluations|FeatureModel)(\\$.*)?")
      .should().dependOnClassesThat().resideInAnyPackage("org.tensorflow..", ROOT + ".tf..", ROOT + ".train..")
      .because("the Frechet distance, KID, precision/recall and class statistics are plain Java with spec tests");
}
