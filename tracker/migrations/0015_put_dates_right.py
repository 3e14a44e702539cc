"""Migration 15: every stored date YYYY-MM-DD, or cleared, or kept and read as no date (a Python step: it
parses dates, which SQL cannot)."""
from __future__ import annotations

import logging

from sqlite_utils import Database

from tracker.dates import as_date, from_other_iso_form


def migrate(db: Database, context: dict) -> dict[str, dict[str, int]]:
    """Dates were once stored as typed, and Python read ISO 8601's other forms too, so SQL
    (comparing text) and Python (comparing dates) disagreed about them. Each stored date that is not
    YYYY-MM-DD (tracker/dates.py) is put right: another ISO form of one day (20261201, 2026W491,
    2026-W49-1, 2026335) is rewritten YYYY-MM-DD; anything else is cleared where the column may be empty
    (a plan target shows as no date and is filled from the start date again), and kept where it may not
    (every page reads it as no date and shows it as typed). Returns, and logs, how many of each per
    column: counts only, never a value."""
    columns = (("plans", "start_date", "start_date = NULL"),
               ("plan_items", "target_date", "target_date = NULL, target_by_hand = 0"),
               ("supervision_sessions", "session_date", None),  # NOT NULL
               ("supervision_sessions", "next_date", "next_date = NULL"),
               ("supervision_actions", "due_date", "due_date = NULL"),
               ("reflections", "entry_date", None))  # NOT NULL
    counts = {}
    for table, column, clear in columns:
        found = {"rewritten": 0, "cleared": 0, "kept": 0}
        rows = db.conn.execute(f"SELECT rowid, {column} FROM {table} WHERE {column} IS NOT NULL").fetchall()
        for rowid, value in rows:
            day = as_date(value) or from_other_iso_form(value)
            if day is not None and day.isoformat() == value:
                continue
            if day is not None:
                db.conn.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (day.isoformat(), rowid))
                found["rewritten"] += 1
            elif clear:
                db.conn.execute(f"UPDATE {table} SET {clear} WHERE rowid = ?", (rowid,))
                found["cleared"] += 1
            else:
                found["kept"] += 1
        if any(found.values()):
            counts[f"{table}.{column}"] = found
    if counts:
        logging.getLogger(__name__).warning("Stored dates put right (how many of each): %s", counts)
    return counts
