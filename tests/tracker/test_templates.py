"""The tracker's templates stay readable: no line wider than an editor's window, and the top of every page (back
link, caption, heading, lead paragraph) written once, in the page_header macro (macros.html), not copied into each
page. Choosing between sentences is Python's work (tracker/sentences.py); djLint checks the markup (scripts/test.sh)."""
from __future__ import annotations

import re

from helpers import ROOT

TEMPLATES = ROOT / "tracker" / "templates"
MACROS = TEMPLATES / "macros.html"
LONGEST_LINE = 160
# The markup only page_header writes: a caption over the heading, and the page's h1 in a GOV.UK heading style.
HEADER = re.compile(r'class="govuk-caption-|<h1 class="govuk-heading-')
# The portfolio's PDF is a print document laid out by its own pdf.css, not a GOV.UK page: its caption is a paragraph
# and its heading a plain h1, each a block of its own in the PDF's structure tree.
NOT_PAGES = {TEMPLATES / "portfolio" / "pdf.html", TEMPLATES / "reports" / "pack.html"}  # PDFs: their own header


def template_files():
    return sorted(path for path in TEMPLATES.rglob("*") if path.is_file())


def test_no_template_line_is_longer_than_160_characters():
    long_lines = [f"{path.relative_to(ROOT)}:{number}: {len(line)} characters"
                  for path in template_files()
                  for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                  if len(line) > LONGEST_LINE]
    assert long_lines == [], "\n".join(long_lines)


def test_page_headers_are_written_only_by_the_page_header_macro():
    copies = [f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}"
              for path in template_files() if path != MACROS and path not in NOT_PAGES
              for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
              if HEADER.search(line)]
    assert copies == [], "write these with m.page_header (macros.html):\n" + "\n".join(copies)
    macros = MACROS.read_text(encoding="utf-8")
    assert "{% macro page_header(" in macros and HEADER.search(macros)
