-- Registers the Pangolin catalog "lake" in Flink SQL (SQL client or TableEnvironment.executeSql).
--
-- Flink needs on its class path: the pangolin-catalog jar, Iceberg's Flink runtime for your Flink line
-- (iceberg-flink-runtime-1.20 1.11.0 or newer), iceberg-aws-bundle of the same Iceberg release, and Hadoop's
-- client jars (hadoop-client-api and hadoop-client-runtime), which Iceberg's Flink catalog needs even without HDFS.
--
-- The job manager AND every task manager open this catalog (Iceberg's committer loads the table where it runs),
-- with these same properties: each needs the jars above, network access to the database, and the master key file
-- at the same path. Catalogs opened in one JVM share one connection pool (at most pangolin.pool.max-size
-- connections per JVM, closed after pangolin.pool.idle-close-ms unused).
--
-- Replace the ${...} placeholders:
--   PANGOLIN_DB_URI           JDBC URL of the Pangolin database, e.g. jdbc:postgresql://db.internal:5432/pangolin
--   PANGOLIN_ENGINE_USER      the engine principal the catalog logs in as (examples/admin/setup.sh creates one):
--                             never the superuser, the migrating login or a tenant administrator, since its
--                             grants are what PostgreSQL lets this job read and change
--   PANGOLIN_ENGINE_PASSWORD  that principal's password
--   PANGOLIN_TENANT           the tenant that owns the catalog
--   PANGOLIN_MASTER_KEY_FILE  file holding the base64 master key that decrypts warehouse secrets
--
-- The Pangolin catalog opened is the one named like the Flink catalog (here "lake"); to give the Flink catalog
-- another name, add 'pangolin.catalog' = '<Pangolin catalog name>'. No S3 settings belong here: Pangolin reads
-- and writes table files with the credentials of the catalog's warehouse, never with Flink's own.
CREATE CATALOG lake WITH (
  'type' = 'iceberg',
  'catalog-impl' = 'io.pangolin.catalog.PangolinCatalog',
  'uri' = '${PANGOLIN_DB_URI}',
  'jdbc.user' = '${PANGOLIN_ENGINE_USER}',
  'jdbc.password' = '${PANGOLIN_ENGINE_PASSWORD}',
  'pangolin.tenant' = '${PANGOLIN_TENANT}',
  'pangolin.master-key-file' = '${PANGOLIN_MASTER_KEY_FILE}'
);
