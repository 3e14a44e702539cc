"""The append-only audit trail: who did what, when. Triggers in the schema refuse
UPDATE and DELETE on audit_log, so entries can only be added."""
from __future__ import annotations

from sqlite_utils import Database


def log(db: Database, actor_id: int | None, action: str, *, subject_id: int | None = None,
        activity_id: str | None = None, record_id: int | None = None,
        from_state: str | None = None, to_state: str | None = None, detail: str = "") -> None:
    """Add an entry. Call inside the write transaction that makes the change."""
    db.conn.execute(
        "INSERT INTO audit_log (actor_id, action, subject_id, activity_id, record_id, from_state, to_state, detail)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (actor_id, action, subject_id, activity_id, record_id, from_state, to_state, detail),
    )


def entries_for_record(db: Database, record_id: int) -> list[dict]:
    return list(db.query(
        "SELECT a.*, u.name AS actor_name FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id"
        " WHERE a.record_id = ? ORDER BY a.id", [record_id]))
