"""SQLite storage through sqlite-utils: WAL mode, foreign keys, a busy timeout, and versioned migrations
(PRAGMA user_version holds the version) that run only when asked: `flask --app tracker migrate`, or the
MIGRATE_ON_START setting. Making the app opens no database; a request or command that needs it finds out
here, with what to run, if there is none yet or its schema is not this tracker's.

Migrations are files in tracker/migrations, numbered 1, 2, 3 … with no gap; migration N sets user_version
to N, so a real database at version N has run exactly the first N files. Each is `NNNN_name.sql` (its
statements), `NNNN_name.py` (a function `migrate(db, context)`, for what SQL alone cannot do, such as
parsing dates), or both under one name: the SQL first, then the function, in the same transaction, so that
only the upgrade that crosses N runs the function, once. context: {"audit_key": a function returning the
audit chain's key}, for a step that writes audit entries. Never edit a released migration: add one. SQLite
keeps each CREATE statement's text as written, indentation included, and tracker/schema.sql is that text,
so a released file's statements keep their indentation too."""
from __future__ import annotations

import ast
import importlib.util
import re
import sqlite3
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import click
from flask import Blueprint, current_app, g, render_template
from flask_babel import gettext
from sqlite_utils import Database

from .config import default

MIGRATIONS_FOLDER = Path(__file__).with_name("migrations")
MIGRATION_FILE = re.compile(r"(\d{4})_([a-z0-9_]+)\.(sql|py)")
MIGRATE_COMMAND = "flask --app tracker migrate"


@dataclass(frozen=True)
class Migration:
    number: int
    name: str  # the file name without its suffix, e.g. 0001_initial
    sql: str = ""  # NNNN_name.sql
    step: Callable | None = None  # NNNN_name.py's migrate(db, context), run after the SQL

    def run(self, db: Database, context: dict) -> None:
        for statement in _statements(self.sql):
            db.conn.execute(statement)
        if self.step is not None:
            self.step(db, context)


class MigrationFilesError(Exception):
    pass


def load_migrations(folder: Path = MIGRATIONS_FOLDER) -> list[Migration]:
    """The migrations in folder, in order. Refused, so that no database is upgraded by a mistake: a file
    not named NNNN_name.sql or .py (other than _private and .hidden ones), two names for one number, and a
    number missing between 1 and the last."""
    found: dict[int, dict] = {}
    for file in sorted(folder.iterdir()):
        if file.name.startswith(("_", ".")):
            continue
        match = MIGRATION_FILE.fullmatch(file.name)
        if match is None:
            raise MigrationFilesError(f"{file}: a migration is named NNNN_name.sql or NNNN_name.py")
        number, name, kind = int(match[1]), f"{match[1]}_{match[2]}", match[3]
        parts = found.setdefault(number, {"name": name})
        if parts["name"] != name:
            raise MigrationFilesError(f"migration {number} has two names: {parts['name']} and {name}")
        if kind == "sql":
            parts["sql"] = file.read_text(encoding="utf-8")
        else:
            parts["step"] = _python_step(file)
    if sorted(found) != list(range(1, len(found) + 1)):
        missing = sorted(set(range(1, max(found, default=0) + 1)) - set(found))
        raise MigrationFilesError(f"migrations are numbered 1, 2, 3 … with no gap; missing: {missing}")
    return [Migration(number, **found[number]) for number in sorted(found)]


def _python_step(file: Path) -> Callable:
    """NNNN_name.py's migrate(db, context), checked now and imported only when it runs: a step may import
    any part of the tracker (the audit chain's does), which may itself import this module."""
    tree = ast.parse(file.read_text(encoding="utf-8"), str(file))
    if not any(isinstance(node, ast.FunctionDef) and node.name == "migrate" for node in tree.body):
        raise MigrationFilesError(f"{file}: a Python migration defines migrate(db, context)")

    def step(db: Database, context: dict):
        spec = importlib.util.spec_from_file_location(f"tracker.migrations.{file.stem}", file)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.migrate(db, context)

    return step


MIGRATIONS: list[Migration] = load_migrations()


