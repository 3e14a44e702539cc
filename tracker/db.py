"""SQLite storage through sqlite-utils: WAL mode, foreign keys, a busy timeout and
versioned migrations that run at start-up (PRAGMA user_version holds the version)."""
from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app, g
from sqlite_utils import Database

BUSY_TIMEOUT_SECONDS = 10


def put_dates_right(db: Database, context: dict | None = None) -> dict[str, dict[str, int]]:
    """A migration: dates were once stored as typed, and Python read ISO 8601's other forms too, so SQL
    (comparing text) and Python (comparing dates) disagreed about them. Each stored date that is not
    YYYY-MM-DD (tracker/dates.py) is put right: another ISO form of one day (20261201, 2026W491,
    2026-W49-1, 2026335) is rewritten YYYY-MM-DD; anything else is cleared where the column may be empty
    (a plan target shows as no date and is filled from the start date again), and kept where it may not
    (every page reads it as no date and shows it as typed). Returns, and logs, how many of each per
    column: counts only, never a value."""
    import logging

    from .dates import as_date, from_other_iso_form

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


# Each migration runs once, in order, inside one transaction. Never edit a released
# migration: add a new one.
MIGRATIONS: list[str | Callable] = [
    # 1: accounts, plans, activity records, evidence, comments, audit log
    """
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('inductee', 'manager', 'admin')),
        password_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        session_version INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE TABLE team_members (
        manager_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        inductee_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        PRIMARY KEY (manager_id, inductee_id)
    );
    CREATE INDEX team_members_inductee ON team_members(inductee_id);
    CREATE TABLE plans (
        inductee_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        start_date TEXT,
        notes TEXT NOT NULL DEFAULT '',
        updated_at TEXT,
        updated_by INTEGER REFERENCES users(id)
    );
    CREATE TABLE plan_items (
        inductee_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        activity_id TEXT NOT NULL,
        target_date TEXT,
        priority INTEGER NOT NULL DEFAULT 0,
        not_required INTEGER NOT NULL DEFAULT 0,
        reason TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (inductee_id, activity_id)
    );
    CREATE TABLE records (
        id INTEGER PRIMARY KEY,
        inductee_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        activity_id TEXT NOT NULL,
        activity_title TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'not_started'
            CHECK (state IN ('not_started', 'in_progress', 'submitted', 'signed_off', 'returned')),
        notes TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        submitted_at TEXT,
        signed_off_at TEXT,
        signed_off_by INTEGER REFERENCES users(id),
        UNIQUE (inductee_id, activity_id)
    );
    CREATE INDEX records_state ON records(state, submitted_at);
    CREATE TABLE evidence (
        id INTEGER PRIMARY KEY,
        record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('text', 'file', 'witness')),
        body TEXT NOT NULL DEFAULT '',
        file_name TEXT,
        stored_name TEXT,
        content_type TEXT,
        size INTEGER,
        witness_name TEXT,
        witness_role TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        created_by INTEGER NOT NULL REFERENCES users(id)
    );
    CREATE INDEX evidence_record ON evidence(record_id);
    CREATE TABLE comments (
        id INTEGER PRIMARY KEY,
        record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
        author_id INTEGER NOT NULL REFERENCES users(id),
        body TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX comments_record ON comments(record_id);
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        actor_id INTEGER,
        action TEXT NOT NULL,
        subject_id INTEGER,
        activity_id TEXT,
        record_id INTEGER,
        from_state TEXT,
        to_state TEXT,
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX audit_subject ON audit_log(subject_id, at);
    CREATE INDEX audit_record ON audit_log(record_id);
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    """,
    # 2: reflective log, quiz attempts, personal development plans, supervision, induction sign-off
    """
    CREATE TABLE supervision_agreements (
        inductee_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        purpose TEXT NOT NULL DEFAULT '', equality TEXT NOT NULL DEFAULT '',
        confidentiality TEXT NOT NULL DEFAULT '', timing TEXT NOT NULL DEFAULT '',
        review TEXT NOT NULL DEFAULT '', cancellation TEXT NOT NULL DEFAULT '',
        location TEXT NOT NULL DEFAULT '', preparation TEXT NOT NULL DEFAULT '',
        recording TEXT NOT NULL DEFAULT '',
        updated_at TEXT, updated_by INTEGER REFERENCES users(id),
        inductee_agreed_at TEXT, manager_agreed_at TEXT, manager_agreed_by INTEGER REFERENCES users(id)
    );
    CREATE TABLE supervision_sessions (
        id INTEGER PRIMARY KEY,
        inductee_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        manager_id INTEGER REFERENCES users(id),
        session_date TEXT NOT NULL,
        agenda TEXT NOT NULL DEFAULT '', discussion TEXT NOT NULL DEFAULT '',
        decisions TEXT NOT NULL DEFAULT '', next_date TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        confirmed_at TEXT
    );
    CREATE INDEX supervision_sessions_inductee ON supervision_sessions(inductee_id, session_date);
    CREATE TABLE supervision_actions (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES supervision_sessions(id) ON DELETE CASCADE,
        inductee_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        description TEXT NOT NULL,
        owner TEXT NOT NULL CHECK (owner IN ('inductee', 'manager')),
        due_date TEXT,
        done_at TEXT,
        done_in_session INTEGER REFERENCES supervision_sessions(id) ON DELETE SET NULL
    );
    CREATE INDEX supervision_actions_inductee ON supervision_actions(inductee_id, done_at);
    CREATE TABLE reflections (
        id INTEGER PRIMARY KEY,
        author_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        entry_date TEXT NOT NULL,
        title TEXT NOT NULL,
        what TEXT NOT NULL, so_what TEXT NOT NULL, now_what TEXT NOT NULL,
        activity_id TEXT,
        supervision_id INTEGER REFERENCES supervision_sessions(id) ON DELETE SET NULL,
        shared_at TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX reflections_author ON reflections(author_id, entry_date);
    CREATE TABLE reflection_comments (
        id INTEGER PRIMARY KEY,
        reflection_id INTEGER NOT NULL REFERENCES reflections(id) ON DELETE CASCADE,
        author_id INTEGER NOT NULL REFERENCES users(id),
        body TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE TABLE quiz_attempts (
        id INTEGER PRIMARY KEY,
        inductee_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        quiz_id TEXT NOT NULL,
        quiz_title TEXT NOT NULL,
        activity_id TEXT,
        score INTEGER NOT NULL, total INTEGER NOT NULL, percent INTEGER NOT NULL,
        pass_mark INTEGER NOT NULL, passed INTEGER NOT NULL,
        answers TEXT NOT NULL,  -- JSON: what was answered and whether it was right
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX quiz_attempts_inductee ON quiz_attempts(inductee_id, quiz_id);
    CREATE TABLE pdp_versions (
        id INTEGER PRIMARY KEY,
        inductee_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        strengths TEXT NOT NULL DEFAULT '', areas_to_develop TEXT NOT NULL DEFAULT '',
        more_confident TEXT NOT NULL DEFAULT '', helped_by TEXT NOT NULL DEFAULT '',
        next_three_months TEXT NOT NULL DEFAULT '', next_twelve_months TEXT NOT NULL DEFAULT '',
        objectives TEXT NOT NULL DEFAULT '[]',  -- JSON list of {objective, action, resources, when, status}
        supervision_id INTEGER REFERENCES supervision_sessions(id) ON DELETE SET NULL,
        created_by INTEGER NOT NULL REFERENCES users(id),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        UNIQUE (inductee_id, version)
    );
    CREATE TABLE pdp_comments (
        id INTEGER PRIMARY KEY,
        inductee_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        author_id INTEGER NOT NULL REFERENCES users(id),
        body TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE TABLE induction_signoffs (
        inductee_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        signed_off_by INTEGER NOT NULL REFERENCES users(id),
        signed_off_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        comment TEXT NOT NULL DEFAULT ''
    );
    """,
    # 3: a counter bumped by every change to what dashboards show, so rendered dashboards can be
    # reused until something they show changes (tracker/pagecache.py)
    """
    CREATE TABLE data_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
    INSERT INTO data_version (id, version) VALUES (1, 0);
    CREATE TRIGGER users_insert_bumps_version AFTER INSERT ON users
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER users_update_bumps_version AFTER UPDATE ON users
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER users_delete_bumps_version AFTER DELETE ON users
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER team_members_insert_bumps_version AFTER INSERT ON team_members
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER team_members_update_bumps_version AFTER UPDATE ON team_members
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER team_members_delete_bumps_version AFTER DELETE ON team_members
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER plan_items_insert_bumps_version AFTER INSERT ON plan_items
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER plan_items_update_bumps_version AFTER UPDATE ON plan_items
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER plan_items_delete_bumps_version AFTER DELETE ON plan_items
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER records_insert_bumps_version AFTER INSERT ON records
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER records_update_bumps_version AFTER UPDATE ON records
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER records_delete_bumps_version AFTER DELETE ON records
        BEGIN UPDATE data_version SET version = version + 1; END;
    """,
    # 4: a 'done' state for activities that need no manager sign-off (the inductee marks them done),
    # and when that happened. SQLite cannot change a CHECK constraint, so records is rebuilt. Its
    # children (evidence, comments) are copied out and rebuilt too, so that dropping records cannot
    # cascade into them with foreign keys on (they cannot be turned off inside this transaction).
    """
    CREATE TEMP TABLE records_copy AS SELECT * FROM records;
    CREATE TEMP TABLE evidence_copy AS SELECT * FROM evidence;
    CREATE TEMP TABLE comments_copy AS SELECT * FROM comments;
    DROP TABLE evidence;
    DROP TABLE comments;
    DROP TABLE records;
    CREATE TABLE records (
        id INTEGER PRIMARY KEY,
        inductee_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        activity_id TEXT NOT NULL,
        activity_title TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'not_started'
            CHECK (state IN ('not_started', 'in_progress', 'submitted', 'signed_off', 'returned', 'done')),
        notes TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        submitted_at TEXT,
        signed_off_at TEXT,
        signed_off_by INTEGER REFERENCES users(id),
        done_at TEXT,
        UNIQUE (inductee_id, activity_id)
    );
    INSERT INTO records (id, inductee_id, activity_id, activity_title, state, notes, created_at, updated_at,
                         submitted_at, signed_off_at, signed_off_by)
        SELECT id, inductee_id, activity_id, activity_title, state, notes, created_at, updated_at,
               submitted_at, signed_off_at, signed_off_by FROM records_copy;
    CREATE INDEX records_state ON records(state, submitted_at);
    CREATE TABLE evidence (
        id INTEGER PRIMARY KEY,
        record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('text', 'file', 'witness')),
        body TEXT NOT NULL DEFAULT '',
        file_name TEXT,
        stored_name TEXT,
        content_type TEXT,
        size INTEGER,
        witness_name TEXT,
        witness_role TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        created_by INTEGER NOT NULL REFERENCES users(id)
    );
    INSERT INTO evidence SELECT * FROM evidence_copy;
    CREATE INDEX evidence_record ON evidence(record_id);
    CREATE TABLE comments (
        id INTEGER PRIMARY KEY,
        record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
        author_id INTEGER NOT NULL REFERENCES users(id),
        body TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    INSERT INTO comments SELECT * FROM comments_copy;
    CREATE INDEX comments_record ON comments(record_id);
    DROP TABLE records_copy;
    DROP TABLE evidence_copy;
    DROP TABLE comments_copy;
    CREATE TRIGGER records_insert_bumps_version AFTER INSERT ON records
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER records_update_bumps_version AFTER UPDATE ON records
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER records_delete_bumps_version AFTER DELETE ON records
        BEGIN UPDATE data_version SET version = version + 1; END;
    """,
    # 5: failed sign-ins counted per (address, client) pair, under a keyed hash of the two, so that
    # one person cannot lock everyone out (users.failed_logins and users.locked_until are no longer used)
    """
    CREATE TABLE login_failures (
        key TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        last_at TEXT NOT NULL,
        locked_until TEXT
    );
    CREATE INDEX login_failures_last_at ON login_failures(last_at);
    """,
    # 6: when each manager last read each shared reflection (for "Needs your action"); and the tables
    # whose changes "Needs your action" on the dashboards shows bump data_version too
    """
    CREATE TABLE reflection_reads (
        reflection_id INTEGER NOT NULL REFERENCES reflections(id) ON DELETE CASCADE,
        manager_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        read_at TEXT NOT NULL,
        PRIMARY KEY (reflection_id, manager_id)
    );
    CREATE TRIGGER supervision_sessions_insert_bumps_version AFTER INSERT ON supervision_sessions
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER supervision_sessions_update_bumps_version AFTER UPDATE ON supervision_sessions
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER supervision_sessions_delete_bumps_version AFTER DELETE ON supervision_sessions
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER supervision_actions_insert_bumps_version AFTER INSERT ON supervision_actions
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER supervision_actions_update_bumps_version AFTER UPDATE ON supervision_actions
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER supervision_actions_delete_bumps_version AFTER DELETE ON supervision_actions
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER reflections_insert_bumps_version AFTER INSERT ON reflections
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER reflections_update_bumps_version AFTER UPDATE ON reflections
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER reflections_delete_bumps_version AFTER DELETE ON reflections
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER reflection_reads_insert_bumps_version AFTER INSERT ON reflection_reads
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER reflection_reads_update_bumps_version AFTER UPDATE ON reflection_reads
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER reflection_reads_delete_bumps_version AFTER DELETE ON reflection_reads
        BEGIN UPDATE data_version SET version = version + 1; END;
    """,
    # 7: the language each person chose for the tracker and for what it sends them ('cy' or 'en';
    # NULL while they have not chosen: pages follow the browser, correspondence goes in both)
    """
    ALTER TABLE users ADD COLUMN language TEXT CHECK (language IN ('cy', 'en'));
    """,
    # 8: the audit chain (tracker/audit.py): each entry carries the HMAC of its fields and of the
    # entry before it. An entry's fields never change; its chain columns are set once (entries
    # made before this migration are chained when the tracker starts).
    """
    ALTER TABLE audit_log ADD COLUMN key_id TEXT;
    ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
    ALTER TABLE audit_log ADD COLUMN hash TEXT;
    CREATE INDEX audit_unchained ON audit_log(id) WHERE hash IS NULL;
    DROP TRIGGER audit_log_no_update;
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        WHEN OLD.hash IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at
            OR NEW.actor_id IS NOT OLD.actor_id OR NEW.action IS NOT OLD.action
            OR NEW.subject_id IS NOT OLD.subject_id OR NEW.activity_id IS NOT OLD.activity_id
            OR NEW.record_id IS NOT OLD.record_id OR NEW.from_state IS NOT OLD.from_state
            OR NEW.to_state IS NOT OLD.to_state OR NEW.detail IS NOT OLD.detail
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    """,
    # 9: pinned content (tracker/pinned.py): every version of an activity the tracker has seen, by
    # its content version, and the version each record was started, submitted and signed off against
    """
    CREATE TABLE content_snapshots (
        version TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('activity', 'quiz')),
        item_id TEXT NOT NULL,
        canonical TEXT NOT NULL,
        first_seen TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE TRIGGER content_snapshots_no_update BEFORE UPDATE ON content_snapshots
        BEGIN SELECT RAISE(ABORT, 'a content snapshot never changes'); END;
    ALTER TABLE records ADD COLUMN started_version TEXT REFERENCES content_snapshots(version);
    ALTER TABLE records ADD COLUMN submitted_version TEXT REFERENCES content_snapshots(version);
    ALTER TABLE records ADD COLUMN signed_off_version TEXT REFERENCES content_snapshots(version);
    """,
    # witness testimony by one-time link (tracker/witness.py): only the token's hash is kept; a request
    # ends used (its statement is evidence), revoked or expired. Evidence made through a link names it.
    """
    CREATE TABLE witness_requests (
        id INTEGER PRIMARY KEY,
        record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
        inductee_id INTEGER NOT NULL REFERENCES users(id),
        witness_name TEXT NOT NULL,
        witness_email TEXT NOT NULL,
        purpose TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        expires_at TEXT NOT NULL,
        used_at TEXT,
        revoked_at TEXT,
        revoked_by INTEGER REFERENCES users(id),
        failed_posts INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX witness_requests_record ON witness_requests(record_id);
    ALTER TABLE evidence ADD COLUMN witness_request_id INTEGER REFERENCES witness_requests(id);
    """,
    # notifications and reminders (tracker/notifications.py): each event is queued once per recipient
    # (UNIQUE event key), holds ids only, never text; sent_at is set when it is sent or skipped. Each
    # person's choice (users.notify: NULL is their role's default). What reminders were sent, once each.
    """
    ALTER TABLE users ADD COLUMN notify TEXT CHECK (notify IN ('now', 'daily', 'none'));
    CREATE TABLE notifications (
        id INTEGER PRIMARY KEY,
        recipient_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        event_key TEXT NOT NULL,
        actor_id INTEGER REFERENCES users(id),
        inductee_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
        record_id INTEGER REFERENCES records(id) ON DELETE CASCADE,
        reflection_id INTEGER REFERENCES reflections(id) ON DELETE CASCADE,
        session_id INTEGER REFERENCES supervision_sessions(id) ON DELETE CASCADE,
        delivery TEXT NOT NULL CHECK (delivery IN ('now', 'daily', 'none')),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        sent_at TEXT,
        outcome TEXT CHECK (outcome IN ('sent', 'skipped')),
        UNIQUE (recipient_id, event_key)
    );
    CREATE INDEX notifications_pending ON notifications(delivery, recipient_id) WHERE sent_at IS NULL;
    CREATE TABLE reminders_sent (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        item TEXT NOT NULL,
        due TEXT NOT NULL,
        sent_on TEXT NOT NULL,
        PRIMARY KEY (user_id, kind, item, due)
    );
    """,
    # plans that fill themselves (tracker/plans.py): whether a target date was typed by hand (kept when
    # the start date changes) or filled from the activity's usual timing. Calendar feeds
    # (tracker/calendar_feed.py): one secret link per person, only the SHA-256 of its token kept.
    """
    ALTER TABLE plan_items ADD COLUMN target_by_hand INTEGER NOT NULL DEFAULT 0;
    UPDATE plan_items SET target_by_hand = 1 WHERE target_date IS NOT NULL;
    CREATE TABLE calendar_feeds (
        user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    """,    # invitations and password reset by emailed link (tracker/account_links.py): only the SHA-256 of a
    # token is kept; reset requests counted per keyed hash of the address and of the client, never in clear.
    """
    CREATE TABLE account_tokens (
        id INTEGER PRIMARY KEY,
        purpose TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        expires_at TEXT NOT NULL,
        used_at TEXT,
        replaced_at TEXT
    );
    CREATE INDEX account_tokens_user ON account_tokens(user_id, purpose);
    CREATE TABLE reset_requests (
        key TEXT NOT NULL,
        requested_at TEXT NOT NULL
    );
    CREATE INDEX reset_requests_key ON reset_requests(key, requested_at);
    """,
    # closing what sign-in by link, email and witness links opened (tracker/mail.py, witness.py, accounts.py):
    # since when each manager has managed each inductee (NULL: from before this was kept); a witness
    # request's language, when its email was sent and when the witness first opened it; and outgoing
    # email queued in the transaction of the change that sends it, sent by a worker (encrypted: a queued
    # message may hold a sign-in link). recipient_id and about_id say whom a message is to and about, so
    # erasure finds it.
    """
    ALTER TABLE team_members ADD COLUMN since TEXT;
    ALTER TABLE witness_requests ADD COLUMN language TEXT CHECK (language IN ('cy', 'en'));
    ALTER TABLE witness_requests ADD COLUMN sent_at TEXT;
    ALTER TABLE witness_requests ADD COLUMN opened_at TEXT;
    CREATE TABLE mail_queue (
        id INTEGER PRIMARY KEY,
        recipient_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
        about_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
        template TEXT NOT NULL,
        message BLOB NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        claimed_until TEXT,
        last_error TEXT,
        failed_at TEXT
    );
    CREATE INDEX mail_queue_due ON mail_queue(next_attempt_at) WHERE failed_at IS NULL;
    """,
    # every stored date YYYY-MM-DD, or cleared, or kept and read as no date (a Python step: it parses)
    put_dates_right,
]
# A migration may also be a Python function of (db, context), for changes SQL alone cannot make (a data
# fix that needs parsing). context: {"audit_key": bytes}, for a step that writes audit entries.
# After migration N has run, AFTER_MIGRATION[N] (if any) runs in the same transaction: only the upgrade
# that crosses N does it, once.
AFTER_MIGRATION: dict[int, Callable] = {}


