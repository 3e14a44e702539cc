"""The tamper-evident audit chain: every entry is chained by an HMAC, verify-audit finds each kind of
tampering done directly on the SQLite file, and nothing the tracker runs signs what it did not write."""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from helpers import query, tracker_config
from tracker import audit, create_app
from tracker.audit_actions import Action
from tracker.db import MIGRATIONS, connect, get_db, writing


def cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def tamper(app, *statements):
    """Change the database file as an intruder would: straight through SQLite, triggers dropped."""
    conn = sqlite3.connect(app.config["DATABASE"])
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def add_entries(app, count: int, label: str = "test") -> None:
    """Entries of an ordinary action; `label` (in the detail) tells a test's batches apart."""
    with app.app_context():
        db = get_db()
        for n in range(count):
            with writing(db):
                audit.log(db, None, Action.PDP_SAVED, detail=f"{label} n={n}")


def verified(app, *anchors) -> tuple[int, str]:
    result = cli(app, "verify-audit", *[arg for a in anchors for arg in ("--anchor", a)])
    return result.exit_code, result.output


def test_every_entry_is_chained_and_the_chain_verifies(tracker_app):
    add_entries(tracker_app, 3)
    rows = query(tracker_app, "SELECT * FROM audit_log ORDER BY id")
    assert len(rows) > 3 and all(r["hash"] and r["prev_hash"] and r["key_id"] for r in rows)
    assert rows[0]["prev_hash"] == audit.GENESIS
    assert all(b["prev_hash"] == a["hash"] for a, b in zip(rows, rows[1:], strict=False))
    code, output = verified(tracker_app)
    assert code == 0 and f"audit chain OK: {rows[-1]['id']} entries" in output


def test_the_schema_still_refuses_edits_and_deletes(tracker_app):
    with tracker_app.app_context(), pytest.raises(sqlite3.IntegrityError, match="append-only"):
        get_db().execute("UPDATE audit_log SET to_state = 'signed_off' WHERE id = 1")
    with tracker_app.app_context(), pytest.raises(sqlite3.IntegrityError, match="append-only"):
        get_db().execute("UPDATE audit_log SET hash = NULL WHERE id = 1")
    with tracker_app.app_context(), pytest.raises(sqlite3.IntegrityError, match="append-only"):
        get_db().execute("DELETE FROM audit_log WHERE id = 1")


def test_an_edited_entry_is_found(tracker_app):
    add_entries(tracker_app, 4)
    tamper(tracker_app, "UPDATE audit_log SET detail = 'n=99' WHERE id = 3")
    code, output = verified(tracker_app)
    assert code == 1 and "entry 3 " in output and "the entry was edited" in output


def test_a_deleted_middle_entry_is_found(tracker_app):
    add_entries(tracker_app, 4)
    tamper(tracker_app, "DELETE FROM audit_log WHERE id = 3")
    code, output = verified(tracker_app)
    assert code == 1 and "entry 4 " in output and "does not follow entry 2" in output


def test_an_inserted_entry_is_found(tracker_app):
    add_entries(tracker_app, 2)
    last = query(tracker_app, "SELECT * FROM audit_log ORDER BY id DESC LIMIT 1")[0]
    forged = "f" * 64
    tamper(tracker_app, "INSERT INTO audit_log (id, at, action, detail, key_id, prev_hash, hash) VALUES"
                        f" ({last['id'] + 1}, '{last['at']}', 'record.signed_off', '', '{last['key_id']}',"
                        f" '{last['hash']}', '{forged}')")
    code, output = verified(tracker_app)
    assert code == 1 and f"entry {last['id'] + 1} " in output and "edited" in output


def test_reordered_entries_are_found(tracker_app):
    add_entries(tracker_app, 4)
    tamper(tracker_app, "UPDATE audit_log SET id = -1 WHERE id = 2", "UPDATE audit_log SET id = 2 WHERE id = 3",
           "UPDATE audit_log SET id = 3 WHERE id = -1")
    code, output = verified(tracker_app)
    assert code == 1 and "entry 2 " in output and "reordered" in output


def test_a_cut_tail_is_found_against_an_anchor(tracker_app):
    add_entries(tracker_app, 2)
    with tracker_app.app_context():
        anchor = audit.head(get_db())
    add_entries(tracker_app, 2)
    assert verified(tracker_app, str(anchor))[0] == 0
    tamper(tracker_app, f"DELETE FROM audit_log WHERE id >= {anchor.seq}")
    assert verified(tracker_app)[0] == 0  # the chain alone cannot tell: what is left is consistent
    code, output = verified(tracker_app, str(anchor))
    assert code == 1 and f"anchor {anchor.seq}: the chain ends at entry {anchor.seq - 1}" in output


