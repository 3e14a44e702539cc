"""GOV.UK Frontend's compiled files, served from the npm package (no copy in the repository); and the tracker's
own files (static/) at versioned addresses, so that browsers keep them without asking again on every page."""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, current_app, request, send_from_directory

bp = Blueprint("govuk", __name__)

STYLESHEET = "govuk-frontend.min.css"
# GOV.UK Frontend's stylesheet declares the GDS Transport font at /assets/fonts/…, an address the tracker
# does not serve (under the combined server it is the handbook's). That font is reserved for GOV.UK, and
# tracker.css sets system fonts, so the declarations are left out: no page asks for the font files.
FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
MAX_AGE = 86400


@lru_cache(maxsize=4)
def stylesheet_without_fonts(path: str, modified: float) -> str:  # modified: a new npm install is read afresh
    return FONT_FACE.sub("", Path(path).read_text(encoding="utf-8"))


@bp.route("/govuk/<path:filename>")
def govuk(filename: str):
    if filename != STYLESHEET:
        return send_from_directory(current_app.config["GOVUK_FRONTEND"], filename, max_age=MAX_AGE)
    path = Path(current_app.config["GOVUK_FRONTEND"]) / STYLESHEET
    response = Response(stylesheet_without_fonts(str(path), path.stat().st_mtime), mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    response.add_etag()
    return response.make_conditional(request)


# ---- the tracker's own files --------------------------------------------------------------------------------
# url_for("static", filename=…) adds ?v=<hash of the file's content>; a file asked for at its current version is
# kept by browsers for a year without asking again (on a phone with a slow signal, one round trip fewer per file
# and page), and a changed file has a new address. An old address still works, but is asked for each time.
YEAR = 365 * 24 * 3600


@lru_cache(maxsize=64)
def _content_hash(path: str, modified: int, size: int) -> str:  # modified, size: a changed file is read afresh
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def static_version(filename: str) -> str:
    """The version of a file in static/ ("" if there is no such file)."""
    path = Path(current_app.static_folder) / filename
    try:
        stat = path.stat()
    except OSError:
        return ""
    return _content_hash(str(path), stat.st_mtime_ns, stat.st_size) if path.is_file() else ""


@bp.app_url_defaults
def versioned_static(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "v" not in values:
        version = static_version(values.get("filename", ""))
        if version:
            values["v"] = version


@bp.after_app_request
def keep_versioned_files(response):
    if request.endpoint == "static" and response.status_code in (200, 304) and request.args.get("v") \
            and request.args["v"] == static_version((request.view_args or {}).get("filename", "")):
        response.cache_control.no_cache = None
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
    return response
