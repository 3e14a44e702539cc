-- 13: invitations and password reset by emailed link (tracker/account_links.py): only the SHA-256 of a
-- token is kept; reset requests counted per keyed hash of the address and of the client, never in clear.
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
