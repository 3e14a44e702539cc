-- 16: saving offline (tracker/offline/): each change a phone saved with no signal carries a key it made; the
-- key is kept once the change is saved, so that sending it again (after an answer lost on the way back) saves
-- nothing twice. The row holds no text: the key, whose it is, when, and what it made.
    CREATE TABLE offline_receipts (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('record', 'reflection')),
        made_id INTEGER,
        received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        PRIMARY KEY (user_id, key)
    );
