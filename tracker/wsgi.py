"""WSGI entry points for a production server (gunicorn).

    gunicorn 'tracker.wsgi:tracker_only()'   # the tracker alone, e.g. behind a proxy at /tracker
    gunicorn 'tracker.wsgi:combined()'       # the built handbook at / and the tracker at /tracker

Both refuse to start without TRACKER_PUBLIC_URL: links in emails are made only from it, and requests
for any Host other than its (and TRACKER_TRUSTED_HOSTS) are refused. Both refuse to start, too, on a
database that `flask --app tracker migrate` has not made or brought up to this version's schema.
"""
from __future__ import annotations

import base64
import hashlib
import os
import re
from pathlib import Path

from werkzeug.exceptions import BadRequest, NotFound, SecurityError
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.middleware.shared_data import SharedDataMiddleware
from werkzeug.utils import redirect
from werkzeug.wsgi import get_host

from . import PROJECT_ROOT, create_app, db, portfolio, server_lock
from .config import setting_on
from .security import SECURITY_HEADERS

TRACKER_PREFIX = "/tracker"


class NoPublicUrl(SystemExit):
    pass


class DatabaseNotReady(SystemExit):
    pass


def production_app(overrides: dict | None = None):
    app = create_app(overrides)
    if not app.config["PUBLIC_URL"]:
        raise NoPublicUrl("TRACKER_PUBLIC_URL is not set. Set it to the address people use to reach the tracker,"
                          " e.g. https://tracker.example.org/tracker: links in emails are made only from it, and"
                          " requests for other host names are refused (docs/deployment.md).")
    # The server never migrates by itself (each worker would, as it started): the operator runs
    # `flask --app tracker migrate`, after a backup, and until then the server refuses to start.
    problem = db.schema_problem(app.config["DATABASE"])
    if problem:
        raise DatabaseNotReady(f"{problem} (docs/deployment.md). The tracker did not start.")
    # held while this process runs: `restore` refuses to replace the database under a running server
    app.extensions["server_lock"] = server_lock.hold_for_server(app.config["DATABASE"])
    if setting_on(app.config["PDF_WARM_UP"]):  # TRACKER_PDF_WARM_UP=false turns it off (bench/portfolio_pdf.py)
        portfolio.warm_up(app)  # in the background: the first portfolio PDF is then as quick as the next
    return app


def tracker_only():
    return production_app()


def static_site(site_dir: Path):
    """Serve the built handbook; a folder URL serves its index.html, and a missing file the site's own
    404 page (navigation, search) in the language of the folder asked for: site/cy/404.html under /cy/."""
    files = SharedDataMiddleware(not_found_page(site_dir), {"/": str(site_dir)}, cache_timeout=300)

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "") or "/"
        if path.endswith("/"):
            environ["PATH_INFO"] = path + "index.html"
        elif SITE_FOLDER.fullmatch(path) and (site_dir / path.lstrip("/")).is_dir():  # /cy: the Welsh site is /cy/
            return redirect(path + "/", 301)(environ, start_response)
        return files(environ, start_response)

    return app


SITE_FOLDER = re.compile(r"/([A-Za-z0-9_-]+)")  # a folder at the top of the site: /cy is the Welsh site's
ROOTED_URL = re.compile(rb"""(["'])/(?!/)""")  # a quoted address from the site's root: "/assets/…", "/"


def not_found_page(site_dir: Path):
    """The 404 page of the site the missing address is in: a language's site (its folder has a 404.html),
    else the English one. The builders write 404.html with addresses from the root ("/index.html", the
    search index's "base": "/"), as a page that is sent for any address at any depth; the Welsh site's
    copy is in /cy/, so its root-relative addresses are moved there, or its links would lead to the
    English site."""
    def app(environ, start_response):
        folder = SITE_FOLDER.match(environ.get("PATH_INFO", ""))
        root = "/"
        if folder and (site_dir / folder[1] / "404.html").is_file():
            root = f"/{folder[1]}/"
        page = site_dir / root.strip("/") / "404.html"
        if not page.is_file():
            return NotFound()(environ, start_response)
        body = page.read_bytes()
        if root != "/":
            body = ROOTED_URL.sub(lambda quote: quote[1] + root.encode(), body)
        start_response("404 NOT FOUND", [("Content-Type", "text/html; charset=utf-8"),
                                         ("Content-Length", str(len(body)))])
        return [body]

    return app


