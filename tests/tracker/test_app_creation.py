"""Making the tracker's app writes nothing: no instance folder, database or key. `flask --app tracker
migrate` is the one step that makes and upgrades them (run.sh and the deployment guide run it), keys are
otherwise made when first needed, and neither a request nor the production server ever migrates by
itself: each says what to run instead."""
from __future__ import annotations

import os
import re
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from helpers import ROOT, TEST_PACK, csrf_token, tracker_config
from tracker import config, create_app
from tracker import db as tracker_db

LATEST = len(tracker_db.MIGRATIONS)


@pytest.fixture
def instance(tmp_path, monkeypatch) -> Path:
    """The instance folder (not made yet) that create_app() finds in TRACKER_INSTANCE_PATH, as in production,
    with no other TRACKER_* setting from the environment this test runs in."""
    for name in list(os.environ):
        if name.startswith("TRACKER_"):
            monkeypatch.delenv(name)
    folder = tmp_path / "instance"
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(folder))
    monkeypatch.setenv("TRACKER_CONTENT_ROOT", str(TEST_PACK))  # loads quicker than the real handbook
    monkeypatch.setenv("TRACKER_MAIL_WORKER", "off")
    return folder


def contents(folder: Path) -> list[str] | None:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else None


@pytest.mark.parametrize("made", [False, True], ids=["no instance folder", "an empty instance folder"])
def test_making_the_app_and_listing_its_commands_and_routes_writes_nothing(instance, made):
    if made:
        instance.mkdir()
    before = contents(instance)
    create_app()
    assert contents(instance) == before
    for command, shown in (("--help", "migrate"), ("routes", "/login")):
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "tracker", command], cwd=ROOT,
                              env=dict(os.environ), capture_output=True, text=True, timeout=600)
        assert done.returncode == 0 and shown in done.stdout, done.stderr
        assert contents(instance) == before, command


def test_keys_are_made_by_the_first_request_that_needs_them(instance):
    app = create_app()
    assert not (instance / "secret_key").exists()
    client = app.test_client()
    assert client.get("/login").status_code == 200  # a form: its CSRF token needs the key
    key = instance / "secret_key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_text()) == 64
    assert create_app().config["SECRET_KEY"] == key.read_text()  # every process reads the same one


