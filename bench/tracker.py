#!/usr/bin/env python3
"""Load-test the tracker as scripts/run.sh serves it (prints figures; not a test).

    .venv/bin/python bench/tracker.py                  # about 6 minutes
    .venv/bin/python bench/tracker.py --duration 5 --unloaded-duration 2   # a quick look

Seeds a fresh database (made by `flask --app tracker migrate`, as run.sh does) in a temporary folder with
500 users (50 managers, 450 inductees in teams of 9, one service lead) and a record for every inductee and
each of 50 synthetic activities (22,500 records in a mix of states, with evidence, comments, plans and audit
entries), serves it as run.sh does (gunicorn, 2 workers of 4 threads, the handbook at / and the tracker at
/tracker, the access log written), and drives it with wrk at 50 concurrent connections, each page people
wait on beside a bare route returning an HTML page of the same size through the same server:

    GET  /my-induction, /team, /reports/   the dashboards and the service lead's report (kept while
                                           nothing changes), and again rendered every time
    GET  a record page, a portfolio page   as the inductee whose they are
    GET  a portfolio PDF                   an unchanged portfolio downloaded again
    POST sign-off                          each request signs off a different submitted record, beside a
                                           bare route making the same write (one UPDATE and one audit
                                           INSERT in one synchronous = FULL transaction)

and prints p50/p95/p99 latency, throughput and errors for each, the same for one client at a time,
the server's memory, and one line per endpoint in the form `<endpoint>: ... throughput <r>x bare`
against its goal. Writes nothing into the repository (checked). Exits 1 on any error.
Needs wrk (`apt-get install wrk`; scripts/setup.sh installs it).
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import http.cookiejar
import importlib.util
import json
import os
import platform
import random
import re
import resource
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.tracker_app import BENCH_TABLES  # noqa: E402
from tracker import accounts, create_app  # noqa: E402

MANAGERS, TEAM_SIZE, ACTIVITIES = 50, 9, 50
PASSWORD = "bench-password-123"
USER_AGENT = "tracker-bench"  # the same for logins and wrk: Flask-Login ties sessions to it
PREFIX = "/tracker"  # where run.sh serves the tracker
# Throughput against the bare route's, at 50 clients: what a person waiting on each page should not notice.
GOALS = {"/my-induction": 0.8, "/team": 0.8, "/reports/": 0.8, "record page": 0.6, "portfolio page": 0.5,
         "sign-off": 0.5}
MEMORY_GOAL_MB = 300  # the server, 2 workers
# How many of each inductee's 50 records are in each state (random in these ranges), in handbook
# order: earlier activities are further along; the rest are not started.
STATE_MIX = (("signed_off", (0, 30)), ("submitted", (1, 6)), ("returned", (0, 2)), ("in_progress", (0, 5)))

WRK_SCRIPT = r"""
-- Written by bench/tracker.py. Each line of BENCH_DATA is "cookie<TAB>csrf token<TAB>path";
-- thread n of N takes lines n, n+N, ... and cycles through them (counting each wrap).
local threads, count = {}, 0
function setup(thread)
  thread:set("id", count)
  count = count + 1
  table.insert(threads, thread)
end
function init(args)
  local nthreads = tonumber(os.getenv("BENCH_THREADS"))
  method = os.getenv("BENCH_METHOD")
  user_agent = os.getenv("BENCH_UA")
  items, pos, wraps, sent, statuses = {}, 0, 0, 0, {}
  local i = 0
  for line in io.lines(os.getenv("BENCH_DATA")) do
    if i % nthreads == id then
      local cookie, token, path = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
      table.insert(items, {cookie, token, path})
    end
    i = i + 1
  end
  if #items == 0 then  -- fewer lines than threads: every thread takes them all
    for line in io.lines(os.getenv("BENCH_DATA")) do
      local cookie, token, path = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
      table.insert(items, {cookie, token, path})
    end
  end
