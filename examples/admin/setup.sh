#!/usr/bin/env bash
# Sets up a tenant with its administrator, an engine principal, a warehouse and a catalog for the engine examples,
# with the admin command line, 'pangolin'. Secrets come from environment variables, never from the command line.
#
# 'pangolin' is the distribution's launcher: put its bin/ on PATH first, from a build of this repository
#   mvn -B -ntp -DskipTests -pl distribution -am package
#   export PATH="$PWD/distribution/target/pangolin/bin:$PATH"
# or from an unpacked pangolin-<version>.tar.gz (pangolin-<version>/bin).
#
# Run it with the database's superuser (the bootstrap login that owns the database and migrates it):
#   export PANGOLIN_DB_URI=jdbc:postgresql://db.example.com:5432/pangolin
#   export PANGOLIN_DB_USER=postgres PANGOLIN_DB_PASSWORD=...   # the superuser
#   export PANGOLIN_MASTER_KEY=...        # from 'pangolin key generate --out master.key'
#   export PANGOLIN_ADMIN_USER=demo_admin PANGOLIN_ADMIN_PASSWORD=...     # the tenant administrator to create
#   export PANGOLIN_ENGINE_USER=demo_etl PANGOLIN_ENGINE_PASSWORD=...     # the engine principal to create
#   export LAKE_ACCESS_KEY_ID=... LAKE_SECRET_ACCESS_KEY=...              # the warehouse's own S3 key
#   export LAKE_S3_ENDPOINT=https://minio.example.com   # only for an S3-compatible store; leave unset for AWS S3
# Optional: PANGOLIN_TENANT (default demo), LAKE_ROOT (default s3://lake-bucket/warehouse), LAKE_REGION (default
# us-east-1).
#
# No platform administrator is created: the superuser does the platform administrator's part here (tenant, tenant
# administrator, principals) once, and a platform administrator's password would be one more secret to keep for
# nothing. For day-to-day tenant creation without the superuser, make one with
# 'principal create NAME --platform-admin --password-env VAR'.
#
# The engines then log in as PANGOLIN_ENGINE_USER (examples/spark, examples/flink, examples/trino): never as the
# superuser, which bypasses every check, nor as the tenant administrator, which holds every privilege.
set -euo pipefail
: "${PANGOLIN_ADMIN_USER:?name the tenant administrator to create}" "${PANGOLIN_ADMIN_PASSWORD:?its password}"
: "${PANGOLIN_ENGINE_USER:?name the engine principal to create}" "${PANGOLIN_ENGINE_PASSWORD:?its password}"
tenant="${PANGOLIN_TENANT:-demo}"
if ! command -v pangolin >/dev/null; then
  echo "setup.sh: no 'pangolin' command on PATH: put the distribution's bin/ on PATH (see the top of this script)" >&2
  exit 127
fi
# The administrator's login replaces the superuser's for one command, through the environment, not the arguments.
as_tenant_admin() { PANGOLIN_DB_USER="$PANGOLIN_ADMIN_USER" PANGOLIN_DB_PASSWORD="$PANGOLIN_ADMIN_PASSWORD" pangolin "$@"; }

# As the superuser: the schema, the tenant and the two principals.
pangolin schema migrate
pangolin tenant create "$tenant"
pangolin principal create "$PANGOLIN_ADMIN_USER" --password-env PANGOLIN_ADMIN_PASSWORD
pangolin principal create "$PANGOLIN_ENGINE_USER" --password-env PANGOLIN_ENGINE_PASSWORD
pangolin tenant admin add --tenant "$tenant" "$PANGOLIN_ADMIN_USER"

# As the tenant administrator: the warehouse, the catalog, and what an ETL engine needs on the catalog.
storage=(--region "${LAKE_REGION:-us-east-1}")
if [ -n "${LAKE_S3_ENDPOINT:-}" ]; then
  # What S3-compatible stores (MinIO, Ceph, S3Proxy, ...) need; AWS S3 itself needs only the region.
  storage+=(--endpoint "$LAKE_S3_ENDPOINT" --path-style-access --checksum-mode when-required)
fi
as_tenant_admin warehouse create --tenant "$tenant" lake --root "${LAKE_ROOT:-s3://lake-bucket/warehouse}" \
  "${storage[@]}" --credentials static --access-key-id "$LAKE_ACCESS_KEY_ID" --secret-env LAKE_SECRET_ACCESS_KEY
# Writes, reads and deletes a probe object with the warehouse's own keys (through the distribution's engine jars).
as_tenant_admin warehouse check --tenant "$tenant" lake
as_tenant_admin catalog create --tenant "$tenant" lake --warehouse lake
as_tenant_admin grant READ,WRITE,CREATE,DROP --to "$PANGOLIN_ENGINE_USER" --tenant "$tenant" --catalog lake
as_tenant_admin grants show --principal "$PANGOLIN_ENGINE_USER"
as_tenant_admin warehouse show --tenant "$tenant" lake
