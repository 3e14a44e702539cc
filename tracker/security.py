"""Security headers on every response of the tracker, and the same headers for the handbook
when the combined server serves it (tracker/wsgi.py)."""
from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import Blueprint, request, url_for
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import SecurityError

from . import log_redaction

CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                           "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


# The only responses the same for everyone, which browsers may keep: the tracker's CSS and scripts, GOV.UK
# Frontend's files, and the libraries that save offline (Workbox, idb).
SHARED_ENDPOINTS = {"static", "govuk.govuk", "offline.library"}


# The headers every response carries, the tracker's and the handbook's alike.
SECURITY_HEADERS = (("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"),
                    ("X-Frame-Options", "DENY"))


# Responses that never set the session cookie: the shared files, and what the browser fetches by itself beside a
# page, the same for everyone (the offline worker's script and the web app manifest).
SESSIONLESS_ENDPOINTS = SHARED_ENDPOINTS | {"offline.worker", "offline.manifest"}


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, except that SESSIONLESS_ENDPOINTS never set the cookie: a response a
    browser or proxy may keep must carry no one's session, and a file fetched alongside a page (by the page, or
    by the offline worker as it installs) would otherwise send back the session as it was when asked for, undoing
    a change the page made meanwhile, such as the language just chosen."""

    def should_set_cookie(self, app, session) -> bool:
        return request.endpoint not in SESSIONLESS_ENDPOINTS and super().should_set_cookie(app, session)


def _install(state) -> None:
    log_redaction.install()  # names and tokens kept out of the request log
    state.app.session_interface = SessionInterface()


bp = Blueprint("security", __name__)
bp.record_once(_install)


@bp.after_app_request
def security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    for name, value in SECURITY_HEADERS:
        response.headers.setdefault(name, value)
    if request.endpoint not in SHARED_ENDPOINTS:
        # Pages and downloads (portfolio PDF, JSON exports, evidence files) hold personal data:
        # no browser or proxy may keep a copy. send_file's own "no-cache" is replaced.
        # A response that already forbids storing (a calendar feed's "private, no-store") keeps its own.
        if "no-store" not in response.headers.get("Cache-Control", ""):
            response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_errorhandler(SecurityError)
def unknown_host(error):
    """A request for a host name the tracker does not serve (TRUSTED_HOSTS): refused before routing, so the
    usual error page, which builds links from the request, cannot be made. A plain answer instead."""
    from flask import Response
    return Response("400 Bad Request: this server does not answer to that host name.\n", status=400,
                    mimetype="text/plain")


def safe_next(target: str | None) -> str:
    """Where to go after signing in: only a path on this server, else the home page.

    Browsers drop tabs and newlines inside a URL and read a backslash as a slash, so a slash,
    a tab and "/evil.example", or a slash, a backslash and "evil.example", would leave the site.
    The target is judged, and used, with every whitespace and control character removed
    (which also keeps CR and LF out of the Location header)."""
    cleaned = "".join(c for c in target or "" if not (c.isspace() or unicodedata.category(c)[0] in "CZ"))
    if not cleaned.startswith("/") or cleaned.startswith("//") or "\\" in cleaned:
        return url_for("home")
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc:
        return url_for("home")
    return cleaned
