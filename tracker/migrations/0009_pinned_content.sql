-- 9: pinned content (tracker/pinned.py): every version of an activity the tracker has seen, by
-- its content version, and the version each record was started, submitted and signed off against
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
