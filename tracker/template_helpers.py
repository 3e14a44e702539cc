"""Helpers every template may use: state tags, record links, role labels and dates."""
from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from flask import Flask, request
from markupsafe import Markup


def register_template_helpers(app: Flask) -> None:
    from .accounts import ROLE_LABELS
    from .records import STATE_LABELS, STATE_TAG_COLOURS

    # Python helpers, not Jinja macros: dashboards show one per activity, and macro calls are slow.
    state_tags = {state: Markup(f'<strong class="govuk-tag govuk-tag--{STATE_TAG_COLOURS[state]}">{label}</strong>')
                  for state, label in STATE_LABELS.items()}

    def record_url(inductee_id: int, activity_id: str) -> str:
        # Same URL as url_for("records.record", ...) (a test checks), built without the router
        # because dashboards link every activity of every inductee.
        return f"{request.script_root}/records/{int(inductee_id)}/{quote(str(activity_id), safe='.')}"

    app.jinja_env.globals.update(ROLE_LABELS=ROLE_LABELS, STATE_LABELS=STATE_LABELS,
                                 STATE_TAG_COLOURS=STATE_TAG_COLOURS, state_tag=state_tags.__getitem__,
                                 record_url=record_url)
    app.jinja_env.filters["date"] = lambda value: _format_date(value)

    from . import content

    @app.context_processor
    def service():  # the service's name and words, from the pack's mkdocs.yml (handbook/service.py)
        return {"service": content.project().service}


def _format_date(value) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = (dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if "T" in value
                     else dt.date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        return value.strftime("%-d %B %Y at %H:%M")
    return value.strftime("%-d %B %Y")
