"""GOV.UK Frontend's compiled files, served from the npm package (no copy in the repository)."""
from __future__ import annotations

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
