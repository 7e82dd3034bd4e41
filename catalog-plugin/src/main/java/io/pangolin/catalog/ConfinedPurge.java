package io.pangolin.catalog;

import io.pangolin.warehouse.StorageLocations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.PartitionStatisticsFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StatisticsFile;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.util.PropertyUtil;

/**
 * Deletes a dropped table's files, confined to the table's own recorded location: the directory above the
 * {@code metadata/} directory of the metadata file its pointer recorded. Only files under that root are read or
 * deleted, whatever its metadata claims: manifest lists, manifests, data and delete files, statistics and
 * previous metadata files listed elsewhere (in another table, another namespace, another tenant's storage, or
 * under a {@code write.data.path} or {@code write.metadata.path} pointing out) are left alone and reported. The
 * caller has checked, with {@code pangolin.location_in_use}, that no other pointer uses the root.
 */
final class ConfinedPurge {

  /** What a purge deletes (every file under the root its metadata reaches) and what it leaves (the rest). */
  record Plan(String root, List<String> inside, List<String> outside) {
    Plan {
      inside = List.copyOf(inside);
      outside = List.copyOf(outside);
    }

    void execute(FileIO io) {
      for (String file : inside) {
        try {
          io.deleteFile(file);
        } catch (NotFoundException e) {
          // Already gone: what a purge wants.
        }
      }
    }

    /** "N files under ROOT", and what was left outside it. */
    String describe(String verb) {
      String text = inside.size() + " file(s) under " + root + " " + verb;
      if (!outside.isEmpty()) {
        text += "; left alone " + outside.size() + " file(s) its metadata lists outside " + root
            + " (not this table's to delete): " + String.join(", ", outside.subList(0, Math.min(5, outside.size())))
            + (outside.size() > 5 ? ", ..." : "");
      }
      return text;
    }
  }

  private ConfinedPurge() {}

  /**
   * The table root recorded by a pointer: the location above the last {@code /metadata/} directory of its
   * metadata file; empty when the metadata file is not in such a directory, when nothing may be deleted.
   */
  static Optional<String> recordedRoot(String metadataLocation) {
    if (metadataLocation == null) {
      return Optional.empty();
    }
    int at = metadataLocation.lastIndexOf("/metadata/");
    if (at <= 0 || metadataLocation.indexOf('/', at + "/metadata/".length()) >= 0) {
      return Optional.empty();
    }
    String root = metadataLocation.substring(0, at);
    try {
      StorageLocations.canonical(root);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.of(root);
  }

  /**
   * Every file the metadata reaches, split by the root. Manifest lists and manifests outside the root are not even
   * read (what they list is not this table's); one inside the root that cannot be read fails the plan, so that no
   * partial purge strands the data files only it lists.
   */
  static Plan plan(FileIO io, TableMetadata metadata, String root) {
    Set<String> all = new LinkedHashSet<>();
    boolean gcEnabled = PropertyUtil.propertyAsBoolean(metadata.properties(), TableProperties.GC_ENABLED,
        TableProperties.GC_ENABLED_DEFAULT);
    Set<String> seenManifests = new LinkedHashSet<>();
    for (Snapshot snapshot : metadata.snapshots()) {
      String list = snapshot.manifestListLocation();
      if (list != null) {
        all.add(list);
        if (!within(list, root)) {
          continue;
        }
      }
      for (ManifestFile manifest : snapshot.allManifests(io)) {
        all.add(manifest.path());
        if (!gcEnabled || !within(manifest.path(), root) || !seenManifests.add(manifest.path())) {
          continue;
        }
        readContentFiles(io, metadata, manifest, all);
      }
    }
    metadata.previousFiles().forEach(e -> all.add(e.file()));
    metadata.statisticsFiles().stream().map(StatisticsFile::path).forEach(all::add);
    metadata.partitionStatisticsFiles().stream().map(PartitionStatisticsFile::path).forEach(all::add);
    all.add(metadata.metadataFileLocation());
    List<String> inside = new ArrayList<>();
    List<String> outside = new ArrayList<>();
    for (String file : all) {
      (within(file, root) ? inside : outside).add(file);
    }
    // The metadata file last: a purge that fails part-way can be run again from it.
    if (inside.remove(metadata.metadataFileLocation())) {
      inside.add(metadata.metadataFileLocation());
    }
    return new Plan(root, inside, outside);
  }

  private static void readContentFiles(FileIO io, TableMetadata metadata, ManifestFile manifest, Set<String> out) {
    try (ManifestReader<? extends ContentFile<?>> reader = manifest.content() == ManifestContent.DELETES
        ? ManifestFiles.readDeleteManifest(manifest, io, metadata.specsById())
        : ManifestFiles.read(manifest, io, metadata.specsById())) {
      for (ContentFile<?> file : reader) {
        out.add(file.location());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean within(String location, String root) {
    return StorageLocations.isWithin(location, root);
  }
}
