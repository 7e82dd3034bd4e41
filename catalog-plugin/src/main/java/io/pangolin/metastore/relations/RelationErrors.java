package io.pangolin.metastore.relations;

import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NoSuchViewException;

/**
 * The Iceberg exceptions {@link RelationStore} answers with, built in one place so that main and a ref refuse in the
 * same words. Which relation holds a taken name is the store's to look up: it takes a round trip.
 */
final class RelationErrors {

  private RelationErrors() {}

  static AlreadyExistsException alreadyExists(TableIdentifier id, RelationKind wanted, RelationKind holder) {
    return holder == wanted
        ? new AlreadyExistsException("%s already exists: %s", capitalized(wanted), id)
        : new AlreadyExistsException("%s with same name already exists: %s", capitalized(holder), id);
  }

  static NoSuchNamespaceException noNamespaceToCreateIn(TableIdentifier id, RelationKind kind) {
    return new NoSuchNamespaceException(
        "Namespace does not exist: %s (cannot create %s %s; create the namespace first)",
        id.namespace(), kind.label(), id);
  }

  static AlreadyExistsException renameTargetExists(TableIdentifier from, TableIdentifier to, RelationKind holder) {
    return new AlreadyExistsException("Cannot rename %s to %s. %s already exists", from, to, capitalized(holder));
  }

  static NoSuchNamespaceException noNamespaceToRenameInto(TableIdentifier from, TableIdentifier to) {
    return new NoSuchNamespaceException(
        "Namespace does not exist: %s (cannot rename %s to %s)", to.namespace(), from, to);
  }

  static RuntimeException noRelationToRename(TableIdentifier from, TableIdentifier to, RelationKind kind) {
    return kind == RelationKind.TABLE
        ? new NoSuchTableException("Table does not exist: %s (cannot rename it to %s)", from, to)
        : new NoSuchViewException("View does not exist: %s (cannot rename it to %s)", from, to);
  }

  static NoSuchNamespaceException noNamespace(Namespace ns) {
    return new NoSuchNamespaceException("Namespace does not exist: %s", ns);
  }

  private static String capitalized(RelationKind kind) {
    return kind == RelationKind.TABLE ? "Table" : "View";
  }
}
