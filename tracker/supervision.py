"""Supervision: an agreement both people agree to, session records the inductee confirms,
and actions that carry forward until they are done. Every page prints cleanly."""
from __future__ import annotations

import datetime as dt
import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from . import accounts, audit, notifications
from .access import can_manage_induction, inductee_or_404, role_required
from .accounts import get_user
from .audit_actions import Action
from .dates import IsoDateField, as_date, is_date
from .db import get_db, writing
from .forms import Rows, ascii_int, read_rows

bp = Blueprint("supervision", __name__)
AGREEMENT_FIELDS = {
    "purpose": (_l("Purpose"), _l("What supervision is for: support, learning, accountability, wellbeing")),
    "equality": (_l("Equality and diversity"), _l("How you will both make sure differences are respected")),
    "confidentiality": (_l("Confidentiality"), _l("What stays between you, and when information must be shared")),
    "timing": (_l("How often and how long"), _l("For example, every two weeks for an hour during induction")),
    "review": (_l("Review"), _l("When you will review this agreement")),
    "cancellation": (_l("Cancellation"), _l("What happens if a session has to be cancelled")),
    "location": (_l("Where"), _l("Where sessions take place, somewhere private and free from interruptions")),
    "preparation": (_l("Preparation"), _l("What each of you prepares beforehand")),
    "recording": (_l("Recording"), _l("Who writes the record, when, and where it is kept")),
}
ACTION_ROWS = 4
ACTION_OWNERS = ("inductee", "manager")  # the schema's CHECK on supervision_actions.owner
TEXT_LIMIT = 10_000
# When the next session is due: the date the last session set; without one, as often as the agreement's
# "How often" says (free text, read by interval_days when it says it plainly); else this long after the last.
DEFAULT_INTERVAL_DAYS = 28
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "un": 1, "dwy": 2, "dau": 2,
           "tair": 3, "tri": 3, "pedair": 4, "pedwar": 4, "pump": 5, "chwe": 6, "chwech": 6}
UNITS = {"week": 7, "weeks": 7, "wythnos": 7, "fortnight": 14, "fortnights": 14, "pythefnos": 14,
         "month": 30, "months": 30, "mis": 30}
EVERY = re.compile(r"\b(?:every|bob)\s+(?:(\d{1,2}|" + "|".join(NUMBERS) + r")\s+)?("
                   + "|".join(UNITS) + r")\b", re.IGNORECASE)
ADVERBS = re.compile(r"\b(weekly|fortnightly|monthly|wythnosol|misol)\b", re.IGNORECASE)
DUE_SOON_DAYS = 7  # "Needs your action" shows sessions and actions due within this many days


class AgreementForm(FlaskForm):
    pass


for _name, (_label, _hint) in AGREEMENT_FIELDS.items():
    setattr(AgreementForm, _name, TextAreaField(_label, description=_hint, validators=[Length(max=TEXT_LIMIT)]))


SESSION_DATE = _l("Enter the date of the session, like 2026-11-24")  # none typed, or not a date


class SessionForm(FlaskForm):
    session_date = IsoDateField(_l("Date of the session"), validators=[DataRequired(SESSION_DATE)],
                                invalid=SESSION_DATE)
    agenda = TextAreaField(_l("Agenda"), validators=[DataRequired(_l("Enter the agenda")), Length(max=TEXT_LIMIT)])
    discussion = TextAreaField(_l("Discussion"), validators=[Length(max=TEXT_LIMIT)])
    decisions = TextAreaField(_l("Decisions"), validators=[Length(max=TEXT_LIMIT)])
    next_date = IsoDateField(_l("Date of the next session (optional)"), validators=[Optional()],
                             invalid=_l("Enter the date of the next session as a real date, like 2026-12-15"))


def agreement_of(db, inductee_id: int) -> dict:
    return next(db.query("SELECT * FROM supervision_agreements WHERE inductee_id = ?", [inductee_id]), None) or {}


def open_actions(db, inductee_id: int) -> list[dict]:
    return list(db.query(
        "SELECT a.*, s.session_date FROM supervision_actions a JOIN supervision_sessions s ON s.id = a.session_id"
        " WHERE a.inductee_id = ? AND a.done_at IS NULL ORDER BY a.due_date IS NULL, a.due_date, a.id", [inductee_id]))


