#!/usr/bin/env bash
# Re-pin every Python dependency, with hashes, from pyproject.toml.
# Run after changing dependencies in pyproject.toml; commit requirements.lock.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pip install -q pip-tools
.venv/bin/pip-compile -q --generate-hashes --allow-unsafe --extra test \
    --output-file requirements.lock pyproject.toml
