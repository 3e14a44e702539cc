-- 10: witness testimony by one-time link (tracker/witness.py): only the token's hash is kept; a request
-- ends used (its statement is evidence), revoked or expired. Evidence made through a link names it.
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
