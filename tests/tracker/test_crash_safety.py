"""Nothing acknowledged is lost: kill the production server with SIGKILL under concurrent
writes, restart it, and find every acknowledged write in a healthy database."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from helpers import ROOT, csrf_token, free_port, tracker_config, write_evidence_until_stopped
from tracker import accounts

WRITERS = 8
READY_DEADLINE = 120  # seconds; generous, for a loaded machine


def start_server(folder: Path, port: int, started: list[subprocess.Popen]) -> subprocess.Popen:
    """gunicorn on the tracker, recorded in `started` so that teardown ends it whatever happens."""
    config = tracker_config(folder)
    env = {**os.environ, "TRACKER_INSTANCE_PATH": str(folder), "TRACKER_DATABASE": config["DATABASE"],
           "TRACKER_UPLOAD_FOLDER": config["UPLOAD_FOLDER"], "TRACKER_CONTENT_ROOT": config["CONTENT_ROOT"],
           "TRACKER_SECRET_KEY": "crash-test-key", "TRACKER_PUBLIC_URL": f"http://127.0.0.1:{port}",
           "TRACKER_LOGIN_FAILURE_DELAY": "0"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4",
         "tracker.wsgi:tracker_only()"], cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    started.append(server)
    deadline = time.time() + READY_DEADLINE
    while time.time() < deadline and server.poll() is None:
        try:  # a busy machine may be slow to answer: any failure means "not yet", until the deadline
            if requests.get(f"http://127.0.0.1:{port}/login", timeout=10).status_code == 200:
                return server
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start: " + (server.stderr.read().decode()[-2000:] if server.poll() else ""))


@pytest.fixture
def servers():
    """Every server a test starts is ended after it, passed or failed: none is left running."""
    started: list[subprocess.Popen] = []
    yield started
    for server in started:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=60)
        if server.stderr:
            server.stderr.close()


def seed(database: Path) -> list[tuple[int, str]]:
    """Inductees for the writers, inserted directly with one password hash (hashing is slow)."""
    conn = sqlite3.connect(database)
    password_hash = accounts.hash_password("crash-test-password")
    people = []
    for n in range(WRITERS):
        email = f"writer{n}@example.org"
        cursor = conn.execute("INSERT INTO users (email, name, role, password_hash) VALUES (?, ?, 'inductee', ?)",
                              (email, f"Writer {n}", password_hash))
        people.append((cursor.lastrowid, email))
    conn.commit()
    conn.close()
    return people


def writer(base: str, inductee_id: int, email: str, acknowledged: list[str], stop: threading.Event) -> None:
    session = requests.Session()
    try:
        token = csrf_token(session.get(f"{base}/login", timeout=30).text)
        session.post(f"{base}/login", data={"email": email, "password": "crash-test-password", "csrf_token": token},
                     timeout=30)
        token = csrf_token(session.get(f"{base}/account/password", timeout=30).text)
    except requests.RequestException:
        return  # the server was killed before this writer got going
    write_evidence_until_stopped(session, base, inductee_id, token, stop, "crash-marker", acknowledged)


def test_sigkill_under_load_loses_no_acknowledged_write(tmp_path, servers):
    from tracker import create_app
    create_app(tracker_config(tmp_path))  # creates the database and runs migrations
    people = seed(tmp_path / "tracker.sqlite")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(tmp_path, port, servers)
    acknowledged: list[str] = []
    stop = threading.Event()
    threads = [threading.Thread(target=writer, args=(base, i, e, acknowledged, stop)) for i, e in people]
    try:
        for thread in threads:
            thread.start()
        deadline = time.time() + 180
        while len(acknowledged) < 200 and time.time() < deadline:  # well into the load, however busy the machine
            time.sleep(0.1)
        os.killpg(server.pid, signal.SIGKILL)  # master and workers, mid-load
        server.wait(timeout=60)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert len(acknowledged) > 50, "the load did not get going"

    start_server(tmp_path, port, servers)
    assert requests.get(f"{base}/login", timeout=30).status_code == 200
    conn = sqlite3.connect(tmp_path / "tracker.sqlite")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    stored = {row[0] for row in conn.execute("SELECT body FROM evidence")}
    missing = [m for m in acknowledged if m not in stored]
    assert missing == [], f"{len(missing)} acknowledged writes lost"


def test_a_failed_start_leaves_no_server_behind(tmp_path, servers):
    """The clean-up itself: a server that never answers is still ended by the fixture."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]  # taken, so gunicorn cannot bind it and exits
        with pytest.raises(RuntimeError, match="gunicorn did not start"):
            start_server(tmp_path, port, servers)
    assert servers and servers[0].poll() is not None


# ---- a full disk: a clear page, nothing half-saved, and working again once there is room ------------
# Each test runs a script in its own mount namespace (unshare) with a small tmpfs as the disk, filled
# to the last byte: real ENOSPC and SQLITE_FULL, with no effect on the machine's own disks.

SMALL_DISK = "4m"
FILL = '''
import errno


def fill(path):
    """Write to path until the disk is full, to the last byte."""
    with open(path, "wb", buffering=0) as handle:
        for size in (1 << 20, 1 << 16, 1 << 12, 1 << 8, 1):
            try:
                while True:
                    handle.write(b"\\0" * size)
            except OSError as error:
                assert error.errno == errno.ENOSPC, error
'''