def test_a_rewritten_history_contradicts_an_anchor(tracker_app):
    """Even with the key, rewriting entries and re-chaining them is caught by an anchor given out."""
    add_entries(tracker_app, 2)
    with tracker_app.app_context():
        anchor = audit.head(get_db())
    tamper(tracker_app, f"DELETE FROM audit_log WHERE id = {anchor.seq}")
    add_entries(tracker_app, 1, "rewritten")  # takes the same id, properly chained
    assert verified(tracker_app)[0] == 0
    code, output = verified(tracker_app, str(anchor))
    assert code == 1 and "history was rewritten" in output


def test_backups_record_anchors_that_verify_audit_checks(tracker_app, tmp_path):
    add_entries(tracker_app, 2)
    Path(tracker_app.config["AUDIT_ANCHORS_FILE"]).unlink()  # only the backup's anchor is left to catch the cut
    result = cli(tracker_app, "backup", "--to", str(tmp_path / "backups"))
    assert result.exit_code == 0 and "audit chain head" in result.output
    saved = next((tmp_path / "backups").glob("tracker-*/audit_anchor.txt")).read_text().strip()
    assert saved.split(":")[0].isdigit()
    seq = int(saved.split(":")[0])
    tamper(tracker_app, f"DELETE FROM audit_log WHERE id >= {seq - 1}")
    code, output = verified(tracker_app)  # no --anchor: the backup's anchor is recorded in the instance
    assert code == 1 and f"anchor {seq}" in output


def test_an_erasure_leaves_the_chain_verifiable(tracker_app, people):
    from tracker.erasure import erase_person
    with tracker_app.app_context():
        admin = query(tracker_app, "SELECT id FROM users WHERE role = 'admin'")[0]["id"]
        erase_person(get_db(), people["ceri"], admin)
    assert query(tracker_app, "SELECT action FROM audit_log ORDER BY id DESC LIMIT 1")[0]["action"] == "user.erased"
    assert verified(tracker_app)[0] == 0