# The handbook's policy is the tracker's with one difference: MkDocs Material puts a few small
# scripts inline in every page (the colour palette, the site's base URL, which differs with the
# page's depth, and a scroll-to-anchor fix). Each page's own inline scripts are allowed by their
# SHA-256 hashes, so nothing else inline can run: no 'unsafe-inline'. Material sets styles only
# through the CSSOM, which style-src does not govern, so styles stay 'self' only. The search
# worker is a same-origin file (the iframe shim replaces it only under file://).
HANDBOOK_CSP = ("default-src 'self'; script-src 'self'{hashes}; style-src 'self'; img-src 'self' data:; "
                "font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; "
                "form-action 'self'; frame-ancestors 'none'")
INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S | re.I)
DATA_BLOCK = re.compile(rb"""\btype=["']?application/(?:ld\+)?json""", re.I)


def handbook_policy(html: bytes) -> str:
    hashes = sorted({"'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
                     for attributes, body in INLINE_SCRIPT.findall(html) if not DATA_BLOCK.search(attributes)})
    return HANDBOOK_CSP.format(hashes="".join(" " + h for h in hashes))


SECURITY_HEADER_NAMES = {"content-security-policy"} | {name.lower() for name, _ in SECURITY_HEADERS}


def with_security_headers(app):
    """The tracker's security headers on the handbook's files too. An HTML page is read whole
    (pages are small) so that its policy can allow exactly its own inline scripts; every other
    file streams through with the policy that allows no inline script at all."""
    def wrapped(environ, start_response):
        held = {}

        def start(status, headers, exc_info=None):
            held["called"] = True
            headers = [(k, v) for k, v in headers if k.lower() not in SECURITY_HEADER_NAMES] + list(SECURITY_HEADERS)
            content_type = next((v for k, v in headers if k.lower() == "content-type"), "")
            if content_type.startswith("text/html"):
                held.update(status=status, headers=headers, exc_info=exc_info)
                return held.setdefault("written", []).append
            return start_response(status, headers + [("Content-Security-Policy", HANDBOOK_CSP.format(hashes=""))],
                                  exc_info)

        chunks = app(environ, start)
        if not held:  # an application that starts its response only once iterated
            chunks = _read_all(chunks)
        if "status" not in held:
            return chunks
        body = b"".join(held["written"] + _read_all(chunks))
        headers = held["headers"] + [("Content-Security-Policy", handbook_policy(body))]
        start_response(held["status"], headers, held["exc_info"])
        return [body]

    return wrapped


def _read_all(chunks) -> list[bytes]:
    try:
        return list(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()


def combined(site_dir: str | None = None):
    return mount(production_app(combined_settings()), site_dir)


def combined_settings() -> dict:
    # The session cookie is sent to the tracker only, never with the handbook's pages.
    return {"SITE_URL": os.environ.get("TRACKER_SITE_URL", "/"), "SESSION_COOKIE_PATH": TRACKER_PREFIX}


def mount(tracker, site_dir: str | None = None):
    """The built handbook at / and this tracker app (made with combined_settings()) at /tracker."""
    site = Path(site_dir or os.environ.get("HANDBOOK_SITE_DIR") or PROJECT_ROOT / "site")
    if not (site / "index.html").exists():
        raise SystemExit(f"No built handbook in {site}: run 'python build.py build' first")
    handbook = trusted_hosts_only(with_security_headers(static_site(site)), tracker.config["TRUSTED_HOSTS"])
    return DispatcherMiddleware(handbook, {TRACKER_PREFIX: tracker})


def trusted_hosts_only(app, hosts: list[str]):
    """The handbook's files answer only the host names the tracker does (the tracker checks its own)."""
    def wrapped(environ, start_response):
        try:
            get_host(environ, trusted_hosts=hosts)
        except SecurityError:
            return BadRequest("Unknown host")(environ, start_response)
        return app(environ, start_response)

    return wrapped
