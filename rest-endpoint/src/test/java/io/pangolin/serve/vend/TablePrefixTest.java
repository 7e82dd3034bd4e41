package io.pangolin.serve.vend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TablePrefixTest {

  @Test
  void splitsBucketAndKeyPrefixKeepingTheSchemeAndDroppingTrailingSlashes() {
    assertThat(TablePrefix.parse("db.t", "s3://bucket/wh/db/t//"))
        .isEqualTo(new TablePrefix("s3://bucket/wh/db/t", "bucket", "wh/db/t"));
    assertThat(TablePrefix.parse("db.t", "s3a://my.bucket-1/t"))
        .isEqualTo(new TablePrefix("s3a://my.bucket-1/t", "my.bucket-1", "t"));
  }

  @Test
  void refusesWhatAPolicyWouldReadAsWildcardsOrVariables() {
    for (String location : new String[] {"s3://b-1/db/*", "s3://b-1/db/t?", "s3://b-1/${aws:username}/t",
        "s3://b-1/db/t\n"}) {
      assertThatThrownBy(() -> TablePrefix.parse("db.t", location))
          .hasMessageContaining("table 'db.t'").hasMessageContaining("wildcard");
    }
  }

  @Test
  void refusesWhatIsNoTablePrefixInABucket() {
    assertThatThrownBy(() -> TablePrefix.parse("db.t", "s3://b-1/"))
        .hasMessageContaining("'s3://b-1/'").hasMessageContaining("whole bucket");
    assertThatThrownBy(() -> TablePrefix.parse("db.t", "s3://b-1"))
        .hasMessageContaining("whole bucket");
    assertThatThrownBy(() -> TablePrefix.parse("db.t", "file:/tmp/t"))
        .hasMessageContaining("only s3://bucket/prefix");
    assertThatThrownBy(() -> TablePrefix.parse("db.t", "s3://Bad_Bucket/t"))
        .hasMessageContaining("'Bad_Bucket' is not an S3 bucket name");
    assertThatThrownBy(() -> TablePrefix.parse("db.t", "s3://b-1/db//t"))
        .hasMessageContaining("empty path segment");
    assertThatThrownBy(() -> TablePrefix.parse("db.t", "s3://b-1//db"))
        .hasMessageContaining("empty path segment");
  }
}
