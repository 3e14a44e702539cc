"""A page on a phone: at 360 and at 320 CSS pixels wide (a small phone), no page scrolls sideways, nothing scrolls
sideways inside a page, and every visible field is wide enough to use. The measure is made on every tracker page,
as each role and in both languages, by tests/browser/test_every_page_browser.py; here, pages after a form is sent
back with errors. Also: printing drops the dark header band."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect
from tracker_pages import LONG_URL

from browser import new_page, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
SMALL_PHONE = {"width": 320, "height": 700}  # the narrowest phones still sold, and a 1280 px screen zoomed to 400%
MIN_FIELD_WIDTH = 200  # CSS pixels: room to see what you type

# Measured in the page: the page's own sideways scroll, anything inside it that scrolls or clips sideways,
# the elements that reach past the right edge (to say why), and form fields narrower than MIN_FIELD_WIDTH.
MEASURE = """(minWidth) => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });  // fields in closed details too
  const root = document.documentElement, width = root.clientWidth;
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const visible = el => {
    const style = getComputedStyle(el), box = el.getBoundingClientRect();
    return box.width > 1 && box.height > 1 && style.visibility !== 'hidden' && !el.closest('.govuk-visually-hidden');
  };
  const scrollers = [], past = [], narrow = [];
  for (const el of document.querySelectorAll('body, body *')) {
    if (el.matches('input, textarea, select, option, script, style')) continue;
    const overflow = getComputedStyle(el).overflowX;
    if (overflow !== 'visible' && el.scrollWidth > el.clientWidth + 1 && visible(el))
      scrollers.push(`${name(el)} (${el.scrollWidth} in ${el.clientWidth})`);
    const box = el.getBoundingClientRect();
    const parent = el.parentElement.getBoundingClientRect();
    if (box.right > width + 1 && parent.right <= width + 1 && visible(el))  // the outermost ones only
      past.push(`${name(el)} (right edge ${Math.round(box.right)})`);
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {  // text too long for its line
    const range = document.createRange(); range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.right > width + 1 && node.parentElement.getBoundingClientRect().right <= width + 1
        && !node.parentElement.closest('.govuk-visually-hidden'))
      past.push(`text in ${name(node.parentElement)} (right edge ${Math.round(box.right)})`);
  }
  const skip = ['hidden', 'checkbox', 'radio', 'submit', 'button', 'image', 'reset'];
  for (const el of document.querySelectorAll('input, textarea, select')) {
    if (skip.includes(el.type) || !visible(el)) continue;
    const w = el.getBoundingClientRect().width;
    if (w < minWidth) narrow.push(`${name(el)} (${Math.round(w)} px)`);
  }
  return {scrollWidth: root.scrollWidth, clientWidth: width, scrollers, past: past.slice(0, 8), narrow};
}"""


def assert_fits(page, where: str) -> None:
    """No sideways scrolling; on a phone, fields at least MIN_FIELD_WIDTH (wider screens put short fields in a row)."""
    # the stylesheets too: a page after a click may still be loading them
    page.wait_for_load_state("load", timeout=60_000)
    phone = page.viewport_size["width"] <= PHONE["width"]
    found = page.evaluate(MEASURE, MIN_FIELD_WIDTH if phone else 0)
    assert found["scrollWidth"] <= found["clientWidth"], f"{where} scrolls sideways: {found}"
    assert not found["scrollers"] and not found["narrow"], f"{where}: {found}"


@pytest.mark.parametrize("width", [PHONE["width"], 1280])
def test_forms_sent_back_with_errors_still_fit(browser, live_tracker, width):
    """Error messages inside the table-like forms (objectives, supervision actions) do not widen the page."""
    base, dafydd = live_tracker.url, live_tracker.ids["inductee@example.org"]
    inductee, manager = new_page(browser), new_page(browser)
    for page, email in ((inductee, "inductee@example.org"), (manager, "manager@example.org")):
        page.set_viewport_size({"width": width, "height": 800})
        sign_in(page, base, email)
    inductee.goto(f"{base}/pdp/{dafydd}")
    inductee.get_by_label("Action for objective 2").fill(LONG_URL)
    inductee.get_by_role("button", name="Save as a new version").click()
    expect(inductee.locator(".govuk-error-summary")).to_contain_text("Write objective 2, or clear its row")
    assert_fits(inductee, f"the development plan with an error at {width} px")
    manager.goto(f"{base}/supervision/{dafydd}/sessions/new")
    manager.get_by_label("Due date for action 1").fill("2026-12-01")
    manager.get_by_role("button", name="Save session record").click()
    expect(manager.locator(".govuk-error-summary")).to_contain_text("Describe action 1, or clear its due date")
    assert_fits(manager, f"the supervision session form with errors at {width} px")
    if os.environ.get("TRACKER_SCREENSHOTS"):
        for page, name in ((inductee, "pdp"), (manager, "session")):
            page.screenshot(path=str(Path(os.environ["TRACKER_SCREENSHOTS"]) / f"errors-{width}-{name}.png"),
                            full_page=True)
    for page in (inductee, manager):
        page.context.close()


PRINTED = ["/supervision/{dafydd}/print", "/portfolio/{dafydd}", "/records/{dafydd}/1.1", "/my-induction"]


def test_printing_drops_the_dark_header_band(browser, live_tracker):
    """Printed, the header, menu and footer have no dark band (they are hidden, or printed black on white)."""
    dafydd = live_tracker.ids["inductee@example.org"]
    page = new_page(browser)
    sign_in(page, live_tracker.url, "inductee@example.org")
    page.emulate_media(media="print")
    for path in PRINTED:
        page.goto(live_tracker.url + path.format(dafydd=dafydd))
        bands = page.evaluate(
            """() => [...document.querySelectorAll('.tracker-header, .tracker-header__nav, .govuk-footer')]
          .map(el => {
            const style = getComputedStyle(el);
            const rgb = (style.backgroundColor.match(/[\\d.]+/g) || ['255', '255', '255', '0']).map(Number);
            const transparent = rgb.length === 4 && rgb[3] === 0;
            const light = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2] > 200;
            return {band: el.className, shown: style.display !== 'none' && el.getClientRects().length > 0,
                    background: style.backgroundColor, image: style.backgroundImage, dark: !(transparent || light)};
          })""")
        assert bands, f"no header on {path}"
        dark = [b for b in bands if b["shown"] and (b["dark"] or b["image"] != "none")]
        assert not dark, f"printing {path} keeps a dark band: {dark}"
    page.context.close()
