"""Nothing acknowledged is lost: kill the production server with SIGKILL under concurrent
writes, restart it, and find every acknowledged write in a healthy database."""
from __future__ import annotations

import os
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

from helpers import ROOT, csrf_token, free_port, tracker_config
from tracker import accounts

WRITERS = 8
READY_DEADLINE = 120  # seconds; generous, for a loaded machine


def start_server(folder: Path, port: int, started: list[subprocess.Popen]) -> subprocess.Popen:
    """gunicorn on the tracker, recorded in `started` so that teardown ends it whatever happens."""
    config = tracker_config(folder)
    env = {**os.environ, "TRACKER_INSTANCE_PATH": str(folder), "TRACKER_DATABASE": config["DATABASE"],
           "TRACKER_UPLOAD_FOLDER": config["UPLOAD_FOLDER"], "TRACKER_CONTENT_ROOT": config["CONTENT_ROOT"],
           "TRACKER_SECRET_KEY": "crash-test-key",
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
    n = 0
    while not stop.is_set():
        marker = f"crash-marker-{inductee_id}-{n}"
        try:
            response = session.post(f"{base}/records/{inductee_id}/1.4/evidence/text",
                                    data={"body": marker, "csrf_token": token}, allow_redirects=False, timeout=30)
        except requests.RequestException:
            return  # the server died mid-request: this write was never acknowledged
        if response.status_code == 302:
            acknowledged.append(marker)
        n += 1


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
