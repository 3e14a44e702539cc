-- 2: reflective log, quiz attempts, personal development plans, supervision, induction sign-off
    CREATE TABLE supervision_agreements (
        inductee_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        purpose TEXT NOT NULL DEFAULT '', equality TEXT NOT NULL DEFAULT '',
        confidentiality TEXT NOT NULL DEFAULT '', timing TEXT NOT NULL DEFAULT '',
        review TEXT NOT NULL DEFAULT '', cancellation TEXT NOT NULL DEFAULT '',
        location TEXT NOT NULL DEFAULT '', preparation TEXT NOT NULL DEFAULT '',
        recording TEXT NOT NULL DEFAULT '',
        updated_at TEXT, updated_by INTEGER REFERENCES users(id),
        inductee_agreed_at TEXT, manager_agreed_at TEXT, manager_agreed_by INTEGER REFERENCES users(id)
    );
    CREATE TABLE supervision_sessions (
        id INTEGER PRIMARY KEY,
        inductee_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        manager_id INTEGER REFERENCES users(id),
        session_date TEXT NOT NULL,
        agenda TEXT NOT NULL DEFAULT '', discussion TEXT NOT NULL DEFAULT '',
        decisions TEXT NOT NULL DEFAULT '', next_date TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        confirmed_at TEXT
    );
    CREATE INDEX supervision_sessions_inductee ON supervision_sessions(inductee_id, session_date);
    CREATE TABLE supervision_actions (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES supervision_sessions(id) ON DELETE CASCADE,
        inductee_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        description TEXT NOT NULL,
        owner TEXT NOT NULL CHECK (owner IN ('inductee', 'manager')),
        due_date TEXT,
        done_at TEXT,
        done_in_session INTEGER REFERENCES supervision_sessions(id) ON DELETE SET NULL
    );
    CREATE INDEX supervision_actions_inductee ON supervision_actions(inductee_id, done_at);
    CREATE TABLE reflections (
        id INTEGER PRIMARY KEY,
        author_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        entry_date TEXT NOT NULL,
        title TEXT NOT NULL,
        what TEXT NOT NULL, so_what TEXT NOT NULL, now_what TEXT NOT NULL,
        activity_id TEXT,
        supervision_id INTEGER REFERENCES supervision_sessions(id) ON DELETE SET NULL,
        shared_at TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX reflections_author ON reflections(author_id, entry_date);
    CREATE TABLE reflection_comments (
        id INTEGER PRIMARY KEY,
        reflection_id INTEGER NOT NULL REFERENCES reflections(id) ON DELETE CASCADE,
        author_id INTEGER NOT NULL REFERENCES users(id),
        body TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE TABLE quiz_attempts (
        id INTEGER PRIMARY KEY,
        inductee_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        quiz_id TEXT NOT NULL,
        quiz_title TEXT NOT NULL,
        activity_id TEXT,
        score INTEGER NOT NULL, total INTEGER NOT NULL, percent INTEGER NOT NULL,
        pass_mark INTEGER NOT NULL, passed INTEGER NOT NULL,
        answers TEXT NOT NULL,  -- JSON: what was answered and whether it was right
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX quiz_attempts_inductee ON quiz_attempts(inductee_id, quiz_id);
    CREATE TABLE pdp_versions (
        id INTEGER PRIMARY KEY,
        inductee_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        strengths TEXT NOT NULL DEFAULT '', areas_to_develop TEXT NOT NULL DEFAULT '',
        more_confident TEXT NOT NULL DEFAULT '', helped_by TEXT NOT NULL DEFAULT '',
        next_three_months TEXT NOT NULL DEFAULT '', next_twelve_months TEXT NOT NULL DEFAULT '',
        objectives TEXT NOT NULL DEFAULT '[]',  -- JSON list of {objective, action, resources, when, status}
        supervision_id INTEGER REFERENCES supervision_sessions(id) ON DELETE SET NULL,
        created_by INTEGER NOT NULL REFERENCES users(id),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        UNIQUE (inductee_id, version)
    );
    CREATE TABLE pdp_comments (
        id INTEGER PRIMARY KEY,
        inductee_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        author_id INTEGER NOT NULL REFERENCES users(id),
        body TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE TABLE induction_signoffs (
        inductee_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        signed_off_by INTEGER NOT NULL REFERENCES users(id),
        signed_off_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        comment TEXT NOT NULL DEFAULT ''
    );
