#!/usr/bin/env bash
# Re-pin every Python dependency, with hashes, from pyproject.toml: requirements.lock holds what runs the
# product (run.sh), requirements-test.lock the same pins plus the test tools (test.sh). Each keeps the pins
# it already has unless pyproject.toml asks otherwise. Run after changing pyproject.toml; commit both.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pip install -q pip-tools
.venv/bin/pip-compile -q --generate-hashes --allow-unsafe --extra test \
    --output-file requirements-test.lock pyproject.toml
.venv/bin/pip-compile -q --generate-hashes --allow-unsafe \
    --output-file requirements.lock pyproject.toml
