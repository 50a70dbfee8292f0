#!/usr/bin/env bash
# Runs a command with the pinned Node <major> first on PATH (installed by setup-node.sh when missing),
# so the command and every `node` it spawns use that version. Usage: scripts/with-node.sh 24 jest ...
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
major="$1"
shift
bin="$(bash "$root/scripts/setup-node.sh" "$major")"
export PATH="$bin:$root/node_modules/.bin:$PATH"
exec "$@"