def test_concurrent_writers_do_not_fork_the_chain(tracker_app):
    errors = []

    def writer(name):
        db = connect(tracker_app.config["DATABASE"])
        try:
            for n in range(25):
                with writing(db):
                    audit.log(db, None, Action.PDP_SAVED, detail=f"{name}.{n}", key=b"test-audit-chain-key")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            db.conn.close()

    threads = [threading.Thread(target=writer, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(query(tracker_app, "SELECT 1 FROM audit_log WHERE detail LIKE 'w_.%'")) == 100
    assert verified(tracker_app)[0] == 0


def test_an_upgraded_database_is_chained_from_the_upgrade_on(tmp_path):
    """A database at schema 7 (before the chain), with entries in its audit log: starting the
    tracker chains them, and new entries follow."""
    database = tmp_path / "tracker.sqlite"
    conn = sqlite3.connect(database)
    for migration in MIGRATIONS[:7]:
        conn.executescript(migration.sql)
    conn.execute("PRAGMA user_version = 7")
    conn.execute("INSERT INTO users (email, name, role, password_hash) VALUES ('a@example.org', 'A', 'admin', 'x')")
    conn.execute("INSERT INTO users (email, name, role, password_hash) VALUES ('i@example.org', 'I', 'inductee', 'x')")
    conn.execute("INSERT INTO records (inductee_id, activity_id, activity_title, state) VALUES (2, '1.1', 'T',"
                 " 'signed_off')")
    for n in range(3):
        conn.execute("INSERT INTO audit_log (actor_id, action, subject_id) VALUES (1, ?, 1)", (f"old.{n}",))
    conn.commit()
    conn.close()
    app = create_app(tracker_config(tmp_path))
    rows = query(app, "SELECT action, hash, detail FROM audit_log ORDER BY id")
    assert [r["action"] for r in rows] == ["old.0", "old.1", "old.2", "audit.chain_started"]
    assert all(r["hash"] for r in rows)
    assert rows[-1]["detail"] == "chained=1-3 count=3"  # the upgrade records what it chained
    add_entries(app, 1, "new")
    assert verified(app)[0] == 0
    record = query(app, "SELECT * FROM records")[0]  # kept, with no pinned version (it was made before pinning)
    assert record["state"] == "signed_off" and record["signed_off_version"] is None
    from tracker import pinned
    with app.app_context():
        assert pinned.view(get_db(), record) is None


def test_old_keys_still_verify_after_rotation(tracker_app, tmp_path):
    add_entries(tracker_app, 1)
    rotated = create_app({**tracker_app.config, "AUDIT_KEY": "the-new-key",
                          "AUDIT_OLD_KEYS": "test-audit-chain-key", "DEMO_IDS": None})
    add_entries(rotated, 1, "after.rotation")
    keys_used = {r["key_id"] for r in query(rotated, "SELECT key_id FROM audit_log")}
    assert len(keys_used) == 2
    assert verified(rotated)[0] == 0
    code, output = verified(create_app({**tracker_app.config, "AUDIT_KEY": "the-new-key"}))
    assert code == 1 and "not configured" in output


# ---- nothing the tracker runs signs what it did not write --------------------------------------

def file_bytes(*paths) -> list[bytes]:
    return [Path(p).read_bytes() if Path(p).exists() else b"" for p in paths]


def test_an_inserted_unchained_entry_is_reported_and_never_signed(tracker_app, people):
    """An intruder who can write the file but has no key inserts a sign-off with no hash. Restarting the
    tracker, writing through it and running verify-audit must not chain it."""
    add_entries(tracker_app, 1)
    last = query(tracker_app, "SELECT max(id) AS id FROM audit_log")[0]["id"]
    conn = sqlite3.connect(tracker_app.config["DATABASE"])
    conn.execute("INSERT INTO audit_log (id, actor_id, action, subject_id, from_state, to_state)"
                 " VALUES (?, ?, 'record.sign_off', ?, 'submitted', 'signed_off')",
                 (last + 1, people["rhian"], people["ceri"]))
    conn.commit()
    conn.close()
    restarted = create_app({**tracker_app.config})
    add_entries(restarted, 2, "after.intrusion")
    code, output = verified(restarted)
    assert code == 1 and f"entry {last + 1} (record.sign_off" in output and "has no hash" in output
    assert query(restarted, "SELECT hash FROM audit_log WHERE id = ?", [last + 1])[0]["hash"] is None


def test_a_rewritten_row_with_its_hashes_nulled_is_caught(tracker_app):
    """Drop the trigger, rewrite a row and NULL the hashes from there on: the old tracker chained them
    again at the next start and verify-audit said OK."""
    add_entries(tracker_app, 4)
    target = query(tracker_app, "SELECT max(id) AS id FROM audit_log")[0]["id"] - 2
    tamper(tracker_app, f"UPDATE audit_log SET detail = 'forged', hash = NULL, prev_hash = NULL, key_id = NULL"
                        f" WHERE id >= {target}")
    restarted = create_app({**tracker_app.config})
    add_entries(restarted, 1, "after.rewrite")
    code, output = verified(restarted)
    assert code == 1 and f"entry {target} " in output and "has no hash" in output
    assert query(restarted, "SELECT count(*) AS n FROM audit_log WHERE hash IS NULL")[0]["n"] == 3


def test_verify_audit_only_reads(tracker_app):
    add_entries(tracker_app, 2)
    tamper(tracker_app, "UPDATE audit_log SET hash = NULL WHERE id = (SELECT max(id) FROM audit_log)")
    database, anchors = tracker_app.config["DATABASE"], tracker_app.config["AUDIT_ANCHORS_FILE"]
    with sqlite3.connect(database) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = file_bytes(database, database + "-wal", anchors)
    fresh = create_app({**tracker_app.config})
    assert verified(fresh)[0] == 1
    assert verified(fresh)[0] == 1  # twice: the first run signed nothing that the second would accept
    assert file_bytes(database, database + "-wal", anchors) == before


def test_anchors_are_written_outside_the_database_as_the_chain_grows(tracker_app, caplog):
    """With no backup since, an edit or a cut tail after the newest anchor's entry is caught by
    verify-audit with no --anchor: the tracker wrote the head to the anchors file (and the log)."""
    app = create_app({**tracker_app.config, "AUDIT_ANCHOR_SECONDS": 0})
    with caplog.at_level("INFO", logger="tracker.audit"):
        add_entries(app, 3)
    head = query(app, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")[0]
    lines = Path(app.config["AUDIT_ANCHORS_FILE"]).read_text().splitlines()
    assert lines[-1].startswith(f"{head['id']}:{head['hash']} ")
    assert f"audit anchor {head['id']}:{head['hash']}" in caplog.text
    tamper(app, f"DELETE FROM audit_log WHERE id = {head['id']}")
    code, output = verified(app)
    assert code == 1 and f"anchor {head['id']}: the chain ends at entry {head['id'] - 1}" in output


def test_anchors_are_written_at_most_every_interval_per_process(tracker_app):
    app = create_app({**tracker_app.config, "AUDIT_ANCHOR_SECONDS": 3600})
    anchors = Path(app.config["AUDIT_ANCHORS_FILE"])
    add_entries(app, 1)
    written = len(anchors.read_text().splitlines())
    add_entries(app, 5)
    assert len(anchors.read_text().splitlines()) == written


def test_an_action_not_in_the_registry_is_refused_and_nothing_is_written(tracker_app):
    """Every audited action is named once, in tracker/audit_actions.py; a free string (a typo, a
    'signed_off' for 'sign_off') would make an entry no page or query expects."""
    before = len(query(tracker_app, "SELECT id FROM audit_log"))
    with tracker_app.app_context():
        db = get_db()
        with pytest.raises(ValueError), writing(db):
            audit.log(db, None, "record.signed_off")
    assert len(query(tracker_app, "SELECT id FROM audit_log")) == before
