#!/usr/bin/env python3
"""Time the first portfolio PDF after the server starts, and the ones after it (prints figures; not a test).

    .venv/bin/python bench/portfolio_pdf.py              # about 2 minutes: 3 starts with the warm-up, 3 without
    .venv/bin/python bench/portfolio_pdf.py --runs 1     # a quick look

Makes the demo data in a fresh instance folder (`flask demo-data`, as scripts/run.sh does, on the real handbook),
then starts the production server as run.sh does (gunicorn, 2 workers of 4 threads, 'tracker.wsgi:combined()';
the handbook's site here is a one-page stand-in, since only the tracker is timed). As soon as the tracker answers,
it signs in as Dafydd (inductee@example.org) and downloads his portfolio PDF, at once or --pause seconds after the
server answered (a person signing in and opening their portfolio takes longer than that), then downloads it again
--later times. Each start is made with the PDF warm-up (tracker/portfolio.py warm_up, the default) and without
(TRACKER_PDF_WARM_UP=false, as the tracker was before). It prints, for each: how long the server took to answer
after it was started, the first PDF, and the median and slowest of the later ones. With two workers, a later PDF
may be the other worker's first.
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
EMAIL, PASSWORD = "inductee@example.org", "induction-demo-2026"  # tracker/demo.py
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def settings(instance: Path, site: Path, port: int) -> dict[str, str]:
    return {"TRACKER_INSTANCE_PATH": str(instance), "HANDBOOK_SITE_DIR": str(site),
            "TRACKER_PUBLIC_URL": f"http://127.0.0.1:{port}/tracker", "TRACKER_TRUSTED_HOSTS": "localhost"}


def make_instance(work: Path) -> tuple[Path, Path, int]:
    """The demo data in an instance folder, a stand-in site, and Dafydd's user id."""
    instance, site = work / "instance", work / "site"
    site.mkdir()
    (site / "index.html").write_text("<!DOCTYPE html><title>Handbook</title><p>Handbook</p>\n", encoding="utf-8")
    env = {**os.environ, **settings(instance, site, 8000)}
    for command in ("migrate", "demo-data"):
        subprocess.run([str(Path(sys.executable).with_name("flask")), "--app", "tracker", command], cwd=ROOT,
                       env=env, check=True, capture_output=True)
    with sqlite3.connect(instance / "tracker.sqlite") as db:
        (dafydd,) = db.execute("SELECT id FROM users WHERE email = ?", [EMAIL]).fetchone()
    return instance, site, dafydd


def start_server(instance: Path, site: Path, port: int, warm_up: bool, log: Path) -> subprocess.Popen:
    gunicorn = [str(Path(sys.executable).with_name("gunicorn")), "--bind", f"127.0.0.1:{port}", "--workers", "2",
                "--threads", "4", "--logger-class", "tracker.log_redaction.GunicornLogger", "tracker.wsgi:combined()"]
    env = {**os.environ, **settings(instance, site, port), "TRACKER_PDF_WARM_UP": "true" if warm_up else "false"}
    return subprocess.Popen(gunicorn, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def wait_for(base: str, server: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with code {server.returncode}")
        try:
            if requests.get(base + "/login", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.05)
    raise SystemExit("gunicorn did not answer in time")


def sign_in(base: str, email: str = EMAIL) -> requests.Session:
    session = requests.Session()
    token = CSRF.search(session.get(base + "/login", timeout=30).text)[1]
    response = session.post(base + "/login", data={"email": email, "password": PASSWORD, "csrf_token": token},
                            timeout=30, allow_redirects=False)
    if response.status_code != 302:
        raise SystemExit(f"signing in failed: {response.status_code}")
    return session


def timed_pdf(session: requests.Session, url: str) -> float:
    started = time.perf_counter()
    response = session.get(url, timeout=120)
    took = time.perf_counter() - started
    if response.status_code != 200 or not response.content.startswith(b"%PDF"):
        raise SystemExit(f"the PDF failed: {response.status_code}")
    return took


def one_start(instance: Path, site: Path, dafydd: int, warm_up: bool, pause: float, later: int, log: Path) -> dict:
    port = free_port()
    base = f"http://127.0.0.1:{port}/tracker"
    started = time.perf_counter()
    server = start_server(instance, site, port, warm_up, log)
    try:
        wait_for(base, server)
        ready = time.perf_counter() - started
        session = sign_in(base)
        time.sleep(max(0.0, started + ready + pause - time.perf_counter()))
        url = f"{base}/portfolio/{dafydd}/pdf"
        first = timed_pdf(session, url)
        rest = [timed_pdf(session, url) for _ in range(later)]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(60)
    return {"ready": ready, "first": first, "later": rest}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="server starts in each mode (default 3)")
    parser.add_argument("--later", type=int, default=6, help="PDFs after the first, per start (default 6)")
    parser.add_argument("--pause", type=float, default=5, help="seconds from the server answering to the first PDF"
                        " in the second round of starts (default 5; the first round asks at once)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-portfolio-pdf-") as folder:
        work = Path(folder)
        instance, site, dafydd = make_instance(work)
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f};"
              f" Python {sys.version.split()[0]}")
        print("server: gunicorn --workers 2 --threads 4 'tracker.wsgi:combined()' (as scripts/run.sh)")
        print(f"{'warm-up':8} {'pause':>5} {'run':>3} {'answers after':>14} {'first PDF':>10} {'later median':>13}"
              f" {'later max':>10}")
        results: dict[tuple[bool, float], list[dict]] = {}
        for pause in (0.0, args.pause):
            for run in range(1, args.runs + 1):
                for warm_up in (True, False):  # alternating, so that both meet the same machine
                    found = one_start(instance, site, dafydd, warm_up, pause, args.later, work / "gunicorn.log")
                    results.setdefault((warm_up, pause), []).append(found)
                    print(f"{'on' if warm_up else 'off':8} {pause:>4.0f}s {run:>3} {found['ready']:>13.2f}s"
                          f" {found['first']:>9.2f}s {statistics.median(found['later']):>12.2f}s"
                          f" {max(found['later']):>9.2f}s", flush=True)
        for (warm_up, pause), runs in results.items():
            firsts = [r["first"] for r in runs]
            later = [t for r in runs for t in r["later"]]
            ready = [r["ready"] for r in runs]
            print(f"warm-up {'on ' if warm_up else 'off'}, first PDF {pause:.0f} s after the server answered:"
                  f" {min(firsts):.2f}–{max(firsts):.2f} s; later {statistics.median(later):.2f} s median"
                  f" ({max(later):.2f} s slowest); server answered after {min(ready):.2f}–{max(ready):.2f} s")
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
