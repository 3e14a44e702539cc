"""GOV.UK Frontend's compiled files, served from the npm package (no copy in the repository)."""
from __future__ import annotations

from flask import Blueprint, current_app, send_from_directory

bp = Blueprint("govuk", __name__)


@bp.route("/govuk/<path:filename>")
def govuk(filename: str):
    return send_from_directory(current_app.config["GOVUK_FRONTEND"], filename, max_age=86400)
