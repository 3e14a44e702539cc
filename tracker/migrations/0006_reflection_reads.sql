-- 6: when each manager last read each shared reflection (for "Needs your action"); and the tables
-- whose changes "Needs your action" on the dashboards shows bump data_version too
    CREATE TABLE reflection_reads (
        reflection_id INTEGER NOT NULL REFERENCES reflections(id) ON DELETE CASCADE,
        manager_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        read_at TEXT NOT NULL,
        PRIMARY KEY (reflection_id, manager_id)
    );
    CREATE TRIGGER supervision_sessions_insert_bumps_version AFTER INSERT ON supervision_sessions
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER supervision_sessions_update_bumps_version AFTER UPDATE ON supervision_sessions
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER supervision_sessions_delete_bumps_version AFTER DELETE ON supervision_sessions
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER supervision_actions_insert_bumps_version AFTER INSERT ON supervision_actions
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER supervision_actions_update_bumps_version AFTER UPDATE ON supervision_actions
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER supervision_actions_delete_bumps_version AFTER DELETE ON supervision_actions
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER reflections_insert_bumps_version AFTER INSERT ON reflections
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER reflections_update_bumps_version AFTER UPDATE ON reflections
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER reflections_delete_bumps_version AFTER DELETE ON reflections
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER reflection_reads_insert_bumps_version AFTER INSERT ON reflection_reads
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER reflection_reads_update_bumps_version AFTER UPDATE ON reflection_reads
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER reflection_reads_delete_bumps_version AFTER DELETE ON reflection_reads
        BEGIN UPDATE data_version SET version = version + 1; END;
