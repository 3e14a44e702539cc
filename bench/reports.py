#!/usr/bin/env python3
"""Time the service lead's report for a service of 500 inductees (prints figures; not a test).

    .venv/bin/python bench/reports.py                     # about 3 minutes, most of it making the data
    .venv/bin/python bench/reports.py --duration 10       # a shorter load

Makes the demo data in a fresh instance folder (`flask demo-data --inductees N`, on the real handbook: the demo's
13 inductees and N more at every stage across two teams, so 500 in all by default), starts the production server
as scripts/run.sh does (gunicorn, 2 workers of 4 threads, 'tracker.wsgi:combined()'), signs in as the service lead
and has --clients clients ask for /reports/ (every team) for --duration seconds, then the same with one client: first
each request at a new address, so that every page is rendered (as after each change to what it shows), then the
same address, served from the page cache until something changes. Prints p50, p95 and p99 latency and throughput
for each, and the ratio of the p95 to the goal (300 ms): under 1 meets it. Then asks three times for the CSV, the
spreadsheet and the quality assurance pack and prints the median of each.
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

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import portfolio_pdf  # noqa: E402
from portfolio_pdf import free_port, settings, start_server, wait_for  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EMAIL = "lead@example.org"  # tracker/demo.py
GOAL_P95_MS = 300
DEMO_INDUCTEES = 13  # tracker/demo.py: Dafydd, Ceri, Gwenllian, the invited Siân Jones and the second team's nine


def make_instance(work: Path, inductees: int) -> tuple[Path, Path]:
    instance, site = work / "instance", work / "site"
    site.mkdir()
    (site / "index.html").write_text("<!DOCTYPE html><title>Handbook</title><p>Handbook</p>\n", encoding="utf-8")
    env = {**os.environ, **settings(instance, site, 8000)}
    flask = str(Path(sys.executable).with_name("flask"))
    subprocess.run([flask, "--app", "tracker", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([flask, "--app", "tracker", "demo-data", "--inductees", str(max(0, inductees - DEMO_INDUCTEES))],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    with sqlite3.connect(instance / "tracker.sqlite") as db:
        (count,) = db.execute("SELECT count(*) FROM users WHERE role = 'inductee' AND active").fetchone()
    print(f"data: {count} inductees")
    return instance, site


def sign_in(base: str) -> requests.Session:
    return portfolio_pdf.sign_in(base, EMAIL)


def load(base: str, clients: int, duration: float, fresh: bool) -> tuple[list[float], int]:
    """Each client in its own session, asking again as soon as it has an answer: (latencies, errors). fresh: each
    request at a new address (?fresh=N, which the page ignores), so none is served from the page cache."""
    sessions = [sign_in(base) for _ in range(clients)]
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + duration

    def client(session: requests.Session) -> None:
        while time.monotonic() < stop:
            started = time.perf_counter()
            response = session.get(base + "/reports/" + (f"?fresh={time.perf_counter_ns()}" if fresh else ""),
                                   timeout=120)
            took = time.perf_counter() - started
            with lock:
                latencies.append(took)
                errors[0] += response.status_code != 200 or "Induction across the service" not in response.text
    threads = [threading.Thread(target=client, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0]


def report(label: str, latencies: list[float], errors: int, duration: float) -> None:
    ordered = sorted(latencies)
    pick = lambda share: ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000  # noqa: E731
    print(f"{label:32} {len(ordered):6} requests  {len(ordered) / duration:6.1f}/s  p50 {pick(0.5):6.0f} ms"
          f"  p95 {pick(0.95):6.0f} ms  p99 {pick(0.99):6.0f} ms  errors {errors}"
          f"  p95/goal {pick(0.95) / GOAL_P95_MS:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inductees", type=int, default=500)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--duration", type=float, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as folder:
        started = time.perf_counter()
        instance, site = make_instance(Path(folder), args.inductees)
        print(f"made in {time.perf_counter() - started:.0f} s; machine: {os.cpu_count()} cores,"
              f" load average {os.getloadavg()[0]:.1f}")
        port = free_port()
        base = f"http://127.0.0.1:{port}/tracker"
        server = start_server(instance, site, port, True, Path(folder) / "server.log")
        try:
            wait_for(base, server)
            sign_in(base).get(base + "/reports/", timeout=120)  # each worker's first page: templates compiled
            print("server: gunicorn --workers 2 --threads 4 'tracker.wsgi:combined()' (as scripts/run.sh)")
            for fresh in (True, False):
                for clients in (args.clients, 1):
                    latencies, errors = load(base, clients, args.duration, fresh)
                    label = f"/reports/ {'rendered' if fresh else 'cached'}, {clients} client{'s' * (clients > 1)}"
                    report(label, latencies, errors, args.duration)
            session = sign_in(base)
            for path in ("/reports/induction.csv", "/reports/induction.xlsx", "/reports/quality-assurance.pdf"):
                times = []
                for _ in range(3):
                    begun = time.perf_counter()
                    response = session.get(base + path, timeout=300)
                    times.append(time.perf_counter() - begun)
                    if response.status_code != 200:
                        raise SystemExit(f"{path}: {response.status_code}")
                print(f"{path:34} median of 3: {statistics.median(times) * 1000:7.0f} ms"
                      f" ({len(response.content) // 1024} KB)")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(60)


if __name__ == "__main__":
    main()