def sessions_of(db, inductee_id: int) -> list[dict]:
    return list(db.query("SELECT * FROM supervision_sessions WHERE inductee_id = ? ORDER BY session_date DESC, id DESC",
                         [inductee_id]))


def actions_by_session(db, inductee_id: int) -> dict[int, list[dict]]:
    """Every session's actions for one inductee, in one query."""
    grouped: dict[int, list[dict]] = {}
    for action in db.query("SELECT * FROM supervision_actions WHERE inductee_id = ? ORDER BY id", [inductee_id]):
        grouped.setdefault(action["session_id"], []).append(action)
    return grouped


def actions_of_session(db, session_id: int) -> list[dict]:
    return list(db.query("SELECT * FROM supervision_actions WHERE session_id = ? ORDER BY id", [session_id]))


def interval_days(timing: str | None) -> int | None:
    """Days between sessions, from the first plain statement of frequency in the agreement's "How often"
    ("Every two weeks for an hour, then monthly": 14; "bob pythefnos": 14); None if it says none."""
    text = timing or ""
    every, adverb = EVERY.search(text), ADVERBS.search(text)
    if every and every.group(2).lower() in UNITS and (not adverb or every.start() < adverb.start()):
        count = every.group(1)
        number = 1 if count is None else int(count) if count.isdigit() else NUMBERS.get(count.lower())
        if number:
            return number * UNITS[every.group(2).lower()]
    if adverb:
        return {"weekly": 7, "wythnosol": 7, "fortnightly": 14, "monthly": 30, "misol": 30}[adverb.group(1).lower()]
    return None


def schedule(db, team: list[dict], today: dt.date | None = None) -> list[dict]:
    """For each inductee in the team: their last session, when the next is due and its status:
    'none' (no session recorded yet), 'overdue', 'soon' (within DUE_SOON_DAYS) or 'later'."""
    today = today or dt.date.today()
    ids = [m["id"] for m in team]
    last: dict[int, tuple] = {}
    if ids:
        marks = ",".join("?" for _ in ids)
        for inductee_id, session_date, next_date in db.conn.execute(
                f"SELECT inductee_id, session_date, next_date FROM supervision_sessions WHERE inductee_id IN ({marks})"
                " ORDER BY inductee_id, session_date, id", ids):
            last[inductee_id] = (as_date(session_date), as_date(next_date))
        agreed = dict(db.conn.execute(
            f"SELECT inductee_id, timing FROM supervision_agreements WHERE inductee_id IN ({marks})", ids).fetchall())
    rows = []
    for member in team:
        session_date, next_date = last.get(member["id"], (None, None))
        interval = interval_days(agreed.get(member["id"])) if ids else None
        days = interval or DEFAULT_INTERVAL_DAYS
        due = next_date or (session_date + dt.timedelta(days=days) if session_date else None)
        if session_date is None and next_date is None:
            status = "none"
        elif due is None or due <= today + dt.timedelta(days=DUE_SOON_DAYS):
            status = "overdue" if due is None or due < today else "soon"
        else:
            status = "later"
        rows.append({"inductee_id": member["id"], "name": member["name"], "last": session_date, "due": due,
                     "status": status, "set_by_last_session": next_date is not None,
                     "interval": interval})  # days between sessions by the agreement, or None (the default)
    return rows


def waiting_for_inductee(db, inductee_id: int, today: dt.date | None = None) -> tuple[list[dict], list[dict]]:
    """Session records the inductee has not confirmed yet, and the inductee's open actions that are
    overdue or due within DUE_SOON_DAYS (each with its due date as a date and 'overdue')."""
    today = today or dt.date.today()
    to_confirm = list(db.query("SELECT id, session_date FROM supervision_sessions WHERE inductee_id = ?"
                               " AND confirmed_at IS NULL ORDER BY session_date, id", [inductee_id]))
    due = []
    for action in db.query(
            "SELECT a.id, a.description, a.due_date, a.session_id, s.session_date FROM supervision_actions a"
            " JOIN supervision_sessions s ON s.id = a.session_id WHERE a.inductee_id = ? AND a.owner = 'inductee'"
            " AND a.done_at IS NULL AND a.due_date IS NOT NULL", [inductee_id]):
        when = as_date(action["due_date"])
        if when is not None and when <= today + dt.timedelta(days=DUE_SOON_DAYS):
            due.append({**action, "due": when, "overdue": when < today})
    due.sort(key=lambda a: (a["due"], a["id"]))
    return to_confirm, due


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@bp.route("/supervision")
@role_required("manager")
def for_team():
    """The manager's team: when each inductee last had supervision and when the next is due."""
    db = get_db()
    members = accounts.team_of(db, current_user.id)
    return render_template("supervision/team.html", rows=schedule(db, members))


