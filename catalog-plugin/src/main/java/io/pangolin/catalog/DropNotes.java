package io.pangolin.catalog;

import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.CatalogBinding;
import io.pangolin.metastore.graveyard.Graveyard;
import io.pangolin.metastore.refs.Ref;
import io.pangolin.metastore.relations.RelationKind;
import java.util.List;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;

/**
 * What a reader of a missing table or view is told when the graveyard still holds it: when it was dropped and how
 * to restore it. Asked only on the miss path, so loads of existing relations cost nothing more.
 */
final class DropNotes {

  private final Graveyard graveyard;
  private final CatalogBinding binding;
  /** The ref the catalog is open on: its own drops are the ones its readers can restore. */
  private final Ref ref;

  DropNotes(Graveyard graveyard, CatalogBinding binding, Ref ref) {
    this.graveyard = requireNonNull(graveyard, "graveyard");
    this.binding = requireNonNull(binding, "binding");
    this.ref = requireNonNull(ref, "ref");
  }

  /** {@code missing}, or the same with the note when the graveyard holds the table and the message lacks it. */
  RuntimeException explained(NoSuchTableException missing, TableIdentifier id) {
    String note = missing.getMessage().contains("(dropped by another process)") ? "" : note(id, RelationKind.TABLE);
    return note.isEmpty() ? missing : new NoSuchTableException(missing, "%s%s", missing.getMessage(), note);
  }

  /** A sentence to append to "does not exist", or "" when the graveyard holds no such relation. */
  String note(TableIdentifier id, RelationKind kind) {
    return graveyard.lastDrop(binding.catalogId(), ref, List.of(id.namespace().levels()), id.name(), kind)
        .map(drop -> ". It was dropped at " + drop.droppedAt() + (drop.purgeRequested() ? " with PURGE" : "")
            + " and can be restored until " + drop.retainUntil() + " with 'pangolin table undrop --tenant "
            + binding.tenant() + " --catalog " + binding.catalog() + (ref.isMain() ? "" : " --ref " + ref.name())
            + " " + id + "'"
            + " (or under another name with --as NAMESPACE.NAME)")
        .orElse("");
  }
}
