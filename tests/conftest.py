"""Shared fixtures: a small but complete handbook project in a temporary folder."""
from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SECTION = """\
id: "1"
title: The Education Welfare Service
summary: What the service is.
aims:
  - understand the service
elements:
  - id: "1.a"
    title: An introduction
    page: section-1/1a-intro.md
    overview:
      - method: read
        time: 10 minutes
      - method: with-manager
        time: 1 hour
        activity: "1.1"
"""

ACTIVITY = """\
id: "1.1"
section: "1"
element: "1.a"
title: Finding out more about my role
kind: with-manager
time: 1 hour
summary: Talk to your manager about local arrangements.
parts:
  - title: Discussion
    prompts:
      - What does the service do here?
      - How is time given to schools?
case_studies:
  - ref: annie-thomas
evidence:
  - Notes of the discussion.
tags: [role]
"""

CASE_STUDY = """\
id: annie-thomas
title: Annie Thomas
story: A Year 7 pupil who has not started secondary school.
questions:
  - What would you expect the school to have done?
"""

QUIZ = """\
id: values
title: Values quiz
activity: "1.1"
pass_mark: 70
questions:
  - kind: single
    prompt: Who is responsible for a registered child's regular attendance?
    options: [The school, The parent, The EWO]
    answer: 1
    explanation: Parents have the primary duty.
    source: Education Act 1996 s7
  - kind: true-false
    prompt: Every local authority must have an EWS.
    answer: false
    explanation: There is no statutory requirement.
    source: Induction pack 1.a
"""

PAGE = """\
---
title: {title}
reviewed: 2026-11-01
sources:
  - title: Induction pack (2015)
---

## About

{body}
"""


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def make_project(root: Path) -> Path:
    """A minimal valid project that links to the real mkdocs.yml, theme overrides and npm files."""
    root.mkdir(parents=True)
    for shared in ("mkdocs.yml", "overrides", "node_modules"):
        os.symlink(ROOT / shared, root / shared)
    write(root, "sections/1.yml", SECTION)
    write(root, "activities/1-1.yml", ACTIVITY)
    write(root, "activities/case-studies/annie-thomas.yml", CASE_STUDY)
    write(root, "quizzes/values.yml", QUIZ)
    write(root, "content/index.md", PAGE.format(title="Home", body="Start with [Section 1](section-1/index.md)."))
    write(root, "content/section-1/1a-intro.md",
          PAGE.format(title="1.a An introduction", body="Then do [activity 1.1](activities/1-01.md). Zebrafinch."))
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "handbook")


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real handbook, built once per test run into a temporary folder."""
    import build
    folder = tmp_path_factory.mktemp("real-site") / "site"
    assert build.build(site_dir=folder) == 0
    return folder


@pytest.fixture(scope="session")
def real_site_with_tracker(tmp_path_factory) -> Path:
    """The real handbook built as run.sh builds it: linked to a tracker at /tracker."""
    import build
    folder = tmp_path_factory.mktemp("real-site-tracker") / "site"
    assert build.build(site_dir=folder, tracker_url="/tracker") == 0
    return folder


# ---- tracker -------------------------------------------------------------------

DEMO_PASSWORD = "induction-demo-2026"


def tracker_config(folder: Path, **overrides) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATABASE": str(folder / "tracker.sqlite"),
        "UPLOAD_FOLDER": str(folder / "uploads"),
        "LOGIN_FAILURE_DELAY": 0,
        "SITE_URL": "/",
        **overrides,
    }


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> tuple[Path, dict]:
    """The demo database, made once per test run (hashing passwords is slow on purpose)."""
    from tracker import create_app
    from tracker.db import get_db
    from tracker.demo import create_demo_data

    folder = tmp_path_factory.mktemp("demo-db")
    app = create_app(tracker_config(folder))
    with app.app_context():
        ids = create_demo_data(get_db())
        get_db().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return folder / "tracker.sqlite", ids


@pytest.fixture
def tracker_app(tmp_path, demo_database):
    """The real tracker on a real SQLite file in a temporary folder, with the demo data:
    admin@example.org, manager@example.org (Rhian Evans), inductee@example.org (Dafydd Morgan)
    and inductee2@example.org (Ceri Williams), all in Rhian's team; password DEMO_PASSWORD."""
    from tracker import create_app

    template, ids = demo_database
    shutil.copyfile(template, tmp_path / "tracker.sqlite")
    app = create_app(tracker_config(tmp_path))
    app.config["DEMO_IDS"] = ids
    return app


def login(client, email: str, password: str = DEMO_PASSWORD):
    """Sign in through the real form, CSRF token included."""
    page = client.get("/login")
    token = csrf_token(page.get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def csrf_token(html: str) -> str:
    import re
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


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

    from tracker import create_app

    template, ids = demo_database
    shutil.copyfile(template, tmp_path / "tracker.sqlite")
    app = create_app(tracker_config(tmp_path))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield SimpleNamespace(app=app, ids=ids, url=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
