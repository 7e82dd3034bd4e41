package io.pangolin.catalog;

import io.pangolin.metastore.CatalogBinding;
import io.pangolin.metastore.Database;
import io.pangolin.metastore.relations.NamespaceStore;
import io.pangolin.metastore.pool.ReadSnapshots;
import io.pangolin.metastore.relations.RelationKind;
import io.pangolin.metastore.relations.RelationStore;
import io.pangolin.security.Keyring;
import io.pangolin.warehouse.StorageLocations;
import io.pangolin.warehouse.WarehouseStorage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableCommit;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.util.PropertyUtil;
import org.apache.iceberg.view.BaseMetastoreViewCatalog;
import org.apache.iceberg.view.View;
import org.apache.iceberg.view.ViewOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Iceberg catalog engines load: {@code catalog-impl=io.pangolin.catalog.PangolinCatalog}. Catalog state
 * (namespaces, table and view pointers) lives in PostgreSQL through {@link NamespaceStore} and
 * {@link RelationStore}; table state is read and written in the catalog's warehouse through that warehouse's own FileIO ({@link WarehouseStorage}).
 * Every call is handed to one of those two.
 */
public class PangolinCatalog extends BaseMetastoreViewCatalog implements SupportsNamespaces {

  private static final Logger LOG = LoggerFactory.getLogger(PangolinCatalog.class);

  private String name;
  private Database db;
  private CatalogBinding binding;
  private NamespaceStore namespaces;
  private RelationStore store;
  private ReadSnapshots reads;
  private DropNotes dropNotes;
  private PurgeHold purgeHold;
  private WarehouseStorage storage;
  private MetadataCache metadataCache;
  private boolean uniqueLocations;
  private Map<String, String> properties = Map.of();

  public PangolinCatalog() {}

  @Override
  public void initialize(String name, Map<String, String> props) {
    initialize(name, props, null);
  }

  /** As {@link #initialize(String, Map)}, with physical connections from {@code underlying} when given. */
  void initialize(String name, Map<String, String> props, DataSource underlying) {
    PangolinConfig parsed = PangolinConfig.parse(name, props);
    initialize(name, props, parsed, CatalogParts.open(parsed, underlying));
    LOG.info("Opened Pangolin catalog {} ({})", binding.qualifiedName(), parsed);
  }

  /** Over a database the caller keeps (pangolin serve: one catalog per request, acting for its caller). */
  void initialize(String name, Map<String, String> props, Database database, Keyring keys) {
    PangolinConfig parsed = PangolinConfig.parse(name, props);
    initialize(name, props, parsed, CatalogParts.over(parsed, database, keys));
  }

  private void initialize(String name, Map<String, String> props, PangolinConfig parsed, CatalogParts parts) {
    this.binding = parts.binding();
    this.namespaces = parts.namespaces();
    this.reads = parts.reads();
    this.store = parts.store();
    this.dropNotes = parts.dropNotes();
    this.purgeHold = parts.purgeHold();
    this.storage = parts.storage();
    super.initialize(name, props);
    this.name = name;
    this.db = parts.database();
    this.properties = Map.copyOf(props);
    this.metadataCache = new MetadataCache(parsed.metadataCacheSize(), parsed.metadataCacheMaxBytes());
    this.uniqueLocations = PropertyUtil.propertyAsBoolean(props, CatalogProperties.UNIQUE_TABLE_LOCATION, true);
  }

  @Override
  public String name() {
    return name;
  }

  MetadataCache metadataCache() {
    return metadataCache;
  }

  /**
   * Drops the table's cached metadata, so that its next load reads the current metadata file from storage (and
   * fails if it is gone), and ends the thread's consistent-reads burst, so that the load sees the current pointer.
   * Spark's {@code REFRESH TABLE} ends here.
   */
  @Override
  public void invalidateTable(TableIdentifier id) {
    store.endReadSnapshot();
    metadataCache.invalidate(id);
  }

  @Override
  protected Map<String, String> properties() {
    return properties;
  }

  /** Declared as Iceberg declares it, so that catalogs outside this package (engine tests' hooks) may wrap it. */
  @Override
  protected TableOperations newTableOps(TableIdentifier id) {
    return pangolinTableOps(id);
  }

  private PangolinTableOperations pangolinTableOps(TableIdentifier id) {
    NameRules.table(id);
    return new PangolinTableOperations(id, pointer(id, RelationKind.TABLE), metadataCache);
  }

  @Override
  protected ViewOperations newViewOps(TableIdentifier id) {
    NameRules.view(id);
    return new PangolinViewOperations(id, pointer(id, RelationKind.VIEW));
  }

  @Override
  protected String defaultWarehouseLocation(TableIdentifier id) {
    return StorageLocations.defaultLocation(storage.storage().storageRoot(), binding.catalog(),
        id.namespace().levels(), id.name(), uniqueLocations);
  }

  /**
   * The folder this catalog puts the tables of {@code ns} in by default, the parent of their default locations.
   * Stored nowhere: a REST endpoint reports it as the namespace's location for clients that build table locations
   * from it.
   */
  public String defaultNamespaceLocation(Namespace ns) {
    NameRules.namespace(ns);
    return StorageLocations.namespaceLocation(storage.storage().storageRoot(), binding.catalog(), ns.levels());
  }

  private String fullName(TableIdentifier id) {
    return name() + "." + id;
  }

  private RelationPointer pointer(TableIdentifier id, RelationKind kind) {
    return new RelationPointer(id, fullName(id), kind, store, storage, dropNotes);
  }

