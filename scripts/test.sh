#!/usr/bin/env bash
# Install what the tests need (system packages, .venv, PostgreSQL running), then run the
# whole suite. Extra arguments go to pytest, e.g. `scripts/test.sh -k receiving -x`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
exec .venv/bin/python -m pytest "$@"
