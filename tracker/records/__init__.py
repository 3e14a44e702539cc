"""Activity records and their states. Every change of state is checked against the
current state inside one write transaction and written to the audit log.

    not_started -> in_progress -> submitted -> signed_off
                                  submitted -> returned -> submitted ...
    signed_off -> in_progress (a manager reopens it)

An activity that needs no manager sign-off (sign_off: false in the handbook) is never submitted:
the inductee marks it done, which completes it.

    in_progress / returned / submitted -> done   (the routes allow this only without sign-off)
    done stays editable by the inductee; saving keeps it done
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlite_utils import Database

from .. import audit, files, notifications, pinned
from ..audit_actions import Action
from ..db import writing

STATE_LABELS = {
    "not_started": _l("Not started"),
    "in_progress": _l("In progress"),
    "submitted": _l("Waiting for sign-off"),
    "signed_off": _l("Signed off"),
    "returned": _l("Returned for changes"),
    "done": _l("Done"),
}
STATE_TAG_COLOURS = {
    "not_started": "grey", "in_progress": "light-blue", "submitted": "yellow",
    "signed_off": "green", "returned": "red", "done": "green",
}
EDITABLE = {"not_started", "in_progress", "returned", "done"}
# action -> (states it may start from, state it ends in or None to keep)
TRANSITIONS = {
    "save": (EDITABLE, None),
    "submit": ({"in_progress", "returned", "done"}, "submitted"),
    "mark_done": ({"in_progress", "returned", "submitted"}, "done"),
    "sign_off": ({"submitted"}, "signed_off"),
    "return": ({"submitted"}, "returned"),
    "reopen": ({"signed_off"}, "in_progress"),
}


def allowed(action: str, state: str) -> bool:
    """Whether a record in this state may take this action: the one reading of TRANSITIONS."""
    return state in TRANSITIONS[action][0]


class TransitionError(Exception):
    """The record is not in a state that allows this action (for example already signed off)."""


class NothingToSubmit(TransitionError):
    """Submitting, or marking done, a record with no notes, no evidence and no passed quiz."""


def get(db: Database, inductee_id: int, activity_id: str) -> dict | None:
    return next(db.query("SELECT * FROM records WHERE inductee_id = ? AND activity_id = ?",
                         [inductee_id, activity_id]), None)


def get_by_id(db: Database, record_id: int) -> dict | None:
    return next(db.query("SELECT * FROM records WHERE id = ?", [record_id]), None)


def ensure(db: Database, inductee_id: int, activity_id: str, activity_title: str) -> dict:
    """The record for this inductee and activity, created (not started) if new."""
    db.conn.execute(
        "INSERT OR IGNORE INTO records (inductee_id, activity_id, activity_title) VALUES (?, ?, ?)",
        (inductee_id, activity_id, activity_title))
    return next(db.query("SELECT * FROM records WHERE inductee_id = ? AND activity_id = ?",
                         [inductee_id, activity_id]))


def _locked_record(db: Database, record_id: int, action: str) -> dict:
    record = next(db.query("SELECT * FROM records WHERE id = ?", [record_id]), None)
    allowed_from, _ = TRANSITIONS[action]
    if record is None or record["state"] not in allowed_from:
        raise TransitionError(action)
    return record


def _move(db: Database, record: dict, action: str, actor_id: int, detail: str = "") -> str:
    _, to_state = TRANSITIONS[action]
    to_state = to_state or ("in_progress" if record["state"] == "not_started" else record["state"])
    extra = {
        "submit": ", submitted_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), signed_off_at = NULL, signed_off_by = NULL",
        "sign_off": ", signed_off_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), signed_off_by = :actor",
        "reopen": ", signed_off_at = NULL, signed_off_by = NULL, signed_off_version = NULL",
        "mark_done": ", done_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
    }.get(action, "")
    db.conn.execute(
        f"UPDATE records SET state = :state, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'){extra} WHERE id = :id",
        {"state": to_state, "id": record["id"], "actor": actor_id})
    if to_state != record["state"]:
        pinned.pin(db, record, action)
        audit.log(db, actor_id, Action.for_record(action), subject_id=record["inductee_id"],
                  activity_id=record["activity_id"], record_id=record["id"],
                  from_state=record["state"], to_state=to_state, detail=detail)
    return to_state


def note_started(db: Database, record: dict, actor_id: int) -> dict:
    """Inside the caller's write: a record not yet started moves to in progress (as saving does)."""
    if record["state"] == "not_started":
        _move(db, _locked_record(db, record["id"], "save"), "save", actor_id)
        return get_by_id(db, record["id"])
    return record


def save_notes(db: Database, inductee_id: int, activity_id: str, title: str, notes: str, actor_id: int) -> dict:
    with writing(db):
        record = ensure(db, inductee_id, activity_id, title)
        record = _locked_record(db, record["id"], "save")
        db.conn.execute("UPDATE records SET notes = ? WHERE id = ?", (notes, record["id"]))
        _move(db, record, "save", actor_id)
    return get_by_id(db, record["id"])


def add_evidence(db: Database, inductee_id: int, activity_id: str, title: str, actor_id: int, **fields) -> int:
    with writing(db):
        record = ensure(db, inductee_id, activity_id, title)
        record = _locked_record(db, record["id"], "save")
        columns = ["record_id", "created_by", *fields]
        cursor = db.conn.execute(
            f"INSERT INTO evidence ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
            (record["id"], actor_id, *fields.values()))
        _move(db, record, "save", actor_id)
        audit.log(db, actor_id, Action.EVIDENCE_ADDED, subject_id=inductee_id, activity_id=activity_id,
                  record_id=record["id"], detail=f"kind={fields.get('kind')}")
        return cursor.lastrowid


