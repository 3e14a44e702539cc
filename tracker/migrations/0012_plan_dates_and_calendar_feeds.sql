-- 12: plans that fill themselves (tracker/plans.py): whether a target date was typed by hand (kept when
-- the start date changes) or filled from the activity's usual timing. Calendar feeds
-- (tracker/calendar_feed.py): one secret link per person, only the SHA-256 of its token kept.
    ALTER TABLE plan_items ADD COLUMN target_by_hand INTEGER NOT NULL DEFAULT 0;
    UPDATE plan_items SET target_by_hand = 1 WHERE target_date IS NOT NULL;
    CREATE TABLE calendar_feeds (
        user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
