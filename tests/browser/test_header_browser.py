"""The header on a small phone: its menu folds behind a button (GOV.UK Frontend's service navigation script), so
every page's heading shows on the first screen of a 320 x 700 phone, for every role, in English and Welsh (measured
on every page by tests/browser/test_every_page_browser.py, with MEASURE and HEADER_MOST from here). The
button works by keyboard (Enter opens, Escape closes), without JavaScript every link shows, the language switch
stays in view, and from the tablet breakpoint up the header is as it was: every link in view, no button.

Set TRACKER_SCREENSHOTS=/some/folder to keep the first screen of a few pages, the menu closed and open."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser import MENU, assert_accessible, new_page, sign_in

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 320, "height": 700}
# The most of a 700 px screen the header may take with its menu folded: the name, then the button and the
# language switch, one line each. Twelve links in rows took 240 to 296 px.
HEADER_MOST = 120
SWITCH = {"en": "Cymraeg", "cy": "English"}
MENU_WORD = {"en": "Menu", "cy": "Dewislen"}
DEADLINE = 60_000

# The header and the page's heading, measured where the page opens (not scrolled).
MEASURE = """() => {
  const header = document.querySelector('header.tracker-header').getBoundingClientRect();
  const h1 = document.querySelector('main h1');
  const box = h1 && h1.getBoundingClientRect();
  const button = document.querySelector('.tracker-header__toggle');
  return {header: Math.round(header.height), scrollY: window.scrollY, buttonShown: !!button && !button.hidden,
          signedIn: !!document.querySelector('#tracker-menu'),
          h1: box && {top: Math.round(box.top), bottom: Math.round(box.bottom), text: h1.textContent.trim()}};
}"""


def shoot(page, name: str) -> None:
    """With TRACKER_SCREENSHOTS, the first screen (what shows without scrolling) as header-`name`.png."""
    folder = os.environ.get("TRACKER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"header-{name}.png"))


def in_language(page, base: str, language: str) -> None:
    """This session's language from now on (tracker/i18n.py)."""
    page.goto(f"{base}/login?lang={language}")
    expect(page.locator("html")).to_have_attribute("lang", "en-GB" if language == "en" else "cy")


def menu_items(page):
    """The links and the Sign out button in the header's menu."""
    return page.locator("#tracker-menu").locator("a, button")


