"""Every tracker page, as each role and signed out, in English and in Welsh, opened once in a real Chromium and
checked for everything a page must do wherever it is:

- on a phone (360 and 320 px): no sideways scrolling, nothing scrolling sideways inside, fields wide enough to use,
  and the page in the chosen language (measures in tests/browser/test_phone_browser.py);
- on a small phone (320 x 700): the header, its menu folded, leaves the page's heading whole on the first screen
  (tests/browser/test_header_browser.py);
- at every width from 320 to 1280 px: no table or block reaching out of its column, no overlapping columns, no
  email address or status tag split mid-word (tests/browser/test_layout_browser.py); checked once per page, as the
  first role (tracker_pages.ONCE_ORDER) it answers;
- nothing the browser asks for while showing it answers 404: the icon, fonts, styles, scripts
  (tests/browser/test_missing_files_browser.py).

Pages come from the app's url_map (tests/browser/tracker_pages.py), so a new page is checked without being listed.
One test per language and role, so the sweep shares out across the test workers; one visit per page does all the
checks, since loading pages is most of the time. A page a role may not see answers with an error page or a redirect
that is the same whatever the address: what every page answers every role is found first through the app
(tracker_pages.statuses), and the browser opens one page of each such answer per role and language.

Set TRACKER_SCREENSHOTS=/some/folder to keep a full-page screenshot of every page at 360 and 320 px."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from test_header_browser import HEADER_MOST
from test_header_browser import MEASURE as HEADER
from test_layout_browser import MARK_WORDS, OVERLAPS, WIDTHS, WORD_WIDTHS
from test_missing_files_browser import Recorder
from test_phone_browser import MEASURE as PHONE_FIT
from test_phone_browser import MIN_FIELD_WIDTH, PHONE, SMALL_PHONE
from test_plans_browser import BROKEN_WORDS
from tracker_pages import REDIRECTS, ROLES, SIGN_IN, add_phone_test_data, claimed_by, page_urls, statuses

from browser import new_page, sign_in

pytestmark = pytest.mark.browser
DEADLINE = 60_000  # ms: generous, the machine is shared; every wait is on a condition
# What a page answers a role that may not see it (tracker_pages.statuses): the same error page or redirect whatever
# the address, so the browser opens one of each per role and language; every page answering 200 is opened.
REFUSALS = {302, 303, SIGN_IN, 403, 404}
PHONE_WIDTHS = {SMALL_PHONE["width"], PHONE["width"]}  # where the layout is measured on the phone visit


@pytest.fixture(scope="module")
def answers(tmp_path_factory, demo_database):
    """What each page answers each role, found on an app of its own (a copy of the demo database with the same
    test data), so that the requests leave nothing behind in the app the browser visits."""
    from conftest import demo_app

    app = demo_app(tmp_path_factory.mktemp("answers"), demo_database)
    add_phone_test_data(app, app.config["DEMO_IDS"])
    urls, unfilled = page_urls(app)
    assert not unfilled, (f"Routes whose URL parameters the demo data cannot fill: {unfilled}. "
                          "Add values in tracker_pages.parameter_values(), or name the route in NOT_PAGES.")
    return statuses(app, urls)


def slug(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "root"


def in_language(page, base: str, language: str) -> None:
    """This session's language from now on (tracker/i18n.py)."""
    if language != "en":
        page.goto(f"{base}/login?lang={language}")
        expect(page.locator("html")).to_have_attribute("lang", language)


def fits_a_phone(page, at: str) -> list[str]:
    found = page.evaluate(PHONE_FIT, MIN_FIELD_WIDTH)
    problems = []
    if found["scrollWidth"] > found["clientWidth"]:
        problems.append(f"{at}: page is {found['scrollWidth']} px wide in {found['clientWidth']}"
                        f" ({', '.join(found['past'])})")
    if found["scrollers"]:
        problems.append(f"{at}: scrolls sideways inside: {', '.join(found['scrollers'])}")
    if found["narrow"]:
        problems.append(f"{at}: fields too narrow to use: {', '.join(found['narrow'])}")
    return problems


def heading_on_first_screen(page, at: str) -> list[str]:
    """Measured as the page opens at 320 x 700, before anything scrolls or opens."""
    found = page.evaluate(HEADER)
    if found["h1"] is None:
        return [f"{at}: no heading"]
    problems = [f"{at}: no menu button"] if found["signedIn"] and not found["buttonShown"] else []
    if found["header"] > HEADER_MOST or found["h1"]["bottom"] > SMALL_PHONE["height"] or found["scrollY"]:
        problems.append(f"{at}: header {found['header']} px, heading "
                        f"'{found['h1']['text']}' from {found['h1']['top']} to {found['h1']['bottom']} px")
    return problems


def stays_in_its_columns(page, at: str, widths=WIDTHS) -> list[str]:
    problems = []
    for width in widths:  # one page, resized: its layout at each width
        page.set_viewport_size({"width": width, "height": 900})
        problems += columns_at(page, at, width)
    return problems


