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

import requests

from conftest import ROOT, csrf_token, tracker_config
from tracker import accounts

WRITERS = 8


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(folder: Path, port: int) -> subprocess.Popen:
    config = tracker_config(folder)
    env = {**os.environ, "TRACKER_INSTANCE_PATH": str(folder), "TRACKER_DATABASE": config["DATABASE"],
           "TRACKER_UPLOAD_FOLDER": config["UPLOAD_FOLDER"], "TRACKER_SECRET_KEY": "crash-test-key",
           "TRACKER_LOGIN_FAILURE_DELAY": "0"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4",
         "tracker.wsgi:tracker_only()"], cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/login", timeout=1).status_code == 200:
                return server
        except requests.ConnectionError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start: " + server.stderr.read().decode()[-2000:])


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
    token = csrf_token(session.get(f"{base}/login", timeout=5).text)
    session.post(f"{base}/login", data={"email": email, "password": "crash-test-password", "csrf_token": token}, timeout=10)
    token = csrf_token(session.get(f"{base}/account/password", timeout=5).text)
    n = 0
    while not stop.is_set():
        marker = f"crash-marker-{inductee_id}-{n}"
        try:
            response = session.post(f"{base}/records/{inductee_id}/1.4/evidence/text",
                                    data={"body": marker, "csrf_token": token}, allow_redirects=False, timeout=5)
        except requests.RequestException:
            return  # the server died mid-request: this write was never acknowledged
        if response.status_code == 302:
            acknowledged.append(marker)
        n += 1


def test_sigkill_under_load_loses_no_acknowledged_write(tmp_path):
    from tracker import create_app
    create_app(tracker_config(tmp_path))  # creates the database and runs migrations
    people = seed(tmp_path / "tracker.sqlite")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(tmp_path, port)
    acknowledged: list[str] = []
    stop = threading.Event()
    threads = [threading.Thread(target=writer, args=(base, i, e, acknowledged, stop)) for i, e in people]
    try:
        for thread in threads:
            thread.start()
        deadline = time.time() + 30
        while len(acknowledged) < 200 and time.time() < deadline:  # well into the load, however busy the machine
            time.sleep(0.1)
        os.killpg(server.pid, signal.SIGKILL)  # master and workers, mid-load
        server.wait(timeout=10)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
    assert len(acknowledged) > 50, "the load did not get going"

    restarted = start_server(tmp_path, port)
    try:
        assert requests.get(f"{base}/login", timeout=5).status_code == 200
    finally:
        os.killpg(restarted.pid, signal.SIGTERM)
        restarted.wait(timeout=10)
    conn = sqlite3.connect(tmp_path / "tracker.sqlite")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    stored = {row[0] for row in conn.execute("SELECT body FROM evidence")}
    missing = [m for m in acknowledged if m not in stored]
    assert missing == [], f"{len(missing)} acknowledged writes lost"
