"""Dates: one strict reader (YYYY-MM-DD, ASCII digits, a real day from 1900 to 2199), and the migration that
puts right dates stored before it (other ISO 8601 forms rewritten; anything else cleared, or kept where the
column needs a value, and then read as no date without breaking a page)."""
from __future__ import annotations

import datetime as dt
import logging
import sqlite3

import pytest

from tracker import db as tracker_db
from tracker.dates import DateError, as_date, from_other_iso_form, is_date, parse_date


@pytest.mark.parametrize("text,day", [
    ("2026-12-01", dt.date(2026, 12, 1)),
    (" 2026-12-01\t", dt.date(2026, 12, 1)),  # spaces around a pasted date are forgiven
    ("2028-02-29", dt.date(2028, 2, 29)),
    ("1900-01-01", dt.date(1900, 1, 1)),
    ("2199-12-31", dt.date(2199, 12, 31)),
])
def test_a_date_written_yyyy_mm_dd_is_read(text, day):
    assert parse_date(text) == day and is_date(text) and as_date(text) == day


@pytest.mark.parametrize("text", [
    "20261201",  # ISO 8601 basic form: Python's date.fromisoformat reads it
    "2026W491", "2026-W49-1",  # week dates: so does fromisoformat
    "2026335", "2026-335",  # ordinal dates
    "2026-12-1", "2026-1-01", "26-12-01", "02026-12-01",  # not two digits for month and day, four for the year
    "2026-13-01", "2026-00-10", "2026-02-30", "2026-02-29", "2026-04-31",  # no such month or day
    "1899-12-31", "2200-01-01", "0001-01-01", "9999-12-31",  # years outside any induction (9999 overflows)
    "２０２６-１２-０１", "٢٠٢٦-١٢-٠١", "२०२६-१२-०१", "2026-12-０1",  # digits that are not ASCII
    "", "   ", "2026/12/01", "01/12/2026", "1 December 2026", "2026-12-01T10:00:00Z", "2026-12-01 10:00",
    "+2026-12-01", "2026-12-01\x00", "2026\u200b-12-01", "2026–12–01",  # an en dash, as word processors type
])
def test_anything_else_is_refused_with_a_value_error(text):
    with pytest.raises(DateError) as refused:
        parse_date(text)
    assert isinstance(refused.value, ValueError)
    assert text.strip() == "" or text.strip() not in str(refused.value)  # never echoes what was typed
    assert not is_date(text) and as_date(text) is None


@pytest.mark.parametrize("value", [None, 20261201, dt.date(2026, 12, 1), b"2026-12-01"])
def test_what_is_not_text_is_not_a_date(value):
    assert not is_date(value) and as_date(value) is None


@pytest.mark.parametrize("text,day", [
    ("20261201", "2026-12-01"), ("2026W491", "2026-11-30"), ("2026-W49-1", "2026-11-30"),
    ("2026W537", "2027-01-03"),  # 2026 has 53 ISO weeks
    ("2026335", "2026-12-01"), ("2026-335", "2026-12-01"), ("2028366", "2028-12-31"),
    ("2026-12-01", None), ("20260230", None), ("2025W531", None), ("2026W490", None), ("2026366", None),
    ("2026000", None), ("22001201", None), ("2026W49", None), ("2026-W491", None), ("２０２６１２０１", None),
    ("next week", None), ("", None),
])
def test_other_iso_forms_of_one_day_are_recognised_for_the_migration(text, day):
    found = from_other_iso_form(text)
    assert (found.isoformat() if found else None) == day


# ---- the migration that puts stored dates right ---------------------------------------------------

def _migration_number() -> int:
    return next(m.number for m in tracker_db.MIGRATIONS if m.name.endswith("_put_dates_right"))


def _date_values(conn) -> dict[tuple, object]:
    columns = [("plans", "start_date"), ("plan_items", "target_date"), ("plan_items", "target_by_hand"),
               ("supervision_sessions", "session_date"), ("supervision_sessions", "next_date"),
               ("supervision_actions", "due_date"), ("reflections", "entry_date")]
    return {(table, column, rowid): value for table, column in columns
            for rowid, value in conn.execute(f"SELECT rowid, {column} FROM {table}")}


