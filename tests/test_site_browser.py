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


@pytest.fixture
def offline_page(browser):
    """A page with the network cut off: any http(s) request is refused and recorded."""
    context = browser.new_context()
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
])
def test_pages_have_no_serious_accessibility_violations(site, offline_page, path):
    page, _, _ = offline_page
    page.goto((site / path).as_uri())
    assert axe_violations(page) == []


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
