#!/usr/bin/env bash
# The same settings as spark-defaults.conf, on one spark-submit (or spark-sql / spark-shell) line.
# Versions: Spark 4.1 with Scala 2.13 and Iceberg 1.12.0; for Spark 3.5 use iceberg-spark-runtime-3.5_2.12.
# Spark logs in as the engine principal PANGOLIN_ENGINE_USER (password in PANGOLIN_ENGINE_PASSWORD), not as the
# superuser or a tenant administrator: its grants are what this job may read and change.
spark-submit \
  --jars pangolin-catalog-0.1.0-SNAPSHOT.jar,iceberg-spark-runtime-4.1_2.13-1.12.0.jar,iceberg-aws-bundle-1.12.0.jar \
  --conf spark.sql.extensions=org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions \
  --conf spark.sql.catalog.lake=org.apache.iceberg.spark.SparkCatalog \
  --conf spark.sql.catalog.lake.catalog-impl=io.pangolin.catalog.PangolinCatalog \
  --conf spark.sql.catalog.lake.uri="$PANGOLIN_DB_URI" \
  --conf spark.sql.catalog.lake.jdbc.user="$PANGOLIN_ENGINE_USER" \
  --conf spark.sql.catalog.lake.jdbc.password="$PANGOLIN_ENGINE_PASSWORD" \
  --conf spark.sql.catalog.lake.pangolin.tenant="$PANGOLIN_TENANT" \
  --conf spark.sql.catalog.lake.pangolin.master-key-file="$PANGOLIN_MASTER_KEY_FILE" \
  "$@"
