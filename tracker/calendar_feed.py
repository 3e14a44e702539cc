"""Calendars: each inductee and manager has a private iCalendar feed, subscribed to by a secret address
the person can reset, and any supervision session can be downloaded as one .ics file.

A feed holds titles and dates only: supervision sessions (the date recorded, all day: the tracker keeps
no time of day), the next session planned, supervision actions due and activity target dates from the
plan. Never what anyone wrote (agenda, discussion, decisions, an action's description, record notes,
evidence, reflections): calendar apps copy a feed to their own servers. An inductee's feed is their own;
a manager's holds their team's, each title with the inductee's name.

The address is a capability, like a witness's link: a random token, of which the tracker keeps only the
SHA-256 (calendar_feeds); anyone holding the address can read the feed without signing in, so a reset
makes a new token and the old address stops working. Events keep the same UID from one fetch to the
next ("session-12@host"), so a calendar app updates them instead of adding copies.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from icalendar import Calendar, Event

from . import accounts, audit, content, mail
from .access import role_required
from .audit_actions import Action
from .dates import as_date
from .db import get_db, writing
from .i18n import language_for
from .supervision import session_or_404

bp = Blueprint("calendar_feed", __name__)
LINK_KEY = "calendar_link"  # the session holds a new feed address just long enough to show it once
FINISHED_STATES = ("signed_off", "done")  # an activity target that no longer needs a reminder
PRODUCT_ID = "-//EWS induction tracker//calendar//EN"
# Each kind of event's title: in the inductee's own feed, and in a manager's (with the inductee's name).
TITLES = {
    "session": (_l("Supervision"), _l("Supervision: %(name)s")),
    "next-session": (_l("Next supervision session"), _l("Next supervision session: %(name)s")),
    "action": (_l("Supervision action due"), _l("Supervision action due: %(name)s")),
    "target": (_l("Target: activity %(id)s, %(title)s"), _l("%(name)s: activity %(id)s, %(title)s")),
}


class LinkForm(FlaskForm):
    """'Make my calendar link' and 'Reset the link': a CSRF-checked button, no fields."""


@dataclass(frozen=True)
class Item:
    uid: str  # stable across fetches: the part before "@host"
    title: str
    day: dt.date


# ---- the secret address ------------------------------------------------------------------------------

def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def has_link(db, user_id: int) -> bool:
    return db.execute("SELECT 1 FROM calendar_feeds WHERE user_id = ?", [user_id]).fetchone() is not None


def make_link(db, user_id: int) -> str:
    """A new token for the person's feed, replacing any earlier one (whose address stops working)."""
    token = secrets.token_urlsafe(32)
    with writing(db):
        replaced = has_link(db, user_id)
        db.conn.execute("INSERT INTO calendar_feeds (user_id, token_hash, created_at)"
                        " VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) ON CONFLICT (user_id) DO UPDATE SET"
                        " token_hash = excluded.token_hash, created_at = excluded.created_at",
                        (user_id, token_hash(token)))
        audit.log(db, user_id, Action.CALENDAR_LINK_RESET if replaced else Action.CALENDAR_LINK_MADE,
                  subject_id=user_id)
    return token


def owner_of(db, token: str) -> dict | None:
    """The active inductee or manager whose feed this token opens, or None."""
    row = db.execute("SELECT user_id FROM calendar_feeds WHERE token_hash = ?", [token_hash(token)]).fetchone()
    person = accounts.get_user(db, row[0]) if row else None
    if person is None or not person["active"] or person["role"] not in ("inductee", "manager"):
        return None
    return person


# ---- what a feed holds -----------------------------------------------------------------------------

def inductee_items(db, inductee: dict, named: bool) -> list[Item]:
    """One inductee's sessions, next session planned, open actions with a due date and activity targets.
    named: the inductee's name in each title (a manager's feed)."""
    inductee_id, name = inductee["id"], inductee["name"]

    def title(kind: str, **values) -> str:
        return str(TITLES[kind][named]) % {"name": name, **values}

    items = []
    sessions = list(db.query("SELECT id, session_date, next_date FROM supervision_sessions WHERE inductee_id = ?"
                             " ORDER BY session_date, id", [inductee_id]))
    for row in sessions:
        if day := as_date(row["session_date"]):
            items.append(Item(f"session-{row['id']}", title("session"), day))
    if sessions and (planned := as_date(sessions[-1]["next_date"])):
        items.append(Item(f"next-session-{inductee_id}",
                          title("next-session"), planned))
    for row in db.query("SELECT id, due_date FROM supervision_actions WHERE inductee_id = ? AND done_at IS NULL"
                        " AND due_date IS NOT NULL ORDER BY due_date, id", [inductee_id]):
        if day := as_date(row["due_date"]):
            items.append(Item(f"action-{row['id']}", title("action"), day))
    finished = {r[0] for r in db.execute("SELECT activity_id FROM records WHERE inductee_id = ? AND state IN (?, ?)",
                                         [inductee_id, *FINISHED_STATES])}
    for row in db.query("SELECT activity_id, target_date FROM plan_items WHERE inductee_id = ? AND NOT not_required"
                        " AND target_date IS NOT NULL ORDER BY target_date, activity_id", [inductee_id]):
        activity = content.activity(row["activity_id"])
        day = as_date(row["target_date"])
        if activity is None or day is None or row["activity_id"] in finished:
            continue
        items.append(Item(f"target-{inductee_id}-{row['activity_id']}",
                          title("target", id=activity.id, title=activity.title), day))
    return items