def columns_at(page, at: str, width: int) -> list[str]:
    """The page's layout as it is now, `width` px wide (page.evaluate(MARK_WORDS) first)."""
    problems = [f"{at} at {width} px: {found}" for found in page.evaluate(OVERLAPS)]
    if width in WORD_WIDTHS:
        broken = page.evaluate(BROKEN_WORDS, "[data-whole-words]")
        problems += [f"{at} at {width} px: an email address or tag split mid-word: {broken}"] if broken else []
    return problems


def shoot(page, language: str, role: str | None, path: str, width: int) -> None:
    folder = os.environ.get("TRACKER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        person = (role or "signed-out").split("@")[0]
        page.screenshot(path=str(Path(folder) / f"phone-{language}-{width}-{person}-{slug(path)}.png"), full_page=True)


@pytest.mark.parametrize("role", ROLES, ids=lambda role: (role or "signed-out").split("@")[0])
@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_tracker_page_as_each_role(browser, live_tracker, answers, language, role):
    add_phone_test_data(live_tracker.app, live_tracker.ids)
    urls, _ = page_urls(live_tracker.app)
    claims = claimed_by(answers)
    recorder = Recorder(live_tracker.app.wsgi_app)
    live_tracker.app.wsgi_app = recorder
    problems: list[str] = []
    visited: set[str] = set()
    page = new_page(browser)
    page.context.set_default_timeout(DEADLINE)
    page.set_viewport_size(SMALL_PHONE)
    if role:
        sign_in(page, live_tracker.url, role)
        # the dashboard's own requests finish first: a late answer to one of them, carrying the session as
        # it was, must not land after the language is chosen (seen once on a loaded machine)
        page.wait_for_load_state("networkidle", timeout=DEADLINE)
    in_language(page, live_tracker.url, language)
    who = f"{role or 'signed out'} ({language})"
    refusals_seen: set[int] = set()
    for endpoint, paths in urls.items():
        for index, path in enumerate(paths):
            answer = answers[(endpoint, index)][role]
            if answer == SIGN_IN and role:
                problems.append(f"{who} {path}: signed out unexpectedly")
            if answer in REFUSALS:
                if answer in refusals_seen:
                    continue  # one error page or redirect of each kind is enough: the rest are the same page
                refusals_seen.add(answer)
            page.set_viewport_size(SMALL_PHONE)
            try:
                response = page.goto(live_tracker.url + path, wait_until="load", timeout=DEADLINE)
            except Exception as error:  # a download, or a page that never loads
                problems.append(f"{who} {path}: did not load as a page ({str(error).splitlines()[0]})")
                continue
            visited.add(path.split("?")[0])
            if index == 0:  # the header is the same on every page of a kind, and on the page a redirect leads to
                problems += heading_on_first_screen(page, f"{who} {path} at 320 x 700")
            if response.request.redirected_from is not None:
                continue  # the page it leads to is measured at its own address
            if page.evaluate("document.documentElement.lang") != ("en-GB" if language == "en" else language):
                problems.append(f"{who} {path}: not in the chosen language")
            claimed = response.status == 200 and endpoint not in REDIRECTS and claims.get((endpoint, index)) == role
            if claimed:
                page.evaluate(MARK_WORDS)
            for size in (SMALL_PHONE, PHONE):
                page.set_viewport_size(size)
                problems += fits_a_phone(page, f"{who} {path} at {size['width']} px")
                if claimed:  # the layout at the phone widths while the page is at them: no resizing again
                    problems += columns_at(page, f"{who} {path}", size["width"])
                if response.status == 200:
                    shoot(page, language, role, path, size["width"])
            if claimed:
                problems += stays_in_its_columns(page, f"{who} {path}", [w for w in WIDTHS if w not in PHONE_WIDTHS])
    page.wait_for_load_state("networkidle", timeout=DEADLINE)  # the icon is asked for after a page loads
    page.context.close()
    assert not problems, "\n".join(problems)
    assert recorder.missing(visited) == [], "files the pages asked for and did not get"
    assert any(path == "/static/favicon.svg" for path, _ in recorder.answers)  # Chromium did ask for the icon


def test_every_tracker_page_is_an_html_page_some_role_opens(answers):
    """The sweep above measures only what answers: every page must answer 200 for some role with the demo data
    (else its layout was never measured), as an HTML page."""
    opened = {endpoint for (endpoint, _), by_role in answers.items() if 200 in by_role.values()}
    never = sorted({endpoint for endpoint, _ in answers} - opened - set(REDIRECTS))
    assert not never, (f"These pages never answered 200 as an HTML page for any role with the demo data, so were not "
                       f"checked: {never}. Make the demo data reach them, name them in tracker_pages.NOT_PAGES (not "
                       "a page) or REDIRECTS, with the reason.")


def test_no_page_fails_for_any_role(answers):
    """The sweep opens only one error page of each kind per role in the browser, so a server error must be caught
    here, where every page is asked for as every role."""
    failed = sorted(f"{endpoint} #{index} as {role or 'signed out'}: {status}"
                    for (endpoint, index), by_role in answers.items() for role, status in by_role.items()
                    if status >= 500 or status not in {200, -1} | REFUSALS)
    assert not failed, f"pages answering something other than a page, an error page or a redirect: {failed}"