  // Tables

  @Override
  public List<TableIdentifier> listTables(Namespace ns) {
    NameRules.namespace(ns);
    return store.listRelations(ns, RelationKind.TABLE);
  }

  /** Refuses a bad name, then a metadata file the warehouse does not serve, before anything reads it. */
  @Override
  public Table registerTable(TableIdentifier id, String metadataFileLocation) {
    NameRules.table(id);
    storage.requireAllowed(metadataFileLocation, "the metadata file registered as table " + fullName(id));
    return super.registerTable(id, metadataFileLocation);
  }

  @Override
  public View registerView(TableIdentifier id, String metadataFileLocation) {
    NameRules.view(id);
    storage.requireAllowed(metadataFileLocation, "the metadata file registered as view " + fullName(id));
    return super.registerView(id, metadataFileLocation);
  }

  /** Loads a table; a missing one that the graveyard still holds is reported with how to restore it. */
  @Override
  public Table loadTable(TableIdentifier id) {
    try {
      return super.loadTable(id);
    } catch (NoSuchTableException e) {
      throw dropNotes.explained(e, id);
    }
  }

  /**
   * Commits changes to several existing tables all or nothing (the REST catalog's {@code transactions/commit}):
   * see {@link MultiTableCommit}. Each table at most once; on main only.
   *
   * @throws CommitFailedException naming the table whose requirement failed or whose pointer another writer moved
   * @throws CommitStateUnknownException when the database's answer was lost and its fate could not be learned
   */
  public void commitTransaction(List<TableCommit> commits) {
    new MultiTableCommit(store, this::pangolinTableOps).commit(commits);
  }

  /** Drops the pointer; when the table's files may be deleted is {@link PurgeHold#dropTable}'s to decide. */
  @Override
  public boolean dropTable(TableIdentifier id, boolean purge) {
    return purgeHold.dropTable(store, newTableOps(id), id, fullName(id), purge);
  }

  @Override
  public void renameTable(TableIdentifier from, TableIdentifier to) {
    NameRules.table(from);
    NameRules.table(to);
    store.renameRelation(from, to, RelationKind.TABLE);
  }

  // Views

  @Override
  public List<TableIdentifier> listViews(Namespace ns) {
    NameRules.namespace(ns);
    return store.listRelations(ns, RelationKind.VIEW);
  }

  @Override
  public boolean dropView(TableIdentifier id) {
    NameRules.view(id);
    return store.dropRelation(id, RelationKind.VIEW, false);
  }

  @Override
  public void renameView(TableIdentifier from, TableIdentifier to) {
    NameRules.view(from);
    NameRules.view(to);
    store.renameRelation(from, to, RelationKind.VIEW);
  }

  // Namespaces

  @Override
  public void createNamespace(Namespace ns, Map<String, String> metadata) {
    if (ns.isEmpty()) {
      throw new IllegalArgumentException("Cannot create a namespace with no name");
    }
    NameRules.namespace(ns);
    NameRules.properties(ns, metadata);
    store.requireWritable("create namespace " + ns, ns);
    namespaces.createNamespace(ns, metadata);
  }

  @Override
  public List<Namespace> listNamespaces(Namespace ns) {
    NameRules.namespace(ns);
    return namespaces.listNamespaces(ns);
  }

  @Override
  public Map<String, String> loadNamespaceMetadata(Namespace ns) {
    NameRules.namespace(ns);
    return namespaces.namespaceProperties(ns)
        .orElseThrow(() -> new NoSuchNamespaceException("Namespace does not exist: %s", ns));
  }

  @Override
  public boolean dropNamespace(Namespace ns) {
    NameRules.namespace(ns);
    store.requireWritable("drop namespace " + ns, ns);
    return !ns.isEmpty() && namespaces.dropNamespace(ns);
  }

  @Override
  public boolean setProperties(Namespace ns, Map<String, String> props) {
    NameRules.namespace(ns);
    NameRules.properties(ns, props);
    store.requireWritable("set properties of namespace " + ns, ns);
    if (!namespaces.setNamespaceProperties(ns, props)) {
      throw new NoSuchNamespaceException("Namespace does not exist: %s", ns);
    }
    return true;
  }

  @Override
  public boolean removeProperties(Namespace ns, Set<String> keys) {
    NameRules.namespace(ns);
    NameRules.propertyKeys(ns, keys);
    store.requireWritable("remove properties of namespace " + ns, ns);
    if (!namespaces.removeNamespaceProperties(ns, keys)) {
      throw new NoSuchNamespaceException("Namespace does not exist: %s", ns);
    }
    return true;
  }

  @Override
  public void close() {
    try {
      super.close();
    } catch (java.io.IOException e) {
      LOG.warn("Cannot close the metrics reporter of {}: {}", name(), e.getMessage());
    }
    if (reads != null) {
      reads.close();
    }
    if (storage != null) {
      storage.close();
    }
    if (db != null) {
      db.close();
    }
  }

  long warehouseId() {
    return binding.warehouseId();
  }

  /** The warehouse's storage, as resolved for this catalog (pangolin serve tells REST clients how to reach it). */
  WarehouseStorage warehouseStorage() {
    return storage;
  }

  @Override
  public String toString() {
    return "PangolinCatalog{" + name() + (binding != null ? " -> " + binding.qualifiedName() : "")
        + (store != null && !store.ref().isMain() ? " @ " + store.ref().label() : "") + "}";
  }
}
