"""The tracker's own error pages: a plain explanation and what to do, never a stack trace."""
from __future__ import annotations

import errno
import sqlite3

from flask import Blueprint, current_app, render_template
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

ERRORS = {
    400: (_l("Something was wrong with that request"), _l("Go back, reload the page and try again.")),
    403: (_l("You do not have access to this page"), _l("If you think you should, ask your manager or administrator.")),
    404: (_l("Page not found"), _l("Check the address, or go back to your dashboard.")),
    405: (_l("That action is not allowed here"), _l("Go back and use the buttons on the page.")),
    413: (_l("The file is too big"), _l("Files must be smaller than 10 MB. Go back and choose a smaller file.")),
    500: (_l("Sorry, there is a problem with the service"),
          _l("Try again later. Nothing you saved before this has been lost.")),
}
# Passing conditions, answered 503 with a page that says nothing was saved: the change that met one
# was rolled back whole (and its uploaded file removed), and the next request tries afresh.
BUSY = (_l("The tracker is busy"), _l("Nothing was saved. Wait a moment and try again."))
FULL = (_l("The tracker cannot save just now"), _l("Nothing was changed. Try again later."))
BUSY_RETRY_SECONDS = 5
# SQLite's primary result codes (the low byte of an extended one)
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_FULL = 5, 6, 13
FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}


def database_problem(error: sqlite3.OperationalError) -> tuple | None:
    """BUSY when another connection held the write lock past the busy timeout, FULL when the disk
    is full, None for anything else (a real fault: the 500 page, and logged with its traceback)."""
    code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
    message = str(error).lower()
    if code == SQLITE_FULL or "database or disk is full" in message:
        return FULL
    if code in (SQLITE_BUSY, SQLITE_LOCKED) or "locked" in message or "busy" in message:
        return BUSY
    return None


bp = Blueprint("errors", __name__)


def render(code: int):
    title, advice = ERRORS[code]
    return render_template("error.html", title=title, advice=advice, code=code), code


for _code in ERRORS:
    bp.app_errorhandler(_code)(lambda error, code=_code: render(code))


def unavailable(page: tuple, error: Exception):
    current_app.logger.warning("answered 503 (%s): %s", "busy" if page is BUSY else "disk full", error)
    title, advice = page
    headers = {"Retry-After": str(BUSY_RETRY_SECONDS)} if page is BUSY else {}
    return render_template("error.html", title=title, advice=advice, code=503), 503, headers


@bp.app_errorhandler(sqlite3.OperationalError)
def database_error(error):
    page = database_problem(error)
    if page is None:
        raise error
    return unavailable(page, error)


@bp.app_errorhandler(OSError)
def disk_error(error):
    if error.errno not in FULL_ERRNOS:
        raise error
    return unavailable(FULL, error)


@bp.app_errorhandler(CSRFError)
def csrf_error(error):
    return render_template("error.html", title=gettext("Your form has expired"),
                           advice=gettext("Go back, reload the page and submit the form again."), code=400), 400
