"""The real built handbook in a real headless Chromium: offline search, served search, accessibility."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from browser import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def site(real_site) -> Path:
    return real_site


def search(page, query: str, attempts: int = 5) -> list[str]:
    """Type a query as a person would; the search worker may still be loading its index, so retry."""
    page.click("label.md-search__icon[for=__search], .md-search__input", timeout=5000)
    box = page.locator("input.md-search__input")
    for _ in range(attempts):
        box.fill("")
        box.press_sequentially(query, delay=30)
        try:
            page.wait_for_selector(".md-search-result__item", timeout=3000)
            break
        except Exception:
            continue
    return page.locator(".md-search-result__item .md-search-result__article h1").all_inner_texts()


def test_search_works_offline_from_file_url(site, offline_page):
    page, requested, errors = offline_page
    page.goto((site / "index.html").as_uri())
    titles = search(page, "Borton")
    assert any("reflective practice" in t.lower() for t in titles), titles
    assert requested == [], f"the site tried to reach the network: {requested}"
    assert errors == [], errors


def test_search_works_from_a_local_static_server(site, browser):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{server.server_port}/index.html")
        titles = search(page, "persistent absence")
        assert titles, "no search results"
        page.close()
    finally:
        server.shutdown()


@pytest.mark.parametrize("path", [
    "index.html",
    "section-1/index.html",
    "section-1/activities/1-04.html",
    "section-1/activities/1-05.html",
    "activities/index.html",
    "quizzes/values-and-principles.html",
    "cy/index.html",  # the Welsh site: translated pages, a notice for an untranslated one, generated ones
    "cy/section-1/1b-values-and-principles.html",
    "cy/section-1/activities/1-05.html",
    "cy/section-2/activities/2-01.html",
    "cy/activities/index.html",
    "cy/quizzes/values-and-principles.html",
])
def test_pages_have_no_serious_accessibility_violations(site, offline_page, path):
    page, _, _ = offline_page
    page.goto((site / path).as_uri())
    if path.startswith("cy/"):  # the Welsh header (language link, search) and content; Material's sidebar
        # navigation is the same markup in both languages and checked on the English pages
        assert axe_violations(page, within="header") == [] and axe_violations(page, within="article") == []
    else:
        assert axe_violations(page) == []


@pytest.mark.parametrize("path", ["index.html", "activities/index.html", "cy/index.html",
                                  "cy/section-1/activities/1-01.html", "cy/section-2/activities/2-01.html",
                                  "cy/activities/index.html"])
def test_pages_fit_a_phone_in_both_languages(site, browser, path):
    """At 360 px nothing scrolls sideways, the header's language link included (Welsh is longer)."""
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto((site / path).as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    link = page.locator(".handbook-language__link")
    assert link.is_visible() and link.bounding_box()["x"] + link.bounding_box()["width"] <= 360
    context.close()


def test_catalogue_filters_by_kind(site, offline_page):
    page, _, errors = offline_page
    page.goto((site / "activities/index.html").as_uri())
    rows = page.locator("[data-catalogue] tbody tr")
    total = rows.count()
    page.select_option("#filter-kind", "individual")
    visible = page.locator("[data-catalogue] tbody tr:not([hidden])")
    assert 0 < visible.count() < total
    for kind in visible.evaluate_all("rows => rows.map(r => r.dataset.kind)"):
        assert kind == "individual"
    assert "shown" in page.inner_text("[data-catalogue-count]")
    assert errors == []


def test_the_welsh_catalogue_filters_and_counts_in_welsh(site, offline_page):
    """catalogue.js takes its count wording from the page, so the Welsh catalogue counts in Welsh."""
    page, _, errors = offline_page
    page.goto((site / "cy/activities/index.html").as_uri())
    rows = page.locator("[data-catalogue] tbody tr")
    total = rows.count()
    page.select_option("#filter-time", "30")
    visible = page.locator("[data-catalogue] tbody tr:not([hidden])")
    assert 0 < visible.count() < total
    assert page.inner_text("[data-catalogue-count]") == f"Dangosir {visible.count()} gweithgaredd"
    assert page.locator("#filter-time option:checked").inner_text() == "Hyd at 30 munud"
    assert errors == []


@pytest.mark.parametrize("path", ["index.html", "section-1/activities/1-04.html"])
def test_dark_scheme_has_no_serious_accessibility_violations(site, browser, path):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto((site / path).as_uri())
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    assert axe_violations(page) == []
    context.close()


SEARCHES = [
    ("s444", "reference/legal-powers/non-attendance-offences.html"),
    ("ESO", "reference/legal-powers/education-supervision-orders.html"),
    ("penalty notice", "reference/legal-powers/penalty-notices.html"),
    ("riding stables", "reference/child-employment.html"),
    ("code N", "reference/register-codes.html"),
    ("Borton", "section-1/1c-reflective-practice.html"),
]


@pytest.mark.parametrize("query,expected", SEARCHES, ids=[s[0] for s in SEARCHES])
def test_search_puts_the_right_page_first(site, offline_page, query, expected):
    """Against the built search index, with the site's own search engine, as a reader types."""
    page, _, _ = offline_page
    page.goto((site / "index.html").as_uri())
    search(page, query)
    first = page.locator(".md-search-result__item a").first.get_attribute("href")
    assert first.split("#")[0].split("?")[0].endswith(expected), f"{query!r} put {first} first"


def test_the_4_4_summary_prints_every_column_on_a4(site, browser, tmp_path):
    from pypdf import PdfReader
    context = browser.new_context()
    page = context.new_page()
    page.goto((site / "section-4/activities/4-04.html").as_uri())
    pdf = tmp_path / "4-04.pdf"
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    context.close()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())
    text = text.replace("- ", "").replace("\u00ad", "")  # words hyphenated across lines
    for words in ["Week beginning", "Unauthorised", "Late", "sessions)", "Term so far", "68.07", "25.21", "100.00"]:
        assert words in text, words


