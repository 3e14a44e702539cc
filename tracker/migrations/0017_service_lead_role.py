"""Migration 17: a fourth role, the service lead ('lead'), who reads every team's induction and changes
nothing (tracker/reports/)."""
from __future__ import annotations

from sqlite_utils import Database

BEFORE = "CHECK (role IN ('inductee', 'manager', 'admin'))"
AFTER = "CHECK (role IN ('inductee', 'manager', 'admin', 'lead'))"


def migrate(db: Database, context: dict) -> None:
    """SQLite cannot alter a CHECK constraint. Its documented way for a change that leaves every stored row
    valid (sqlite.org/lang_altertable.html, "making other kinds of table schema changes") is to edit the
    table's stored definition and bump schema_version, inside the migration's transaction; rebuilding the
    table instead would need foreign keys off, which cannot change inside a transaction."""
    (sql,) = db.conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'users'").fetchone()
    if AFTER in sql:
        return  # already as this migration makes it
    if BEFORE not in sql:
        raise RuntimeError("users.role is not as migration 1 made it: not changed")
    version = db.conn.execute("PRAGMA schema_version").fetchone()[0]
    db.conn.execute("PRAGMA writable_schema = ON")
    try:
        db.conn.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'users'",
                        [sql.replace(BEFORE, AFTER)])
        db.conn.execute(f"PRAGMA schema_version = {version + 1}")
    finally:
        db.conn.execute("PRAGMA writable_schema = OFF")
    if db.conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        raise RuntimeError("the database failed its integrity check after the role change")
