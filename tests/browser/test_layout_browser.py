"""A page at every width from a small phone to a desktop: no table or block reaches out of its column (over the
next column, or past the page's content area), the columns of a row do not overlap, and no email address or status
tag is split mid-word. The measures are made on every tracker page, in English and in Welsh, by tests/browser/
test_every_page_browser.py; the plan page's test checks words split across lines the same way (tests/browser/
test_plans_browser.py). Here: the check page before submitting a record gives the notes most of the page's width,
and no banner.

Set TRACKER_SCREENSHOTS=/some/folder to keep screenshots of the check page."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser import new_page, screenshot, sign_in

pytestmark = pytest.mark.browser
DEADLINE = 60_000  # ms: generous, the machine is shared; every wait is on a condition
WIDTHS = (320, 360, 600, 768, 800, 900, 1024, 1280)  # phones, tablets, both sides of 769 px, laptops, desktop
WORD_WIDTHS = (800, 1280)  # where email addresses and tags were split mid-word

# What reaches out of the box it is laid out in, measured in the page. The boxes: the page's content area (main),
# GOV.UK grid columns, table cells, and the items of flex and grid layouts. An element is reported when its box,
# or one of its words, reaches past the content edge of the nearest such box around it (only the outermost of
# those that do). The columns of each GOV.UK grid row must lie in the row without overlapping.
OVERLAPS = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const main = document.querySelector('main');
  const found = [];
  if (!main) return found;
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const boxes = new Map(), styles = new Map();
  const box = el => { if (!boxes.has(el)) boxes.set(el, el.getBoundingClientRect()); return boxes.get(el); };
  const style = el => { if (!styles.has(el)) styles.set(el, getComputedStyle(el)); return styles.get(el); };
  const shown = el => {  // laid out, not transparent, and not in a 1 px visually hidden box (a stacked table's head)
    if (style(el).visibility === 'hidden' || style(el).opacity === '0') return false;
    for (let p = el; p && p !== main; p = p.parentElement) if (box(p).width <= 1 || box(p).height <= 1) return false;
    return true;
  };
  const COLUMN = '[class*="govuk-grid-column-"]';
  const isColumn = el => el === main || el.matches(COLUMN + ', td, th')
      || /flex|grid/.test(style(el.parentElement).display);
  // A box that scrolls or clips holds its content by design (the phone test polices scrolling): not looked inside.
  const clips = el => style(el).overflowX !== 'visible' || el.matches('svg, progress, meter, select, textarea');
  const columnOf = el => { for (let p = el.parentElement; p; p = p.parentElement) if (isColumn(p)) return p; };
  const open = el => {
    for (let p = el.parentElement; p && p !== main; p = p.parentElement) if (clips(p)) return false;
    return true;
  };
  const inner = el => {
    const b = box(el), s = style(el);
    return {left: b.left + parseFloat(s.borderLeftWidth) + parseFloat(s.paddingLeft),
            right: b.right - parseFloat(s.borderRightWidth) - parseFloat(s.paddingRight)};
  };
  const past = (b, column) => { const i = inner(column); return Math.max(i.left - b.left, b.right - i.right); };
  for (const row of main.querySelectorAll('.govuk-grid-row')) {
    const columns = [...row.children].filter(c => c.matches(COLUMN) && shown(c));
    columns.forEach((a, i) => {
      const r = box(row), b = box(a);
      if (b.left < r.left - 1 || b.right > r.right + 1) found.push(`${name(a)} reaches outside its row`);
      for (const other of columns.slice(i + 1)) {
        const o = box(other);
        if (Math.min(b.right, o.right) - Math.max(b.left, o.left) > 1
            && Math.min(b.bottom, o.bottom) - Math.max(b.top, o.top) > 1)
          found.push(`${name(a)} overlaps ${name(other)}`);
      }
    });
  }
  const outside = new Set();
  for (const el of main.querySelectorAll('*')) {
    if (el.matches('script, style, ' + COLUMN) || !open(el)) continue;
    const s = style(el);
    // Inline boxes are measured by their words (below): their box also holds spaces that hang past a line's end.
    // GOV.UK's grid rows, button groups and file inputs reach past their column by a negative margin, by design.
    if (s.display === 'inline' || parseFloat(s.marginLeft) < 0 || parseFloat(s.marginRight) < 0) continue;
    const column = columnOf(el), by = past(box(el), column);
    if (by <= 1 || !shown(el)) continue;
    outside.add(el);
    if (el.parentElement === column || !outside.has(el.parentElement))
      found.push(`${name(el)} ${Math.round(by)} px outside ${name(column)}`);
  }
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT), range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!node.data.trim() || clips(parent) || !open(parent)) continue;
    const column = isColumn(parent) ? parent : columnOf(parent);
    range.selectNodeContents(node);
    if (past(range.getBoundingClientRect(), column) <= 1 || !shown(parent)) continue;
    let by = 0, word = '';
    for (const match of node.data.matchAll(/\\S+/g)) {
      range.setStart(node, match.index); range.setEnd(node, match.index + match[0].length);
      const b = past(range.getBoundingClientRect(), column);
      if (b > by) { by = b; word = match[0]; }
    }
    let holder = parent;  // not already reported as part of a box that reaches out
    while (holder !== column && !outside.has(holder)) holder = holder.parentElement;
    if (by > 1 && !outside.has(holder))
      found.push(`"${word.slice(0, 40)}" ${Math.round(by)} px outside ${name(column)}`);
  }
  return found;
}"""
# Table cells that hold just an email address, and status tags: marked for BROKEN_WORDS.
MARK_WORDS = """() => {
  for (const cell of document.querySelectorAll('main td'))
    if (/^\\S+@\\S+$/.test(cell.textContent.trim())) cell.dataset.wholeWords = '';
  for (const tag of document.querySelectorAll('.govuk-tag')) tag.dataset.wholeWords = '';
}"""


