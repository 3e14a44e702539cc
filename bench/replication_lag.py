#!/usr/bin/env python3
"""Replication lag: how long after a commit it is in the Litestream replica (prints figures; not a test).

    .venv/bin/python bench/replication_lag.py                       # about a minute
    .venv/bin/python bench/replication_lag.py --rate 20 --seconds 120 --dir /var/lib/ews-tracker-bench

Runs litestream as deploy/ews-tracker-litestream.service does, with deploy/litestream.yml (its intervals)
and a file replica in the same folder, and a second litestream that follows the replica
(`litestream restore -f`) into a copy, as a new machine restoring at that moment would get it. One writer
commits a row a time at a steady rate, on a connection made by tracker.db.connect (so with the tracker's
pragmas: WAL, synchronous FULL), each row holding the time its commit returned; a reader polls the copy
and notes when each row arrives. Lag = arrival - commit: what a machine lost at the moment of the commit
could lose. It includes up to --follow-interval of the follower's own polling, so the replica itself is
that much quicker. A file replica leaves out the network: add the round trips to Azure or S3.
"""
from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# After the sys.path line above, which they need (E402 does not apply).
from tracker import db as tracker_db  # noqa: E402
from tracker.replication import litestream  # noqa: E402

CONFIG = ROOT / "deploy" / "litestream.yml"


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(command, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)


def wait_for(condition, seconds: float, what: str) -> None:
    ends = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > ends:
            raise SystemExit(f"gave up waiting: {what}")
        time.sleep(0.05)


def write(database: Path, rate: float, seconds: float, committed: list[float]) -> None:
    """One commit every 1/rate seconds (or as fast as the disk allows), each row holding when it returned."""
    db = tracker_db.connect(database)
    period, started = 1.0 / rate, time.monotonic()
    for n in range(int(rate * seconds)):
        time.sleep(max(0.0, started + n * period - time.monotonic()))
        with tracker_db.writing(db):
            db.conn.execute("INSERT INTO lag_marks (n, body) VALUES (?, ?)", (n, "x" * 1000))
        committed.append(time.time())
    db.conn.close()


def read(copy: Path, arrived: dict[int, float], expected: int, stop: threading.Event) -> None:
    while not stop.is_set() and len(arrived) < expected:
        try:
            conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
            try:
                rows = conn.execute("SELECT n FROM lag_marks WHERE n > ?", (max(arrived, default=-1),)).fetchall()
            finally:
                conn.close()
        except sqlite3.Error:  # the follower is replacing the copy just now
            rows = []
        now = time.time()
        for (n,) in rows:
            arrived.setdefault(n, now)
        time.sleep(0.01)


def measure(folder: Path, config: Path, rate: float, seconds: float, follow_interval: float) -> None:
    database, replica, copy = folder / "tracker.sqlite", folder / "replica", folder / "follower" / "tracker.sqlite"
    db = tracker_db.connect(database)
    db.conn.execute("CREATE TABLE lag_marks (n INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    db.conn.commit()
    db.conn.close()
    env = {**os.environ, "TRACKER_INSTANCE_PATH": str(folder), "LITESTREAM_REPLICA_URL": replica.as_uri()}
    processes = [start(["flock", "--shared", f"{database}.lock", litestream(), "replicate", "-config", str(config)],
                       env, folder / "litestream.log")]
    try:
        wait_for(lambda: (replica / "ltx").exists(), 60, "the first snapshot in the replica")
        processes.append(start([litestream(), "restore", "-f", "-follow-interval", f"{follow_interval * 1000:.0f}ms",
                                "-o", str(copy), replica.as_uri()], env, folder / "follower.log"))
        wait_for(copy.exists, 60, "the follower's copy")
        committed: list[float] = []
        arrived: dict[int, float] = {}
        stop = threading.Event()
        reader = threading.Thread(target=read, args=(copy, arrived, int(rate * seconds), stop))
        reader.start()
        write(database, rate, seconds, committed)
        wait_for(lambda: len(arrived) >= len(committed), 120, "every commit in the copy")
        stop.set()
        reader.join()
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)
    lags = sorted(arrived[n] - at for n, at in enumerate(committed))
    achieved = len(committed) / (seconds or 1)
    print(f"{len(committed)} commits at {achieved:.1f}/s; lag from commit to the replica (follower polling"
          f" every {follow_interval:.2f} s included):")
    print(f"  median {statistics.median(lags):.2f} s   p95 {lags[int(len(lags) * 0.95)]:.2f} s"
          f"   max {lags[-1]:.2f} s   min {lags[0]:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=10, help="commits per second (default 10)")
    parser.add_argument("--seconds", type=float, default=60, help="how long to write (default 60)")
    parser.add_argument("--follow-interval", type=float, default=0.1, help="the follower's polling (default 0.1 s)")
    parser.add_argument("--config", type=Path, default=CONFIG, help="Litestream's configuration (default: deploy/)")
    parser.add_argument("--dir", type=Path, help="a folder on the disk to measure (default: a temporary folder)")
    args = parser.parse_args()
    if args.dir:
        args.dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.dir, prefix="replication-lag-") as folder:
        measure(Path(folder), args.config, args.rate, args.seconds, args.follow_interval)


if __name__ == "__main__":
    main()
