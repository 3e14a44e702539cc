"""The WSGI app that bench/tracker.py serves with gunicorn: the real tracker app, configured
from TRACKER_* environment variables as in production, plus one bare route that exists only
in the benchmark, so the tracker's pages and a do-nothing Flask route run in the same server.

    gunicorn --pythonpath . 'bench.tracker_app:create()'
"""
from __future__ import annotations

from tracker import create_app


def create():
    app = create_app()
    app.add_url_rule("/bench-bare", "bench_bare", lambda: "ok")
    return app
