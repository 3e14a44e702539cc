-- 11: notifications and reminders (tracker/notifications.py): each event is queued once per recipient
-- (UNIQUE event key), holds ids only, never text; sent_at is set when it is sent or skipped. Each
-- person's choice (users.notify: NULL is their role's default). What reminders were sent, once each.
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
