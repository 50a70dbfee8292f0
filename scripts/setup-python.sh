#!/usr/bin/env bash
# Installs the pinned Python test tools (moto, cfn-lint) into a project-local virtualenv.
# Idempotent: re-runs pip only when scripts/python-tools.txt changed.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=.venv/.tools-installed
if [ -x .venv/bin/moto_server ] && [ -x .venv/bin/cfn-lint ] && [ -f "$stamp" ] && cmp -s scripts/python-tools.txt "$stamp"; then
  exit 0
fi
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r scripts/python-tools.txt
cp scripts/python-tools.txt "$stamp"
echo "python tools ready: $(.venv/bin/cfn-lint --version), moto $(.venv/bin/python -c 'import moto; print(moto.__version__)')"