def items_for(db, person: dict) -> list[Item]:
    if person["role"] == "inductee":
        return inductee_items(db, person, named=False)
    return [item for member in accounts.team_of(db, person["id"]) for item in inductee_items(db, member, named=True)]


def in_their_language(person: dict, make):
    """make() in the person's chosen language; with no choice, Welsh and English (as the tracker's emails are)."""
    language = language_for(person)
    if language:
        with force_locale(language):
            return make()
    with force_locale("cy"):
        welsh = make()
    with force_locale("en"):
        english = make()
    if isinstance(welsh, str):
        return welsh if welsh == english else f"{welsh} / {english}"
    return [Item(w.uid, w.title if w.title == e.title else f"{w.title} / {e.title}", w.day)
            for w, e in zip(welsh, english, strict=True)]


# ---- iCalendar ---------------------------------------------------------------------------------------

def calendar_name() -> str:
    """What a calendar app calls the feed at first, e.g. 'EWS induction'."""
    return gettext("%(service)s induction", service=content.service().short_name)


def uid_host() -> str:
    return urlsplit(current_app.config["PUBLIC_URL"]).netloc or request.host.split(":")[0] or "tracker"


def calendar_of(items: list[Item], name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    host = uid_host()
    for item in items:
        event = Event()
        event.add("uid", f"{item.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("summary", item.title)
        event.add("dtstart", item.day)  # a date: an all-day event
        event.add("dtend", item.day + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")  # a reminder, not time booked
        calendar.add_component(event)
    return calendar.to_ical()


def ics_response(body: bytes, filename: str | None = None) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---- routes --------------------------------------------------------------------------------------

@bp.route("/calendar/<token>.ics")
def feed(token: str):
    """The person's feed, for a calendar app: no sign-in, the token is the key; 404 for any other."""
    db = get_db()
    person = owner_of(db, token)
    if person is None:
        abort(404)
    items = in_their_language(person, lambda: items_for(db, person))
    return ics_response(calendar_of(items, in_their_language(person, calendar_name)))


@bp.route("/account/calendar", methods=["GET", "POST"])
@role_required("inductee", "manager")
def page():
    db = get_db()
    form = LinkForm()
    if form.validate_on_submit():
        had_link = has_link(db, current_user.id)
        session[LINK_KEY] = make_link(db, current_user.id)
        flash(gettext("Your calendar link has been reset. The old link no longer works.") if had_link
              else gettext("Your calendar link is ready."), "success")
        return redirect(url_for(".page"))
    token = session.pop(LINK_KEY, None)
    # PUBLIC_URL when set; else this page's own host, which is one of TRUSTED_HOSTS (shown to its owner only)
    link = (mail.link_or_none("calendar_feed.feed", token=token)
            or url_for("calendar_feed.feed", token=token, _external=True)) if token else None
    return render_template("calendar_feed/page.html", form=form, link=link, has_link=has_link(db, current_user.id))


@bp.route("/supervision/sessions/<int:session_id>/calendar.ics")
@role_required("inductee", "manager")
def session_file(session_id: int):
    """One session as an .ics file to open in a calendar: signed in, and only for who may see the session."""
    row = session_or_404(session_id)
    db = get_db()
    inductee = accounts.get_user(db, row["inductee_id"])
    named = current_user.id != inductee["id"]  # in the page's language, as the person reads it now
    title = str(TITLES["session"][named]) % {"name": inductee["name"]}
    day = as_date(row["session_date"]) or dt.date.today()
    body = calendar_of([Item(f"session-{session_id}", title, day)], calendar_name())
    return ics_response(body, f"supervision-{day.isoformat()}.ics")
