"""Storage: WAL, foreign keys, a busy timeout, the latest schema, and every commit flushed to disk."""
from __future__ import annotations

from tracker import db as tracker_db
from tracker.db import get_db


def test_database_uses_wal_foreign_keys_and_the_latest_schema(tracker_app):
    with tracker_app.app_context():
        db = get_db()
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert tracker_db.schema_version(db) == len(tracker_db.MIGRATIONS)
        assert tracker_db.migrate(db) == 0  # running again applies nothing


def test_every_connection_flushes_each_commit_to_disk(tracker_app):
    from tracker import db as tracker_db
    with tracker_app.app_context():  # the connection requests use
        assert get_db().execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert get_db().execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    fresh = tracker_db.connect(tracker_app.config["DATABASE"])  # and any other, e.g. the command line's
    try:
        assert fresh.execute("PRAGMA synchronous").fetchone()[0] == 2
        assert fresh.execute("PRAGMA secure_delete").fetchone()[0] == 1
    finally:
        fresh.conn.close()


def test_a_checkpoint_behind_a_long_reader_gives_up_soon_and_keeps_the_busy_timeout(tmp_path):
    """Litestream holds a read transaction while it replicates. An erasure's checkpoint used to wait the
    whole busy timeout behind it (10 s, every writer queued behind the request); now it gives up after
    about a second, says so, and leaves the connection's busy timeout as it was."""
    import sqlite3
    import time

    path = tmp_path / "t.sqlite"
    db = tracker_db.connect(path, busy_timeout=60)
    with tracker_db.writing(db):
        db.conn.execute("CREATE TABLE t (a)")
        db.conn.execute("INSERT INTO t VALUES (1)")
    reader = sqlite3.connect(path)
    reader.execute("BEGIN")
    reader.execute("SELECT * FROM t").fetchall()  # a snapshot the checkpoint must not overwrite
    with tracker_db.writing(db):
        db.conn.execute("INSERT INTO t VALUES (2)")
    started = time.monotonic()
    assert tracker_db.checkpoint(db) is False
    assert time.monotonic() - started < 30  # not the 60 s busy timeout
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 60000
    reader.rollback()
    assert tracker_db.checkpoint(db) is True