@bp.route("/supervision/<int:inductee_id>")
@role_required("inductee", "manager")
def overview(inductee_id: int):
    inductee = inductee_or_404(inductee_id)
    db = get_db()
    return render_template("supervision/overview.html", inductee=inductee, agreement=agreement_of(db, inductee_id),
                           sessions=sessions_of(db, inductee_id), actions=open_actions(db, inductee_id),
                           fields=AGREEMENT_FIELDS, is_manager=can_manage_induction(inductee_id))


@bp.route("/supervision/<int:inductee_id>/agreement", methods=["GET", "POST"])
@role_required("inductee", "manager")
def agreement(inductee_id: int):
    inductee = inductee_or_404(inductee_id)
    db = get_db()
    current = agreement_of(db, inductee_id)
    form = AgreementForm(data=current)
    if form.validate_on_submit():
        values = {name: getattr(form, name).data or "" for name in AGREEMENT_FIELDS}
        with writing(db):
            # Any change needs both people to agree again.
            db.conn.execute(
                f"INSERT INTO supervision_agreements (inductee_id, {', '.join(values)}, updated_at, updated_by)"
                f" VALUES (?, {', '.join('?' for _ in values)}, ?, ?) ON CONFLICT (inductee_id) DO UPDATE SET "
                + ", ".join(f"{k} = excluded.{k}" for k in values)
                + ", updated_at = excluded.updated_at, updated_by = excluded.updated_by,"
                  " inductee_agreed_at = NULL, manager_agreed_at = NULL, manager_agreed_by = NULL",
                (inductee_id, *values.values(), _now(), current_user.id))
            audit.log(db, current_user.id, Action.SUPERVISION_AGREEMENT_CHANGED, subject_id=inductee_id)
        flash(gettext("Agreement saved. You both need to agree to it again."), "success")
        return redirect(url_for(".overview", inductee_id=inductee_id))
    return render_template("supervision/agreement.html", form=form, inductee=inductee,
                           fields=AGREEMENT_FIELDS), 400 if form.errors else 200


@bp.route("/supervision/<int:inductee_id>/agreement/agree", methods=["POST"])
@role_required("inductee", "manager")
def agree(inductee_id: int):
    inductee_or_404(inductee_id)
    db = get_db()
    if not agreement_of(db, inductee_id):
        abort(404)
    with writing(db):
        if current_user.id == inductee_id:
            db.conn.execute("UPDATE supervision_agreements SET inductee_agreed_at = ? WHERE inductee_id = ?",
                            (_now(), inductee_id))
        else:
            db.conn.execute("UPDATE supervision_agreements SET manager_agreed_at = ?, manager_agreed_by = ?"
                            " WHERE inductee_id = ?",
                            (_now(), current_user.id, inductee_id))
        audit.log(db, current_user.id, Action.SUPERVISION_AGREEMENT_AGREED, subject_id=inductee_id)
    flash(gettext("You have agreed to the supervision agreement."), "success")
    return redirect(url_for(".overview", inductee_id=inductee_id))


def _action_rows(form_data) -> Rows:
    rows = read_rows(form_data, "action", ACTION_ROWS, ("description", "due", "owner"), required="description",
                     missing=gettext("Describe action %(n)s, or clear its due date"),
                     too_long=gettext("Action %(n)s must be %(limit)s characters or fewer"),
                     choices={"owner": list(ACTION_OWNERS)})
    for n, row in enumerate(rows.typed):
        if row["due"] and not is_date(row["due"]):
            rows.errors.append((f"action-{n}-due",
                                gettext("Due date for action %(n)s must be a real date, like 2026-12-01", n=n + 1)))
    return rows


