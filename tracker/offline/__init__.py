"""Saving offline: on a visit with no signal, the inductee's phone keeps what they save (notes, written evidence,
a file, a reflection) and sends it later (tracker/static/offline/). The rules the server keeps:

- Each change sent carries a key the phone made when it was saved. The key is stored with the change, in the
  same transaction, so a change sent twice (its answer lost on the way back) is saved once.
- A change is made only to the record as the phone last saw it. `fingerprint` names a record's state and notes;
  the phone sends the fingerprint of the page it saved from. If the record has moved on (submitted, signed off,
  returned, or its notes changed elsewhere), nothing is saved: the phone is told what the record holds now, and
  the person chooses to add their draft to it, replace the notes with it, or discard it.
- The pages a phone may keep (`KEPT_PAGES`) are the person's own: every other response stays `no-store`.
"""
from __future__ import annotations

import hashlib
import hmac
import sqlite3
from dataclasses import dataclass

from sqlite_utils import Database

from .. import records, reflections
from ..db import writing

# What a page the phone may keep carries: the person's key (below). The service worker keeps a page only if it
# has this header, and only while the same person is signed in.
KEEP_HEADER = "X-Offline-Keep"
CHOICES = ("add", "replace")  # what to do with a draft whose record changed meanwhile (discarding is the phone's)


def person_key(secret: bytes | str, user_id: int) -> str:
    """Who is signed in, as the phone may know it: the same for a person on every visit, and naming no one."""
    secret = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(secret, f"offline-person:{user_id}".encode(), hashlib.sha256).hexdigest()[:24]


def fingerprint(record: dict | None) -> str:
    """A record's state and notes, as a short string: STATE:HASH-OF-NOTES."""
    state, notes = (record["state"], record["notes"]) if record else ("not_started", "")
    return f"{state}:{hashlib.sha256(notes.encode()).hexdigest()[:16]}"


class AlreadySaved(Exception):
    """This key was saved before: nothing more is saved."""


class Changed(Exception):
    """The record moved on since the phone saved its draft: nothing was saved."""

    def __init__(self, record: dict | None, locked: bool):
        super().__init__("changed")
        self.record, self.locked = record, locked


def seen(db: Database, user_id: int, key: str) -> bool:
    return db.execute("SELECT 1 FROM offline_receipts WHERE user_id = ? AND key = ?", [user_id, key]).fetchone() \
        is not None


def _claim(db: Database, user_id: int, key: str, kind: str, made_id: int | None) -> None:
    """Inside the change's transaction: its receipt. A second claim of a key rolls the change back."""
    try:
        db.conn.execute("INSERT INTO offline_receipts (user_id, key, kind, made_id) VALUES (?, ?, ?, ?)",
                        (user_id, key, kind, made_id))
    except sqlite3.IntegrityError as error:
        raise AlreadySaved(key) from error


@dataclass(frozen=True)
class RecordDraft:
    """What the phone kept for one record: notes (None: not changed), evidence to add, and the fingerprint of
    the record it was saved from; `choice` once the person has chosen what to do after a change."""

    key: str
    base: str
    notes: str | None
    evidence: tuple[dict, ...]
    choice: str | None = None


def save_record(db: Database, inductee_id: int, activity_id: str, title: str, draft: RecordDraft) -> dict:
    """Save a draft to the inductee's own record, once. Raises AlreadySaved, or Changed (nothing saved)."""
    with writing(db):
        record = records.get(db, inductee_id, activity_id)
        state = record["state"] if record else "not_started"
        if state not in records.EDITABLE:
            raise Changed(record, locked=True)
        current = fingerprint(record)
        moved = current.split(":")[0] != draft.base.split(":")[0] or (draft.notes is not None and current != draft.base)
        if moved and (draft.choice is None or current != draft.base):
            raise Changed(record, locked=False)
        notes = draft.notes
        if notes is not None and draft.choice == "add" and record and record["notes"].strip():
            notes = f"{record['notes'].rstrip()}\n\n{notes}"
        saved = records.apply_page(db, inductee_id, activity_id, title, inductee_id, notes=notes,
                                   evidence=list(draft.evidence))
        _claim(db, inductee_id, draft.key, "record", saved["id"])
        return saved


def save_reflection(db: Database, author_id: int, key: str, values: dict) -> int:
    """A reflection written offline, once. Raises AlreadySaved."""
    with writing(db):
        made = reflections.insert(db, author_id, values)
        _claim(db, author_id, key, "reflection", made)
        return made
