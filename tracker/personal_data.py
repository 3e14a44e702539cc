"""Where personal data lives: which tables hold rows about a person, and by which columns.

One list, read by subject access (subject_access.py) and erasure (erasure.py); a test checks that
every table with a column referring to users(id) is in it."""
from __future__ import annotations

from sqlite_utils import Database


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


def rows_about(db: Database, table: str, columns: list[str], person_id: int) -> list[dict]:
    where = " OR ".join(f"{c} = ?" for c in columns)
    return list(db.query(f"SELECT * FROM {table} WHERE {where} ORDER BY rowid", [person_id] * len(columns)))
