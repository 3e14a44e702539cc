"""The schema can be read in one place and agrees with the code that relies on it."""
from __future__ import annotations

import hashlib
import re
import sqlite3

import pytest

from tracker import create_app
from tracker import db as tracker_db
from tracker.accounts import ROLE_LABELS
from tracker.db import MIGRATIONS_FOLDER, SCHEMA_FILE, MigrationFilesError, connect, load_migrations, schema_text
from tracker.pagecache import PAGE_TABLES
from tracker.records import STATE_LABELS
from tracker.records.routes import EVIDENCE_FORMS
from tracker.supervision import ACTION_OWNERS


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    folder = tmp_path_factory.mktemp("schema")
    create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(folder / "t.sqlite"),
                "UPLOAD_FOLDER": str(folder / "uploads"), "MIGRATE_ON_START": True})  # every migration, on a new file
    conn = sqlite3.connect(folder / "t.sqlite")
    yield folder / "t.sqlite", conn
    conn.close()


def checked_in_schema() -> str:
    return "".join(line for line in SCHEMA_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
                   if not line.startswith("--")).lstrip("\n")


def test_the_checked_in_schema_is_what_the_migrations_make(database):
    path, _ = database
    checked_in = checked_in_schema()
    db = connect(path)
    assert schema_text(db) == checked_in, "run: flask --app tracker schema, and update tracker/schema.sql"


# ---- the migration files (tracker/migrations) ---------------------------------------------------

def test_migration_files_are_numbered_one_to_n_without_gaps_or_duplicates():
    """A real database at version N has run migrations 1 to N: a number skipped, or given to two migrations,
    would upgrade it wrongly. One number may have a .sql and a .py file, under one name."""
    names = {}
    for file in MIGRATIONS_FOLDER.iterdir():
        if file.name.startswith(("_", ".")):
            continue
        match = re.fullmatch(r"(\d{4})_([a-z0-9_]+)\.(sql|py)", file.name)
        assert match, f"{file.name}: a migration is named NNNN_name.sql or NNNN_name.py"
        names.setdefault(int(match[1]), set()).add(file.stem)
    assert sorted(names) == list(range(1, len(names) + 1))
    assert {number: stems for number, stems in names.items() if len(stems) > 1} == {}
    assert [m.number for m in tracker_db.MIGRATIONS] == sorted(names)


def test_a_database_built_from_the_migration_files_has_the_checked_in_schema(tmp_path):
    db = connect(tmp_path / "built.sqlite")
    try:
        assert tracker_db.migrate(db) == len(tracker_db.MIGRATIONS)
        assert tracker_db.schema_version(db) == len(tracker_db.MIGRATIONS)
        assert schema_text(db) == checked_in_schema()
    finally:
        db.conn.close()
    assert tracker_db.built_schema() == checked_in_schema()  # what `flask --app tracker schema` prints


# A released migration never changes, comments included: real databases at version N ran exactly these.
# (The first 16 hex digits of each file's SHA-256; add a migration's once it is released.)
RELEASED_SQL = {1: "287a4ec19ab3551c", 2: "399090a3a6e11272", 3: "4c84224695ba6a60", 4: "3d88cdbb06030e91",
                5: "76fab42d4d2e2af4", 6: "2abf343ec5b36456", 7: "03430fd7a819622f", 8: "84018ea7584e493c",
                9: "6accd658409bd8f3", 10: "797ce49762c40da1", 11: "da23e1c728bcf96e", 12: "7837f4aea2c49276",
                13: "93141f56e9b40e93", 14: "b4253b57150a2eb3"}


def test_released_migrations_are_unchanged():
    found = {m.number: hashlib.sha256(m.sql.encode()).hexdigest()[:16] for m in tracker_db.MIGRATIONS if m.sql}
    assert {n: found.get(n) for n in RELEASED_SQL} == RELEASED_SQL
    steps = {m.number for m in tracker_db.MIGRATIONS if m.step}
    assert {8, 15} <= steps  # chaining the audit log at 8, putting dates right at 15


@pytest.mark.parametrize("files,problem", [
    (["0001_a.sql", "0003_c.sql"], "missing: [2]"),
    (["0001_a.sql", "0002_b.sql", "0002_other.sql"], "two names"),
    (["0001_a.sql", "2_b.sql"], "NNNN_name.sql"),
    (["0001_a.sql", "0002_b.py"], "migrate(db, context)"),
], ids=["a gap", "two migrations with one number", "a badly named file", "a Python file without migrate"])
def test_a_mistake_in_the_migration_files_is_refused(tmp_path, files, problem):
    for name in files:
        (tmp_path / name).write_text("CREATE TABLE t (a);\n" if name.endswith(".sql") else "x = 1\n")
    with pytest.raises(MigrationFilesError) as refused:
        load_migrations(tmp_path)
    assert problem in str(refused.value)


def test_a_python_step_runs_after_its_sql_once_in_the_upgrade_that_crosses_it(tmp_path, monkeypatch):
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_table.sql").write_text("CREATE TABLE t (a TEXT);\n")
    (folder / "0001_table.py").write_text(
        "def migrate(db, context):\n    db.conn.execute(\"INSERT INTO t VALUES ('filled')\")\n")
    (folder / "0002_more.sql").write_text("ALTER TABLE t ADD COLUMN b TEXT;\n")
    monkeypatch.setattr(tracker_db, "MIGRATIONS", load_migrations(folder))
    db = connect(tmp_path / "t.sqlite")
    try:
        assert tracker_db.migrate(db) == 2
        assert tracker_db.migrate(db) == 0
        assert db.execute("SELECT a, b FROM t").fetchall() == [("filled", None)]
        assert tracker_db.schema_version(db) == 2
    finally:
        db.conn.close()


def test_exactly_the_dashboard_tables_bump_the_data_version(database):
    _, conn = database
    triggers = conn.execute("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
                            " AND name LIKE '%bumps_version'").fetchall()
    events = {}
    for table, sql in triggers:
        events.setdefault(table, set()).add(re.search(r"AFTER (INSERT|UPDATE|DELETE)", sql).group(1))
    assert set(events) == set(PAGE_TABLES)
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
