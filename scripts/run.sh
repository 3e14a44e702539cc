#!/usr/bin/env bash
# Install what is needed, build the handbook (linked to the tracker), create demo data
# and serve both on http://127.0.0.1:8000/ : the handbook at / and the tracker at /tracker/
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh  # what runs the product only (test.sh adds the test tools)
# The tracker's full address, so that the handbook's tracker buttons work from file:// too
.venv/bin/python build.py build --tracker-url "http://127.0.0.1:${PORT:-8000}/tracker"
export TRACKER_INSTANCE_PATH="${TRACKER_INSTANCE_PATH:-$PWD/instance}"
# links in the emails the demo leaves in the outbox point at this server (the only source of links in
# email), and it answers to this host name; localhost too, for whoever types that instead
export TRACKER_PUBLIC_URL="${TRACKER_PUBLIC_URL:-http://127.0.0.1:${PORT:-8000}/tracker}"
export TRACKER_TRUSTED_HOSTS="${TRACKER_TRUSTED_HOSTS:-localhost}"
.venv/bin/flask --app tracker migrate    # the database and the instance's keys, made or brought up to date
.venv/bin/flask --app tracker demo-data
echo "Handbook: http://127.0.0.1:${PORT:-8000}/   Tracker: http://127.0.0.1:${PORT:-8000}/tracker/   (Ctrl+C to stop)"
exec .venv/bin/gunicorn --bind "127.0.0.1:${PORT:-8000}" --workers 2 --threads 4 --access-logfile - \
    --logger-class tracker.log_redaction.GunicornLogger \
    'tracker.wsgi:combined()'
