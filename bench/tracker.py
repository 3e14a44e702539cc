#!/usr/bin/env python3
"""Load-test the tracker under its production server (prints figures; not a test).

    .venv/bin/python bench/tracker.py                  # about 2.5 minutes
    .venv/bin/python bench/tracker.py --duration 10 --signoff-duration 10 --bare-duration 5   # a quick look

Seeds a fresh database (through the real migrations) with 500 users (50 managers, 450
inductees in teams of 9) and a record for every inductee and each of 50 synthetic activities
(22,500 records in a mix of states, with evidence, comments, plans and audit entries), serves
the tracker with gunicorn, and drives it with wrk at 50 concurrent connections:

    GET  /bench-bare                         a bare Flask route in the same app and server
    GET  /my-induction                       inductees' dashboard (10 signed-in inductees)
    GET  /team                               managers' dashboard (10 signed-in managers)
    POST /records/<id>/<activity>/sign-off   every request signs off a different submitted
                                             record, as the manager of that inductee (all
                                             22,500 records are set to submitted first)

and prints p50/p95/p99 latency, throughput and errors for each, the same for one client at
a time (the time to serve a request without queueing), the ratio of each tracker endpoint to
the bare route, the server's "database is locked" errors and tracebacks, and checks the
sign-offs against the database and the audit log. Exits 1 on any error.
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

from tracker import accounts, create_app  # noqa: E402

MANAGERS, TEAM_SIZE, ACTIVITIES = 50, 9, 50
PASSWORD = "bench-password-123"
USER_AGENT = "tracker-bench"  # the same for logins and wrk: Flask-Login ties sessions to it
TARGET_P95_MS = 50
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
            with urllib.request.urlopen(base + "/bench-bare", timeout=2) as response:
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
    page = opener.open(base + "/login").read().decode()
    body = urllib.parse.urlencode({"email": email, "password": PASSWORD,
                                   "csrf_token": CSRF.search(page).group(1)}).encode()
    with opener.open(base + "/login", data=body) as response:  # follows / to the dashboard
        page = response.read().decode()
        assert urllib.parse.urlparse(response.url).path == expect_path, (email, response.url)
    cookie = next(c.value for c in jar if c.name == "session")
    return cookie, CSRF.search(page).group(1)


def get_status(port: int, path: str, cookie: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Cookie": f"session={cookie}", "User-Agent": USER_AGENT})
    status = conn.getresponse().status
    conn.close()
    return status


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=30, help="seconds per dashboard (default 30)")
    parser.add_argument("--bare-duration", type=int, default=15, help="seconds for the bare route (default 15)")
    parser.add_argument("--signoff-duration", type=int, default=10,
                        help="seconds for sign-off"
                             " (default 10: each of the two wrk threads has 11,250 records to sign off)")
    parser.add_argument("--unloaded-duration", type=int, default=5,
                        help="seconds per route with a single client (default 5)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--wrk-threads", type=int, default=2)
    # CPU-bound Python on 2 cores: one process per core plus one, and a second thread in each so a
    # worker waiting on SQLite or the network still serves (3x2 to 4x4 and 5-8 workers measured alike
    # or worse; more processes than cores mainly lengthen the tail).
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2: one per core)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per gunicorn worker (default 1, gthread: these pages are CPU-bound)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (database, logs)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (or run scripts/setup.sh)")

    rng = random.Random(1)
    work = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    server, results, unloaded = None, {}, {}
    try:
        content = work / "project"
        make_content(content)
        settings = {  # the app reads these through app.config.from_prefixed_env("TRACKER")
            "TRACKER_DATABASE": str(work / "tracker.sqlite"),
            "TRACKER_UPLOAD_FOLDER": str(work / "uploads"),
            "TRACKER_SECRET_KEY": "bench-" + secrets.token_hex(16),
            "TRACKER_CONTENT_ROOT": str(content),
            "TRACKER_INSTANCE_PATH": str(work / "instance"),
        }
        # create_app makes the database (MIGRATE_ON_START), where production runs `flask --app tracker migrate`.
        settings["TRACKER_MIGRATE_ON_START"] = "true"
        app = create_app({key.removeprefix("TRACKER_"): value for key, value in settings.items()})
        with app.app_context():
            from tracker import content as content_module
            activities = [(a.id, a.title) for a in content_module.activities()]
        assert len(activities) == ACTIVITIES, len(activities)
        started = time.perf_counter()
        counts = seed(Path(settings["TRACKER_DATABASE"]), activities, rng)
        print(f"seeded in {time.perf_counter() - started:.1f} s: {counts['users']} users "
              f"({MANAGERS} managers, {MANAGERS * TEAM_SIZE} inductees in teams of {TEAM_SIZE}), "
              f"{len(activities)} activities, {counts['records']:,} records {counts['states']}, "
              f"{counts['evidence']:,} evidence, {counts['comments']:,} comments, "
              f"{counts['plan_items']:,} plan items, {counts['audit_log']:,} audit entries")

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = work / "gunicorn.log"
        gunicorn = [str(Path(sys.executable).with_name("gunicorn")), "--bind", f"127.0.0.1:{port}",
                    "--worker-class", "gthread", "--workers", str(args.workers), "--threads", str(args.threads),
                    "--pythonpath", str(ROOT), "--error-logfile", str(log), "--log-level", "warning",
                    "bench.tracker_app:create()"]
        wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split(" Copyright")[0]
        print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
              f"SQLite {sqlite3.sqlite_version}, {wrk_version}")
        print(f"server: gunicorn {' '.join(gunicorn[1:])}".replace(str(ROOT), "."))
        try:
            server = subprocess.Popen(gunicorn, env={**os.environ, **settings}, cwd=work,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wait_for(base, server)

            # Sessions: 10 inductees and 10 managers for the dashboards, every manager for sign-off.
            started = time.perf_counter()
            inductee_sessions = [sign_in(base, f"inductee{n:03d}@bench.example", "/my-induction")
                                 for n in range(0, MANAGERS * TEAM_SIZE, 45)]
            manager_sessions = {m: sign_in(base, f"manager{m:03d}@bench.example", "/team")
                                for m in range(1, MANAGERS + 1)}
            print(f"signed in {len(inductee_sessions) + len(manager_sessions)} users"
                  f" in {time.perf_counter() - started:.1f} s")
            assert all(get_status(port, "/my-induction", c) == 200 for c, _ in inductee_sessions)
            assert all(get_status(port, "/team", c) == 200 for c, _ in manager_sessions.values())

            (work / "bench.lua").write_text(WRK_SCRIPT, encoding="utf-8")
            loads = {
                "bare": ["\t\t/bench-bare"],
                "/my-induction": [f"{c}\t\t/my-induction" for c, _ in inductee_sessions],
                "/team": [f"{c}\t\t/team" for c, _ in list(manager_sessions.values())[:10]],
            }
            wrk = dict(base=base, work=work, threads=args.wrk_threads, server_pid=server.pid)
            # Warm up every worker (imports, templates, page cache) on the read-only routes.
            for _, lines in loads.items():
                run_wrk(name="warmup", lines=lines, method="GET", seconds=3, connections=args.connections, **wrk)
            # One client at a time: the time to serve one request when nothing waits (no queueing).
            for name, lines in loads.items():
                unloaded[name] = run_wrk(name=name, lines=lines, method="GET", seconds=args.unloaded_duration,
                                         connections=1, **wrk | {"threads": 1})
            print(f"load: wrk -t{args.wrk_threads} -c{args.connections}, {args.duration} s per dashboard, "
                  f"{args.signoff_duration} s for sign-off, {args.bare_duration} s for bare", flush=True)
            for name, lines in loads.items():
                seconds = args.bare_duration if name == "bare" else args.duration
                results[name] = run_wrk(name=name, lines=lines, method="GET", seconds=seconds,
                                        connections=args.connections, **wrk)

            # Sign-off: every record becomes 'submitted' first, so that each request signs off a
            # different record (a run makes far more sign-offs than a realistic mix has waiting).
            conn = sqlite3.connect(settings["TRACKER_DATABASE"], timeout=30)
            with conn:
                conn.execute("UPDATE records SET state = 'submitted', signed_off_at = NULL, signed_off_by = NULL,"
                             " submitted_at = coalesce(submitted_at, updated_at)")
            submitted = conn.execute(
                "SELECT t.manager_id, r.inductee_id, r.activity_id FROM records r"
                " JOIN team_members t ON t.inductee_id = r.inductee_id WHERE r.state = 'submitted'").fetchall()
            audited_before = conn.execute("SELECT count(*) FROM audit_log"
                                          " WHERE action = 'record.sign_off'").fetchone()[0]
            conn.close()
            rng.shuffle(submitted)
            lines = [f"{manager_sessions[m][0]}\t{manager_sessions[m][1]}\t/records/{i}/{a}/sign-off"
                     for m, i, a in submitted]
            print(f"sign-off: {len(submitted):,} submitted records, signed off by their {MANAGERS} managers",
                  flush=True)
            results["sign-off"] = run_wrk(name="sign-off", lines=lines, method="POST", seconds=args.signoff_duration,
                                          connections=args.connections, **wrk)
        finally:
            if server is not None:
                server.terminate()
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()

        log_text = log.read_text(encoding="utf-8", errors="replace")
        locked = log_text.count("database is locked")
        tracebacks = log_text.count("Traceback (most recent call last)")
        conn = sqlite3.connect(settings["TRACKER_DATABASE"])
        signed = conn.execute("SELECT count(*) FROM records WHERE state = 'signed_off'").fetchone()[0]
        audited = conn.execute("SELECT count(*) FROM audit_log"
                               " WHERE action = 'record.sign_off'").fetchone()[0] - audited_before
        conn.close()

        def table(rows: dict) -> None:
            print("| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | responses"
                  " | server CPU ms/request | cores used by each server process | other programs (cores) |")
            print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |")
            for name, r in rows.items():
                ok = {302, 303} if name == "sign-off" else {200}  # 303: the record had already changed (see below)
                unexpected = sum(n for code, n in r["codes"].items() if code not in ok)
                r["errors"] = r["connect"] + r["read"] + r["write"] + r["timeout"] + unexpected
                r["rate"] = r["requests"] / (r["duration_us"] / 1e6)
                codes = ", ".join(f"{code}: {n:,}" for code, n in sorted(r["codes"].items()))
                label = {"bare": "bare Flask route", "sign-off": "POST sign-off"}.get(name, f"GET {name}")
                print(f"| {label} | {r['requests']:,} | {r['rate']:,.0f} | {ms(r['p50_us'])} | {ms(r['p95_us'])} | "
                      f"{ms(r['p99_us'])} | {ms(r['max_us'])} | {r['errors']} | {codes} | "
                      f"{r['server_cpu_ms']:.2f} | {r['processes_cpu']} | {r['others_cpu']:.2f} |")

        print(f"\nOne client at a time ({args.unloaded_duration} s each):\n")
        table(unloaded)
        print(f"\n{args.connections} concurrent clients:\n")
        table(results)
        bare = results["bare"]
        print()
        for name in ("/my-induction", "/team", "sign-off"):
            r = results[name]
            print(f"{name}: p95 {r['p95_us'] / bare['p95_us']:.1f}x bare,"
                  f" p50 {r['p50_us'] / bare['p50_us']:.1f}x bare, "
                  f"throughput {r['rate'] / bare['rate']:.3f}x bare")
        for name in ("/my-induction", "/team"):
            p95 = results[name]["p95_us"] / 1000
            print(f"{name}: p95 {p95:.1f} ms at {args.connections} clients "
                  f"{'meets' if p95 < TARGET_P95_MS else 'MISSES'} the {TARGET_P95_MS} ms target "
                  f"(one client at a time: p95 {unloaded[name]['p95_us'] / 1000:.1f} ms)")
        sign = results["sign-off"]
        consistent = sign["codes"].get(302, 0) <= signed == audited <= sign["sent"]
        print(f"sign-off: {sign['sent']:,} requests sent, {sign['codes'].get(302, 0):,} answered 'signed off' (302), "
              f"{sign['codes'].get(303, 0):,} 'already changed' (303), {sign['wraps']} wraps of the record list; "
              f"database: {signed:,} records signed off, {audited:,} sign-off audit entries "
              f"({'consistent' if consistent else 'INCONSISTENT'}:"
              " the difference is requests in flight when wrk stopped)")
        print(f"server log: {locked} 'database is locked', {tracebacks} tracebacks")
        total_errors = sum(r["errors"] for r in [*results.values(), *unloaded.values()]) + locked + tracebacks
        print(f"errors in all: {total_errors}")
        return 0 if total_errors == 0 and consistent and not sign["wraps"] else 1
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