def connect(path: str | Path, busy_timeout: float = default("DATABASE_BUSY_TIMEOUT")) -> Database:
    """busy_timeout: seconds a statement waits for another connection's write lock before it fails
    with "database is locked" (the app's DATABASE_BUSY_TIMEOUT setting)."""
    conn = sqlite3.connect(str(path), timeout=busy_timeout, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    # FULL: every commit is flushed to disk before it is acknowledged, so a power cut cannot lose a
    # sign-off the person was told was saved (NORMAL keeps the database consistent but may lose
    # the last commits). Cost in BENCHMARKS.md (bench/synchronous.py).
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA secure_delete = ON")  # deleted rows are overwritten with zeros, not left in free space
    db = Database(conn)
    if db.journal_mode != "wal":
        db.enable_wal()
    return db


@contextmanager
def writing(db: Database):
    """A short write transaction that takes the write lock at once (BEGIN IMMEDIATE),
    so concurrent writers wait on the busy timeout instead of failing mid-transaction."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        conn.rollback()
        db.__dict__.pop("_after_commit", None)
        raise
    else:
        callbacks = db.__dict__.pop("_after_commit", {})
        conn.commit()
        for callback in callbacks.values():
            callback()


def after_commit(db: Database, callback, key=None) -> None:
    """Run callback once the write transaction now open on db has committed (never if it rolls back);
    once per key, however often it is asked for in one transaction."""
    db.__dict__.setdefault("_after_commit", {}).setdefault(key if key is not None else callback, callback)


CHECKPOINT_WAIT_SECONDS = 1.0


def checkpoint(db: Database, wait: float = CHECKPOINT_WAIT_SECONDS) -> bool:
    """Copy everything in the write-ahead log into the database file and empty the log
    (after an erasure: the log still holds the erased rows). False if a reader kept it busy.
    It waits `wait` seconds at most, not the connection's busy timeout: a long reader (Litestream holds
    one while it replicates) would otherwise keep the request, and every writer behind it, waiting."""
    before = db.execute("PRAGMA busy_timeout").fetchone()[0]
    db.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
    try:
        busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(before)}")
    return busy == 0


def schema_version(db: Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: Database, context: dict | None = None) -> int:
    """Apply the migrations db has not had, in one transaction; return how many."""
    applied = 0
    context = context or {}
    with writing(db):
        for migration in MIGRATIONS[schema_version(db):]:
            migration.run(db, context)
            db.conn.execute(f"PRAGMA user_version = {migration.number}")
            applied += 1
    return applied


def _statements(script: str) -> list[str]:
    """Split a migration into statements (sqlite3.executescript would commit our transaction)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


class SchemaNotCurrent(click.ClickException):
    """The app's database is missing, or its schema is not this tracker's: a command prints what to run and
    exits 1; a request gets a page saying the tracker is not ready (init_app), and the log what to run."""


def schema_problem(path: str | Path) -> str | None:
    """What keeps this tracker from using the database at path, with what to do about it; None if nothing.
    Creates nothing: with no database, nothing is opened."""
    if not Path(path).is_file():
        return f"There is no database at {path}: run `{MIGRATE_COMMAND}` to make it"
    conn = sqlite3.connect(path)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()
    latest = len(MIGRATIONS)
    if version < latest:
        return (f"The database at {path} is at schema version {version} and this tracker needs {latest}:"
                f" back it up, then run `{MIGRATE_COMMAND}` to upgrade it")
    if version > latest:
        return (f"The database at {path} is at schema version {version}, newer than this tracker's ({latest}):"
                " a later version of the tracker upgraded it, so run that version")
    return None


_connections = threading.local()


def get_db() -> Database:
    """This thread's connection to the app's database, opened once per thread and reused:
    opening SQLite and setting it up costs more than many of the queries a page makes. Opening it
    checks the schema (SchemaNotCurrent), and never creates a database."""
    if "db" not in g:
        path = current_app.config["DATABASE"]
        timeout = current_app.config["DATABASE_BUSY_TIMEOUT"]
        if (getattr(_connections, "path", None), getattr(_connections, "timeout", None)) != (path, timeout):
            forget_connection()
            problem = schema_problem(path)
            if problem:
                raise SchemaNotCurrent(problem)
            _connections.db, _connections.path, _connections.timeout = connect(path, timeout), path, timeout
        g.db = _connections.db
    return g.db


def close_db(exception=None) -> None:
    """At the end of every request: never leave a transaction open on a reused connection."""
    db = g.pop("db", None)
    if db is not None and db.conn.in_transaction:
        db.conn.rollback()


def forget_connection() -> None:
    """Close this thread's connection (another database, or a restore replaced the file)."""
    db = getattr(_connections, "db", None)
    if db is not None:
        db.conn.close()
    _connections.db = _connections.path = None


bp = Blueprint("db", __name__)
bp.record_once(lambda state: state.app.teardown_appcontext(close_db))


@bp.app_errorhandler(SchemaNotCurrent)
def not_ready_page(error: SchemaNotCurrent):
    """A request met a database that is missing or not at this tracker's schema: a plain page for the person,
    and for the operator a log line saying what to run. Whoever is signed in is taken as no one for this
    page, so that drawing it does not ask the database again."""
    current_app.logger.error("the tracker cannot use its database: %s", error.message)
    g._login_user = current_app.login_manager.anonymous_user()  # where Flask-Login keeps the request's user
    return render_template("error.html", title=gettext("The tracker is not ready"),
                           advice=gettext("It is being set up or upgraded. Nothing was saved. Try again later."),
                           code=503), 503


def built_schema() -> str:
    """The schema a new database gets from the migration files (made in memory: no file is touched)."""
    db = connect(":memory:")
    try:
        migrate(db)
        return schema_text(db)
    finally:
        db.conn.close()


SCHEMA_FILE = Path(__file__).with_name("schema.sql")


def schema_text(db: Database) -> str:
    """The whole schema in one place, as SQLite holds it: tables, indexes and triggers by name."""
    rows = db.conn.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL"
                           " ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, name")
    return "".join(f"{sql};\n\n" for _, _, sql in rows)