def connect(path: str | Path, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> Database:
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


def checkpoint(db: Database) -> bool:
    """Copy everything in the write-ahead log into the database file and empty the log
    (after an erasure: the log still holds the erased rows). False if a reader kept it busy."""
    busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return busy == 0


def schema_version(db: Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: Database, context: dict | None = None) -> int:
    """Apply pending migrations; return the number applied."""
    applied = 0
    context = context or {}
    with writing(db):
        version = schema_version(db)
        for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
            if callable(step):
                step(db, context)
            else:
                for statement in _statements(step):
                    db.conn.execute(statement)
            if number in AFTER_MIGRATION:
                AFTER_MIGRATION[number](db, context)
            db.conn.execute(f"PRAGMA user_version = {number}")
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


_connections = threading.local()


def get_db() -> Database:
    """This thread's connection to the app's database, opened once per thread and reused:
    opening SQLite and setting it up costs more than many of the queries a page makes."""
    if "db" not in g:
        path = current_app.config["DATABASE"]
        timeout = current_app.config.get("DATABASE_BUSY_TIMEOUT", BUSY_TIMEOUT_SECONDS)
        if (getattr(_connections, "path", None), getattr(_connections, "timeout", None)) != (path, timeout):
            forget_connection()
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


def init_app(app) -> None:
    Path(app.config["DATABASE"]).parent.mkdir(parents=True, exist_ok=True)
    db = connect(app.config["DATABASE"])
    try:
        migrate(db, migration_context(app))
    finally:
        db.conn.close()
    app.teardown_appcontext(close_db)

    @app.cli.command("migrate")
    def migrate_command():
        """Apply database migrations (they also run at start-up)."""
        applied = migrate(get_db(), migration_context(app))
        click.echo(f"{applied} migrations applied; schema version {schema_version(get_db())}")

    @app.cli.command("schema")
    def schema_command():
        """Print the schema the migrations make (tracker/schema.sql is this, checked in)."""
        click.echo(schema_text(get_db()), nl=False)


def migration_context(app) -> dict:
    """What a Python migration step may need: the audit chain's key, read (or made) only if asked for."""
    from . import audit

    return {"audit_key": lambda: audit.keys(app.config, Path(app.instance_path))[0]}


SCHEMA_FILE = Path(__file__).with_name("schema.sql")


def schema_text(db: Database) -> str:
    """The whole schema in one place, as SQLite holds it: tables, indexes and triggers by name."""
    rows = db.conn.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL"
                           " ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, name")
    return "".join(f"{sql};\n\n" for _, _, sql in rows)
