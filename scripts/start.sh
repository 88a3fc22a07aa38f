#!/usr/bin/env bash
# Install what is missing, then open the station on the embedded SQLite database with demo
# data (seeded once into a fresh database). Extra arguments go to `rma-station`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/rma-station --demo "$@"
