#!/usr/bin/env bash
# Runs a command on the machine's Node when it is supported (>= 22, package.json `engines`), otherwise on
# the pinned Node 24 from setup-node.sh (Linux x86_64), so `npm start` works on an older system Node too.
# Usage: scripts/supported-node.sh tsx bin/start.ts
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$major" -ge 22 ]; then
  export PATH="$root/node_modules/.bin:$PATH"
  exec "$@"
fi
echo "Node $(node --version 2>/dev/null || echo 'missing') is older than Vigil needs (>= 22): using the pinned Node 24" >&2
exec bash "$root/scripts/with-node.sh" 24 "$@"