KEYBOARD_ROLES = [("inductee@example.org", "/my-induction"), ("manager@example.org", "/team"),
                  ("admin@example.org", "/admin/users")]


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize(("role", "path"), KEYBOARD_ROLES, ids=[p for _, p in KEYBOARD_ROLES])
def test_the_menu_button_works_by_keyboard(browser, live_tracker, language, role, path):
    """Tab to the button, Enter: every link shows, one under another, within the screen. Escape closes the
    menu and puts focus back on the button. The language switch is in view with the menu folded."""
    page = new_page(browser)
    page.context.set_default_timeout(DEADLINE)
    page.set_viewport_size(SMALL_PHONE)
    sign_in(page, live_tracker.url, role)
    in_language(page, live_tracker.url, language)
    page.goto(live_tracker.url + path)
    button = page.get_by_role("navigation", name=MENU).get_by_role("button", name=MENU_WORD[language], exact=True)
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_have_attribute("aria-controls", "tracker-menu")
    items = menu_items(page)
    count = items.count()
    assert count >= 4, f"{count} items in the menu"
    for index in range(count):
        expect(items.nth(index)).to_be_hidden()
    switch = page.locator(".tracker-header__language").get_by_text(SWITCH[language], exact=True)
    expect(switch).to_be_in_viewport()
    shoot(page, f"{language}-320-{path.strip('/').replace('/', '-')}-closed")
    assert_accessible(page, f"{path} at 320 px, menu folded ({language})")

    for _ in range(10):  # skip link, service name, then the button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('tracker-header__toggle')"):
            break
    else:
        pytest.fail("Tab never reached the menu button")
    focused = page.evaluate("getComputedStyle(document.activeElement).backgroundColor")
    assert focused == "rgb(255, 221, 0)", f"the focused button is not highlighted: {focused}"
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    lefts = set()
    for index in range(count):
        expect(items.nth(index)).to_be_visible()
        box = items.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= SMALL_PHONE["width"], f"item {index} is off the screen"
        lefts.add(round(box["x"]))
    assert len(lefts) == 1, f"the open menu's items are not one under another: {lefts}"
    expect(switch).to_be_visible()
    shoot(page, f"{language}-320-{path.strip('/').replace('/', '-')}-open")
    assert_accessible(page, f"{path} at 320 px, menu open ({language})")

    page.keyboard.press("Tab")  # into the menu: its first link
    expect(items.first).to_be_focused()
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    expect(items.first).to_be_hidden()
    page.keyboard.press("Enter")  # and open again: a link in it works
    items.first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.context.close()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_without_javascript_every_header_link_shows(browser, live_tracker, language):
    """With JavaScript off, at 320 px: no button, and Tab reaches every link of the menu and the language switch,
    each in view."""
    context = browser.new_context(java_script_enabled=False, viewport=SMALL_PHONE)
    context.set_default_timeout(DEADLINE)
    for role, path in KEYBOARD_ROLES:
        page = context.new_page()
        page.context.clear_cookies()
        sign_in(page, live_tracker.url, role)
        in_language(page, live_tracker.url, language)
        page.goto(live_tracker.url + path)
        expect(page.locator(".tracker-header__toggle")).to_be_hidden()
        items = menu_items(page)
        wanted = [items.nth(i).inner_text().strip() for i in range(items.count())] + [SWITCH[language]]
        reached = []
        for _ in range(len(wanted) + 10):
            page.keyboard.press("Tab")
            inside = page.evaluate("""() => { const el = document.activeElement;
                return el.closest('header') && (el.closest('#tracker-menu') || el.closest('.tracker-header__language'))
                  ? el.innerText.trim() : null; }""")
            if inside:
                reached.append(inside)
                expect(page.locator(":focus")).to_be_in_viewport()
            elif reached:
                break
        assert reached == wanted, f"{role} ({language}): Tab reached {reached}, not {wanted}"
        shoot(page, f"{language}-320-{path.strip('/').replace('/', '-')}-no-javascript")
        page.close()
    context.close()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_wider_screens_show_every_link_and_no_button(browser, live_tracker, language):
    """From the tablet breakpoint up (768 and 1280 px), every link in view and no button; a phone turned to a wide
    screen with its menu folded shows every link too."""
    page = new_page(browser)
    page.context.set_default_timeout(DEADLINE)
    page.set_viewport_size(SMALL_PHONE)
    sign_in(page, live_tracker.url, "inductee@example.org")
    in_language(page, live_tracker.url, language)
    page.goto(live_tracker.url + "/my-induction")
    button = page.locator(".tracker-header__toggle")
    expect(button).to_be_visible()
    items = menu_items(page)
    for width in (768, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        expect(button).to_be_hidden()
        for index in range(items.count()):
            expect(items.nth(index)).to_be_in_viewport()
        expect(page.locator(".tracker-header__language").get_by_text(SWITCH[language], exact=True)).to_be_visible()
        assert_accessible(page, f"/my-induction at {width} px ({language})")
        shoot(page, f"{language}-{width}-my-induction")
    page.reload()  # loaded wide: the same
    expect(button).to_be_hidden()
    expect(items.last).to_be_in_viewport()
    page.context.close()


def test_the_language_switch_works_from_a_phone(browser, live_tracker):
    """With the menu folded, the switch is one tap away, signed in (a form) and signed out (a link)."""
    page = new_page(browser)
    page.context.set_default_timeout(DEADLINE)
    page.set_viewport_size(SMALL_PHONE)
    page.goto(live_tracker.url + "/login")
    page.get_by_role("link", name="Cymraeg").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mewngofnodi")
    shoot(page, "cy-320-login")
    page.get_by_role("link", name="English").click()
    sign_in(page, live_tracker.url, "manager@example.org")
    page.get_by_role("button", name="Cymraeg").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Fy nhîm$"))
    expect(page.get_by_role("button", name="Dewislen")).to_be_visible()
    page.context.close()
