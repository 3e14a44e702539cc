"""The handbook's tables on a 320 px phone, in both builders' real sites and both languages: each table
fits, or its scroll box shows that it scrolls (shadows at the edges, a hint above it) and scrolls from
the keyboard; the glossary fits, so its notes are never cut mid-word. Printed, every table fits an A4 page
(measured on the same visit: loading the pages is most of the time)."""
from __future__ import annotations

from pathlib import Path

import pytest
import test_builders
from test_builders import BUILDERS

# Both builders' real sites, built once per run: the session fixtures of tests/handbook/test_builders.py.
sites, zensical_site = test_builders.sites, test_builders.zensical_site

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 700}
A4_PRINTABLE_WIDTH = 642  # px at 96 dpi: 210 mm less the 20 mm margins of the print stylesheet's @page
# Wide tables (the 4.4 attendance summary above all) must not be cut off on paper.
PRINTED_WIDTHS = """() => [...document.querySelectorAll('article table')].map(t => {
    const box = t.closest('.md-typeset__scrollwrap') || t.parentElement;
    return {right: Math.ceil(t.getBoundingClientRect().right), scroll: Math.max(t.scrollWidth, box.scrollWidth),
            client: box.clientWidth}; })"""
HINT = {"en": "Scroll sideways to see the whole table.", "cy": "Symudwch y tabl i'r ochr i'w weld i gyd."}

# For each table of the page: whether it scrolls, and what says so. The scroll box is the wrapper
# Material and Zensical put round a table, or the attendance tools' own.
TABLES = """() => [...document.querySelectorAll('article table')].map(table => {
  const box = table.closest('.md-typeset__scrollwrap, .ews-table-wrap');
  if (!box) return {box: false};
  const style = getComputedStyle(box);
  const hint = box.previousElementSibling && box.previousElementSibling.matches('.handbook-table-hint')
      ? box.previousElementSibling : null;
  const names = (box.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
      .map(id => (document.getElementById(id) || {}).textContent || '');
  return {
    box: true, tool: box.matches('.ews-table-wrap'), scrolls: box.scrollWidth > box.clientWidth + 1,
    shadows: style.backgroundImage.split('gradient(').length - 1, attachment: style.backgroundAttachment,
    tabindex: box.getAttribute('tabindex'), role: box.getAttribute('role'),
    name: (box.getAttribute('aria-label') || names.join(' ')).trim(),
    hint: hint && !hint.hidden && hint.getBoundingClientRect().height > 0 ? hint.textContent : null,
  };
})"""


def pages_with_tables(site: Path) -> list[Path]:
    return [page for page in sorted(site.rglob("*.html"))
            if page.name != "404.html" and "<table" in page.read_text(encoding="utf-8")]


# Search starts a worker on every page that indexes the whole site (a Welsh page's index is 2 MB in Zensical): half
# of each page's loading, and nothing to do with tables. Here a worker is a stub that does nothing, so search never
# starts; search itself is tested in test_builders.py and test_site_browser.py.
NO_SEARCH = """Object.defineProperty(window, 'Worker', {configurable: false, writable: false, value: class {
    postMessage() {} addEventListener() {} removeEventListener() {} terminate() {} }});"""


def phone(browser):
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(60_000)  # generous: the machine may be busy
    context.add_init_script(NO_SEARCH)
    return context, context.new_page()


def load(page, file: Path) -> None:
    """Open a built page and wait for its tables to be wrapped (the builder's script) and marked (handbook.js)."""
    page.goto(file.as_uri(), wait_until="domcontentloaded")
    page.wait_for_function("""() => [...document.querySelectorAll('article table')].every(t =>
        !t.closest('.md-typeset__scrollwrap') || t.closest('[data-handbook-table]'))""")


def language(site: Path, file: Path) -> str:
    return "cy" if file.relative_to(site).parts[0] == "cy" else "en"


# The wide tables a reader could not read at 320 px before: they still scroll, and say so.
WIDE = {"en": {"reference/legal-powers/index.html", "section-4/activities/4-04.html"},
        "cy": {"cy/reference/legal-powers/index.html"}}


