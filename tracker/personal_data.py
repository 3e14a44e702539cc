"""Where personal data lives: which tables hold rows about a person, by which columns, and what
erasure does with them; and which folders hold files about a person, and how to find them. One set of
rules, read by subject access (subject_access.py) and erasure (erasure.py); tests/tracker/test_personal_data.py
fails when a table or column referring to users(id), or a folder setting, is missing from them."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from . import files, mail, pdf_cache


@dataclass(frozen=True)
class Holds:
    about: tuple[str, ...]  # columns naming the person a row is about or by: subject access finds rows by these
    erase_by: tuple[str, ...] = ()  # erasure deletes the rows where one of these is the person; () keeps them
    names_actor: tuple[str, ...] = ()  # who acted on someone else's row (signed off, updated): kept as an id
    with_parent: str = ""  # rows exported and erased with their parent's (evidence goes with its record)
    withheld: tuple[str, ...] = ()  # columns left out of a subject access copy (and why: see the rule)


# In erasure order: rows that others refer to come after the rows that refer to them.
ABOUT_PERSON = {
    # Emails waiting to be sent to a person or about them (a witness's email names the inductee). The
    # message itself is encrypted until sent, and may hold a sign-in link: never exported.
    "mail_queue": Holds(("recipient_id", "about_id"), erase_by=("recipient_id", "about_id"), withheld=("message",)),
    # Emails about a person's induction, to them or their managers (ids only), and reminders sent to them.
    "notifications": Holds(("recipient_id", "inductee_id"), erase_by=("recipient_id", "inductee_id"),
                           names_actor=("actor_id",)),
    "reminders_sent": Holds(("user_id",), erase_by=("user_id",)),
    # The keys of changes the person saved offline and sent later (tracker/offline/): no text.
    "offline_receipts": Holds(("user_id",), erase_by=("user_id",)),
    # The fingerprint of the person's secret calendar address (tracker/calendar_feed.py).
    "calendar_feeds": Holds(("user_id",), erase_by=("user_id",)),
    # Invitation and password-reset links: only the hash of each token (tracker/account_links.py).
    "account_tokens": Holds(("user_id",), erase_by=("user_id",)),
    "records": Holds(("inductee_id",), erase_by=("inductee_id",), names_actor=("signed_off_by",)),
    "evidence": Holds((), names_actor=("created_by",), with_parent="records"),
    # The inductee's requests for testimony (the witness's name and email are part of their record).
    "witness_requests": Holds(("inductee_id",), erase_by=("inductee_id",), names_actor=("revoked_by",)),
    "plan_items": Holds(("inductee_id",), erase_by=("inductee_id",)),
    "plans": Holds(("inductee_id",), erase_by=("inductee_id",), names_actor=("updated_by",)),
    "quiz_attempts": Holds(("inductee_id",), erase_by=("inductee_id",)),
    "reflections": Holds(("author_id",), erase_by=("author_id",)),
    "pdp_comments": Holds(("inductee_id", "author_id"), erase_by=("inductee_id",)),
    "pdp_versions": Holds(("inductee_id",), erase_by=("inductee_id",), names_actor=("created_by",)),
    "supervision_actions": Holds(("inductee_id",), erase_by=("inductee_id",)),
    "supervision_sessions": Holds(("inductee_id", "manager_id"), erase_by=("inductee_id",)),
    "supervision_agreements": Holds(("inductee_id",), erase_by=("inductee_id",),
                                    names_actor=("manager_agreed_by", "updated_by")),
    "induction_signoffs": Holds(("inductee_id", "signed_off_by"), erase_by=("inductee_id",)),
    "team_members": Holds(("manager_id", "inductee_id"), erase_by=("manager_id", "inductee_id")),
    "reflection_reads": Holds(("manager_id",), erase_by=("manager_id",)),  # when a manager read a reflection
    # What the person wrote on someone else's record or reflection stays, by "Erased user".
    "comments": Holds(("author_id",)),
    "reflection_comments": Holds(("author_id",)),
    # Append-only; ids, actions and times, never free text.
    "audit_log": Holds(("actor_id", "subject_id")),
}


def rows_about(db: Database, table: str, columns: tuple[str, ...], person_id: int) -> list[dict]:
    where = " OR ".join(f"{c} = ?" for c in columns)
    return list(db.query(f"SELECT * FROM {table} WHERE {where} ORDER BY rowid", [person_id] * len(columns)))


def delete_about(db: Database, person_id: int) -> None:
    """Erasure's deletions, inside the caller's transaction."""
    for table, holds in ABOUT_PERSON.items():
        if holds.erase_by:
            db.conn.execute(f"DELETE FROM {table} WHERE {' OR '.join(f'{c} = ?' for c in holds.erase_by)}",
                            [person_id] * len(holds.erase_by))


# ---- files --------------------------------------------------------------------------------------

def _uploads(db: Database, person: dict) -> list[Path]:
    """Evidence files on the person's records (the rows go with the records)."""
    names = [r["stored_name"] for r in db.query(
        "SELECT e.stored_name FROM evidence e JOIN records r ON r.id = e.record_id"
        " WHERE r.inductee_id = ? AND e.stored_name IS NOT NULL", [person["id"]])]
    found = []
    for name in names:
        try:
            found.append(files.path_of(name))
        except FileNotFoundError:
            continue
    return found


def _outbox(db: Database, person: dict) -> list[Path]:
    """Messages written to the outbox (no email server) to the person or about them."""
    return mail.outbox_files_about(person)


def _kept_pdfs(db: Database, person: dict) -> list[Path]:
    """Their portfolio PDF as last made (tracker/pdf_cache.py)."""
    return pdf_cache.kept_files(person["id"])


# Every folder setting whose files can be about a person, and how to find that person's files there.
# Erasure deletes what these find (before the rows they are found by are deleted).
FILES_ABOUT_PERSON: dict[str, Callable[[Database, dict], list[Path]]] = {
    "UPLOAD_FOLDER": _uploads,
    "OUTBOX_FOLDER": _outbox,
    "PDF_CACHE_FOLDER": _kept_pdfs,
}


def files_about(db: Database, person: dict) -> list[Path]:
    return [path for find in FILES_ABOUT_PERSON.values() for path in find(db, person)]
