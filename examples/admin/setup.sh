#!/usr/bin/env bash
# Sets up a tenant, a warehouse and a catalog for the engine examples, with the admin command line in the
# plugin jar. Secrets are read from environment variables named on the command line, never typed into it.
#
#   export PANGOLIN_DB_URI=jdbc:postgresql://db.example.com:5432/pangolin
#   export PANGOLIN_DB_USER=pangolin PANGOLIN_DB_PASSWORD=...   # the catalog database login
#   export PANGOLIN_MASTER_KEY=...        # from 'pangolin key generate --out master.key'
#   export LAKE_SECRET_ACCESS_KEY=...     # the warehouse's own S3 secret
set -euo pipefail
pangolin() { java -jar "${PANGOLIN_JAR:-pangolin-catalog-0.1.0-SNAPSHOT.jar}" "$@"; }

pangolin schema migrate
pangolin tenant create demo
pangolin warehouse create --tenant demo lake \
  --root s3://lake-bucket/warehouse \
  --endpoint "${LAKE_S3_ENDPOINT:-https://s3.us-east-1.amazonaws.com}" --region us-east-1 \
  --credentials static --access-key-id "${LAKE_ACCESS_KEY_ID}" --secret-env LAKE_SECRET_ACCESS_KEY
pangolin catalog create --tenant demo lake --warehouse lake
pangolin warehouse show --tenant demo lake
