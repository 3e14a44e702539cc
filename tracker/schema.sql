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

CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        actor_id INTEGER,
        action TEXT NOT NULL,
        subject_id INTEGER,
        activity_id TEXT,
        record_id INTEGER,
        from_state TEXT,
        to_state TEXT,
        detail TEXT NOT NULL DEFAULT ''
    , key_id TEXT, prev_hash TEXT, hash TEXT);

CREATE TABLE calendar_feeds (
        user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );

CREATE TABLE comments (
        id INTEGER PRIMARY KEY,
        record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
        author_id INTEGER NOT NULL REFERENCES users(id),
        body TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );

CREATE TABLE content_snapshots (
        version TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('activity', 'quiz')),
        item_id TEXT NOT NULL,
        canonical TEXT NOT NULL,
        first_seen TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );

CREATE TABLE data_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);

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
    , witness_request_id INTEGER REFERENCES witness_requests(id));

CREATE TABLE induction_signoffs (
        inductee_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        signed_off_by INTEGER NOT NULL REFERENCES users(id),
        signed_off_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        comment TEXT NOT NULL DEFAULT ''
    );

CREATE TABLE login_failures (
        key TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        last_at TEXT NOT NULL,
        locked_until TEXT
    );

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

CREATE TABLE offline_receipts (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('record', 'reflection')),
        made_id INTEGER,
        received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        PRIMARY KEY (user_id, key)
    );

CREATE TABLE pdp_comments (
        id INTEGER PRIMARY KEY,
        inductee_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        author_id INTEGER NOT NULL REFERENCES users(id),
        body TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );

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

CREATE TABLE plan_items (
        inductee_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        activity_id TEXT NOT NULL,
        target_date TEXT,
        priority INTEGER NOT NULL DEFAULT 0,
        not_required INTEGER NOT NULL DEFAULT 0,
        reason TEXT NOT NULL DEFAULT '', target_by_hand INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (inductee_id, activity_id)
    );

CREATE TABLE plans (
        inductee_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        start_date TEXT,
        notes TEXT NOT NULL DEFAULT '',
        updated_at TEXT,
        updated_by INTEGER REFERENCES users(id)
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
        done_at TEXT, started_version TEXT REFERENCES content_snapshots(version), submitted_version TEXT REFERENCES content_snapshots(version), signed_off_version TEXT REFERENCES content_snapshots(version),
        UNIQUE (inductee_id, activity_id)
    );

CREATE TABLE reflection_comments (
        id INTEGER PRIMARY KEY,
        reflection_id INTEGER NOT NULL REFERENCES reflections(id) ON DELETE CASCADE,
        author_id INTEGER NOT NULL REFERENCES users(id),
        body TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );

CREATE TABLE reflection_reads (
        reflection_id INTEGER NOT NULL REFERENCES reflections(id) ON DELETE CASCADE,
        manager_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        read_at TEXT NOT NULL,
        PRIMARY KEY (reflection_id, manager_id)
    );

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

CREATE TABLE reminders_sent (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        item TEXT NOT NULL,
        due TEXT NOT NULL,
        sent_on TEXT NOT NULL,
        PRIMARY KEY (user_id, kind, item, due)
    );

CREATE TABLE reset_requests (
        key TEXT NOT NULL,
        requested_at TEXT NOT NULL
    );

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

CREATE TABLE team_members (
        manager_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        inductee_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, since TEXT,
        PRIMARY KEY (manager_id, inductee_id)
    );

CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('inductee', 'manager', 'admin', 'lead')),
        password_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        session_version INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    , language TEXT CHECK (language IN ('cy', 'en')), notify TEXT CHECK (notify IN ('now', 'daily', 'none')));

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
    , language TEXT CHECK (language IN ('cy', 'en')), sent_at TEXT, opened_at TEXT);

CREATE INDEX account_tokens_user ON account_tokens(user_id, purpose);

CREATE INDEX audit_record ON audit_log(record_id);

CREATE INDEX audit_subject ON audit_log(subject_id, at);

CREATE INDEX audit_unchained ON audit_log(id) WHERE hash IS NULL;

CREATE INDEX comments_record ON comments(record_id);

CREATE INDEX evidence_record ON evidence(record_id);

CREATE INDEX login_failures_last_at ON login_failures(last_at);

CREATE INDEX mail_queue_due ON mail_queue(next_attempt_at) WHERE failed_at IS NULL;

CREATE INDEX notifications_pending ON notifications(delivery, recipient_id) WHERE sent_at IS NULL;

CREATE INDEX quiz_attempts_inductee ON quiz_attempts(inductee_id, quiz_id);

CREATE INDEX records_state ON records(state, submitted_at);

CREATE INDEX reflections_author ON reflections(author_id, entry_date);

CREATE INDEX reset_requests_key ON reset_requests(key, requested_at);

CREATE INDEX supervision_actions_inductee ON supervision_actions(inductee_id, done_at);

CREATE INDEX supervision_sessions_inductee ON supervision_sessions(inductee_id, session_date);

CREATE INDEX team_members_inductee ON team_members(inductee_id);

CREATE INDEX witness_requests_record ON witness_requests(record_id);

