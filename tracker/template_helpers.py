"""Helpers every template may use: state tags, record links, role labels and dates."""
from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

from babel.dates import format_date
from flask import Blueprint, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from handbook.timeestimate import TimeEstimateError, describe_range
from handbook.timeestimate import in_language as estimate_in_language

from . import content
from .accounts import ROLE_LABELS
from .dates import shown
from .i18n import current_language
from .records import STATE_LABELS, STATE_TAG_COLOURS

bp = Blueprint("template_helpers", __name__)
# Python helpers, not Jinja macros: dashboards show one per activity, and macro calls are slow.
# One set of state tags per language, made on first use.
_state_tags: dict[str, dict[str, Markup]] = {}


def state_tag(state: str) -> Markup:
    language = current_language()
    if language not in _state_tags:
        _state_tags[language] = {
            key: Markup('<strong class="govuk-tag govuk-tag--{}">{}</strong>').format(STATE_TAG_COLOURS[key],
                                                                                     whole_words(label))
            for key, label in STATE_LABELS.items()}
    return _state_tags[language][state]


RAG_LABELS = {"red": _l("Behind"), "amber": _l("Needs attention"), "green": _l("On track")}
RAG_HELP = {"red": _l("something is overdue"), "amber": _l("something is returned or due within 7 days"),
            "green": _l("nothing overdue, returned or due within 7 days")}


def rag_tag(status: str) -> Markup:
    """progress.rag's status as a GOV.UK tag: its words say it, the colour only repeats them."""
    colour = {"red": "red", "amber": "orange", "green": "green"}[status]
    return Markup('<strong class="govuk-tag govuk-tag--{} tracker-rag">{}</strong>').format(
        colour, whole_words(str(RAG_LABELS[status])))


def record_url(inductee_id: int, activity_id: str) -> str:
    # Same URL as url_for("records.record", ...) (a test checks), built without the router
    # because dashboards link every activity of every inductee.
    return f"{request.script_root}/records/{int(inductee_id)}/{quote(str(activity_id), safe='.')}"


def register(state) -> None:
    env = state.app.jinja_env
    env.globals.update(ROLE_LABELS=ROLE_LABELS, STATE_LABELS=STATE_LABELS, STATE_TAG_COLOURS=STATE_TAG_COLOURS,
                       state_tag=state_tag, record_url=record_url, time_range=time_range, quiz_title=quiz_title,
                       given_text=given_text, activity_title=activity_title, lang_of=lang_of, rag_tag=rag_tag,
                       RAG_LABELS=RAG_LABELS, RAG_HELP=RAG_HELP)
    env.filters.update(date=format_day, weekday_date=weekday_date, estimate=estimate, marked=marked,
                       whole_words=whole_words, email_address=email_address)


bp.record_once(register)


@bp.app_context_processor
def service():  # the service's name and words, from the pack's mkdocs.yml (handbook/service.py)
    return {"service": content.service(), "tracker_name": tracker_name, "section_label": content.section_label,
            "handbook_home": content.handbook_home}


def format_day(value) -> str:
    """A stored date or timestamp in the page's language (the `date` filter)."""
    return shown(value, current_language())


def tracker_name() -> str:
    """handbook.service.Service.tracker_name in the page's language."""
    return gettext("%(service)s induction tracker", service=content.service().short_name)


def time_range(progress) -> str:
    """An induction's estimated time still to do (progress.Induction or TeamRow), as the dashboards write it."""
    low, high = progress.remaining_min, progress.remaining_max
    if high == 0:
        return gettext("nothing")
    return describe_range(low, high, current_language())


def estimate(text: str) -> str:
    """An activity's time estimate ('half a day') as the page's reader should see it ('hanner diwrnod')."""
    try:
        return estimate_in_language(text, current_language())
    except TimeEstimateError:
        return text


def weekday_date(value: dt.date) -> str:
    """'Monday 5 March' / 'Dydd Llun 5 Mawrth': the timeline's days."""
    return format_date(value, "EEEE d MMMM", locale=current_language())


def quiz_title(quiz_id: str, stored: str) -> str:
    """A quiz attempt's title in the page's language while the quiz is in the handbook, else as stored."""
    quiz = content.project().quizzes.get(quiz_id)
    return quiz.title if quiz else stored


# What quizzes.mark_question stores for answers that are not an option's text (kept in English in the
# attempt; shown in the page's language).
GIVEN = {"No answer": _l("No answer"), "Not a valid choice": _l("Not a valid choice"),
         "True": _l("True"), "False": _l("False")}


def given_text(given: str) -> str:
    return str(GIVEN.get(given, given))


def activity_title(activity_id: str, stored: str) -> str:
    """A record's activity title in the page's language while the activity is in the handbook, else as stored."""
    activity = content.project().activities.get(activity_id)
    return activity.title if activity else stored


def lang_of(kind: str, key) -> Markup:
    """' lang="en"' for an element holding a handbook item's text (kind: activity, quiz, section) when the page
    is not in English and the item has no translation into its language: a screen reader then reads the
    English as English. Empty otherwise."""
    language = current_language()
    if language == "en" or content.project().translated(kind, str(key), language):
        return Markup("")
    return Markup(' lang="en"')


def marked(text, kind: str, key) -> Markup:
    """The text, in <span lang="en"> when lang_of says it is English on a page in another language."""
    attribute = lang_of(kind, key)
    return Markup("<span{}>{}</span>").format(attribute, text) if attribute else escape(text)


def whole_words(text) -> Markup:
    """The text with each hyphenated word kept on one line: a narrow status tag wraps between words ("Waiting for" /
    "sign-off"), never after a hyphen ("sign-" / "off"), which no CSS property prevents."""
    return Markup(" ").join(Markup('<span class="tracker-nowrap">{}</span>').format(word) if "-" in word
                            else escape(word) for word in str(text).split(" "))


def email_address(address) -> Markup:
    """An email address that may wrap after its "@" and hyphens and before its dots, where a reader expects it to
    ("inductee@" / "example.org"), and nowhere else. In a table column, these break opportunities keep the
    column's narrowest width to a part of the address, without letting it squeeze the address letter by letter."""
    text = str(escape(address or ""))
    return Markup(re.sub(r"[@-]", r"\g<0><wbr>", text).replace(".", "<wbr>."))
