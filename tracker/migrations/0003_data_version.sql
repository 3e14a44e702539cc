-- 3: a counter bumped by every change to what dashboards show, so rendered dashboards can be
-- reused until something they show changes (tracker/pagecache.py)
    CREATE TABLE data_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
    INSERT INTO data_version (id, version) VALUES (1, 0);
    CREATE TRIGGER users_insert_bumps_version AFTER INSERT ON users
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER users_update_bumps_version AFTER UPDATE ON users
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER users_delete_bumps_version AFTER DELETE ON users
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER team_members_insert_bumps_version AFTER INSERT ON team_members
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER team_members_update_bumps_version AFTER UPDATE ON team_members
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER team_members_delete_bumps_version AFTER DELETE ON team_members
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER plan_items_insert_bumps_version AFTER INSERT ON plan_items
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER plan_items_update_bumps_version AFTER UPDATE ON plan_items
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER plan_items_delete_bumps_version AFTER DELETE ON plan_items
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER records_insert_bumps_version AFTER INSERT ON records
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER records_update_bumps_version AFTER UPDATE ON records
        BEGIN UPDATE data_version SET version = version + 1; END;
    CREATE TRIGGER records_delete_bumps_version AFTER DELETE ON records
        BEGIN UPDATE data_version SET version = version + 1; END;