CREATE TRIGGER audit_log_delete_bumps_version AFTER DELETE ON audit_log
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER audit_log_insert_bumps_version AFTER INSERT ON audit_log
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        WHEN OLD.hash IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at
            OR NEW.actor_id IS NOT OLD.actor_id OR NEW.action IS NOT OLD.action
            OR NEW.subject_id IS NOT OLD.subject_id OR NEW.activity_id IS NOT OLD.activity_id
            OR NEW.record_id IS NOT OLD.record_id OR NEW.from_state IS NOT OLD.from_state
            OR NEW.to_state IS NOT OLD.to_state OR NEW.detail IS NOT OLD.detail
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TRIGGER audit_log_update_bumps_version AFTER UPDATE ON audit_log
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER comments_delete_bumps_version AFTER DELETE ON comments
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER comments_insert_bumps_version AFTER INSERT ON comments
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER comments_update_bumps_version AFTER UPDATE ON comments
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER content_snapshots_delete_bumps_version AFTER DELETE ON content_snapshots
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER content_snapshots_insert_bumps_version AFTER INSERT ON content_snapshots
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER content_snapshots_no_update BEFORE UPDATE ON content_snapshots
        BEGIN SELECT RAISE(ABORT, 'a content snapshot never changes'); END;

CREATE TRIGGER content_snapshots_update_bumps_version AFTER UPDATE ON content_snapshots
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER evidence_delete_bumps_version AFTER DELETE ON evidence
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER evidence_insert_bumps_version AFTER INSERT ON evidence
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER evidence_update_bumps_version AFTER UPDATE ON evidence
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER induction_signoffs_delete_bumps_version AFTER DELETE ON induction_signoffs
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER induction_signoffs_insert_bumps_version AFTER INSERT ON induction_signoffs
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER induction_signoffs_update_bumps_version AFTER UPDATE ON induction_signoffs
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER pdp_comments_delete_bumps_version AFTER DELETE ON pdp_comments
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER pdp_comments_insert_bumps_version AFTER INSERT ON pdp_comments
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER pdp_comments_update_bumps_version AFTER UPDATE ON pdp_comments
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER pdp_versions_delete_bumps_version AFTER DELETE ON pdp_versions
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER pdp_versions_insert_bumps_version AFTER INSERT ON pdp_versions
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER pdp_versions_update_bumps_version AFTER UPDATE ON pdp_versions
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER plan_items_delete_bumps_version AFTER DELETE ON plan_items
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER plan_items_insert_bumps_version AFTER INSERT ON plan_items
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER plan_items_update_bumps_version AFTER UPDATE ON plan_items
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER plans_delete_bumps_version AFTER DELETE ON plans
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER plans_insert_bumps_version AFTER INSERT ON plans
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER plans_update_bumps_version AFTER UPDATE ON plans
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER quiz_attempts_delete_bumps_version AFTER DELETE ON quiz_attempts
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER quiz_attempts_insert_bumps_version AFTER INSERT ON quiz_attempts
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER quiz_attempts_update_bumps_version AFTER UPDATE ON quiz_attempts
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER records_delete_bumps_version AFTER DELETE ON records
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER records_insert_bumps_version AFTER INSERT ON records
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER records_update_bumps_version AFTER UPDATE ON records
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER reflection_comments_delete_bumps_version AFTER DELETE ON reflection_comments
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER reflection_comments_insert_bumps_version AFTER INSERT ON reflection_comments
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER reflection_comments_update_bumps_version AFTER UPDATE ON reflection_comments
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER reflection_reads_delete_bumps_version AFTER DELETE ON reflection_reads
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER reflection_reads_insert_bumps_version AFTER INSERT ON reflection_reads
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER reflection_reads_update_bumps_version AFTER UPDATE ON reflection_reads
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER reflections_delete_bumps_version AFTER DELETE ON reflections
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER reflections_insert_bumps_version AFTER INSERT ON reflections
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER reflections_update_bumps_version AFTER UPDATE ON reflections
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER supervision_actions_delete_bumps_version AFTER DELETE ON supervision_actions
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER supervision_actions_insert_bumps_version AFTER INSERT ON supervision_actions
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER supervision_actions_update_bumps_version AFTER UPDATE ON supervision_actions
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER supervision_agreements_delete_bumps_version AFTER DELETE ON supervision_agreements
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER supervision_agreements_insert_bumps_version AFTER INSERT ON supervision_agreements
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER supervision_agreements_update_bumps_version AFTER UPDATE ON supervision_agreements
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER supervision_sessions_delete_bumps_version AFTER DELETE ON supervision_sessions
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER supervision_sessions_insert_bumps_version AFTER INSERT ON supervision_sessions
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER supervision_sessions_update_bumps_version AFTER UPDATE ON supervision_sessions
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER team_members_delete_bumps_version AFTER DELETE ON team_members
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER team_members_insert_bumps_version AFTER INSERT ON team_members
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER team_members_update_bumps_version AFTER UPDATE ON team_members
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER users_delete_bumps_version AFTER DELETE ON users
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER users_insert_bumps_version AFTER INSERT ON users
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER users_update_bumps_version AFTER UPDATE ON users
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER witness_requests_delete_bumps_version AFTER DELETE ON witness_requests
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER witness_requests_insert_bumps_version AFTER INSERT ON witness_requests
        BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER witness_requests_update_bumps_version AFTER UPDATE ON witness_requests
        BEGIN UPDATE data_version SET version = version + 1; END;

