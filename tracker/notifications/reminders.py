"""What the daily summary reminds each person of: plan target dates in the next REMINDER_DAYS days and
overdue, supervision actions due, and supervision sessions due by the agreement's frequency."""
from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from .. import accounts, content, mail
from ..dates import as_date
from ..progress import is_overdue
from ..supervision import schedule
from . import kinds

REMINDER_DAYS = 7  # a target date, action or session due within this many days is reminded of
SESSION_KINDS = {"none": kinds.SESSION_TO_ARRANGE, "soon": kinds.SESSION_SOON, "overdue": kinds.SESSION_OVERDUE}


def reminders_for(db: Database, user: dict, today: dt.date) -> list[dict]:
    """Everything due that this person should be reminded of today (before checking what was sent)."""
    if user["role"] == "inductee":
        return _targets(db, user, today, own=True) + _actions(db, [user], "inductee", today, own=True)
    if user["role"] == "manager":
        team = accounts.team_of(db, user["id"])
        return _sessions_due(db, team, today) + _actions(db, team, "manager", today, own=False) + [
            item for member in team for item in _targets(db, member, today, own=False)]
    return []


def _when(due: dt.date, today: dt.date) -> str | None:
    if due < today:
        return "overdue"
    return "soon" if due <= today + dt.timedelta(days=REMINDER_DAYS) else None


def _targets(db: Database, inductee: dict, today: dt.date, own: bool) -> list[dict]:
    """Plan target dates in the next REMINDER_DAYS days (for the inductee) and overdue (for both)."""
    items = []
    for row in db.query(
            "SELECT p.activity_id, p.target_date, r.state, r.activity_title FROM plan_items p"
            " LEFT JOIN records r ON r.inductee_id = p.inductee_id AND r.activity_id = p.activity_id"
            " WHERE p.inductee_id = ? AND p.target_date IS NOT NULL AND p.target_date != '' AND NOT p.not_required"
            " ORDER BY p.target_date, p.activity_id", [inductee["id"]]):
        activity, due = content.activity(row["activity_id"]), as_date(row["target_date"])
        if activity is None or due is None:
            continue
        state = row["state"] or "not_started"
        if is_overdue(due, state, activity.sign_off, today):
            when = "overdue"
        elif _when(due, today) == "soon" and is_overdue(due, state, activity.sign_off, due + dt.timedelta(days=1)):
            when = "soon"  # not yet due, and would be overdue were the date passed (not complete, not submitted)
        else:
            continue
        if not own and when == "soon":
            continue  # a manager hears of the team's targets once they are overdue
        kind = (kinds.TARGET_OVERDUE if when == "overdue" else kinds.TARGET_SOON) if own else kinds.TEAM_OVERDUE
        items.append({"kind": kind.name, "item": f"{inductee['id']}:{row['activity_id']}", "due": due.isoformat(),
                      "name": inductee["name"], "activity_id": row["activity_id"],
                      "english_title": row["activity_title"] or activity.title,
                      "link": mail.link_or_none("records.record", inductee_id=inductee["id"],
                                                activity_id=row["activity_id"])})
    return items


ACTION_KINDS = {(True, "soon"): kinds.ACTION_SOON, (True, "overdue"): kinds.ACTION_OVERDUE,
                (False, "soon"): kinds.TEAM_ACTION_SOON, (False, "overdue"): kinds.TEAM_ACTION_OVERDUE}


def _actions(db: Database, inductees: list[dict], owner: str, today: dt.date, own: bool) -> list[dict]:
    """Open supervision actions of this owner due within REMINDER_DAYS days or overdue (never their text)."""
    items = []
    for inductee in inductees:
        for action in db.query(
                "SELECT a.id, a.due_date, s.session_date FROM supervision_actions a"
                " JOIN supervision_sessions s ON s.id = a.session_id WHERE a.inductee_id = ? AND a.owner = ?"
                " AND a.done_at IS NULL AND a.due_date IS NOT NULL ORDER BY a.due_date, a.id", [inductee["id"], owner]):
            due = as_date(action["due_date"])
            when = _when(due, today) if due else None
            if when is None:
                continue
            items.append({"kind": ACTION_KINDS[own, when].name, "item": str(action["id"]),
                          "due": due.isoformat(), "date": action["session_date"], "name": inductee["name"],
                          "link": mail.link_or_none("supervision.overview", inductee_id=inductee["id"])})
    return items


def _sessions_due(db: Database, team: list[dict], today: dt.date) -> list[dict]:
    """Supervision due within REMINDER_DAYS days or overdue, by the agreement's frequency (supervision.schedule)."""
    items = []
    for row in schedule(db, team, today):
        if row["status"] == "later":
            continue
        due = row["due"].isoformat() if row["due"] else ""
        items.append({"kind": SESSION_KINDS[row["status"]].name, "item": str(row["inductee_id"]), "due": due,
                      "name": row["name"],
                      "link": mail.link_or_none("supervision.overview", inductee_id=row["inductee_id"])})
    return items
