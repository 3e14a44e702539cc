"""WSGI entry points for a production server (gunicorn).

    gunicorn 'tracker.wsgi:tracker_only()'   # the tracker alone, e.g. behind a proxy at /tracker
    gunicorn 'tracker.wsgi:combined()'       # the built handbook at / and the tracker at /tracker
"""
from __future__ import annotations

import os
from pathlib import Path

from werkzeug.exceptions import NotFound
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.middleware.shared_data import SharedDataMiddleware

from . import PROJECT_ROOT, create_app

TRACKER_PREFIX = "/tracker"


def tracker_only():
    return create_app()


def static_site(site_dir: Path):
    """Serve the built handbook; a folder URL serves its index.html."""
    files = SharedDataMiddleware(NotFound(), {"/": str(site_dir)}, cache_timeout=300)

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "") or "/"
        if path.endswith("/"):
            environ["PATH_INFO"] = path + "index.html"
        return files(environ, start_response)

    return app


def combined(site_dir: str | None = None):
    site = Path(site_dir or os.environ.get("HANDBOOK_SITE_DIR") or PROJECT_ROOT / "site")
    if not (site / "index.html").exists():
        raise SystemExit(f"No built handbook in {site}: run 'python build.py build' first")
    tracker = create_app({"SITE_URL": os.environ.get("TRACKER_SITE_URL", "/")})
    return DispatcherMiddleware(static_site(site), {TRACKER_PREFIX: tracker})
