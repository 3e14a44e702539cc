"""The real handbook served by the combined server (tracker/wsgi.py combined()) in a real headless
Chromium, with its real Content-Security-Policy: nothing is blocked, search and the colour
toggle work, and the tracker at /tracker still loads its own styles and scripts."""
from __future__ import annotations

import logging
import threading

import pytest
from test_site_browser import search

VIOLATIONS = """document.addEventListener('securitypolicyviolation',
    e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"""


def serve_combined(site, tmp_path, monkeypatch):
    from werkzeug.serving import make_server

    from tracker.wsgi import combined
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("TRACKER_PUBLIC_URL", "http://127.0.0.1/tracker")  # the host the browser uses
    monkeypatch.setenv("TRACKER_MIGRATE_ON_START", "true")  # the database, made as `flask --app tracker migrate` would
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, combined(str(site)), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def combined_server(real_site, tmp_path, monkeypatch):
    yield from serve_combined(real_site, tmp_path, monkeypatch)


@pytest.fixture
def combined_with_tracker_links(real_site_with_tracker, tmp_path, monkeypatch):
    """As run.sh serves it: the handbook built with --tracker-url /tracker, the tracker under it."""
    yield from serve_combined(real_site_with_tracker, tmp_path, monkeypatch)


def test_a_welsh_handbook_page_opens_the_tracker_in_welsh(combined_with_tracker_links, browser):
    context = browser.new_context()
    context.set_default_timeout(60_000)
    page = context.new_page()
    try:
        page.goto(combined_with_tracker_links + "/cy/section-1/activities/1-01.html")
        assert page.locator("html").get_attribute("lang") == "cy"
        page.get_by_role("link", name="Cofnodi'r gweithgaredd hwn yn y traciwr").click()
        page.wait_for_url("**/tracker/login**")
        assert page.locator("html").get_attribute("lang") == "cy"
        assert page.get_by_role("link", name="English").count() >= 1  # the tracker's own language switch
    finally:
        context.close()


def test_the_handbook_works_under_its_content_security_policy(combined_server, browser):
    context = browser.new_context()  # no bypass_csp: the real policy applies
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems: list[str] = []
    page.add_init_script(VIOLATIONS)
    page.on("console", lambda message: problems.append(message.text) if message.type == "error"
            and not message.text.startswith("Failed to load resource") else None)  # failed loads: next line
    page.on("response", lambda response: problems.append(f"{response.status} {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico") else None)  # Chromium's own ask
    page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        for path in ["/", "/section-1/index.html", "/section-1/activities/1-04.html", "/quizzes/index.html",
                     "/cy/index.html", "/cy/section-1/activities/1-05.html"]:
            assert page.goto(combined_server + path).status == 200
            page.wait_for_load_state("networkidle")
        page.goto(combined_server + "/index.html")
        page.locator("label.md-header__button[for^=__palette]").first.click()  # the colour toggle (an inline script)
        assert search(page, "persistent absence"), "no search results"  # the search worker
        page.goto(combined_server + "/tracker/login")
        page.wait_for_load_state("networkidle")
        assert page.locator("input[name=email]").is_visible()
        assert problems == [], problems
    finally:
        context.close()
