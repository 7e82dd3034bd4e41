package io.pangolin.serve.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * pangolin serve's package graph is one-way: the command and its wiring on top; the HTTP server over the routes;
 * the routes over the backends they call through seams (who the caller is, the catalogs, signing, idempotency
 * keys); vended credentials under the catalogs; the caller's identity at the bottom. A back edge fails here with the
 * classes that make it.
 */
class ServePackageGraphTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.pangolin.serve");
  }

  @Test
  void layersAreOneWay() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("Command").definedBy("io.pangolin.serve")
        .layer("Http").definedBy("io.pangolin.serve.http..")
        .layer("Routes").definedBy("io.pangolin.serve.routes..")
        .layer("Catalogs").definedBy("io.pangolin.serve.catalog..")
        .layer("Signing").definedBy("io.pangolin.serve.sign..")
        .layer("Idempotency").definedBy("io.pangolin.serve.idempotency..")
        .layer("Vending").definedBy("io.pangolin.serve.vend..")
        .layer("Auth").definedBy("io.pangolin.serve.auth..")
        .whereLayer("Command").mayNotBeAccessedByAnyLayer()
        .whereLayer("Http").mayOnlyBeAccessedByLayers("Command")
        .whereLayer("Routes").mayOnlyBeAccessedByLayers("Command", "Http")
        .whereLayer("Catalogs").mayOnlyBeAccessedByLayers("Command", "Routes")
        .whereLayer("Signing").mayOnlyBeAccessedByLayers("Command", "Routes")
        .whereLayer("Idempotency").mayOnlyBeAccessedByLayers("Command", "Routes")
        .whereLayer("Vending").mayOnlyBeAccessedByLayers("Command", "Catalogs")
        .check(classes);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.pangolin.serve.(*)..").should().beFreeOfCycles().check(classes);
  }
}
