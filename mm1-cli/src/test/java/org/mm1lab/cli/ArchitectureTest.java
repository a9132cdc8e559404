package org.mm1lab.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules of docs/architecture.md that Maven's module graph cannot see: module dependencies are
 * acyclic by construction, but packages inside one module could still import each other in a loop.
 * This module's test class path holds every main class of the project, so the rules are checked
 * here, over all of them.
 */
class ArchitectureTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importProductionClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // Within the reactor the other modules arrive as folders or as jars (after package);
            // their test jars (the engine's stand-in plugin) are test code too.
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("org.mm1lab");
  }

  @Test
  void importedTheWholeProject() {
    // Guards the rules below against passing on an empty or partial import.
    for (String name :
        new String[] {
          "org.mm1lab.api",
          "org.mm1lab.core.train",
          "org.mm1lab.core.eval",
          "org.mm1lab.core.ablate",
          "org.mm1lab.plugins.decoders",
          "org.mm1lab.cli"
        }) {
      if (classes.stream().noneMatch(c -> c.getPackageName().equals(name))) {
        throw new AssertionError("no classes of " + name + " were imported");
      }
    }
  }

  @Test
  void noPackageDependsOnItselfThroughOthers() {
    slices().matching("org.mm1lab.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void theApiDependsOnNothingOfOurs() {
    noClasses()
        .that()
        .resideInAPackage("org.mm1lab.api..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.mm1lab.core..", "org.mm1lab.plugins..", "org.mm1lab.cli..", "org.mm1lab.toolkit..")
        .check(classes);
  }

  @Test
  void pluginsUseTheApiAndTheToolkitOnly() {
    noClasses()
        .that()
        .resideInAPackage("org.mm1lab.plugins..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.mm1lab.core..", "org.mm1lab.cli..")
        .check(classes);
  }

  @Test
  void theCoreNamesNoBuiltInPlugin() {
    noClasses()
        .that()
        .resideInAPackage("org.mm1lab.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.mm1lab.plugins..")
        .check(classes);
  }
}
