#!/usr/bin/env bash
# The KPI tests and the kpi benchmark need a real PostgreSQL server binary (Debian's postgresql 15);
# the tests start and stop their own throw-away cluster on 127.0.0.1. Installs it when missing (root).
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "PostgreSQL server binaries are missing: run 'sudo apt-get install -y postgresql' (the KPI tests need them)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq postgresql >/dev/null
# The tests run their own clusters; the packaged one is not needed.
(pg_ctlcluster 15 main stop 2>/dev/null || true)
echo "postgresql installed: $(ls /usr/lib/postgresql/*/bin/postgres)"
