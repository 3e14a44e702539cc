#!/usr/bin/env bash
# Install what is needed, test tools included, then run every check and test.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --test
.venv/bin/ruff check .
.venv/bin/djlint --lint tracker/templates overrides  # the tracker's and the handbook theme's Jinja templates
.venv/bin/python build.py check
.venv/bin/python -m pytest "$@"