def save_page(db: Database, inductee_id: int, activity_id: str, title: str, actor_id: int, *,
              notes: str | None = None, evidence: list[dict] = (), remove: dict | None = None,
              then: str | None = None) -> dict:
    """Everything the record page sends, in one transaction: the notes (None: leave them), evidence
    to add, evidence to remove, then optionally a transition (mark_done). All or nothing."""
    with writing(db):
        return apply_page(db, inductee_id, activity_id, title, actor_id, notes=notes, evidence=evidence,
                          remove=remove, then=then)


def apply_page(db: Database, inductee_id: int, activity_id: str, title: str, actor_id: int, *,
               notes: str | None = None, evidence: list[dict] = (), remove: dict | None = None,
               then: str | None = None) -> dict:
    """save_page's changes, inside the caller's write transaction (offline saves add their receipt to it)."""
    record = ensure(db, inductee_id, activity_id, title)
    if notes is not None or evidence or remove is not None:
        record = _locked_record(db, record["id"], "save")
        if notes is not None and notes != record["notes"]:
            db.conn.execute("UPDATE records SET notes = ? WHERE id = ?", (notes, record["id"]))
        _move(db, record, "save", actor_id)
        for fields in evidence:
            columns = ["record_id", "created_by", *fields]
            db.conn.execute(
                f"INSERT INTO evidence ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                (record["id"], actor_id, *fields.values()))
            audit.log(db, actor_id, Action.EVIDENCE_ADDED, subject_id=inductee_id, activity_id=activity_id,
                      record_id=record["id"], detail=f"kind={fields.get('kind')}")
        if remove is not None:
            if remove["record_id"] != record["id"]:
                raise TransitionError("save")
            db.conn.execute("DELETE FROM evidence WHERE id = ?", (remove["id"],))
            audit.log(db, actor_id, Action.EVIDENCE_REMOVED, subject_id=inductee_id, activity_id=activity_id,
                      record_id=record["id"], detail=f"kind={remove['kind']}")
        record = get_by_id(db, record["id"])
    if then is not None:
        record = _locked_record(db, record["id"], then)
        if then in ("submit", "mark_done") and not has_content(db, record):
            raise NothingToSubmit(then)
        _move(db, record, then, actor_id)
        record = get_by_id(db, record["id"])
    return record


def remove_evidence(db: Database, evidence: dict, actor_id: int) -> None:
    with writing(db):
        record = _locked_record(db, evidence["record_id"], "save")
        db.conn.execute("DELETE FROM evidence WHERE id = ?", (evidence["id"],))
        audit.log(db, actor_id, Action.EVIDENCE_REMOVED, subject_id=record["inductee_id"],
                  activity_id=record["activity_id"], record_id=record["id"], detail=f"kind={evidence['kind']}")


def transition(db: Database, record_id: int, action: str, actor_id: int, comment: str = "") -> str:
    """Submit, mark done, sign off, return or reopen. A comment, if given, is kept with the record."""
    with writing(db):
        record = _locked_record(db, record_id, action)
        if action in ("submit", "mark_done") and not has_content(db, record):
            raise NothingToSubmit(action)
        if comment:
            db.conn.execute("INSERT INTO comments (record_id, author_id, body) VALUES (?, ?, ?)",
                            (record_id, actor_id, comment))
        # The audit entry holds no free text (it cannot be erased); the comment itself is kept in comments.
        to_state = _move(db, record, action, actor_id, detail="with comment" if comment else "")
        notifications.record_changed(db, record, action, actor_id, with_comment=bool(comment))
        return to_state


def is_complete(state: str, needs_sign_off: bool) -> bool:
    """Signed off, or marked done when the activity needs no sign-off. (If the handbook later asks
    for sign-off, a record marked done is not complete until it is signed off.)"""
    return state == "signed_off" or (state == "done" and not needs_sign_off)


def has_content(db: Database, record: dict) -> bool:
    if record["notes"].strip():
        return True
    if db.execute("SELECT 1 FROM evidence WHERE record_id = ?", [record["id"]]).fetchone() is not None:
        return True
    return bool(passed_quizzes(db, record["inductee_id"], record["activity_id"]))


def evidence_of(db: Database, record_id: int) -> list[dict]:
    return files.with_safe_names(list(db.query("SELECT * FROM evidence WHERE record_id = ? ORDER BY id", [record_id])))


def evidence_item(db: Database, evidence_id: int) -> dict | None:
    return next(db.query(
        "SELECT e.*, r.inductee_id, r.activity_id, r.state FROM evidence e JOIN records r ON r.id = e.record_id"
        " WHERE e.id = ?", [evidence_id]), None)


def comments_of(db: Database, record_id: int) -> list[dict]:
    return list(db.query(
        "SELECT c.*, u.name AS author_name, u.role AS author_role FROM comments c JOIN users u ON u.id = c.author_id"
        " WHERE c.record_id = ? ORDER BY c.id", [record_id]))


def records_of(db: Database, inductee_id: int) -> dict[str, dict]:
    return {r["activity_id"]: r for r in db.query("SELECT * FROM records WHERE inductee_id = ?", [inductee_id])}


def note_quiz_passed(db: Database, inductee_id: int, activity_id: str, title: str, actor_id: int) -> None:
    """A passed quiz is evidence for its activity: make sure the record exists and is started.
    Call inside the write transaction that stores the attempt."""
    record = ensure(db, inductee_id, activity_id, title)
    if record["state"] == "not_started":
        _move(db, record, "save", actor_id, detail="quiz passed")


def passed_quizzes(db: Database, inductee_id: int, activity_id: str) -> list[dict]:
    return list(db.query(
        "SELECT * FROM quiz_attempts WHERE inductee_id = ? AND activity_id = ? AND passed ORDER BY id",
        [inductee_id, activity_id]))