def test_the_migration_rewrites_other_iso_forms_and_clears_or_keeps_the_rest(tracker_app, people, signed_in,
                                                                            monkeypatch, caplog):
    d, ceri, rhian = people["dafydd"], people["ceri"], people["rhian"]
    path = tracker_app.config["DATABASE"]
    # The database as an older tracker left it: dates stored as typed, one migration before this one.
    conn = sqlite3.connect(path)
    item = {a: rowid for a, rowid in conn.execute("SELECT activity_id, rowid FROM plan_items WHERE inductee_id = ?",
                                                  [d])}
    set_target = "UPDATE plan_items SET target_date = ?, target_by_hand = 1 WHERE rowid = ?"
    conn.execute(set_target, ("20261201", item["1.3"]))
    conn.execute(set_target, ("2026W491", item["1.4"]))
    conn.execute(set_target, ("end of term", item["1.5"]))
    conn.execute(set_target, (" 2026-12-09", item["1.6"]))
    conn.execute("UPDATE plans SET start_date = '2026-W45-1' WHERE inductee_id = ?", [d])
    conn.execute("UPDATE plans SET start_date = '31/10/2026' WHERE inductee_id = ?", [ceri])
    session = conn.execute("SELECT id FROM supervision_sessions WHERE inductee_id = ?", [d]).fetchone()[0]
    conn.execute("UPDATE supervision_sessions SET session_date = 'last Tuesday', next_date = '2026-W50-3'"
                 " WHERE id = ?", [session])
    action = conn.execute("SELECT id FROM supervision_actions WHERE session_id = ?", [session]).fetchone()[0]
    conn.execute("UPDATE supervision_actions SET due_date = '2026335' WHERE id = ?", [action])
    ceris = conn.execute("INSERT INTO supervision_sessions (inductee_id, manager_id, session_date, next_date)"
                         " VALUES (?, ?, '2026-11-02', '9999-12-31')", [ceri, rhian]).lastrowid
    reflection = conn.execute("SELECT id FROM reflections WHERE author_id = ?", [d]).fetchone()[0]
    conn.execute("UPDATE reflections SET entry_date = '20261120' WHERE id = ?", [reflection])
    kept = conn.execute("INSERT INTO reflections (author_id, entry_date, title, what, so_what, now_what)"
                        " VALUES (?, 'Tuesday', 'Team meeting', 'w', 's', 'n')", [d]).lastrowid
    conn.execute(f"PRAGMA user_version = {_migration_number() - 1}")
    conn.commit()
    before = _date_values(conn)
    conn.close()

    # Only this migration runs (one added after it would already have run on this database).
    monkeypatch.setattr(tracker_db, "MIGRATIONS", tracker_db.MIGRATIONS[:_migration_number()])
    db = tracker_db.connect(path)
    try:
        with caplog.at_level(logging.WARNING, logger="tracker.db"):
            assert tracker_db.migrate(db) == 1
        assert tracker_db.schema_version(db) == _migration_number()
        after = _date_values(db.conn)
    finally:
        db.conn.close()

    changed = {key: value for key, value in after.items() if before[key] != value}
    assert changed == {
        ("plan_items", "target_date", item["1.3"]): "2026-12-01",
        ("plan_items", "target_date", item["1.4"]): "2026-11-30",
        ("plan_items", "target_date", item["1.5"]): None,  # shows as no date...
        ("plan_items", "target_by_hand", item["1.5"]): 0,  # ...and is filled from the start date again
        ("plan_items", "target_date", item["1.6"]): "2026-12-09",
        ("plans", "start_date", d): "2026-11-02",
        ("plans", "start_date", ceri): None,
        ("supervision_sessions", "next_date", session): "2026-12-09",
        ("supervision_sessions", "next_date", ceris): None,  # a year no induction reaches
        ("supervision_actions", "due_date", action): "2026-12-01",
        ("reflections", "entry_date", reflection): "2026-11-20",
    }  # and kept, where the column needs a value: 'last Tuesday' (a session) and 'Tuesday' (a reflection)
    # What it did is logged as counts, never as a value anyone typed.
    assert "'plan_items.target_date': {'rewritten': 3, 'cleared': 1, 'kept': 0}" in caplog.text
    assert "'reflections.entry_date': {'rewritten': 1, 'cleared': 0, 'kept': 1}" in caplog.text
    assert not any(typed in caplog.text for typed in ("end of term", "31/10/2026", "Tuesday", "9999"))

    # Every page reads what was kept as no date, shows it as stored, and never fails.
    manager, dafydd = signed_in("manager@example.org"), signed_in("inductee@example.org")
    for client, url in [(manager, "/team"), (manager, "/supervision"), (manager, f"/supervision/{d}"),
                        (manager, f"/team/{d}"), (manager, f"/supervision/{ceri}"), (dafydd, "/my-induction"),
                        (dafydd, "/reflections"), (dafydd, f"/reflections/{kept}/edit"), (dafydd, f"/plan/{d}"),
                        (dafydd, f"/supervision/sessions/{session}"),
                        (dafydd, f"/supervision/sessions/{session}/calendar.ics")]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "last Tuesday" in manager.get(f"/supervision/{d}").get_data(as_text=True)
