"""The WSGI app that bench/tracker.py serves with gunicorn, as scripts/run.sh serves the product: the built
handbook at / and the real tracker at /tracker (tracker.wsgi.combined), configured from TRACKER_* environment
variables, plus two bare routes that exist only in the benchmark, so that each page is compared with a route
that runs through the same server, middleware and request hooks and does nothing of its own:

    GET  /tracker/bench-bare?size=N   an HTML page of N bytes (the size of the page it is compared with)
    POST /tracker/bench-write?id=N    what a sign-off writes, and nothing else: one UPDATE and one audit
                                      INSERT in one transaction on the tracker's own connection
                                      (WAL, synchronous = FULL), then a redirect

    gunicorn --pythonpath . 'bench.tracker_app:combined()'

BENCH_NO_PAGE_CACHE=1 keeps no rendered page (tracker/pagecache.py), to measure pages rendered every time.
"""
from __future__ import annotations

import datetime as dt
import os

from flask import Response, redirect, request

from tracker import pagecache, wsgi
from tracker.db import get_db, writing

BARE_PAGE = "<!DOCTYPE html><html lang=\"en\"><head><title>Bare</title></head><body><p>{}</p></body></html>"
# The bare write's own tables, made by bench/tracker.py beside the tracker's: the same shape of write as a
# sign-off (records' row updated, one audit row added) without the tracker's triggers or rules.
BENCH_TABLES = """
CREATE TABLE IF NOT EXISTS bench_rows (id INTEGER PRIMARY KEY, state TEXT, updated_at TEXT, updated_by INTEGER);
CREATE TABLE IF NOT EXISTS bench_audit (id INTEGER PRIMARY KEY, at TEXT, actor_id INTEGER, action TEXT,
    record_id INTEGER, from_state TEXT, to_state TEXT);
"""


def bare():
    size = max(int(request.args.get("size", 2)), len(BARE_PAGE.format("")))
    return Response(BARE_PAGE.format("x" * (size - len(BARE_PAGE.format("")))), mimetype="text/html")


def bare_write():
    row = int(request.args.get("id", 1))
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    db = get_db()
    with writing(db):
        db.conn.execute("UPDATE bench_rows SET state = 'signed_off', updated_at = ?, updated_by = 1 WHERE id = ?",
                        (now, row))
        db.conn.execute("INSERT INTO bench_audit (at, actor_id, action, record_id, from_state, to_state)"
                        " VALUES (?, 1, 'record.sign_off', ?, 'submitted', 'signed_off')", (now, row))
    return redirect("/tracker/bench-bare", 302)


def with_bare_routes(app):
    app.add_url_rule("/bench-bare", "bench_bare", bare)
    app.add_url_rule("/bench-write", "bench_write", bare_write, methods=["POST"])
    return app


def combined():
    if os.environ.get("BENCH_NO_PAGE_CACHE"):
        pagecache.MAX_PAGES = 0
    return wsgi.mount(with_bare_routes(wsgi.production_app(wsgi.combined_settings())))
