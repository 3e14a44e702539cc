#!/usr/bin/env bash
# Install what is needed, test tools included, then run every check and test.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --test
.venv/bin/ruff check .
.venv/bin/djlint --lint tracker/templates overrides  # the tracker's and the handbook theme's Jinja templates
.venv/bin/python build.py check
# every core (pytest-xdist); each worker builds the site it tests once. Pass -n 0 to run in one process.
.venv/bin/python -m pytest -n "${TEST_WORKERS:-auto}" "$@"
