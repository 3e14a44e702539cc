-- 14: closing what sign-in by link, email and witness links opened (tracker/mail.py, witness.py, accounts.py):
-- since when each manager has managed each inductee (NULL: from before this was kept); a witness
-- request's language, when its email was sent and when the witness first opened it; and outgoing
-- email queued in the transaction of the change that sends it, sent by a worker (encrypted: a queued
-- message may hold a sign-in link). recipient_id and about_id say whom a message is to and about, so
-- erasure finds it.
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
