"""Subject access (a JSON export of everything held about a person) and erasure (UK GDPR)."""
from __future__ import annotations

import datetime as dt
import logging
import secrets

from sqlite_utils import Database

from . import audit, files
from .accounts import hash_password
from .db import checkpoint, writing

# table -> the column(s) that tie a row to a person
ABOUT_PERSON = {
    "team_members": ["manager_id", "inductee_id"],
    "plans": ["inductee_id"],
    "plan_items": ["inductee_id"],
    "records": ["inductee_id"],
    "quiz_attempts": ["inductee_id"],
    "reflections": ["author_id"],
    "pdp_versions": ["inductee_id"],
    "pdp_comments": ["inductee_id", "author_id"],
    "supervision_agreements": ["inductee_id"],
    "supervision_sessions": ["inductee_id", "manager_id"],
    "supervision_actions": ["inductee_id"],
    "induction_signoffs": ["inductee_id", "signed_off_by"],
    "comments": ["author_id"],
    "reflection_comments": ["author_id"],
    "reflection_reads": ["manager_id"],  # when a manager read a shared reflection
    "audit_log": ["actor_id", "subject_id"],
}


def _rows(db: Database, table: str, columns: list[str], person_id: int) -> list[dict]:
    where = " OR ".join(f"{c} = ?" for c in columns)
    return list(db.query(f"SELECT * FROM {table} WHERE {where} ORDER BY rowid", [person_id] * len(columns)))


def export(db: Database, person_id: int) -> dict:
    """Every row that is about the person or written by them, by table."""
    user = next(db.query("SELECT * FROM users WHERE id = ?", [person_id]))
    user = {k: v for k, v in user.items() if k not in ("password_hash", "session_version")}
    data = {"exported_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "account": user}
    for table, columns in ABOUT_PERSON.items():
        data[table] = _rows(db, table, columns, person_id)
    record_ids = [r["id"] for r in data["records"]]
    if record_ids:
        marks = ",".join("?" for _ in record_ids)
        data["evidence"] = list(db.query(f"SELECT * FROM evidence WHERE record_id IN ({marks}) ORDER BY id", record_ids))
        data["comments_on_records"] = list(db.query(f"SELECT * FROM comments WHERE record_id IN ({marks}) ORDER BY id", record_ids))
    else:
        data["evidence"], data["comments_on_records"] = [], []
    reflection_ids = [r["id"] for r in data["reflections"]]
    marks = ",".join("?" for _ in reflection_ids)
    data["comments_on_reflections"] = list(db.query(
        f"SELECT * FROM reflection_comments WHERE reflection_id IN ({marks}) ORDER BY id", reflection_ids)) if reflection_ids else []
    return data


PRIVATE_REFLECTION_TEXT = ("title", "what", "so_what", "now_what")
WITHHELD_NOTE = ("This copy was made by an administrator. The text of private reflections (never shared with a"
                 " manager) is left out: only the person can see it. They can download a complete copy themselves"
                 " (Change password, then 'Download everything this service holds about you').")


def export_for_administrator(db: Database, person_id: int) -> tuple[dict, int]:
    """What an administrator may download for someone (subject access): everything in export()
    except what no one but the person can see, the text of private reflections and the comments
    on them. Their dates and ids stay, so the person can be told what was left out.
    Returns the data and how many reflections were withheld."""
    data = export(db, person_id)
    private = {r["id"] for r in data["reflections"] if not r["shared_at"]}
    for reflection in data["reflections"]:
        if reflection["id"] in private:
            reflection.update({field: None for field in PRIVATE_REFLECTION_TEXT}, withheld=True)
    for key in ("reflection_comments", "comments_on_reflections"):
        data[key] = [c for c in data[key] if c["reflection_id"] not in private]
    data["withheld"] = {"private_reflections": len(private), "note": WITHHELD_NOTE}
    return data, len(private)


def erase(db: Database, person_id: int, actor_id: int) -> int:
    """Delete everything about the person; keep an anonymous account row so that what they
    wrote on other people's records still has an author ("Erased user"). Returns files removed.

    The audit log keeps its entries (it is append-only and holds ids and actions, no free text)."""
    with writing(db):
        stored = [r["stored_name"] for r in db.query(
            "SELECT e.stored_name FROM evidence e JOIN records r ON r.id = e.record_id"
            " WHERE r.inductee_id = ? AND e.stored_name IS NOT NULL", [person_id])]
        for table in ("records", "plan_items", "plans", "quiz_attempts", "reflections", "pdp_versions",
                      "supervision_actions", "supervision_sessions", "supervision_agreements", "induction_signoffs",
                      "team_members", "reflection_reads"):
            columns = [c for c in ABOUT_PERSON[table] if c in ("inductee_id", "author_id")] or ABOUT_PERSON[table]
            db.conn.execute(f"DELETE FROM {table} WHERE {' OR '.join(f'{c} = ?' for c in columns)}",
                            [person_id] * len(columns))
        db.conn.execute("DELETE FROM team_members WHERE manager_id = ?", (person_id,))
        db.conn.execute("DELETE FROM pdp_comments WHERE inductee_id = ?", (person_id,))
        db.conn.execute(
            "UPDATE users SET name = 'Erased user', email = ?, password_hash = ?, active = 0,"
            " session_version = session_version + 1, failed_logins = 0, locked_until = NULL WHERE id = ?",
            (f"erased-{person_id}@erased.invalid", hash_password(secrets.token_urlsafe(32)), person_id))
        audit.log(db, actor_id, "user.erased", subject_id=person_id)
    for name in stored:
        files.remove(name)
    # secure_delete (set on every connection) zeroed the deleted rows in the pages written to the
    # log; copying those pages into the database file and emptying the log leaves no old copy.
    if not checkpoint(db):
        logging.getLogger(__name__).warning("erasure: the write-ahead log was busy and is not yet emptied")
    return len(stored)
