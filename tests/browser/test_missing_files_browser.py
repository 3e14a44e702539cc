"""No page asks for a file that is not there: every tracker page as each role (in tests/browser/
test_every_page_browser.py, with the Recorder from here), and the handbook's pages through the combined server, in
a real headless Chromium. The browser's own requests (the icon it looks for, fonts a
stylesheet names) are not all reported to Playwright, so the server records what it answered. Also: the tracker
and the handbook show the same icon, and GOV.UK Frontend's stylesheet names no font file."""
from __future__ import annotations

import logging
import re
import threading
from pathlib import Path

import pytest

from browser import new_page

ROOT = Path(__file__).resolve().parents[2]
ICON = ROOT / "tracker" / "static" / "favicon.svg"


class Recorder:
    """WSGI middleware keeping (path, status) of every answer: what the browser asked for, all of it."""

    def __init__(self, app):
        self.app, self.answers, self.lock = app, [], threading.Lock()

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            with self.lock:
                self.answers.append((environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""), int(status[:3])))
            return start_response(status, headers, exc_info)

        return self.app(environ, start)

    def missing(self, pages: set[str]) -> list[str]:
        """Answers of 404 to anything but the pages visited (a page may answer 404 to a role, by design)."""
        with self.lock:
            return sorted({path for path, status in self.answers if status == 404 and path not in pages})


def test_the_govuk_stylesheet_names_no_font_file(tracker_app):
    """GOV.UK Frontend's CSS declares GDS Transport at /assets/fonts/…, which the tracker does not serve (and
    the font is reserved for GOV.UK): the tracker serves it without those declarations, still cacheable."""
    client = tracker_app.test_client()
    response = client.get("/govuk/govuk-frontend.min.css")
    css = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert "@font-face" not in css and "/assets/fonts/" not in css
    assert ".govuk-button{" in css and ".govuk-error-summary{" in css  # the rest of it is all there
    assert "max-age=86400" in response.headers["Cache-Control"] and "no-store" not in response.headers["Cache-Control"]
    again = client.get("/govuk/govuk-frontend.min.css", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/govuk/govuk-frontend.min.js").status_code == 200  # the other files as they are


def test_the_tracker_and_the_handbook_show_the_same_icon(tracker_app):
    page = tracker_app.test_client().get("/login").get_data(as_text=True)
    assert re.search(r'<link rel="icon" href="/static/favicon.svg\?v=[0-9a-f]{12}" type="image/svg\+xml">', page)
    icon = tracker_app.test_client().get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert icon.get_data() == ICON.read_bytes() == (ROOT / "overrides" / "assets" / "favicon.svg").read_bytes()


HANDBOOK_PAGES = ["index.html", "section-1/index.html", "section-1/1c-reflective-practice.html",
                  "section-1/activities/1-04.html", "activities/index.html", "quizzes/values-and-principles.html",
                  "reference/glossary.html", "reference/attendance-calculator.html", "reference/register-codes.html",
                  "reference/legal-powers/index.html", "tags.html", "no/such/page"]


@pytest.mark.browser
def test_no_handbook_page_asks_for_a_missing_file(real_site, browser, tmp_path, monkeypatch):
    """The handbook's pages of each kind, in English and Welsh, through the combined server, then the tracker's
    sign-in page beside them: nothing answers 404 but the missing page asked for on purpose."""
    from werkzeug.serving import make_server

    from tracker.wsgi import combined

    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("TRACKER_PUBLIC_URL", "http://127.0.0.1/tracker")
    monkeypatch.setenv("TRACKER_MIGRATE_ON_START", "true")  # the database, made as `flask --app tracker migrate` would
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    recorder = Recorder(combined(str(real_site)))
    server = make_server("127.0.0.1", 0, recorder, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    pages = [f"/{prefix}{path}" for prefix in ("", "cy/") for path in HANDBOOK_PAGES] + ["/tracker/login"]
    page = new_page(browser)
    try:
        for path in pages:
            page.goto(base + path, wait_until="load", timeout=60_000)
        page.wait_for_load_state("networkidle", timeout=60_000)
    finally:
        page.context.close()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert recorder.missing({"/no/such/page", "/cy/no/such/page"}) == []
    assert any(path == "/assets/favicon.svg" and status == 200 for path, status in recorder.answers)
    assert any(path == "/cy/assets/favicon.svg" and status == 200 for path, status in recorder.answers)