@pytest.mark.parametrize("lang", ["en", "cy"])  # one test per language, so the pages share out across test workers
@pytest.mark.parametrize("builder", BUILDERS)
def test_every_table_fits_a_phone_or_shows_that_it_scrolls(sites, browser, builder, lang):
    site = sites[builder]
    context, page = phone(browser)
    problems, scrolling, printed = {}, set(), set()
    try:
        for file in (file for file in pages_with_tables(site) if language(site, file) == lang):
            load(page, file)
            name = file.relative_to(site).as_posix()
            assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), name
            for number, table in enumerate(page.evaluate(TABLES)):
                if not table["box"] or not table["scrolls"]:
                    continue
                scrolling.add(name)
                wrong = []
                if table["shadows"] < 4 or "local" not in table["attachment"]:
                    wrong.append(f"no shadows at its edges ({table['shadows']} gradients, {table['attachment']})")
                if table["tabindex"] != "0" or table["role"] != "region" or not table["name"]:
                    wrong.append(f"not a named region the keyboard reaches ({table})")
                if not table["tool"] and table["hint"] != HINT[language(site, file)]:
                    wrong.append(f"hint {table['hint']!r}")
                if wrong:
                    problems[f"{name} table {number + 1}"] = wrong
            regions = page.evaluate("[...document.querySelectorAll('article [role=region]')].map(r => r.ariaLabel)")
            if len(set(regions)) != len(regions):
                problems[f"{name} regions"] = [f"two have the same name: {regions}"]
            if too_wide := printed_too_wide(page):
                problems[f"{name} printed on A4"] = too_wide
            printed.add(name)
    finally:
        context.close()
    assert problems == {}
    assert WIDE[lang] <= scrolling
    assert WIDE[lang] <= printed


def printed_too_wide(page) -> list[dict]:
    page.set_viewport_size({"width": A4_PRINTABLE_WIDTH, "height": 1000})
    page.emulate_media(media="print")
    try:
        widths = page.evaluate(PRINTED_WIDTHS)
        limit = page.evaluate("document.documentElement.clientWidth")
        return [w for w in widths if w["right"] > limit or w["scroll"] > w["client"] + 1]
    finally:
        page.emulate_media(media="screen")
        page.set_viewport_size(PHONE)


@pytest.mark.parametrize("builder", BUILDERS)
@pytest.mark.parametrize("path,last_column", [
    ("reference/legal-powers/index.html", "Key timescale"),
    ("section-4/activities/4-04.html", "Late (sessions)"),
])
def test_a_wide_table_scrolls_from_the_keyboard(sites, browser, builder, path, last_column):
    """From the hint, Tab reaches the table's scroll box and the arrow keys bring its last column into view."""
    context, page = phone(browser)
    try:
        load(page, sites[builder] / path)
        box = page.locator("article .md-typeset__scrollwrap[role=region]").first
        header = box.locator("th", has_text=last_column).first

        def in_view() -> bool:
            edge = header.bounding_box()
            return edge["x"] >= 0 and edge["x"] + edge["width"] <= PHONE["width"]

        assert not in_view()
        page.locator(".handbook-table-hint:not([hidden])").first.click()  # where a reader's Tab starts from
        page.keyboard.press("Tab")
        assert box.evaluate("box => box === document.activeElement")
        assert box.evaluate("box => getComputedStyle(box).outlineStyle") != "none"  # focus is visible
        for _ in range(40):
            if in_view():
                break
            page.keyboard.press("ArrowRight")
            page.wait_for_function("box => box.scrollLeft > 0", arg=box.element_handle())
        assert in_view(), f"{last_column} never came into view"
    finally:
        context.close()


@pytest.mark.parametrize("builder", BUILDERS)
@pytest.mark.parametrize("path", ["reference/glossary.html", "cy/reference/glossary.html"])
def test_the_glossary_fits_a_phone_with_whole_words(sites, browser, builder, path):
    """Every word of the glossary (the Welsh notes are the longest) is whole on one line and inside the
    screen: the table fits at 320 px, nothing of it is cut off at the edge."""
    context, page = phone(browser)
    try:
        load(page, sites[builder] / path)
        cut = page.evaluate("""() => {
          const table = document.querySelector('article table');
          const box = table.closest('.md-typeset__scrollwrap') || table;
          const right = Math.min(box.getBoundingClientRect().right, document.documentElement.clientWidth);
          const cut = [];
          const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const match of node.textContent.matchAll(/[^\\s\\-\\u2010-\\u2014\\/]+/g)) {
              const range = document.createRange();
              range.setStart(node, match.index);
              range.setEnd(node, match.index + match[0].length);
              const rects = [...range.getClientRects()].filter(r => r.width > 0);
              if (rects.length > 1 || rects.some(r => r.right > right + 0.5)) cut.push(match[0]);
            }
          }
          return {cut, scrolls: box.scrollWidth > box.clientWidth + 1};
        }""")
        assert cut == {"cut": [], "scrolls": False}
    finally:
        context.close()
