package io.pangolin.serve.sign;

import static io.pangolin.serve.sign.S3Access.Access.READ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableLocationTest {

  private static final TableLocation T1 = TableLocation.parse("s3://lake/warehouse/ns/t1/");

  @Test
  void trailingSlashesAreNormalised() {
    assertThat(TableLocation.parse("s3://lake/warehouse/ns/t1")).isEqualTo(T1);
    assertThat(TableLocation.parse("s3a://lake/warehouse/ns/t1//")).isEqualTo(T1);
    assertThat(T1).hasToString("s3://lake/warehouse/ns/t1/");
  }

  @Test
  void objectsAndListingsUnderTheTableAreContained() {
    assertThat(T1.contains(S3Access.object(READ, "GetObject", "lake", "warehouse/ns/t1/data/f"))).isTrue();
    assertThat(T1.contains(listing("warehouse/ns/t1/"))).isTrue();
    assertThat(T1.contains(listing("warehouse/ns/t1/data/0"))).isTrue();
  }

  @Test
  void otherBucketsSiblingsAndParentsAreNot() {
    assertThat(T1.contains(S3Access.object(READ, "GetObject", "other", "warehouse/ns/t1/data/f"))).isFalse();
    assertThat(T1.contains(S3Access.object(READ, "GetObject", "lake", "warehouse/ns/t10/data/f"))).isFalse();
    assertThat(T1.contains(listing("warehouse/ns/t1"))).isFalse();
    assertThat(T1.contains(listing("warehouse/"))).isFalse();
  }

  @Test
  void unusableLocationsAreRefused() {
    assertThatThrownBy(() -> TableLocation.parse("gs://lake/t")).hasMessageContaining("not an s3://bucket/prefix");
    assertThatThrownBy(() -> TableLocation.parse("s3://lake")).hasMessageContaining("needs a bucket and a key prefix");
    assertThatThrownBy(() -> TableLocation.parse("s3://lake/a/../b")).hasMessageContaining("'..' segment");
  }

  private static S3Access listing(String prefix) {
    return new S3Access(READ, "ListObjectsV2", "lake", List.of(prefix), true);
  }
}