end
function request()
  pos = pos + 1
  if pos > #items then pos, wraps = 1, wraps + 1 end
  sent = sent + 1
  local item = items[pos]
  local headers = {["User-Agent"] = user_agent}
  if item[1] ~= "" then headers["Cookie"] = "session=" .. item[1] end
  if method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return wrk.format("POST", item[3], headers, "csrf_token=" .. item[2])
  end
  return wrk.format("GET", item[3], headers)
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local codes, wrapped, total_sent = {}, 0, 0
  for _, thread in ipairs(threads) do
    for code, n in pairs(thread:get("statuses")) do codes[tostring(code)] = (codes[tostring(code)] or 0) + n end
    wrapped = wrapped + thread:get("wraps")
    total_sent = total_sent + thread:get("sent")
  end
  local parts = {}
  for code, n in pairs(codes) do table.insert(parts, string.format('"%s": %d', code, n)) end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, ' ..
    '"wraps": %d, "sent": %d, "codes": {%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout,
    wrapped, total_sent, table.concat(parts, ", ")))
end
"""


def load_generate_corpus():
    """bench/build.py's generate_corpus (imported by path: the project root has its own build.py)."""
    spec = importlib.util.spec_from_file_location("bench_build", Path(__file__).with_name("build.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate_corpus


def make_content(root: Path) -> None:
    """6 sections, 50 activities: generate_corpus makes 8 per section (48); add two more."""
    root.mkdir()
    load_generate_corpus()(root, pages=6, activities=ACTIVITIES)
    folder = root / "activities"
    for section in (1, 2):
        text = (folder / f"{section}-8.yml").read_text(encoding="utf-8")
        (folder / f"{section}-9.yml").write_text(
            text.replace(f'id: "{section}.8"', f'id: "{section}.9"')
                .replace(f"Activity {section}.8", f"Activity {section}.9"),
            encoding="utf-8")


def iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def seed(database: Path, activities: list[tuple[str, str]], rng: random.Random) -> dict:
    """Users, teams, plans and records straight into SQLite (one argon2 hash for everyone)."""
    password_hash = accounts.hash_password(PASSWORD)
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    today = now.date()
    users, team, plans, plan_items, records, evidence, comments, audit = [], [], [], [], [], [], [], []
    for m in range(1, MANAGERS + 1):
        users.append((m, f"manager{m:03d}@bench.example", f"Manager {m:03d}", "manager", password_hash))
    inductee_ids = list(range(MANAGERS + 1, MANAGERS + 1 + MANAGERS * TEAM_SIZE))
    record_id = 0
    for n, inductee in enumerate(inductee_ids):
        manager = n // TEAM_SIZE + 1
        users.append((inductee, f"inductee{n:03d}@bench.example", f"Inductee {n:03d}", "inductee", password_hash))
        team.append((manager, inductee))
        start = today - dt.timedelta(days=rng.randint(30, 240))
        plans.append((inductee, start.isoformat(), "Synthetic plan.", iso(now), manager))
        states = [state for state, (low, high) in STATE_MIX for _ in range(rng.randint(low, high))]
        states += ["not_started"] * (len(activities) - len(states))
        for index, (activity_id, title) in enumerate(activities):
            state = states[index]
            target = start + dt.timedelta(days=7 + 4 * index)
            not_required = int(state == "not_started" and rng.random() < 0.05)
            plan_items.append((inductee, activity_id, target.isoformat(), int(rng.random() < 0.1), not_required,
                               "Covered by previous role" if not_required else ""))
            record_id += 1
            created = now - dt.timedelta(days=rng.randint(20, 200), minutes=rng.randint(0, 1440))
            updated = created + dt.timedelta(days=rng.randint(0, 15))
            submitted_at = signed_at = signed_by = None
            notes = "" if state == "not_started" else "Synthetic notes about what I did and learned. " * 4
            if state in ("submitted", "signed_off", "returned"):
                submitted_at = iso(updated)
                audit.append((iso(updated), inductee, "record.submit", inductee, activity_id, record_id,
                              "in_progress", "submitted"))
            if state == "signed_off":
                signed_at, signed_by = iso(updated + dt.timedelta(days=2)), manager
                audit.append((signed_at, manager, "record.sign_off", inductee, activity_id, record_id,
                              "submitted", "signed_off"))
            records.append((record_id, inductee, activity_id, title, state, notes, iso(created), iso(updated),
                            submitted_at, signed_at, signed_by))
            if state != "not_started":
                evidence.append((record_id, "text", "Synthetic written evidence. " * 10, None, None, iso(updated),
                                 inductee))
                if rng.random() < 0.2:
                    evidence.append((record_id, "witness", "Observed the visit.", "A. Witness", "Senior EWO",
                                     iso(updated), inductee))
            if state == "returned" or (state == "signed_off" and rng.random() < 0.3):
                comments.append((record_id, manager, "Synthetic comment from the manager.", iso(updated)))
    users.append((inductee_ids[-1] + 1, "lead@bench.example", "Service Lead", "lead", password_hash))
    conn = sqlite3.connect(database)
    with conn:
        conn.executemany("INSERT INTO users (id, email, name, role, password_hash) VALUES (?, ?, ?, ?, ?)", users)
        conn.executemany("INSERT INTO team_members (manager_id, inductee_id) VALUES (?, ?)", team)
        conn.executemany("INSERT INTO plans (inductee_id, start_date, notes, updated_at, updated_by)"
                         " VALUES (?, ?, ?, ?, ?)", plans)
        conn.executemany("INSERT INTO plan_items"
                         " (inductee_id, activity_id, target_date, priority, not_required, reason)"
                         " VALUES (?, ?, ?, ?, ?, ?)", plan_items)
        conn.executemany("INSERT INTO records (id, inductee_id, activity_id, activity_title, state, notes, created_at,"
                         " updated_at, submitted_at, signed_off_at, signed_off_by)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", records)
        conn.executemany("INSERT INTO evidence"
                         " (record_id, kind, body, witness_name, witness_role, created_at, created_by)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?)", evidence)
        conn.executemany("INSERT INTO comments (record_id, author_id, body, created_at) VALUES (?, ?, ?, ?)", comments)
        conn.executemany("INSERT INTO audit_log (at, actor_id, action, subject_id, activity_id, record_id, from_state,"
                         " to_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", audit)
        conn.executescript(BENCH_TABLES)
        conn.executemany("INSERT INTO bench_rows (id, state) VALUES (?, 'submitted')", [(r[0],) for r in records])
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    counts = {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
              for table in ("users", "team_members", "plan_items", "records", "evidence", "comments", "audit_log")}
    counts["states"] = dict(conn.execute("SELECT state, count(*) FROM records"
                                         " GROUP BY state ORDER BY state").fetchall())
    conn.close()
    return counts


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(base: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(base + PREFIX + "/bench-bare", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer in time")


CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def sign_in(base: str, email: str, expect_path: str) -> tuple[str, str]:
    """Sign in through the login form; return the session cookie and a CSRF token for it."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    page = opener.open(base + PREFIX + "/login").read().decode()
    body = urllib.parse.urlencode({"email": email, "password": PASSWORD,
                                   "csrf_token": CSRF.search(page).group(1)}).encode()
    with opener.open(base + PREFIX + "/login", data=body) as response:  # follows / to the home page
        page = response.read().decode()
        assert urllib.parse.urlparse(response.url).path == PREFIX + expect_path, (email, response.url)
    cookie = next(c.value for c in jar if c.name == "session")
    return cookie, CSRF.search(page).group(1)


def get(port: int, path: str, cookie: str) -> tuple[int, bytes, float]:
    """One request: its status, body and time taken in seconds."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": f"session={cookie}", "User-Agent": USER_AGENT})
    response = conn.getresponse()
    body = response.read()
    taken = time.perf_counter() - started
    conn.close()
    return response.status, body, taken


def busy_ticks() -> int:
    """CPU time used on the whole machine so far (clock ticks, all cores)."""
    user, nice, system, idle, iowait, irq, softirq = map(
        int, Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8])
    return user + nice + system + irq + softirq


def process_ticks(pid: int) -> dict[int, int]:
    """CPU time used so far by a process and each of its children (gunicorn's master and workers)."""
    ticks = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            ticks[int(stat.parent.name)] = int(fields[11]) + int(fields[12])  # utime + stime
    return ticks


def settle(pid: int, limit: float = 15) -> None:
    """Wait until the server has finished the requests a previous run left queued (idle for 0.3 s)."""
    deadline = time.monotonic() + limit
    before = sum(process_ticks(pid).values())
    while time.monotonic() < deadline:
        time.sleep(0.3)
        now = sum(process_ticks(pid).values())
        if now - before <= 1:
            return
        before = now


def run_wrk(*, base: str, work: Path, name: str, lines: list[str], method: str, seconds: int,
            connections: int, threads: int, server_pid: int) -> dict:
    data = work / (name.strip("/").replace("/", "-") + ".tsv")
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "BENCH_DATA": str(data), "BENCH_METHOD": method, "BENCH_UA": USER_AGENT,
           "BENCH_THREADS": str(threads)}
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
               "-s", str(work / "bench.lua"), base]
    settle(server_pid)
    before = busy_ticks(), process_ticks(server_pid), resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    after = busy_ticks(), process_ticks(server_pid), resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next((printed for printed in result.stdout.splitlines() if printed.startswith("BENCH_JSON ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no figures:\n{result.stdout}\n{result.stderr}")
    figures = json.loads(line[len("BENCH_JSON "):])
    figures["codes"] = {int(k): v for k, v in figures["codes"].items()}
    # Where the machine's CPU went: the server, wrk, and anything else running meanwhile.
    tick = os.sysconf("SC_CLK_TCK")
    busy = (after[0] - before[0]) / tick
    seconds_run = figures["duration_us"] / 1e6
    per_process = sorted(((after[1][p] - before[1].get(p, 0)) / tick for p in after[1]), reverse=True)
    server = sum(per_process)
    figures["processes_cpu"] = "/".join(f"{t / seconds_run:.2f}" for t in per_process if t / seconds_run >= 0.005)
    load_tool = sum(getattr(after[2], f) - getattr(before[2], f) for f in ("ru_utime", "ru_stime"))
    figures["server_cpu_ms"] = server * 1000 / max(figures["requests"], 1)
    figures["others_cpu"] = max(busy - server - load_tool, 0) / seconds_run  # in cores
    return figures


def ms(microseconds: float) -> str:
    return f"{microseconds / 1000:.1f}"


def memory_mb(pid: int) -> dict[int, float]:
    """The proportional set size (shared pages split between the processes sharing them) of the server and each
    of its workers, in MB."""
    sizes = {}
    for process in process_ticks(pid):
        try:
            rollup = Path(f"/proc/{process}/smaps_rollup").read_text()
        except OSError:
            continue
        sizes[process] = int(re.search(r"^Pss:\s+(\d+) kB", rollup, re.M)[1]) / 1024
    return sizes


def repository_state() -> str:
    """Everything git sees in the repository, ignored files included: the benchmark must leave it as it was."""
    return subprocess.run(["git", "status", "--porcelain", "--ignored", "--untracked-files=all"], cwd=ROOT,
                          capture_output=True, text=True).stdout


class Server:
    """gunicorn as scripts/run.sh starts it, on the benchmark's folder and settings."""

    def __init__(self, work: Path, env: dict, args, port: int, name: str):
        self.log = work / f"{name}-error.log"
        self.command = [str(Path(sys.executable).with_name("gunicorn")), "--bind", f"127.0.0.1:{port}",
                        "--workers", str(args.workers), "--threads", str(args.threads),
                        "--access-logfile", str(work / f"{name}-access.log"),
                        "--logger-class", "tracker.log_redaction.GunicornLogger",
                        "--error-logfile", str(self.log), "--pythonpath", str(ROOT), "bench.tracker_app:combined()"]
        self.process = subprocess.Popen(self.command, env=env, cwd=work, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        self.pid = self.process.pid

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def problems(self) -> tuple[int, int]:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return text.count("database is locked"), text.count("Traceback (most recent call last)")


def table(rows: dict) -> None:
    print("| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | responses"
          " | server CPU ms/request | cores used by each server process | other programs (cores) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |")
    for name, r in rows.items():
        codes = ", ".join(f"{code}: {n:,}" for code, n in sorted(r["codes"].items()))
        print(f"| {name} | {r['requests']:,} | {r['rate']:,.0f} | {ms(r['p50_us'])} | {ms(r['p95_us'])} | "
              f"{ms(r['p99_us'])} | {ms(r['max_us'])} | {r['errors']} | {codes} | "
              f"{r['server_cpu_ms']:.2f} | {r['processes_cpu']} | {r['others_cpu']:.2f} |")


def checked(figures: dict, ok: set[int]) -> dict:
    unexpected = sum(n for code, n in figures["codes"].items() if code not in ok)
    figures["errors"] = figures["connect"] + figures["read"] + figures["write"] + figures["timeout"] + unexpected
    figures["rate"] = figures["requests"] / (figures["duration_us"] / 1e6)
    return figures


def ratio_line(name: str, r: dict, bare: dict, goal: float | None) -> str:
    ratio = r["rate"] / bare["rate"]
    verdict = "" if goal is None else f" (goal {goal}x: {'met' if ratio >= goal else 'MISSED'})"
    return (f"{name}: p95 {r['p95_us'] / bare['p95_us']:.1f}x bare, p50 {r['p50_us'] / bare['p50_us']:.1f}x bare, "
            f"throughput {ratio:.2f}x bare{verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint at 50 clients (default 10)")
    parser.add_argument("--unloaded-duration", type=int, default=4,
                        help="seconds per endpoint with a single client (default 4)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2, as run.sh)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (default 4, as run.sh)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (database, logs)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (or run scripts/setup.sh)")

    repository_before = repository_state()
    rng = random.Random(1)
    work = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    try:
        return run(args, work, rng, repository_before)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def prepare(work: Path, port: int, rng: random.Random) -> tuple[dict, dict]:
    """The synthetic handbook, a one-page site for the combined server, the database (migrated by the command
    run.sh runs, then seeded), and the settings the server reads."""
    content = work / "project"
    make_content(content)
    site = work / "site"
    site.mkdir()
    (site / "index.html").write_text("<!DOCTYPE html><title>Handbook</title>", encoding="utf-8")
    settings = {  # the app reads these through app.config.from_prefixed_env("TRACKER")
        "TRACKER_DATABASE": str(work / "tracker.sqlite"),
        "TRACKER_UPLOAD_FOLDER": str(work / "uploads"),
        "TRACKER_SECRET_KEY": "bench-" + secrets.token_hex(16),
        "TRACKER_CONTENT_ROOT": str(content),
        "TRACKER_INSTANCE_PATH": str(work / "instance"),
        "TRACKER_PUBLIC_URL": f"http://127.0.0.1:{port}{PREFIX}",
        "HANDBOOK_SITE_DIR": str(site),
    }
    env = {**os.environ, **settings, "PYTHONPATH": str(ROOT)}
    subprocess.run([str(Path(sys.executable).with_name("flask")), "--app", "tracker", "migrate"], env=env, cwd=work,
                   check=True, capture_output=True)
    app = create_app({key.removeprefix("TRACKER_"): value for key, value in settings.items()
                      if key.startswith("TRACKER_")})
    with app.app_context():
        from tracker import content as content_module
        activities = [(a.id, a.title) for a in content_module.activities()]
    assert len(activities) == ACTIVITIES, len(activities)
    started = time.perf_counter()
    counts = seed(Path(settings["TRACKER_DATABASE"]), activities, rng)
    print(f"seeded in {time.perf_counter() - started:.1f} s: {counts['users']} users "
          f"({MANAGERS} managers, {MANAGERS * TEAM_SIZE} inductees in teams of {TEAM_SIZE}, one service lead), "
          f"{len(activities)} activities, {counts['records']:,} records {counts['states']}, "
          f"{counts['evidence']:,} evidence, {counts['comments']:,} comments, "
          f"{counts['plan_items']:,} plan items, {counts['audit_log']:,} audit entries")
    return env, settings


def run(args, work: Path, rng: random.Random, repository_before: str) -> int:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env, settings = prepare(work, port, rng)
    database = settings["TRACKER_DATABASE"]
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split(" Copyright")[0]
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
          f"SQLite {sqlite3.sqlite_version}, {wrk_version}")
    (work / "bench.lua").write_text(WRK_SCRIPT, encoding="utf-8")
    server = Server(work, env, args, port, "cached")
    print(f"server: gunicorn {' '.join(server.command[1:])}".replace(str(ROOT), ".").replace(str(work), "<tmp>"))
    loaded, unloaded, uncached, memory, problems = {}, {}, {}, {}, [0, 0]
    try:
        wait_for(base, server.process)
        sessions, loads = sign_in_everyone(base, port, database)
        sizes = {name: len(get(port, lines[0].split("\t")[2], lines[0].split("\t")[0])[1])
                 for name, lines in loads.items()}
        wrk = dict(base=base, work=work, threads=args.wrk_threads, server_pid=server.pid)
        first_pdf = first_pdf_seconds(base, port, database)
        for lines in loads.values():  # warm up every worker (imports, templates, kept pages)
            run_wrk(name="warmup", lines=lines, method="GET", seconds=2, connections=args.connections, **wrk)
        for name, lines in loads.items():
            # asked by the same clients with the same session cookie (a browser sends it to every /tracker address)
            bare = [line.rsplit("\t", 1)[0] + f"\t{PREFIX}/bench-bare?size={sizes[name]}" for line in lines]
            for label, these in ((name, lines), (f"bare, {sizes[name]:,} bytes ({name})", bare)):
                unloaded[label] = checked(run_wrk(name=label, lines=these, method="GET", seconds=args.unloaded_duration,
                                                  connections=1, **wrk | {"threads": 1}), {200})
                loaded[label] = checked(run_wrk(name=label, lines=these, method="GET", seconds=args.duration,
                                                connections=args.connections, **wrk), {200})
        loaded.update(sign_off_runs(database, sessions, args, wrk))
        memory = memory_mb(server.pid)
    finally:
        server.stop()
        problems = [a + b for a, b in zip(problems, server.problems(), strict=True)]
    # Rendered every time: the same pages from a server that keeps none.
    server = Server(work, {**env, "BENCH_NO_PAGE_CACHE": "1"}, args, port, "uncached")
    try:
        wait_for(base, server.process)
        wrk = dict(base=base, work=work, threads=args.wrk_threads, server_pid=server.pid)
        for name in ("/my-induction", "/team", "/reports/", "record page", "portfolio page"):
            run_wrk(name="warmup", lines=loads[name], method="GET", seconds=2, connections=args.connections, **wrk)
            uncached[name] = checked(run_wrk(name=name, lines=loads[name], method="GET", seconds=args.duration,
                                             connections=args.connections, **wrk), {200})
    finally:
        server.stop()
        problems = [a + b for a, b in zip(problems, server.problems(), strict=True)]
    return report(args, loaded, unloaded, uncached, memory, problems, first_pdf, database,
                  repository_before)


def sign_in_everyone(base: str, port: int, database: str) -> tuple[dict, dict]:
    """Sessions for 10 inductees, every manager and the lead; what each GET endpoint's clients ask for."""
    started = time.perf_counter()
    inductees = {n: sign_in(base, f"inductee{n:03d}@bench.example", "/my-induction")
                 for n in range(0, MANAGERS * TEAM_SIZE, 45)}
    managers = {m: sign_in(base, f"manager{m:03d}@bench.example", "/team") for m in range(1, MANAGERS + 1)}
    lead = sign_in(base, "lead@bench.example", "/reports/")
    print(f"signed in {len(inductees) + len(managers) + 1} users in {time.perf_counter() - started:.1f} s")
    conn = sqlite3.connect(database)
    ids = {n: conn.execute("SELECT id FROM users WHERE email = ?", [f"inductee{n:03d}@bench.example"]).fetchone()[0]
           for n in inductees}
    started_records = {n: [row[0] for row in conn.execute(
        "SELECT activity_id FROM records WHERE inductee_id = ? AND state != 'not_started' ORDER BY id LIMIT 5",
        [ids[n]])] for n in inductees}
    conn.close()
    loads = {
        "/my-induction": [f"{c}\t\t{PREFIX}/my-induction" for c, _ in inductees.values()],
        "/team": [f"{c}\t\t{PREFIX}/team" for c, _ in list(managers.values())[:10]],
        "/reports/": [f"{lead[0]}\t\t{PREFIX}/reports/"],
        "record page": [f"{inductees[n][0]}\t\t{PREFIX}/records/{ids[n]}/{a}" for n in inductees
                        for a in started_records[n]],
        "portfolio page": [f"{c}\t\t{PREFIX}/portfolio/{ids[n]}" for n, (c, _) in inductees.items()],
        "portfolio PDF, unchanged": [f"{c}\t\t{PREFIX}/portfolio/{ids[n]}/pdf" for n, (c, _) in inductees.items()],
    }
    for name, lines in loads.items():
        for line in lines:
            cookie, _, path = line.split("\t")
            assert get(port, path, cookie)[0] == 200, (name, path)
    return {"inductees": inductees, "managers": managers, "ids": ids}, loads


def first_pdf_seconds(base: str, port: int, database: str) -> float:
    """The time to make a portfolio PDF nobody has asked for yet (an inductee the other runs leave alone)."""
    cookie, _ = sign_in(base, "inductee001@bench.example", "/my-induction")
    conn = sqlite3.connect(database)
    inductee = conn.execute("SELECT id FROM users WHERE email = 'inductee001@bench.example'").fetchone()[0]
    conn.close()
    status, _, taken = get(port, f"{PREFIX}/portfolio/{inductee}/pdf", cookie)
    assert status == 200
    return taken


def sign_off_runs(database: str, sessions: dict, args, wrk: dict) -> dict:
    """Sign-off, then the bare route making the same write, each on different rows every request."""
    managers = sessions["managers"]
    conn = sqlite3.connect(database, timeout=30)
    with conn:
        conn.execute("UPDATE records SET state = 'submitted', signed_off_at = NULL, signed_off_by = NULL,"
                     " submitted_at = coalesce(submitted_at, updated_at)")
    submitted = conn.execute(
        "SELECT t.manager_id, r.inductee_id, r.activity_id, r.id FROM records r"
        " JOIN team_members t ON t.inductee_id = r.inductee_id WHERE r.state = 'submitted'").fetchall()
    conn.close()
    random.Random(2).shuffle(submitted)
    print(f"sign-off: {len(submitted):,} submitted records, signed off by their {MANAGERS} managers", flush=True)
    sign_off = [f"{managers[m][0]}\t{managers[m][1]}\t{PREFIX}/records/{i}/{a}/sign-off" for m, i, a, _ in submitted]
    bare = [f"{managers[m][0]}\t{managers[m][1]}\t{PREFIX}/bench-write?id={r}" for m, _, _, r in submitted]
    return {name: checked(run_wrk(name=name, lines=lines, method="POST", seconds=args.duration,
                                  connections=args.connections, **wrk), {302, 303})
            for name, lines in (("sign-off", sign_off), ("bare write, synchronous = FULL", bare))}


def report(args, loaded, unloaded, uncached, memory, problems, first_pdf, database, repository_before) -> int:
    print(f"\nOne client at a time ({args.unloaded_duration} s each):\n")
    table(unloaded)
    print(f"\n{args.connections} concurrent clients ({args.duration} s each):\n")
    table(loaded)
    print(f"\nRendered every time (a server that keeps no page), {args.connections} clients:\n")
    table(uncached)
    print()
    bare_of = {name: loaded[label] for label in loaded for name in GOALS | {"portfolio PDF, unchanged": 0}
               if label.endswith(f"({name})")}
    for name, bare in bare_of.items():
        print(ratio_line(name, loaded[name], bare, GOALS.get(name)))
    for name, r in uncached.items():
        print(ratio_line(f"{name} rendered every time", r, bare_of[name], None))
    print(ratio_line("sign-off", loaded["sign-off"], loaded["bare write, synchronous = FULL"], GOALS["sign-off"]))
    pdf = loaded["portfolio PDF, unchanged"]
    print(f"portfolio PDF: the first {first_pdf * 1000:.0f} ms; an unchanged one again p50 {ms(pdf['p50_us'])} ms"
          f" at {args.connections} clients, {ms(unloaded['portfolio PDF, unchanged']['p50_us'])} ms alone"
          f" (goal under 50 ms: {'met' if unloaded['portfolio PDF, unchanged']['p50_us'] < 50_000 else 'MISSED'})")
    total = sum(memory.values())
    print(f"server memory (PSS): {total:.0f} MB in all, " + ", ".join(f"{mb:.0f}" for mb in memory.values())
          + f" MB by process (goal under {MEMORY_GOAL_MB} MB: {'met' if total < MEMORY_GOAL_MB else 'MISSED'})")
    conn = sqlite3.connect(database)
    signed = conn.execute("SELECT count(*) FROM records WHERE state = 'signed_off'").fetchone()[0]
    audited = conn.execute("SELECT count(*) FROM audit_log WHERE action = 'record.sign_off'"
                           " AND at > (SELECT max(at) FROM audit_log WHERE action = 'record.submit')").fetchone()[0]
    conn.close()
    sign = loaded["sign-off"]
    print(f"sign-off: {sign['sent']:,} requests sent, {sign['codes'].get(302, 0):,} answered 'signed off' (302), "
          f"{sign['codes'].get(303, 0):,} 'already changed' (303), {sign['wraps']} wraps of the record list; "
          f"database: {signed:,} records signed off, {audited:,} recent sign-off audit entries")
    locked, tracebacks = problems
    print(f"server log: {locked} 'database is locked', {tracebacks} tracebacks")
    changed = repository_state() != repository_before
    print(f"repository: {'CHANGED by the benchmark' if changed else 'nothing written'}")
    total_errors = sum(r["errors"] for r in [*loaded.values(), *unloaded.values(), *uncached.values()])
    total_errors += locked + tracebacks + changed
    print(f"errors in all: {total_errors}")
    return 0 if total_errors == 0 and not sign["wraps"] else 1


if __name__ == "__main__":
    sys.exit(main())
