-- 5: failed sign-ins counted per (address, client) pair, under a keyed hash of the two, so that
-- one person cannot lock everyone out (users.failed_logins and users.locked_until are no longer used)
    CREATE TABLE login_failures (
        key TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        last_at TEXT NOT NULL,
        locked_until TEXT
    );
    CREATE INDEX login_failures_last_at ON login_failures(last_at);
