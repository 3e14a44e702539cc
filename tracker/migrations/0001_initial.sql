-- 1: accounts, plans, activity records, evidence, comments, audit log
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
