"""Helpers every template may use: state tags, record links, role labels and dates."""
from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from babel.dates import format_date
from flask import Flask, request
from flask_babel import gettext
from markupsafe import Markup, escape

from handbook.timeestimate import MINUTES_PER_UNIT

from .i18n import current_language


def register_template_helpers(app: Flask) -> None:
    from .accounts import ROLE_LABELS
    from .records import STATE_LABELS, STATE_TAG_COLOURS

    # Python helpers, not Jinja macros: dashboards show one per activity, and macro calls are slow.
    # One set of tags per language, made on first use.
    state_tags: dict[str, dict[str, Markup]] = {}

    def state_tag(state: str) -> Markup:
        language = current_language()
        if language not in state_tags:
            state_tags[language] = {
                key: Markup(f'<strong class="govuk-tag govuk-tag--{STATE_TAG_COLOURS[key]}">{escape(label)}</strong>')
                for key, label in STATE_LABELS.items()}
        return state_tags[language][state]

    def record_url(inductee_id: int, activity_id: str) -> str:
        # Same URL as url_for("records.record", ...) (a test checks), built without the router
        # because dashboards link every activity of every inductee.
        return f"{request.script_root}/records/{int(inductee_id)}/{quote(str(activity_id), safe='.')}"

    app.jinja_env.globals.update(ROLE_LABELS=ROLE_LABELS, STATE_LABELS=STATE_LABELS,
                                 STATE_TAG_COLOURS=STATE_TAG_COLOURS, state_tag=state_tag,
                                 record_url=record_url)
    app.jinja_env.filters["date"] = lambda value: _format_date(value)
    app.jinja_env.filters["weekday_date"] = weekday_date
    app.jinja_env.globals.update(time_range=time_range)

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
    # Month names in the page's language (Babel's CLDR data): "5 March 2026", "5 Mawrth 2026".
    day = format_date(value, "d MMMM y", locale=current_language())
    if isinstance(value, dt.datetime):
        return gettext("%(date)s at %(time)s", date=day, time=value.strftime("%H:%M"))
    return day


def describe_minutes(minutes: int) -> str:
    """handbook.timeestimate.describe_minutes in the page's language: '45 min', '3 h 30 min', '2.5 days'."""
    if minutes < 60:
        return gettext("%(minutes)s min", minutes=minutes)
    if minutes < MINUTES_PER_UNIT["day"]:
        hours, rest = divmod(minutes, 60)
        return (gettext("%(hours)s h %(minutes)s min", hours=hours, minutes=rest) if rest
                else gettext("%(hours)s h", hours=hours))
    days = f"{minutes / MINUTES_PER_UNIT['day']:.1f}".removesuffix(".0")
    return gettext("%(days)s days", days=days)


def time_range(progress) -> str:
    """An induction's estimated time still to do (progress.Induction or TeamRow), as the dashboards write it."""
    low, high = progress.remaining_min, progress.remaining_max
    if high == 0:
        return gettext("nothing")
    low_text, high_text = describe_minutes(low), describe_minutes(high)
    return low_text if low_text == high_text else gettext("%(low)s to %(high)s", low=low_text, high=high_text)


def weekday_date(value: dt.date) -> str:
    """'Monday 5 March' / 'Dydd Llun 5 Mawrth': the timeline's days."""
    return format_date(value, "EEEE d MMMM", locale=current_language())
