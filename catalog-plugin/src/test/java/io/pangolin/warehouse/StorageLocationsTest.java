package io.pangolin.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StorageLocationsTest {

  @Test
  void defaultLocationsNeverCollide() {
    String slashInName = StorageLocations.defaultLocation("s3://b/w", "c", new String[] {"sl"}, "sl/ash", false);
    String nested = StorageLocations.defaultLocation("s3://b/w", "c", new String[] {"sl", "sl"}, "ash", false);
    String plain = StorageLocations.defaultLocation("s3://b/w", "c", new String[] {"sl"}, "ash", false);
    assertThat(List.of(slashInName, nested, plain)).doesNotHaveDuplicates();
    assertThat(slashInName).isEqualTo("s3://b/w/c/sl/sl~2Fash");
  }

  @Test
  void namesCannotClimbOutOfTheirDirectory() {
    String dots = StorageLocations.defaultLocation("s3://b/w", "c", new String[] {".."}, "..", false);
    assertThat(dots).isEqualTo("s3://b/w/c/~2E~2E/~2E~2E");
    assertThat(StorageLocations.isWithin(dots, "s3://b/w")).isTrue();
    assertThat(StorageLocations.defaultLocation("s3://b/w/", "c", new String[] {"a.b"}, "ü x", false))
        .isEqualTo("s3://b/w/c/a.b/~C3~BC~20x");
  }

  @Test
  void uniqueLocationsDifferForTheSameName() {
    String one = StorageLocations.defaultLocation("s3://b/w", "c", new String[] {"ns"}, "t", true);
    String two = StorageLocations.defaultLocation("s3://b/w", "c", new String[] {"ns"}, "t", true);
    assertThat(one).startsWith("s3://b/w/c/ns/t-").isNotEqualTo(two);
  }

  @Test
  void containment() {
    assertThat(StorageLocations.isWithin("s3://b/w/t", "s3://b/w")).isTrue();
    assertThat(StorageLocations.isWithin("s3a://b/w/t", "s3://b/w/")).isTrue();
    assertThat(StorageLocations.isWithin("s3://b/wx/t", "s3://b/w")).isFalse();
    assertThat(StorageLocations.isWithin("file:///tmp/w/t", "file:/tmp/w")).isTrue();
    assertThat(StorageLocations.isAllowed("s3://b/w/../x", "s3://b/w", List.of())).isFalse();
    assertThat(StorageLocations.isAllowed("s3://other/x", "s3://b/w", List.of("s3://other"))).isTrue();
  }

  @Test
  void fileLocationsAreComparedAsLocalFileIoDecodesThem() {
    String root = "file:/w/acme";
    for (String escape : List.of("file:/w/acme/%2e%2e/globex", "file:/w/acme/%2E%2E/globex", "file:/w/acme/..%2fglobex",
        "file:/w/acme/.%2e/globex", "file:/w/acme/%2e%2e%2Fglobex", "file:/w/acme/../globex", "file:/w/acme/%zz",
        "file://host/w/acme/t", "file:/w/acme/%00")) {
      assertThat(StorageLocations.isAllowed(escape, root, List.of())).as(escape).isFalse();
    }
    assertThat(StorageLocations.canonical("file:///w//acme/./t%20x/")).isEqualTo("file:/w/acme/t x");
    assertThat(StorageLocations.isAllowed("file:/w/acme/t%2Fu", root, List.of())).isTrue();
    assertThat(LocalFileIO.toPath("file:/w/acme/t%20x").toString()).isEqualTo("/w/acme/t x");
  }

  @Test
  void s3KeysWithDotSegmentsAndOtherSchemesAreRefused() {
    for (String bad : List.of("s3://b/w/../x", "s3://b/w/./x", "s3://b/w/%2e%2e/x", "s3://b/w/%2E/x", "s3://b/w/..",
        "file:/b/w/x", "/b/w/x", "gs://b/w/x", "s3:/b/w/x")) {
      assertThat(StorageLocations.isAllowed(bad, "s3://b/w", List.of())).as(bad).isFalse();
    }
    assertThat(StorageLocations.isAllowed("s3a://b/w/x..y/%41", "s3://b/w", List.of())).isTrue();
    assertThat(new LocationPolicy("acme/lake", "s3://b/w", List.of("file:/tmp")).permits("file:/tmp/x"))
        .as("an allowed location in another store is never served").isFalse();
    assertThatThrownBy(() -> StorageLocations.requireSameStore("lake", "s3://b/w", List.of("file:/tmp")))
        .hasMessageContaining("warehouse 'lake'").hasMessageContaining("one kind of store");
  }

  @Test
  void rootsMustNameAStore() {
    assertThatThrownBy(() -> StorageLocations.requireValidRoot("wh", "s3://"))
        .hasMessageContaining("warehouse 'wh'").hasMessageContaining("name a bucket");
    assertThatThrownBy(() -> StorageLocations.requireValidRoot("wh", "gs://bucket"))
        .hasMessageContaining("use s3://bucket/prefix or file:/absolute/path");
  }
}
