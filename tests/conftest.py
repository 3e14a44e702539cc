"""Shared fixtures: a small handbook project in a temporary folder, the real handbook built once,
the tracker with the demo data (on the test pack, tests/pack/), its people and signed-in clients,
and a headless browser. Plain helpers are in helpers.py."""
from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

import pytest
from flask import Flask
from jinja2 import BytecodeCache

from helpers import ROOT, make_project, signed_in_client, tracker_config  # plain helpers: tests import helpers.py


class CompiledTemplates(BytecodeCache):
    """Templates compiled once per test process, not once per app: most tests make an app of their own, and
    compiling the tracker's templates again for each was a third of their time. Jinja checks each template's
    source against the checksum it was compiled from, so a changed template is compiled again."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": CompiledTemplates()}


@pytest.fixture(scope="session", autouse=True)
def instance_outside_the_repository(tmp_path_factory):
    """The keys and kept files an app makes in its instance folder go to a temporary one, never into the
    repository's instance/ (a test that is about the instance folder sets its own)."""
    os.environ.setdefault("TRACKER_INSTANCE_PATH", str(tmp_path_factory.mktemp("instance")))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "handbook")


def once_per_run(tmp_path_factory, name: str, make) -> Path:
    """A folder `make(folder)` fills, made once for the whole run: with several test workers (pytest-xdist,
    scripts/test.sh) the first to ask makes it, under a lock, and the others use it. Each worker's temporary
    folder sits in the run's own, so nothing is shared between runs."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    folder, done = shared / name, shared / f"{name}.done"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released as the file closes
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real handbook, built once per test run into a temporary folder."""
    from handbook.sitebuild import build
    return once_per_run(tmp_path_factory, "real-site",
                        lambda folder: _built(build(ROOT, site_dir=folder / "site"))) / "site"


@pytest.fixture(scope="session")
def real_site_with_tracker(tmp_path_factory) -> Path:
    """The real handbook built as run.sh builds it: linked to a tracker at /tracker."""
    from handbook.sitebuild import build
    return once_per_run(tmp_path_factory, "real-site-tracker",
                        lambda folder: _built(build(ROOT, site_dir=folder / "site", tracker_url="/tracker"))) / "site"


def _built(status: int) -> None:
    assert status == 0, "the real handbook did not build: see the output above"


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> tuple[Path, dict]:
    """The demo database, made once per test run (hashing passwords is slow on purpose)."""
    from tracker import create_app
    from tracker.db import get_db
    from tracker.demo import create_demo_data

    folder = tmp_path_factory.mktemp("demo-db")
    app = create_app(tracker_config(folder))
    with app.app_context():
        # without the second team, which only the service lead's report needs (tests/tracker/test_reports.py adds
        # it): most tests count what the first team did
        ids = create_demo_data(get_db(), with_second_team=False)
        get_db().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return folder / "tracker.sqlite", ids


def demo_app(folder: Path, demo_database):
    """A tracker app on a copy of the demo database in `folder`; DEMO_IDS in its config."""
    from tracker import create_app

    template, ids = demo_database
    shutil.copyfile(template, folder / "tracker.sqlite")
    app = create_app(tracker_config(folder))
    app.config["DEMO_IDS"] = ids
    return app


@pytest.fixture
def tracker_app(tmp_path, demo_database):
    """The real tracker on a real SQLite file in a temporary folder, with the demo data:
    admin@example.org, manager@example.org (Rhian Evans), inductee@example.org (Dafydd Morgan)
    and inductee2@example.org (Ceri Williams), all in Rhian's team; password DEMO_PASSWORD."""
    return demo_app(tmp_path, demo_database)


@pytest.fixture
def people(tracker_app) -> dict[str, int]:
    """The demo people's user ids by first name: Dafydd and Ceri (inductees) and Rhian (their manager)."""
    ids = tracker_app.config["DEMO_IDS"]
    return {"dafydd": ids["inductee@example.org"], "ceri": ids["inductee2@example.org"],
            "rhian": ids["manager@example.org"]}


@pytest.fixture
def signed_in(tracker_app):
    """signed_in(email): a test client of tracker_app signed in as that demo person through the real form."""
    return lambda email: signed_in_client(tracker_app, email)


# ---- email ------------------------------------------------------------------------------------

@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it is sent: (controller, helpers.Inbox)."""
    from aiosmtpd.controller import Controller

    from helpers import Inbox, free_port

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


# ---- browser ----------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's, through Playwright) for the whole run."""
    from playwright.sync_api import sync_playwright

    from browser import launch

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def live_tracker(tmp_path, demo_database):
    """The real tracker app on a copy of the demo database (made by create_demo_data once per run),
    served over HTTP by werkzeug in a daemon thread for the length of one test."""
    import threading
    from types import SimpleNamespace

    from werkzeug.serving import make_server

    app = demo_app(tmp_path, demo_database)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_URL"] = url  # the address the browser uses: links in email and the sign-in callback
    # it looks for shutdown every 0.05 s, not werkzeug's 0.5 s: each test ends that much sooner
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield SimpleNamespace(app=app, ids=app.config["DEMO_IDS"], url=url)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def offline_page(browser):
    """A page with the network cut off: any http(s) request is refused and recorded."""
    context = browser.new_context()
    context.set_default_timeout(60_000)  # generous: the machine may be busy; tests wait on conditions
    requested: list[str] = []

    def refuse(route):
        requested.append(route.request.url)
        route.abort()

    context.route("http*://**/*", refuse)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page, requested, errors
    context.close()
