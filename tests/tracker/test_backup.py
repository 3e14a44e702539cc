"""Backups restore; a damaged backup is refused before anything is replaced."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from tracker import accounts
from tracker.backup import backup, check_database
from tracker.db import get_db


def cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def count(app, sql):
    with app.app_context():
        return get_db().execute(sql).fetchone()[0]


def test_backup_then_restore_brings_back_records_and_files(tracker_app, tmp_path):
    uploads = Path(tracker_app.config["UPLOAD_FOLDER"])
    uploads.mkdir(parents=True, exist_ok=True)
    (uploads / "0123456789abcdef0123456789abcdef").write_bytes(b"evidence file")
    records_before = count(tracker_app, "SELECT count(*) FROM records")
    result = cli(tracker_app, "backup", "--to", str(tmp_path / "backups"))
    assert result.exit_code == 0, result.output
    folder = Path(result.output.split("backed up to ")[1].strip())
    assert folder.name.startswith("tracker-") and (folder / "tracker.sqlite").exists()

    # Disaster: records deleted and a file lost.
    with tracker_app.app_context():
        get_db().execute("DELETE FROM records")
    (uploads / "0123456789abcdef0123456789abcdef").unlink()
    assert count(tracker_app, "SELECT count(*) FROM records") == 0

    result = cli(tracker_app, "restore", str(folder))
    assert result.exit_code == 0, result.output
    assert count(tracker_app, "SELECT count(*) FROM records") == records_before
    assert (uploads / "0123456789abcdef0123456789abcdef").read_bytes() == b"evidence file"
    assert cli(tracker_app, "check-db").exit_code == 0


def test_restore_refuses_a_damaged_backup_and_changes_nothing(tracker_app, tmp_path):
    folder = tmp_path / "tracker-broken"
    folder.mkdir()
    (folder / "tracker.sqlite").write_bytes(b"SQLite format 3\x00" + b"\x00" * 100 + b"garbage" * 100)
    before = count(tracker_app, "SELECT count(*) FROM records")
    result = cli(tracker_app, "restore", str(folder))
    assert result.exit_code != 0 and "failed its checks, nothing was changed" in result.output
    assert count(tracker_app, "SELECT count(*) FROM records") == before


def test_check_db_reports_foreign_key_problems(tracker_app, tmp_path):
    with tracker_app.app_context():
        conn = get_db().conn
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("INSERT INTO team_members (manager_id, inductee_id) VALUES (999, 998)")
        conn.commit()
    result = cli(tracker_app, "check-db")
    assert result.exit_code == 1 and "foreign key: team_members" in result.output


def test_backup_is_consistent_while_the_database_is_written(tracker_app, tmp_path):
    database = Path(tracker_app.config["DATABASE"])
    writer = sqlite3.connect(database)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO audit_log (action) VALUES ('uncommitted')")
    folder = backup(database, Path(tracker_app.config["UPLOAD_FOLDER"]), tmp_path)  # must not wait for or see it
    writer.rollback()
    writer.close()
    assert check_database(folder / "tracker.sqlite") == []
    copy = sqlite3.connect(folder / "tracker.sqlite")
    assert copy.execute("SELECT count(*) FROM audit_log WHERE action = 'uncommitted'").fetchone()[0] == 0
    with tracker_app.app_context():
        assert accounts.find_by_email(get_db(), "inductee@example.org")


# ---- orphaned uploads: files no evidence row names ----------------------------------------

def test_check_db_lists_orphaned_uploads_and_removes_only_old_ones_when_asked(tracker_app):
    import io
    import os
    import time

    from helpers import PNG, post, signed_in_client

    uploads = Path(tracker_app.config["UPLOAD_FOLDER"])
    inductee = signed_in_client(tracker_app, "inductee@example.org")
    d = tracker_app.config["DEMO_IDS"]["inductee@example.org"]
    assert post(inductee, f"/records/{d}/1.4/evidence/file", {"upload": (io.BytesIO(PNG), "lists.png"),
                "description": "Lists"}, content_type="multipart/form-data").status_code == 302
    [named] = os.listdir(uploads)  # the upload: its evidence row names it
    two_hours_ago = time.time() - 2 * 3600
    orphan, in_flight, not_ours = uploads / ("ab" * 16), uploads / ("cd" * 16), uploads / "README.txt"
    for path in (orphan, in_flight, not_ours):
        path.write_bytes(b"left over")
    for path in (orphan, not_ours, uploads / named):
        os.utime(path, (two_hours_ago, two_hours_ago))  # the in-flight one is new: it may be being saved

    found = cli(tracker_app, "check-db")
    assert found.exit_code == 1 and f"orphaned upload {orphan.name}" in found.output
    assert in_flight.name not in found.output and "younger than 60 minutes left alone" in found.output
    assert named not in found.output and "README" not in found.output
    assert orphan.exists(), "nothing is removed unless asked"

    removed = cli(tracker_app, "check-db", "--remove-orphans")
    assert removed.exit_code == 0 and f"removed orphaned upload {orphan.name}" in removed.output
    assert sorted(os.listdir(uploads)) == sorted([named, in_flight.name, not_ours.name])
    file_id = count(tracker_app, "SELECT id FROM evidence WHERE kind = 'file'")
    assert inductee.get(f"/evidence/{file_id}/file").data == PNG  # the named file is untouched
    assert cli(tracker_app, "check-db").exit_code == 0


def test_check_db_with_no_orphans_says_so(tracker_app):
    result = cli(tracker_app, "check-db")
    assert result.exit_code == 0 and "uploads OK" in result.output and "database OK" in result.output


# ---- restore and the audit chain; restore while a server runs ------------------------------------

def add_entries(app, count: int) -> None:
    from tracker import audit
    from tracker.audit_actions import Action
    from tracker.db import writing
    with app.app_context():
        db = get_db()
        for n in range(count):
            with writing(db):
                audit.log(db, None, Action.PDP_SAVED, detail=f"n={n}")


def test_after_restoring_an_older_backup_the_chain_carries_on_verifiably_and_the_restore_is_recorded(
        tracker_app, tmp_path):
    """verify-audit once failed for ever after a restore ("anchor … cut"): the anchors written after the
    backup point at entries the restore took away on purpose."""
    tracker_app.config["AUDIT_ANCHOR_SECONDS"] = 0  # an anchor after every write
    add_entries(tracker_app, 2)
    made = cli(tracker_app, "backup", "--to", str(tmp_path / "backups"))
    folder = Path(made.output.split("backed up to ")[1].strip())
    backup_head = int((folder / "audit_anchor.txt").read_text().split(":")[0])
    add_entries(tracker_app, 5)  # work after the backup, anchored as it was done, then lost to the restore
    restored = cli(tracker_app, "restore", str(folder))
    assert restored.exit_code == 0, restored.output
    assert "the audit chain carries on from" in restored.output
    last = query_rows(tracker_app, "SELECT * FROM audit_log ORDER BY id DESC LIMIT 1")[0]
    assert last["action"] == "backup.restored" and last["id"] == backup_head + 1
    assert f"backup={folder.name}" in last["detail"]
    assert cli(tracker_app, "verify-audit").exit_code == 0
    add_entries(tracker_app, 3)
    checked = cli(tracker_app, "verify-audit")
    assert checked.exit_code == 0, checked.output
    # and the chain is still guarded: cutting what came after the restore is caught
    conn = sqlite3.connect(tracker_app.config["DATABASE"])
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE id > ?", (backup_head + 1,))
    conn.commit()
    conn.close()
    assert cli(tracker_app, "verify-audit").exit_code == 1


def query_rows(app, sql):
    with app.app_context():
        return list(get_db().query(sql))


def test_restore_is_refused_while_a_server_runs_on_the_database(tracker_app, tmp_path):
    """Against a running gunicorn, a restore once went ahead: writes acknowledged after it were lost."""
    import subprocess
    import sys
    import time

    import requests

    from helpers import ROOT, free_port
    made = cli(tracker_app, "backup", "--to", str(tmp_path / "backups"))
    folder = Path(made.output.split("backed up to ")[1].strip())
    port = free_port()
    config = tracker_app.config
    env = {**__import__("os").environ, "TRACKER_INSTANCE_PATH": str(Path(config["DATABASE"]).parent),
           "TRACKER_DATABASE": config["DATABASE"], "TRACKER_UPLOAD_FOLDER": config["UPLOAD_FOLDER"],
           "TRACKER_CONTENT_ROOT": config["CONTENT_ROOT"], "TRACKER_SECRET_KEY": config["SECRET_KEY"],
           "TRACKER_AUDIT_KEY": config["AUDIT_KEY"], "TRACKER_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                               "tracker.wsgi:tracker_only()"], cwd=ROOT, env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{port}/login", timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        else:
            raise AssertionError("gunicorn did not start")
        before = count(tracker_app, "SELECT count(*) FROM audit_log")
        refused = cli(tracker_app, "restore", str(folder))
        assert refused.exit_code != 0 and "the tracker is running" in refused.output
        assert count(tracker_app, "SELECT count(*) FROM audit_log") == before  # nothing was replaced
    finally:
        server.terminate()
        server.wait(timeout=60)
    done = cli(tracker_app, "restore", str(folder))
    assert done.exit_code == 0, done.output
