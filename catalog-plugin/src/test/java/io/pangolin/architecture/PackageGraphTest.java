package io.pangolin.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plugin's package graph is one-way: the catalog facade on top, with admin beside it and never imported by
 * it; the registry (tenants, warehouses, catalogs: validate, seal, map rows) below both; the metastore
 * (PostgreSQL) and the warehouse storage below that, independent of each other; security at the bottom. A back
 * edge fails here with the classes that make it.
 */
class PackageGraphTest {

  private static final String CATALOG = "io.pangolin.catalog..";
  private static final String METASTORE = "io.pangolin.metastore..";
  private static final String WAREHOUSE = "io.pangolin.warehouse..";
  private static final String REGISTRY = "io.pangolin.registry..";
  private static final String SECURITY = "io.pangolin.security..";
  private static final String ADMIN = "io.pangolin.admin..";

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.pangolin");
  }

  @Test
  void layersAreOneWay() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("Admin").definedBy(ADMIN)
        .layer("Catalog").definedBy(CATALOG)
        .layer("Registry").definedBy(REGISTRY)
        .layer("Metastore").definedBy(METASTORE)
        .layer("Warehouse").definedBy(WAREHOUSE)
        .layer("Security").definedBy(SECURITY)
        .whereLayer("Admin").mayNotBeAccessedByAnyLayer()
        .whereLayer("Catalog").mayOnlyBeAccessedByLayers("Admin")
        .whereLayer("Registry").mayOnlyBeAccessedByLayers("Catalog", "Admin")
        .whereLayer("Metastore").mayOnlyBeAccessedByLayers("Registry", "Catalog", "Admin")
        .whereLayer("Warehouse").mayOnlyBeAccessedByLayers("Registry", "Catalog", "Admin")
        .whereLayer("Security").mayOnlyBeAccessedByLayers("Registry", "Catalog", "Admin", "Metastore", "Warehouse")
        .check(classes);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.pangolin.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void metastoreAndWarehouseDoNotKnowEachOther() {
    noClasses().that().resideInAPackage(METASTORE).should().dependOnClassesThat().resideInAPackage(WAREHOUSE)
        .check(classes);
    noClasses().that().resideInAPackage(WAREHOUSE).should().dependOnClassesThat().resideInAPackage(METASTORE)
        .check(classes);
  }

  /** The FileIO shipped to executors carries nothing that could reach the catalog database. */
  @Test
  void theWarehouseDependsOnlyOnSecurity() {
    noClasses().that().resideInAPackage(WAREHOUSE).should().dependOnClassesThat()
        .resideInAnyPackage(CATALOG, ADMIN, REGISTRY, METASTORE).check(classes);
  }

  @Test
  void theCatalogNeverReachesForAdmin() {
    noClasses().that().resideInAPackage(CATALOG).should().dependOnClassesThat().resideInAPackage(ADMIN)
        .check(classes);
  }
}
