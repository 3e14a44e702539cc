#!/usr/bin/env bash
# Install what is needed, build the handbook and serve it on http://127.0.0.1:8000/
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
.venv/bin/python build.py build
echo "Serving the handbook on http://127.0.0.1:${PORT:-8000}/ (Ctrl+C to stop)"
exec .venv/bin/python -m http.server --bind 127.0.0.1 --directory site "${PORT:-8000}"