def choose_language(page, base: str, language: str) -> None:
    if language != "en":  # this session's language from now on (tracker/i18n.py)
        page.goto(f"{base}/login?lang={language}")
        expect(page.locator("html")).to_have_attribute("lang", language)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_check_page_gives_the_notes_room_and_says_nothing_was_submitted(browser, live_tracker, language):
    """Check and submit saves what was typed, then shows the check page: the notes take at least half the page's
    width at 1280 px (they are often paragraphs), and no "saved" banner, which next to "Now submit your record"
    would read as if the record had gone. Nothing lingers for the record page either."""
    dafydd = live_tracker.ids["inductee@example.org"]
    page = new_page(browser)
    page.context.set_default_timeout(DEADLINE)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_tracker.url, "inductee@example.org")
    choose_language(page, live_tracker.url, language)
    record = f"{live_tracker.url}/records/{dafydd}/1.4"
    notes = ("Made two lists with a colleague: the reasons a child may not attend school, and what helps them"
             " come back. The second list was longer than I expected, and most of it was about the first visit.")
    page.goto(record)
    page.locator("textarea[name=notes]").fill(notes)
    page.locator("button[formaction$='/save-and-check']").click()
    expect(page).to_have_url(f"{record}/submit")
    expect(page.locator(".govuk-summary-list__value").nth(1)).to_have_text(notes)
    expect(page.locator(".govuk-notification-banner--success")).to_have_count(0)
    screenshot(page, f"check-page-{language}", widths=(1280, 768, 320))
    share = page.evaluate("""() => document.querySelectorAll('.govuk-summary-list__value')[1]
                                       .getBoundingClientRect().width / document.querySelector('main').clientWidth""")
    assert share >= 0.5, f"the notes take {share:.0%} of the page's width at 1280 px"

    page.locator(f"main a[href$='/records/{dafydd}/1.4']").first.click()  # back to the record
    expect(page.locator("textarea[name=notes]")).to_have_value(notes)
    expect(page.locator(".govuk-notification-banner--success")).to_have_count(0)
    page.context.close()
