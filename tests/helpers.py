"""Plain constants and functions shared by the tests (fixtures live in conftest.py; tests import this
module, never conftest): a tiny handbook project for the loader and build tests, and the tracker's
test configuration, sign-in and form helpers."""
from __future__ import annotations

import email
import email.policy
import os
import re
import socket
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The small content pack the tracker's tests run against, not the real handbook, so that content edits
# never break a tracker test (tests/pack/README.md says what it holds; tests/handbook/test_pack.py checks it).
TEST_PACK = Path(__file__).resolve().parent / "pack"

def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing is listening on just now (for a server a test starts)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---- a tiny handbook project (loader, build and fuzz tests) ----------------------------------

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


# ---- the tracker ------------------------------------------------------------------------------

DEMO_PASSWORD = "induction-demo-2026"  # tracker/demo.py

# A PNG signature and header: enough for the tracker's sniffing of uploads.
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
       + b"\x00" * 32)


def tracker_config(folder: Path, **overrides) -> dict:
    """The tracker's configuration for a test: its files in `folder`, its content the test pack."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "AUDIT_KEY": "test-audit-chain-key",
        "AUDIT_ANCHORS_FILE": str(folder / "audit_anchors.txt"),
        "DATABASE": str(folder / "tracker.sqlite"),
        "UPLOAD_FOLDER": str(folder / "uploads"),
        "OUTBOX_FOLDER": str(folder / "outbox"),
        "PDF_CACHE_FOLDER": str(folder / "pdf-cache"),
        "CONTENT_ROOT": str(TEST_PACK),
        "LOGIN_FAILURE_DELAY": 0,
        "SITE_URL": "/",
        # links in emails: the test client's host; the live server's browser tests use 127.0.0.1
        "PUBLIC_URL": "http://localhost",
        "TRUSTED_HOSTS": ["localhost", "127.0.0.1"],
        # email is sent by deliver_mail(app) when a test wants it, not by a thread racing the test
        "MAIL_WORKER": "off",
        # the database is made (or upgraded) as the app is, where production runs `flask --app tracker migrate`
        "MIGRATE_ON_START": True,
        # a test's SMTP server is on this machine: a refused or half-closed connection need not be waited on for
        # production's 30 s (generous still for a busy machine)
        "MAIL_TIMEOUT": 8,
        # test accounts' passwords are hashed cheaply: a sign-in then costs milliseconds, not argon2's 0.1-0.2 s
        "PASSWORD_HASH_TIME_COST": 1,
        "PASSWORD_HASH_MEMORY_KIB": 1024,
        **overrides,
    }


def deliver_mail(app) -> tuple[int, int]:
    """Send the email waiting in the app's queue, as the mail worker would: (sent, failed)."""
    from tracker import mail_worker
    from tracker.db import get_db
    with app.app_context():
        return mail_worker.work(get_db())


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def login(client, email: str, password: str = DEMO_PASSWORD):
    """Sign in through the real form, CSRF token included."""
    page = client.get("/login")
    token = csrf_token(page.get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def signed_in_client(app, email: str):
    """A test client of `app` signed in as `email` (the demo password) through the real form."""
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def post(client, url: str, data: dict | None = None, **kwargs):
    """POST a form with the session's CSRF token taken from a page, as a browser would."""
    html = client.get("/account/password").get_data(as_text=True)
    return client.post(url, data={"csrf_token": csrf_token(html), **(data or {})}, **kwargs)


def query(app, sql: str, params=()) -> list[dict]:
    """Rows from the tracker's database."""
    from tracker.db import get_db
    with app.app_context():
        return list(get_db().query(sql, list(params)))


# ---- email -------------------------------------------------------------------------------------

class Inbox:
    """An aiosmtpd handler that keeps every message it is given (the smtp_server fixture's, in conftest.py)."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes = []
        self.app = None  # set by use_smtp: wait_for then sends the app's queue, as its mail worker would


    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, deadline: float = 30.0):
        end = time.monotonic() + deadline
        if self.app is not None:
            deliver_mail(self.app)
        while len(self.messages) < count and time.monotonic() < end:
            time.sleep(0.05)
        assert len(self.messages) >= count, f"{len(self.messages)} messages arrived, expected {count}"
        return self.messages


# ---- invitation and reset links (tracker/account_links.py) ------------------------------------

SET_PASSWORD_LINK = re.compile(r"https?://[^/\s]+(/account/set-password/[A-Za-z0-9_-]+)")


def set_password_path(message) -> str:
    """The path of the set-password link in an email (its text part), as a person would click it."""
    text = message.get_body(("plain",)).get_content()
    links = set(SET_PASSWORD_LINK.findall(text))
    assert len(links) == 1, text
    return links.pop()


def use_smtp(app, controller) -> None:
    """Send the app's email through a test SMTP server (the smtp_server fixture's controller); the server's
    Inbox.wait_for sends what the app has queued first."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_SECURITY="none")
    controller.handler.app = app


def choose_password(client, path: str, password: str):
    """Open a set-password link and choose a password through its form."""
    page = client.get(path)
    assert page.status_code == 200, page.status_code
    token = csrf_token(page.get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, "new_password": password, "confirm_password": password})


def write_evidence_until_stopped(session, base: str, inductee_id: int, token: str, stop, prefix: str,
                                 acknowledged: list) -> None:
    """Add written evidence to activity 1.4 over HTTP until `stop` is set or the server dies, keeping in
    `acknowledged` each marker the server answered 302 for: what a crash or a lost machine must not lose."""
    import requests

    n = 0
    while not stop.is_set():
        marker = f"{prefix}-{inductee_id}-{n}"
        try:
            response = session.post(f"{base}/records/{inductee_id}/1.4/evidence/text",
                                    data={"body": marker, "csrf_token": token}, allow_redirects=False, timeout=30)
        except requests.RequestException:
            return  # the server died mid-request: this write was never acknowledged
        if response.status_code == 302:
            acknowledged.append(marker)
        n += 1