def test_processes_starting_together_make_one_key_between_them(tmp_path):
    start = threading.Barrier(8)
    keys: list[str] = []

    def make():
        start.wait(60)
        keys.append(config.instance_secret(tmp_path / "instance", "secret_key"))

    threads = [threading.Thread(target=make) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(keys) == 8 and len(set(keys)) == 1 and len(keys[0]) == 64
    assert contents(tmp_path / "instance") == ["secret_key"]  # no draft left behind


def test_migrate_makes_the_instance_folder_its_keys_and_the_database_once(instance):
    app = create_app()
    first = app.test_cli_runner().invoke(args=["migrate"])
    assert first.exit_code == 0, first.output
    made = ["audit_key", "portfolio_signing_key.pem", "secret_key"]
    assert contents(instance) == sorted(made + ["tracker.sqlite"])
    for name in made:
        assert f"made {instance / name}" in first.output
        assert stat.S_IMODE((instance / name).stat().st_mode) == 0o600
    assert f"{LATEST} migrations applied; schema version {LATEST}" in first.output
    keys = {name: (instance / name).read_bytes() for name in made}

    again = create_app().test_cli_runner().invoke(args=["migrate"])
    assert again.exit_code == 0 and "made" not in again.output
    assert f"0 migrations applied; schema version {LATEST}" in again.output
    assert {name: (instance / name).read_bytes() for name in made} == keys  # never replaced


def test_migrate_on_start_makes_the_database_as_the_app_is_made(tmp_path):
    create_app(tracker_config(tmp_path, MIGRATE_ON_START=False))
    assert not (tmp_path / "tracker.sqlite").exists()
    create_app(tracker_config(tmp_path, MIGRATE_ON_START="false"))  # as the environment may give it
    assert not (tmp_path / "tracker.sqlite").exists()
    create_app(tracker_config(tmp_path))  # the tests' configuration: MIGRATE_ON_START
    assert version(tmp_path / "tracker.sqlite") == LATEST


def version(database: Path) -> int:
    conn = sqlite3.connect(database)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def database_behind(folder: Path, demo_database) -> Path:
    """A copy of the demo database as the tracker before the last migration left it."""
    database = folder / "tracker.sqlite"
    folder.mkdir(exist_ok=True)
    database.write_bytes(demo_database[0].read_bytes())
    conn = sqlite3.connect(database)
    # what the last migration made goes too (the tables it creates), as on a database that never had it
    for table in re.findall(r"CREATE TABLE (\w+)", tracker_db.MIGRATIONS[-1].sql or ""):
        conn.execute(f"DROP TABLE {table}")
    conn.execute(f"PRAGMA user_version = {LATEST - 1}")
    conn.commit()
    conn.close()
    return database


def test_a_request_on_a_database_not_made_yet_gets_a_page_saying_so(instance, caplog):
    app = create_app()
    client = app.test_client()
    page = client.get("/login")
    signing_in = client.post("/login", data={"email": "inductee@example.org", "password": "x",
                                             "csrf_token": csrf_token(page.get_data(as_text=True))})
    assert signing_in.status_code == 503
    assert "The tracker is not ready" in signing_in.get_data(as_text=True)
    assert "flask --app tracker migrate" in caplog.text  # the operator's log says what to run
    assert not (instance / "tracker.sqlite").exists()  # and the request made no database


def test_a_signed_in_request_on_a_database_behind_the_tracker_gets_a_page_and_changes_nothing(
        tmp_path, demo_database, caplog):
    database = database_behind(tmp_path / "behind", demo_database)
    app = create_app(tracker_config(tmp_path / "behind", MIGRATE_ON_START=False))
    client = app.test_client()
    with client.session_transaction() as session:  # someone signed in before the upgrade
        session["_user_id"] = str(demo_database[1]["inductee@example.org"])
    for url in ("/my-induction", "/"):
        page = client.get(url)
        assert page.status_code == 503, url
        assert "The tracker is not ready" in page.get_data(as_text=True)
    assert f"schema version {LATEST - 1} and this tracker needs {LATEST}" in caplog.text
    assert "flask --app tracker migrate" in caplog.text
    assert version(database) == LATEST - 1  # not migrated by a request


def test_a_command_on_a_database_not_made_yet_says_what_to_run(instance):
    done = create_app().test_cli_runner().invoke(args=["demo-data"])
    assert done.exit_code == 1
    assert "run `flask --app tracker migrate`" in done.output
    assert contents(instance) is None


def production_environment(folder: Path, monkeypatch) -> None:
    """The environment a production server gets: the settings of tracker_config, from TRACKER_* variables."""
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(folder))
    for key, value in tracker_config(folder).items():
        if isinstance(value, str):
            monkeypatch.setenv(f"TRACKER_{key}", value)
    monkeypatch.setenv("TRACKER_PDF_WARM_UP", "false")


@pytest.mark.parametrize("state", ["none", "behind", "newer"])
def test_the_production_server_refuses_to_start_until_the_database_is_migrated(tmp_path, monkeypatch, demo_database,
                                                                                state):
    from tracker import wsgi
    folder = tmp_path / "production"
    production_environment(folder, monkeypatch)
    if state == "none":
        expected = "There is no database"
    else:
        database = database_behind(folder, demo_database)
        if state == "newer":
            conn = sqlite3.connect(database)
            conn.execute(f"PRAGMA user_version = {LATEST + 1}")
            conn.commit()
            conn.close()
        expected = "newer than this tracker's" if state == "newer" else "back it up, then run"
    before = contents(folder)
    with pytest.raises(SystemExit) as refused:
        wsgi.tracker_only()
    assert expected in str(refused.value) and "The tracker did not start" in str(refused.value)
    if state != "newer":
        assert "flask --app tracker migrate" in str(refused.value)
    assert contents(folder) == before  # nothing made, nothing migrated
    if state == "behind":
        assert version(folder / "tracker.sqlite") == LATEST - 1
        assert create_app().test_cli_runner().invoke(args=["migrate"]).exit_code == 0
        assert wsgi.tracker_only().config["DATABASE"] == str(folder / "tracker.sqlite")  # now it starts