APP_ON_A_FULL_DISK = FILL + '''
import io, json, os, shutil, sqlite3, sys
from pathlib import Path

from helpers import PNG, post, signed_in_client, tracker_config
from tracker import create_app

disk, template, inductee_id = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
shutil.copyfile(template, disk / "tracker.sqlite")
app = create_app(tracker_config(disk))
english = signed_in_client(app, "inductee@example.org")
welsh = signed_in_client(app, "inductee@example.org")
welsh.get("/?lang=cy")
record = f"/records/{inductee_id}/1.4"
uploads = disk / "uploads"
uploads.mkdir(exist_ok=True)


def upload(client):
    return post(client, record + "/evidence/file", {"upload": (io.BytesIO(PNG * 100), "lists.png"),
                "description": "Lists"}, content_type="multipart/form-data")


def notes(client, text):
    return post(client, record + "/notes", {"notes": text})


def state(*responses):
    with sqlite3.connect(disk / "tracker.sqlite") as conn:
        rows = conn.execute("SELECT count(*) FROM evidence e JOIN records r ON r.id = e.record_id"
                            " WHERE r.inductee_id = ? AND e.kind = 'file'", [inductee_id]).fetchone()[0]
        saved = conn.execute("SELECT notes FROM records WHERE inductee_id = ? AND activity_id = '1.4'",
                             [inductee_id]).fetchone()
    return {"responses": [[r.status_code, r.get_data(as_text=True)] for r in responses],
            "files": sorted(os.listdir(uploads)), "file_rows": rows, "notes": saved[0] if saved else None}


conn = sqlite3.connect(disk / "tracker.sqlite")  # an empty write-ahead log: the next write must grow it
conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
conn.close()
fill(disk / "filler")
full = state(upload(english), notes(welsh, "Typed on a full disk"), english.get(record))
os.remove(disk / "filler")
freed = state(upload(english), notes(welsh, "Typed once there was room"))
print(json.dumps({"full": full, "freed": freed}))
'''

BACKUP_TO_A_FULL_DISK = FILL + '''
import json, os, sys
from pathlib import Path

from tracker.backup import backup

disk, database, uploads = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])


def leave_free(room):
    """Fill the disk, then give back `room` bytes."""
    fill(disk / "filler")
    with open(disk / "filler", "r+b") as handle:
        handle.truncate(max(0, os.path.getsize(disk / "filler") - room))


def attempt():
    try:
        return {"made": backup(database, uploads, disk).name, "left": sorted(os.listdir(disk))}
    except Exception as error:  # what failed, and what it left behind
        return {"error": f"{type(error).__name__}: {error}", "left": sorted(os.listdir(disk))}
    finally:
        (disk / "filler").unlink(missing_ok=True)


results = {}
leave_free(database.stat().st_size // 3)  # room to start the database's copy, not to finish it
results["database"] = attempt()
leave_free(database.stat().st_size + 256 * 1024)  # room for the database, not for the uploads
results["uploads"] = attempt()
results["room"] = attempt()
print(json.dumps(results))
'''


def on_a_small_disk(tmp_path: Path, script: str, *args: str) -> dict:
    """Run `script` with tmp_path/disk a small tmpfs of its own; the JSON it prints last."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare (util-linux) to make a small disk to fill")
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", 'mount -t tmpfs -o size=1m tmpfs "$1"', "sh", str(disk)],
                           capture_output=True, text=True, timeout=120)
    if probe.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs in a user namespace here: {probe.stderr.strip()}")
    (tmp_path / "script.py").write_text(script, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    result = subprocess.run(
        ["unshare", "-rm", "sh", "-c", f'mount -t tmpfs -o size={SMALL_DISK} tmpfs "$1" && shift && exec "$@"',
         "sh", str(disk), sys.executable, str(tmp_path / "script.py"), str(disk), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_full_disk_answers_a_clear_page_leaves_nothing_behind_and_recovers(tmp_path, demo_database):
    template, ids = demo_database
    outcome = on_a_small_disk(tmp_path, APP_ON_A_FULL_DISK, str(template), str(ids["inductee@example.org"]))
    full, freed = outcome["full"], outcome["freed"]
    (upload_status, upload_page), (notes_status, notes_page), (read_status, _) = full["responses"]
    assert upload_status == 503 and "The tracker cannot save just now" in upload_page  # the file: ENOSPC
    assert "Nothing was changed. Try again later." in upload_page
    assert notes_status == 503 and 'lang="cy"' in notes_page  # the notes: SQLITE_FULL, in Welsh
    assert "Ni all y traciwr gadw ar hyn o bryd" in notes_page
    assert full["files"] == [] and full["file_rows"] == 0, "no zero-byte or half-written upload is left"
    assert full["notes"] != "Typed on a full disk"
    assert read_status == 200, "reading needs no room"
    assert [status for status, _ in freed["responses"]] == [302, 302], "it works again once there is room"
    assert len(freed["files"]) == 1 and freed["file_rows"] == 1 and freed["notes"] == "Typed once there was room"


def test_a_backup_to_a_full_disk_leaves_no_partial_folder(tmp_path, demo_database):
    template, _ = demo_database
    live, uploads = tmp_path / "live", tmp_path / "live" / "uploads"
    uploads.mkdir(parents=True)
    shutil.copyfile(template, live / "tracker.sqlite")
    (uploads / ("ab" * 16)).write_bytes(os.urandom(1024 * 1024))
    outcome = on_a_small_disk(tmp_path, BACKUP_TO_A_FULL_DISK, str(live / "tracker.sqlite"), str(uploads))
    for case in ("database", "uploads"):  # the copy of each failing for want of room
        assert "full" in outcome[case]["error"] or "No space left" in outcome[case]["error"], outcome[case]
        assert outcome[case]["left"] == ["filler"], outcome[case]
    assert outcome["room"]["left"] == [outcome["room"]["made"]]
