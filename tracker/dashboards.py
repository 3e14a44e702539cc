"""Dashboards: 'my induction' for inductees, 'my team' for managers."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from . import accounts, charts, content, pagecache, pinned, progress, reflections, reports, supervision
from .access import inductee_or_404, role_required
from .dates import as_date
from .db import get_db

bp = Blueprint("dashboards", __name__)


@dataclass
class Coverage:
    """One person's standards: evidenced (submitted or done) and covered (signed off), for reports/_coverage.html."""
    evidenced: set[str]
    covered: set[str]
OVERDUE_SHOWN = 10  # the most overdue; each inductee's page lists all of theirs


def home_endpoint(user) -> str:
    return {"inductee": "dashboards.my_induction", "manager": "dashboards.my_team",
            "admin": "admin.users", "lead": "reports.index"}[user.role]


def home():
    """/: each person's own starting page, or the sign-in page."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for(home_endpoint(current_user)))


bp.record_once(lambda state: state.app.add_url_rule("/", "home", home))  # url_for("home"), outside the blueprint


@bp.route("/my-induction")
@role_required("inductee")
def my_induction():
    inductee = accounts.get_user(get_db(), current_user.id)
    return pagecache.serve(lambda: render_induction(inductee))


@bp.route("/team/<int:inductee_id>")
@role_required("manager")
def inductee_induction(inductee_id: int):
    inductee = inductee_or_404(inductee_id)  # the access check runs before any cached copy is used
    return pagecache.serve(lambda: render_induction(inductee))


def render_induction(inductee: dict):
    db = get_db()
    induction = progress.summary(db, inductee)
    task_list = [
        (section, [(a, induction.states.get(a.id, "not_started"), a.id.replace(".", "-"))
                   for a in content.activities() if a.section == section.id])
        for section in content.sections()
    ]
    own = current_user.id == inductee["id"]
    evidenced, covered = reports.standards_of(induction.states)
    return render_template("dashboards/induction.html", induction=induction, inductee=inductee, task_list=task_list,
                           standards=reports.standards_list(), coverage=Coverage(evidenced, covered),
                           managers=accounts.managers_of(db, inductee["id"]),
                           needs=needs_of_inductee(db, inductee["id"], induction) if own else None,
                           weeks=progress.by_week(induction.due), charts=charts)


def needs_of_inductee(db, inductee_id: int, induction: progress.Induction) -> dict:
    """'Needs your action' for an inductee: records returned with the manager's comment, activities past
    their target date (overdue work is theirs to do), supervision records to confirm, and their supervision
    actions overdue or due within a week. A returned record that is also overdue is listed once, as returned."""
    returned = list(db.query(
        "SELECT r.activity_id, r.activity_title, c.body AS comment, u.name AS author_name FROM records r"
        " LEFT JOIN comments c ON c.id = (SELECT c2.id FROM comments c2 JOIN users u2 ON u2.id = c2.author_id"
        "   WHERE c2.record_id = r.id AND u2.role = 'manager' ORDER BY c2.id DESC LIMIT 1)"
        " LEFT JOIN users u ON u.id = c.author_id"
        " WHERE r.inductee_id = ? AND r.state = 'returned' ORDER BY r.updated_at, r.id", [inductee_id]))
    late = {item.activity_id for item in induction.overdue}
    returned = [{**r, "overdue": r["activity_id"] in late} for r in returned]
    overdue = [item for item in induction.overdue if item.activity_id not in {r["activity_id"] for r in returned}]
    to_confirm, actions = supervision.waiting_for_inductee(db, inductee_id)
    return {"returned": returned, "overdue": overdue, "to_confirm": to_confirm, "actions": actions,
            "any": bool(returned or overdue or to_confirm or actions)}


@bp.route("/team")
@role_required("manager")
def my_team():
    return pagecache.serve(render_team)


def render_team():
    db = get_db()
    team = accounts.team_of(db, current_user.id)
    rows = progress.team_rows(db, team)
    # Activities that need no sign-off never wait for it (a record submitted before that rule was
    # kept is marked done by its inductee); records of activities no longer in the handbook still show.
    no_sign_off = {a.id for a in content.activities() if not a.sign_off}
    # CROSS JOIN keeps SQLite starting from the manager's team; otherwise it scans every
    # submitted record in the database through the state index.
    pending = [row for row in db.query(
        "SELECT r.id, r.activity_id, r.activity_title, r.submitted_at, u.id AS inductee_id, u.name AS inductee_name"
        " FROM team_members t CROSS JOIN records r ON r.inductee_id = t.inductee_id"
        " JOIN users u ON u.id = r.inductee_id"
        " WHERE t.manager_id = ? AND r.state = 'submitted' ORDER BY r.submitted_at, r.id", [current_user.id])
        if row["activity_id"] not in no_sign_off]
    names = {m["id"]: m["name"] for m in team}
    titles = {a.id: a.title for a in content.activities()}
    today = dt.date.today()
    overdue = [
        {"inductee_id": i, "name": names[i], "activity_id": a, "title": titles[a],
         "target_date": as_date(t)}
        for i, a, t, state in db.conn.execute(
            "SELECT p.inductee_id, p.activity_id, p.target_date, r.state FROM team_members m CROSS JOIN plan_items p"
            " ON p.inductee_id = m.inductee_id LEFT JOIN records r ON r.inductee_id = p.inductee_id"
            " AND r.activity_id = p.activity_id WHERE m.manager_id = ? AND p.target_date < ? AND NOT p.not_required"
            " ORDER BY p.target_date, p.activity_id",  # past target dates; the rule itself is progress.is_overdue
            [current_user.id, today.isoformat()])
        if a in titles and progress.is_overdue(t, state or "not_started", a not in no_sign_off, today)
    ]
    schedule = supervision.schedule(db, team)
    supervision_due = [row for row in schedule if row["status"] != "later"]
    statuses = {row["inductee_id"]: rows[row["inductee_id"]].rag(row["status"]) for row in schedule}
    unread = reflections.unread_by(db, current_user.id)
    return render_template("dashboards/team.html", team=team, rows=rows, statuses=statuses, pending=pending,
                           overdue=overdue[:OVERDUE_SHOWN], overdue_total=len(overdue),
                           supervision_due=supervision_due, unread=unread,
                           nothing_needed=not (pending or supervision_due or unread or overdue),
                           sections={i: row.sections() for i, row in rows.items()}, charts=charts,
                           changed=[{**r, "name": names[r["inductee_id"]]} for r in
                                    pinned.changed_since_sign_off(db, [m["id"] for m in team])])
