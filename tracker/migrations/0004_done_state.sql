-- 4: a 'done' state for activities that need no manager sign-off (the inductee marks them done),
-- and when that happened. SQLite cannot change a CHECK constraint, so records is rebuilt. Its
-- children (evidence, comments) are copied out and rebuilt too, so that dropping records cannot
-- cascade into them with foreign keys on (they cannot be turned off inside this transaction).
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
