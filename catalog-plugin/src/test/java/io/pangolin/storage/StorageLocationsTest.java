package io.pangolin.storage;

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
  void rootsMustNameAStore() {
    assertThatThrownBy(() -> StorageLocations.requireValidRoot("wh", "s3://"))
        .hasMessageContaining("warehouse 'wh'").hasMessageContaining("name a bucket");
    assertThatThrownBy(() -> StorageLocations.requireValidRoot("wh", "gs://bucket"))
        .hasMessageContaining("use s3://bucket/prefix or file:/absolute/path");
  }
}
