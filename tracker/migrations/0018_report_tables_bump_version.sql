-- 18: the service lead's report reuses its rendered page like the dashboards (tracker/pagecache.py): what it
-- reads besides theirs bumps the same counter
    CREATE TRIGGER IF NOT EXISTS plans_insert_bumps_version AFTER INSERT ON plans
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER IF NOT EXISTS plans_update_bumps_version AFTER UPDATE ON plans
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER IF NOT EXISTS plans_delete_bumps_version AFTER DELETE ON plans
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER IF NOT EXISTS quiz_attempts_insert_bumps_version AFTER INSERT ON quiz_attempts
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER IF NOT EXISTS quiz_attempts_update_bumps_version AFTER UPDATE ON quiz_attempts
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER IF NOT EXISTS quiz_attempts_delete_bumps_version AFTER DELETE ON quiz_attempts
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER IF NOT EXISTS induction_signoffs_insert_bumps_version AFTER INSERT ON induction_signoffs
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER IF NOT EXISTS induction_signoffs_update_bumps_version AFTER UPDATE ON induction_signoffs
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER IF NOT EXISTS induction_signoffs_delete_bumps_version AFTER DELETE ON induction_signoffs
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER IF NOT EXISTS supervision_agreements_insert_bumps_version AFTER INSERT ON supervision_agreements
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER IF NOT EXISTS supervision_agreements_update_bumps_version AFTER UPDATE ON supervision_agreements
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER IF NOT EXISTS supervision_agreements_delete_bumps_version AFTER DELETE ON supervision_agreements
        BEGIN UPDATE data_version SET version = version + 1; END;
