"""The schema can be read in one place and agrees with the code that relies on it."""
from __future__ import annotations

import re
import sqlite3

import pytest

from tracker import create_app
from tracker.accounts import ROLE_LABELS
from tracker.db import SCHEMA_FILE, connect, schema_text
from tracker.pagecache import DASHBOARD_TABLES
from tracker.records import STATE_LABELS
from tracker.records.routes import EVIDENCE_FORMS
from tracker.supervision import ACTION_OWNERS


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    folder = tmp_path_factory.mktemp("schema")
    create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(folder / "t.sqlite"),
                "UPLOAD_FOLDER": str(folder / "uploads")})  # runs every migration on a new database
    conn = sqlite3.connect(folder / "t.sqlite")
    yield folder / "t.sqlite", conn
    conn.close()


def test_the_checked_in_schema_is_what_the_migrations_make(database):
    path, _ = database
    checked_in = "".join(line for line in SCHEMA_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
                         if not line.startswith("--")).lstrip("\n")
    db = connect(path)
    assert schema_text(db) == checked_in, "run: flask --app tracker schema, and update tracker/schema.sql"


def test_exactly_the_dashboard_tables_bump_the_data_version(database):
    _, conn = database
    triggers = conn.execute("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
                            " AND name LIKE '%bumps_version'").fetchall()
    events = {}
    for table, sql in triggers:
        events.setdefault(table, set()).add(re.search(r"AFTER (INSERT|UPDATE|DELETE)", sql).group(1))
    assert set(events) == set(DASHBOARD_TABLES)
    assert all(found == {"INSERT", "UPDATE", "DELETE"} for found in events.values()), events


def _check_values(conn, table: str, column: str) -> set[str]:
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()[0]
    values = re.search(rf"CHECK \({column} IN \(([^)]*)\)\)", sql).group(1)
    return set(re.findall(r"'([^']*)'", values))


@pytest.mark.parametrize("table,column,constant", [
    ("users", "role", set(ROLE_LABELS)),
    ("records", "state", set(STATE_LABELS)),
    ("evidence", "kind", set(EVIDENCE_FORMS)),
    ("supervision_actions", "owner", set(ACTION_OWNERS)),
], ids=["roles", "record states", "evidence kinds", "action owners"])
def test_check_lists_in_the_schema_equal_the_python_constants(database, table, column, constant):
    _, conn = database
    assert _check_values(conn, table, column) == constant
