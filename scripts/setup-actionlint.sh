#!/usr/bin/env bash
# Installs the pinned actionlint (the GitHub Actions workflow linter) into .tools/bin with `go install`;
# the tests lint the workflow `vigil init` writes with it. Idempotent: installs only when missing or another version.
set -euo pipefail
cd "$(dirname "$0")/.."
version=v1.7.7
bin=.tools/bin/actionlint
if [ -x "$bin" ] && [ "$("$bin" -version | head -1)" = "$version" ]; then
  exit 0
fi
if ! command -v go >/dev/null; then
  echo "setup-actionlint: Go is missing; install Go 1.22+ (actionlint $version is installed with 'go install')" >&2
  exit 1
fi
GOBIN="$PWD/.tools/bin" go install "github.com/rhysd/actionlint/cmd/actionlint@$version"
echo "actionlint ready: $("$bin" -version | head -1)"
