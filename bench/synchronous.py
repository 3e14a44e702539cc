#!/usr/bin/env python3
"""The cost of PRAGMA synchronous = FULL on the sign-off write path (prints figures; not a test).

    .venv/bin/python bench/synchronous.py                    # about a minute
    .venv/bin/python bench/synchronous.py --dir /var/lib/ews-tracker --signoffs 300   # on the real disk

Makes a database through the real migrations (tracker.db.connect, so every other pragma is the
tracker's), seeds one manager and inductees with submitted records, and signs records off with
tracker.records.transition, the function the sign-off route calls (one write transaction: the
record, the audit entry, the data_version trigger), with synchronous = NORMAL and = FULL in
alternating rounds. Prints each mode's median, p95 and sign-offs per second, for one writer
and for several threads writing at once. fsync is the cost, so run it on the disk the tracker's
instance folder is on (--dir): tmpfs or a disk cache that ignores flushes shows no difference.
"""
from __future__ import annotations

import argparse
import os
import shutil
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
from tracker import create_app, records  # noqa: E402
from tracker import db as tracker_db  # noqa: E402

MANAGER = 1


def seed(path: Path, inductees: int, per_inductee: int) -> list[int]:
    db = tracker_db.connect(path)
    tracker_db.migrate(db)
    with tracker_db.writing(db):
        db.conn.execute("INSERT INTO users (id, email, name, role, password_hash) VALUES (?, ?, ?, 'manager', '!')",
                        (MANAGER, "manager@bench.example", "Manager"))
        for n in range(inductees):
            inductee = MANAGER + 1 + n
            db.conn.execute("INSERT INTO users (id, email, name, role, password_hash)"
                            " VALUES (?, ?, ?, 'inductee', '!')",
                            (inductee, f"inductee{n}@bench.example", f"Inductee {n}"))
            db.conn.execute("INSERT INTO team_members (manager_id, inductee_id) VALUES (?, ?)", (MANAGER, inductee))
            db.conn.executemany(
                "INSERT INTO records (inductee_id, activity_id, activity_title, state, notes, submitted_at)"
                " VALUES (?, ?, ?, 'submitted', ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                [(inductee, f"b.{a}", f"Activity b.{a}", "Synthetic notes. " * 20) for a in range(per_inductee)])
    ids = [row[0] for row in db.execute("SELECT id FROM records ORDER BY id")]
    db.conn.close()
    return ids


def bench_app(work: Path):
    """The tracker's app on the benchmark's database: transition() writes the audit chain with its key and queues
    notifications, as in a request."""
    os.environ["TRACKER_INSTANCE_PATH"] = str(work)
    return create_app({"DATABASE": str(work / "tracker.sqlite"), "AUDIT_KEY": "bench-audit-key",
                       "AUDIT_ANCHORS_FILE": str(work / "audit_anchors.txt"), "UPLOAD_FOLDER": str(work / "uploads"),
                       "MAIL_WORKER": "off", "SECRET_KEY": "bench", "PUBLIC_URL": "http://127.0.0.1"})


def sign_off(app, path: Path, mode: str, record_ids: list[int], times: list[float]) -> None:
    with app.app_context():
        _sign_off(path, mode, record_ids, times)


def _sign_off(path: Path, mode: str, record_ids: list[int], times: list[float]) -> None:
    db = tracker_db.connect(path)
    db.conn.execute(f"PRAGMA synchronous = {mode}")
    assert db.execute("PRAGMA synchronous").fetchone()[0] == {"NORMAL": 1, "FULL": 2}[mode]
    for record_id in record_ids:
        started = time.perf_counter()
        records.transition(db, record_id, "sign_off", MANAGER)
        times.append(time.perf_counter() - started)
    db.conn.close()


def run(app, path: Path, mode: str, record_ids: list[int], threads: int) -> tuple[list[float], float]:
    times: list[float] = []
    shares = [record_ids[i::threads] for i in range(threads)]
    workers = [threading.Thread(target=sign_off, args=(app, path, mode, share, times)) for share in shares]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return times, time.perf_counter() - started


def figures(times: list[float], elapsed: float) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (f"median {statistics.median(ordered) * 1000:6.2f} ms, p95 {p95 * 1000:6.2f} ms, "
            f"{len(ordered) / elapsed:7.0f} sign-offs/s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", help="folder for the database (default: a temporary folder); use the instance's disk")
    parser.add_argument("--signoffs", type=int, default=400, help="sign-offs per mode per round (default 400)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating NORMAL/FULL rounds (default 3)")
    parser.add_argument("--threads", type=int, default=4, help="writers at once in the concurrent case (default 4)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="tracker-sync-", dir=args.dir))
    path = work / "tracker.sqlite"
    per_mode = args.signoffs * args.rounds
    ids = seed(path, inductees=20, per_inductee=-(-4 * per_mode // 20))
    app = bench_app(work)
    df = subprocess.run(["df", "--output=fstype", str(work)], capture_output=True, text=True)
    filesystem = df.stdout.split()[-1:]
    print(f"database {path} ({''.join(filesystem) or 'unknown filesystem'}), {len(ids):,} submitted records; "
          f"{args.rounds} rounds of {args.signoffs} sign-offs per mode; {os.cpu_count()} cores")
    results: dict[tuple[str, int], tuple[list[float], float]] = {}
    for threads in (1, args.threads):
        for _ in range(args.rounds):
            for mode in ("NORMAL", "FULL"):
                batch, ids = ids[:args.signoffs], ids[args.signoffs:]
                times, elapsed = run(app, path, mode, batch, threads)
                previous_times, previous_elapsed = results.get((mode, threads), ([], 0.0))
                results[(mode, threads)] = (previous_times + times, previous_elapsed + elapsed)
    for threads in (1, args.threads):
        print(f"{threads} writer{'s' if threads > 1 else ''} at once:")
        for mode in ("NORMAL", "FULL"):
            print(f"  synchronous = {mode:6}  {figures(*results[(mode, threads)])}")
        normal = statistics.median(results[("NORMAL", threads)][0])
        full = statistics.median(results[("FULL", threads)][0])
        print(f"  FULL costs {(full - normal) * 1000:+.2f} ms per sign-off at the median ({full / normal:.1f}x)")
    signed = tracker_db.connect(path).execute("SELECT count(*) FROM records WHERE state = 'signed_off'").fetchone()[0]
    print(f"records signed off: {signed:,}")
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
