#!/usr/bin/env bash
# Unpacks Trino's server distribution once into a cache folder that outlives mvn clean, keeping only what a
# single-node server with the Iceberg connector needs. Later builds find the marker and return at once.
#   unpack-trino.sh <trino-server-VERSION.tar.gz> <cache dir> <VERSION>
set -euo pipefail

archive=$1
cache=$2
version=$3
target="$cache/trino-server-$version"

if [[ -f "$target/.unpacked" ]]; then
  exit 0
fi

mkdir -p "$cache"
staging=$(mktemp -d "$cache/.unpack-XXXXXX")
trap 'rm -rf "$staging"' EXIT

echo "Unpacking $(basename "$archive") into $target (once per work tree)"
# The archive stores each jar once and hard-links its other copies to it, often from another plugin's folder,
# so a partial extraction (only lib/ and plugin/iceberg/) leaves broken links. Unpack it whole, then drop the
# plugins not needed: the Iceberg plugin's links keep their data.
tar -xzf "$archive" -C "$staging"
find "$staging/trino-server-$version/plugin" -mindepth 1 -maxdepth 1 ! -name iceberg -exec rm -rf {} +
touch "$staging/trino-server-$version/.unpacked"

# Swapped in whole, so an interrupted run never leaves a tree that looks complete.
rm -rf "$target"
mv "$staging/trino-server-$version" "$target"
