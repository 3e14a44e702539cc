#!/usr/bin/env bash
# Install what is needed, then run every check and test.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/python build.py check
.venv/bin/python -m pytest "$@"
