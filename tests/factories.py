"""Test data put straight into the tracker's database, for what a test needs as its starting point and is
not itself testing: a record in a state, every activity signed off, a target date, a message or link
made due or out of date. One place for each such write, so that a schema change is one edit here.

What a test is about still goes through the app (a POST, as a person would), and tampering (what someone
with the database file could do, in the audit chain's tests) is written out where it is tested."""
from __future__ import annotations

from tracker.db import get_db, writing

LONG_AGO = "2000-01-01T00:00:00Z"  # a time in the past: a message due now, a link expired


def _write(app, sql: str, params=()) -> int:
    with app.app_context():
        db = get_db()
        with writing(db):
            return db.conn.execute(sql, params).rowcount


def make_record(app, inductee_id: int, activity_id: str, state: str, *, title: str | None = None,
                notes: str = "", submitted_at: str | None = None) -> None:
    """The inductee's record of the activity in this state (made, or moved there), with these notes."""
    from tracker import content
    with app.app_context():
        if title is None:
            activity = content.english_project().activities.get(activity_id)
            title = activity.title if activity else activity_id
    _write(app, "INSERT INTO records (inductee_id, activity_id, activity_title, state, notes, submitted_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (inductee_id, activity_id)"
                " DO UPDATE SET state = excluded.state, notes = excluded.notes, submitted_at = excluded.submitted_at",
           (inductee_id, activity_id, title, state, notes, submitted_at))


def sign_off_all(app, inductee_id: int) -> None:
    """Every activity in the handbook signed off for this inductee: the induction is complete."""
    from tracker import content
    with app.app_context():
        activities = list(content.english_project().activities.values())
    for activity in activities:
        make_record(app, inductee_id, activity.id, "signed_off", title=activity.title)


def set_target(app, inductee_id: int, activity_id: str | None, date: str | None) -> int:
    """A plan's target date for one activity (None: every activity of the plan); None clears it."""
    if activity_id is None:
        return _write(app, "UPDATE plan_items SET target_date = ? WHERE inductee_id = ?", (date, inductee_id))
    return _write(app, "UPDATE plan_items SET target_date = ? WHERE inductee_id = ? AND activity_id = ?",
                  (date, inductee_id, activity_id))


def set_user(app, user_id: int, **fields) -> None:
    """Change an account's columns (active, notify, name ...) as an administrator's page or a person's
    choice would have."""
    columns = ", ".join(f"{name} = ?" for name in fields)
    _write(app, f"UPDATE users SET {columns} WHERE id = ?", (*fields.values(), user_id))


def mail_due_now(app) -> int:
    """Every queued message due for sending now (as if its retry time had come)."""
    return _write(app, "UPDATE mail_queue SET next_attempt_at = ?", (LONG_AGO,))


def expire_account_links(app) -> int:
    """Every invitation and password-reset link out of date."""
    return _write(app, "UPDATE account_tokens SET expires_at = ?", (LONG_AGO,))


def expire_witness_link(app, request_id: int) -> int:
    """A witness request's link out of date."""
    return _write(app, "UPDATE witness_requests SET expires_at = ? WHERE id = ?", (LONG_AGO, request_id))


def make_supervision(app, inductee_id: int, manager_id: int, session_date: str, *, agenda: str = "a",
                     next_date: str | None = None, actions: tuple = (), timing: str | None = None) -> int:
    """A supervision session already recorded (and, with `timing`, the agreement's frequency), with its
    actions as (owner, description, due date). Returns the session's id."""
    from tracker.db import get_db as database
    with app.app_context():
        db = database()
        with writing(db):
            if timing is not None:
                db.conn.execute("INSERT INTO supervision_agreements (inductee_id, timing) VALUES (?, ?)",
                                (inductee_id, timing))
            session = db.conn.execute(
                "INSERT INTO supervision_sessions (inductee_id, manager_id, session_date, agenda, next_date)"
                " VALUES (?, ?, ?, ?, ?)", (inductee_id, manager_id, session_date, agenda, next_date)).lastrowid
            for owner, description, due in actions:
                db.conn.execute("INSERT INTO supervision_actions (session_id, inductee_id, description, owner,"
                                " due_date) VALUES (?, ?, ?, ?, ?)", (session, inductee_id, description, owner, due))
    return session
