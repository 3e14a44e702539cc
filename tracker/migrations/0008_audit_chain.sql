-- 8: the audit chain (tracker/audit.py): each entry carries the HMAC of its fields and of the
-- entry before it. An entry's fields never change; its chain columns are set once (entries
-- made before this migration are chained by 0008_audit_chain.py, in the same upgrade).
    ALTER TABLE audit_log ADD COLUMN key_id TEXT;
    ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
    ALTER TABLE audit_log ADD COLUMN hash TEXT;
    CREATE INDEX audit_unchained ON audit_log(id) WHERE hash IS NULL;
    DROP TRIGGER audit_log_no_update;
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        WHEN OLD.hash IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at
            OR NEW.actor_id IS NOT OLD.actor_id OR NEW.action IS NOT OLD.action
            OR NEW.subject_id IS NOT OLD.subject_id OR NEW.activity_id IS NOT OLD.activity_id
            OR NEW.record_id IS NOT OLD.record_id OR NEW.from_state IS NOT OLD.from_state
            OR NEW.to_state IS NOT OLD.to_state OR NEW.detail IS NOT OLD.detail
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
