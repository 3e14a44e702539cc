"""The induction plan in a real headless Chromium: a manager sets the start date and the target dates fill
from each activity's usual timing; a date typed by hand stays when the start date changes. Clean under
axe-core, fitting every width from a 360 px phone to a desktop without splitting a word across lines, in English
and in Welsh.

Set TRACKER_SCREENSHOTS=/some/folder to keep screenshots of the page at 1280 and 360 px in both languages."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from test_phone_browser import PHONE, assert_fits

from browser import assert_accessible, new_page, screenshot, sign_in
from helpers import query

pytestmark = pytest.mark.browser
DEADLINE = 30_000  # ms: generous, the machine is shared; every wait is on a condition
WIDTHS = (1280, 1024, 800, 769, 700, 641, PHONE["width"])  # desktop to phone, and both sides of the stacking edge
# Words in the elements matching a selector that a narrow column has split across two lines ("week" / "s"):
# a word in one line box has one client rect per line it spans.
BROKEN_WORDS = """(selector) => {
  const broken = [];
  for (const element of document.querySelectorAll(selector)) {
    if (!element.offsetParent) continue;  // hidden (a column label on wide screens)
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('.govuk-visually-hidden')) continue;
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""
WORDS = {"en": {"save": "Save plan", "saved": "The induction plan has been saved.", "usual": "Usually done in week 1"},
         "cy": {"save": "Cadw’r cynllun", "saved": None, "usual": "Fel arfer yn wythnos 1"}}


def shoot(page, name: str) -> None:
    screenshot(page, f"plan-{name}")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_manager_fills_the_plan_from_the_start_date(browser, live_tracker, language):
    words = WORDS[language]
    ceri = live_tracker.app.config["DEMO_IDS"]["inductee2@example.org"]
    errors: list[str] = []
    page = new_page(browser, errors)
    page.context.set_default_timeout(DEADLINE)
    sign_in(page, live_tracker.url, "manager@example.org")
    page.goto(f"{live_tracker.url}/plan/{ceri}?lang={language}")
    expect(page.get_by_text(words["usual"]).first).to_be_visible()
    assert_accessible(page, f"the induction plan ({language})")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_fits(page, f"the induction plan at {width} px ({language})")
        broken = page.evaluate(BROKEN_WORDS, ".tracker-plan label, .tracker-plan th")
        assert not broken, f"the induction plan at {width} px ({language}) breaks words across lines: {broken[:5]}"
        shoot(page, f"{language}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The demo's dates were typed by hand: clear two, set the start date, save.
    page.fill("#target-1-1", "")
    page.fill("#target-1-2", "")
    page.fill("#start_date", "2026-01-05")
    page.get_by_role("button", name=words["save"], exact=True).click()
    expect(page.locator("#target-1-1")).to_have_value("2026-01-09")  # week 1: its Friday
    expect(page.locator("#target-1-2")).to_have_value("2026-01-16")  # section 1: weeks 1-2
    kept = page.locator("#target-1-3").input_value()  # still the demo's, typed by hand

    # 1.2 moved by hand, then the start date a week later: 1.1 moves with it, 1.2 and 1.3 stay.
    page.fill("#target-1-2", "2026-01-30")
    page.get_by_role("button", name=words["save"], exact=True).click()
    expect(page.locator("#target-1-2")).to_have_value("2026-01-30")
    page.fill("#start_date", "2026-01-12")
    page.get_by_role("button", name=words["save"], exact=True).click()
    expect(page.locator("#target-1-1")).to_have_value("2026-01-16")
    expect(page.locator("#target-1-2")).to_have_value("2026-01-30")
    expect(page.locator("#target-1-3")).to_have_value(kept)
    if words["saved"]:
        expect(page.get_by_text(words["saved"])).to_be_visible()
    assert query(live_tracker.app, "SELECT 1 FROM audit_log WHERE action = 'plan.dates_filled' AND subject_id = ?",
                 [ceri])
    assert errors == []
