package io.pangolin.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plugin's package graph is one-way: the catalog facade on top, with admin beside it and never imported by
 * it; the registry (tenants, warehouses, catalogs: validate, seal, map rows) below both; the metastore
 * (PostgreSQL) and the warehouse storage below that, independent of each other; security at the bottom. A back
 * edge fails here with the classes that make it.
 *
 * <p>Inside the metastore, one package per job, one-way too: the graveyard over relations (tables, views and
 * namespaces, on main and on a ref), relations over refs (branches and tags) and the pools; access (principals,
 * grants, audit), delegation (pangolin serve's tokens, acting for a caller) and idempotency (the endpoint's keys)
 * beside them; and under all of them the top package, what every job uses (the database, SQL errors and arrays, the
 * exceptions, migrations, tenants, warehouses and catalogs).
 */
class PackageGraphTest {

  private static final String CATALOG = "io.pangolin.catalog..";
  private static final String METASTORE = "io.pangolin.metastore..";
  private static final String WAREHOUSE = "io.pangolin.warehouse..";
  private static final String REGISTRY = "io.pangolin.registry..";
  private static final String SECURITY = "io.pangolin.security..";
  private static final String ADMIN = "io.pangolin.admin..";

  private static final String METASTORE_TOP = "io.pangolin.metastore";
  private static final String POOL = "io.pangolin.metastore.pool..";
  private static final String RELATIONS = "io.pangolin.metastore.relations..";
  private static final String REFS = "io.pangolin.metastore.refs..";
  private static final String GRAVEYARD = "io.pangolin.metastore.graveyard..";
  private static final String ACCESS = "io.pangolin.metastore.access..";
  private static final String DELEGATION = "io.pangolin.metastore.delegation..";
  private static final String IDEMPOTENCY = "io.pangolin.metastore.idempotency..";

  private static final DescribedPredicate<JavaClass> GRAVEYARD_JOB = DescribedPredicate.describe(
      "the graveyard (" + GRAVEYARD + ")", c -> c.getPackageName().startsWith("io.pangolin.metastore.graveyard"));

  private static final DescribedPredicate<JavaClass> METASTORE_TOP_JOB = DescribedPredicate.describe(
      "the top of the metastore (" + METASTORE_TOP + ")", c -> c.getPackageName().equals(METASTORE_TOP));

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
  void metastoreJobsAreOneWay() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("Graveyard").definedBy(GRAVEYARD_JOB)
        .layer("Access").definedBy(ACCESS)
        .layer("Delegation").definedBy(DELEGATION)
        .layer("Idempotency").definedBy(IDEMPOTENCY)
        .layer("Relations").definedBy(RELATIONS)
        .layer("Refs").definedBy(REFS)
        .layer("Pool").definedBy(POOL)
        .layer("Top").definedBy(METASTORE_TOP_JOB)
        .whereLayer("Graveyard").mayNotBeAccessedByAnyLayer()
        .whereLayer("Access").mayNotBeAccessedByAnyLayer()
        .whereLayer("Delegation").mayNotBeAccessedByAnyLayer()
        .whereLayer("Idempotency").mayNotBeAccessedByAnyLayer()
        .whereLayer("Relations").mayOnlyBeAccessedByLayers("Graveyard")
        .whereLayer("Refs").mayOnlyBeAccessedByLayers("Relations", "Graveyard")
        .whereLayer("Pool").mayOnlyBeAccessedByLayers("Relations")
        .whereLayer("Top")
        .mayOnlyBeAccessedByLayers("Graveyard", "Access", "Delegation", "Idempotency", "Relations", "Refs", "Pool")
        .check(classes);
  }

  /** One slice per package. */
  @Test
  void packagesHaveNoCycles() {
    slices().assignedFrom(new SliceAssignment() {
      @Override
      public SliceIdentifier getIdentifierOf(JavaClass c) {
        String pkg = c.getPackageName();
        return pkg.startsWith("io.pangolin.") ? SliceIdentifier.of(pkg.substring("io.pangolin.".length()))
            : SliceIdentifier.ignore();
      }

      @Override
      public String getDescription() {
        return "the packages of io.pangolin";
      }
    }).should().beFreeOfCycles().check(classes);
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

  /**
   * The admin command line runs its database commands from the plugin jar alone (java -jar, bin/pangolin without
   * engine jars), so what they load speaks Pangolin's types only. Iceberg and the AWS SDK belong to the catalog, the
   * relations (the metastore's Iceberg-facing job) and the warehouse storage, which only the storage commands reach.
   * PangolinCliJarIT runs every command that way; this catches a new dependency before packaging.
   */
  @Test
  void theAdminsDatabasePathNeedsNoEngineClass() {
    noClasses().that()
        .resideInAnyPackage(ADMIN, REGISTRY, SECURITY, METASTORE_TOP, REFS, ACCESS, DELEGATION, IDEMPOTENCY, GRAVEYARD,
            POOL)
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.iceberg..", "software.amazon..")
        .check(classes);
  }

  @Test
  void theCatalogNeverReachesForAdmin() {
    noClasses().that().resideInAPackage(CATALOG).should().dependOnClassesThat().resideInAPackage(ADMIN)
        .check(classes);
  }
}