@bp.route("/supervision/<int:inductee_id>/sessions/new", methods=["GET", "POST"])
@role_required("manager")
def new_session(inductee_id: int):
    inductee = inductee_or_404(inductee_id)
    db = get_db()
    form = SessionForm()
    carried = open_actions(db, inductee_id)
    read = _action_rows(request.form) if request.method == "POST" else Rows(typed=[{}] * ACTION_ROWS)
    rows, action_errors = read.typed, read.errors
    if form.validate_on_submit() and not action_errors:
        done_ids = {ascii_int(i) for i in request.form.getlist("done")} & {a["id"] for a in carried}
        with writing(db):
            cursor = db.conn.execute(
                "INSERT INTO supervision_sessions"
                " (inductee_id, manager_id, session_date, agenda, discussion, decisions, next_date)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (inductee_id, current_user.id, form.session_date.data.isoformat(), form.agenda.data,
                 form.discussion.data or "", form.decisions.data or "",
                 form.next_date.data.isoformat() if form.next_date.data else None))
            session_id = cursor.lastrowid
            for action_id in done_ids:
                db.conn.execute("UPDATE supervision_actions SET done_at = ?, done_in_session = ? WHERE id = ?",
                                (_now(), session_id, action_id))
            for row in read.filled:
                if row["description"]:
                    db.conn.execute("INSERT INTO supervision_actions"
                                    " (session_id, inductee_id, description, owner, due_date)"
                                    " VALUES (?, ?, ?, ?, ?)",
                                    (session_id, inductee_id, row["description"], row["owner"], row["due"] or None))
            audit.log(db, current_user.id, Action.SUPERVISION_SESSION_RECORDED, subject_id=inductee_id,
                      detail=f"session {session_id}")
            notifications.notify(db, notifications.kinds.SESSION_RECORDED, inductee_id, current_user.id, session_id,
                                 session_id=session_id)
        flash(gettext("Supervision session recorded. The inductee will be asked to confirm it."), "success")
        return redirect(url_for(".session", session_id=session_id))
    errors = bool(form.errors or action_errors)
    return render_template("supervision/session_form.html", form=form, inductee=inductee, carried=carried, rows=rows,
                           action_errors=action_errors, done=set(request.form.getlist("done"))), 400 if errors else 200


def session_or_404(session_id: int) -> dict:
    row = next(get_db().query("SELECT * FROM supervision_sessions WHERE id = ?", [session_id]), None)
    if row is None:
        abort(404)
    inductee_or_404(row["inductee_id"])
    return row


@bp.route("/supervision/sessions/<int:session_id>")
@role_required("inductee", "manager")
def session(session_id: int):
    row = session_or_404(session_id)
    db = get_db()
    closed = list(db.query("SELECT * FROM supervision_actions WHERE done_in_session = ? ORDER BY id", [session_id]))
    return render_template("supervision/session.html", session=row, actions=actions_of_session(db, session_id),
                           closed=closed, inductee=get_user(db, row["inductee_id"]),
                           manager=get_user(db, row["manager_id"]) if row["manager_id"] else None)


@bp.route("/supervision/sessions/<int:session_id>/confirm", methods=["POST"])
@role_required("inductee")
def confirm(session_id: int):
    row = session_or_404(session_id)
    if row["inductee_id"] != current_user.id:
        abort(404)
    db = get_db()
    with writing(db):
        confirmed = db.conn.execute("UPDATE supervision_sessions SET confirmed_at = ? WHERE id = ?"
                                    " AND confirmed_at IS NULL", (_now(), session_id)).rowcount
        audit.log(db, current_user.id, Action.SUPERVISION_SESSION_CONFIRMED, subject_id=current_user.id,
                  detail=f"session {session_id}")
        if confirmed:
            notifications.notify(db, notifications.kinds.SESSION_CONFIRMED, current_user.id, current_user.id,
                                 session_id, session_id=session_id)
    flash(gettext("You have confirmed the record of this session."), "success")
    return redirect(url_for(".session", session_id=session_id))


@bp.route("/supervision/<int:inductee_id>/print")
@role_required("inductee", "manager")
def print_all(inductee_id: int):
    inductee = inductee_or_404(inductee_id)
    db = get_db()
    sessions = sessions_of(db, inductee_id)
    actions = actions_by_session(db, inductee_id)
    return render_template("supervision/print.html", inductee=inductee, agreement=agreement_of(db, inductee_id),
                           fields=AGREEMENT_FIELDS, sessions=sessions, actions=actions)
