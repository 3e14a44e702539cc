"""Rendered pages people wait on (the dashboards, the service lead's report, record pages and portfolio pages),
reused until something they show changes.

Every change to a table in PAGE_TABLES bumps data_version (triggers in migrations 3, 4, 6, 18 and 19;
tests/tracker/test_schema.py checks that exactly these tables carry them).
A page is reused only for the same signed-in session (its CSRF secret), the same URL, the
same data version, the same language and the same day (overdue depends on the date), and never when a flash
message is waiting. Access checks run before the cache is consulted."""
from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict

from flask import request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from . import i18n
from .db import get_db

# What the kept pages show; a new table one of them reads must be added here and given the three triggers.
PAGE_TABLES = ("users", "team_members", "plan_items", "records", "supervision_sessions", "supervision_actions",
               "reflections", "reflection_reads", "plans", "quiz_attempts", "induction_signoffs",
               "supervision_agreements",
               # record pages and portfolios besides (the audit log: a record page shows its history)
               "evidence", "comments", "witness_requests", "pdp_versions", "pdp_comments", "content_snapshots",
               "reflection_comments", "audit_log")
clock = time.time  # (a test moves it on)
MAX_PAGES = 512  # per server process; a page is about 30 KB
_pages: OrderedDict = OrderedDict()
_lock = threading.Lock()


def data_version() -> int:
    return get_db().conn.execute("SELECT version FROM data_version").fetchone()[0]


def serve(render, within_seconds: int | None = None):
    """render() -> (html, status) or html. Returns a cached copy when nothing has changed (and, with
    within_seconds, only within the same span of that many seconds: for a page that shows something the clock
    changes, such as a link's expiry)."""
    if "_flashes" in session:
        return render()
    # The session's CSRF secret must exist before it is part of the key: sign-in starts a fresh session
    # without one, and a page rendered for one session (its forms carry that session's token) must
    # never be served to another session of the same person, nor a page from before a change.
    if "csrf_token" not in session:
        generate_csrf()  # (signing a token for the page is needed only when the page is made)
    key = (current_user.id, session["csrf_token"], request.full_path, data_version(), dt.date.today(),
           i18n.current_language(), int(clock() // within_seconds) if within_seconds else None)
    with _lock:
        page = _pages.get(key)
        if page is not None:
            _pages.move_to_end(key)
            return page
    page = render()
    with _lock:
        _pages[key] = page
        while len(_pages) > MAX_PAGES:
            _pages.popitem(last=False)
    return page


def clear() -> None:
    with _lock:
        _pages.clear()
