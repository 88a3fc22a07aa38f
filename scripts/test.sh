#!/usr/bin/env bash
# Install what the tests need (system packages, .venv, PostgreSQL running), then run the
# whole suite, one worker per core. Extra arguments go to pytest, e.g.
# `scripts/test.sh -k receiving -x`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
# One worker per core (RMA_TEST_WORKERS=0 runs in this process, e.g. to use a debugger); every
# test makes its own databases, ports and displays, so workers never share anything.
exec .venv/bin/python -m pytest -n "${RMA_TEST_WORKERS:-auto}" "$@"