# ---- the tracker's buttons in a copy opened from disk; the 404 page through the combined server ----

OFFLINE_NOTE = {"en": "The tracker is at {} on the web server this handbook comes from",
                "cy": "Mae'r traciwr yn {} ar y safle gwe y daw'r llawlyfr hwn ohono"}


@pytest.mark.parametrize("path,address", [
    ("index.html", "/tracker/"),
    ("section-1/activities/1-04.html", "/tracker/activities/1.4"),
    ("quizzes/values-and-principles.html", "/tracker/quizzes/values-and-principles"),
    ("cy/section-1/activities/1-04.html", "/tracker/activities/1.4?lang=cy"),
])
def test_from_disk_a_relative_tracker_address_is_explained_not_linked(real_site_with_tracker, offline_page, path,
                                                                        address):
    """Built with --tracker-url /tracker, a button opened from file:// would lead to file:///tracker/…, which
    does not exist: instead the page names the button and says where the tracker is."""
    page, requested, errors = offline_page
    page.goto((real_site_with_tracker / path).as_uri())
    note = page.locator("article .handbook-tracker-offline")
    note.first.wait_for()
    assert note.count() == 1 and note.is_visible()
    assert OFFLINE_NOTE["cy" if path.startswith("cy/") else "en"].format(address) in note.inner_text()
    links = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")
    assert [link for link in links if link.startswith("file:///tracker")] == []
    assert requested == [] and errors == []


def test_a_handbook_built_with_the_trackers_address_opens_it_from_disk(project, browser, tmp_path, monkeypatch):
    """`build.py build --tracker-url http://127.0.0.1:PORT/tracker`, as scripts/run.sh builds: from file:// the
    button is a link to that address, and following it reaches the running tracker."""
    import logging

    from werkzeug.serving import make_server

    import build
    from helpers import free_port
    from tracker.wsgi import combined

    port = free_port()
    tracker = f"http://127.0.0.1:{port}/tracker"
    assert build.main(["--root", str(project), "build", "--tracker-url", tracker]) == 0
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("TRACKER_PUBLIC_URL", tracker)
    monkeypatch.setenv("TRACKER_MIGRATE_ON_START", "true")  # the database, made as `flask --app tracker migrate` would
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", port, combined(str(project / "site")), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    context = browser.new_context()
    context.set_default_timeout(60_000)
    try:
        page = context.new_page()
        page.goto((project / "site/section-1/activities/1-01.html").as_uri())
        button = page.get_by_role("link", name="Record this activity in the tracker")
        assert button.get_attribute("href") == f"{tracker}/activities/1.1"
        assert page.locator(".handbook-tracker-offline").count() == 0
        button.click()
        page.wait_for_url(f"{tracker}/login**")
        assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
    finally:
        context.close()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.parametrize("missing,language,heading,link,lands_on", [
    ("/no/such/page", "en", "Page not found", "Section 2:", "/section-2/index.html"),
    ("/cy/no/such/page", "cy", "Heb ddod o hyd i'r dudalen", "Adran 2:", "/cy/section-2/index.html"),
])
def test_a_missing_page_is_the_handbooks_own_404_in_its_language(real_site, browser, tmp_path, monkeypatch,
                                                                  missing, language, heading, link, lands_on):
    """Through the combined server, under its real Content-Security-Policy: the styled 404 page with the
    header's search and the navigation; a navigation link works from that depth, and search answers."""
    import re

    from test_combined_browser import VIOLATIONS, serve_combined

    server = serve_combined(real_site, tmp_path, monkeypatch)
    base = next(server)
    context = browser.new_context()
    context.set_default_timeout(60_000)
    problems: list[str] = []
    page = context.new_page()
    page.add_init_script(VIOLATIONS)
    page.on("console", lambda message: problems.append(message.text) if message.type == "error"
            and not message.text.startswith("Failed to load resource") else None)
    page.on("response", lambda response: problems.append(f"{response.status} {response.url}")
            if response.status >= 400 and response.request.resource_type != "document" else None)
    try:
        response = page.goto(base + missing)
        assert response.status == 404
        assert page.locator("html").get_attribute("lang") == language
        assert page.get_by_role("heading", level=1).inner_text() == heading
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") != "static"  # styled
        assert search(page, "Borton"), "the 404 page's search found nothing"
        found = page.locator(".md-search-result__item a").first.evaluate("a => a.href")  # in the page's language
        assert found.startswith(base + ("/cy/" if language == "cy" else "/section-")), found
        page.keyboard.press("Escape")
        page.goto(base + missing)
        page.locator(".md-nav--primary").get_by_role("link", name=re.compile("^" + link)).first.click()
        page.wait_for_url(base + lands_on)
        assert page.locator("html").get_attribute("lang") == language
        assert problems == []
    finally:
        context.close()
        next(server, None)
