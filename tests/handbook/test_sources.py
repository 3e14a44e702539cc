"""Every source a reader is shown can be opened or looked up: a web link, or a named public source
(an Act and section, a Welsh Government publication, the 2015 pack). Never the project's own
research sheet (wales-facts.md), which readers cannot open."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from handbook.loader import is_translation
from helpers import ROOT

# The internal research sheet, by file name, by what pages used to call it, or by where it lives.
INTERNAL = re.compile(
    r"wales[-_ ]facts|research notes|research sheet|legal and guidance fact sheet|/work/shared|reference/wales",
    re.I,
)
WEB_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$")
# A "source" that is really a file of ours, not something a reader can find.
FILE_NAME = re.compile(r"\b[\w-]+\.(?:md|ya?ml|txt|py|json)\b", re.I)
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.S)

CONTENT = ROOT / "content"
QUIZZES = ROOT / "quizzes"


def source_files() -> list[Path]:
    """Every file the handbook is built from that a writer could cite a source in."""
    files = sorted(CONTENT.rglob("*.md"))
    for folder in ("activities", "quizzes", "sections"):
        files += sorted((ROOT / folder).rglob("*.yml")) + sorted((ROOT / folder).rglob("*.yaml"))
    files.append(ROOT / "glossary.yml")
    return [f for f in files if f.is_file()]


def front_matter(page: Path) -> dict:
    match = FRONT_MATTER.match(page.read_text(encoding="utf-8"))
    assert match, f"{page.relative_to(ROOT)}: no front matter"
    return yaml.safe_load(match.group(1) or "") or {}


def content_pages() -> list[Path]:
    """English pages: a translated page (index.cy.md) lists its English page's sources."""
    return sorted(p for p in CONTENT.rglob("*.md") if not is_translation(p))


def quiz_files() -> list[Path]:
    return sorted(QUIZZES.glob("*.yml"))


def internal_reference(text: str | None) -> str | None:
    """What in this text points at our own notes or files, if anything."""
    if not text:
        return None
    match = INTERNAL.search(text) or FILE_NAME.search(text)
    return match.group(0) if match else None


# ---- the source files themselves: the message names the file and line -------------------

def test_no_source_file_mentions_the_research_sheet():
    found = []
    for file in source_files():
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if INTERNAL.search(line):
                found.append(f"{file.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == [], "cite the primary source the research sheet names, not the sheet:\n" + "\n".join(found)


@pytest.mark.parametrize("page", content_pages(), ids=lambda p: p.relative_to(CONTENT).as_posix())
def test_front_matter_sources_are_web_links_or_named_sources(page):
    name = page.relative_to(ROOT).as_posix()
    sources = front_matter(page).get("sources") or []
    assert sources, f"{name}: no sources"
    problems = []
    for index, source in enumerate(sources):
        where = f"{name}: sources[{index}]"
        if not isinstance(source, dict):
            problems.append(f"{where}: expected a mapping with title, url and note, got {source!r}")
            continue
        title = source.get("title")
        if not isinstance(title, str) or not title.strip():
            problems.append(f"{where}: no title: a source without a link must be named, e.g. the Act and section")
            continue
        for field in ("title", "note"):
            bad = internal_reference(source.get(field))
            if bad:
                problems.append(f"{where} ({title!r}): {field} refers to internal notes or files ({bad!r})")
        if "url" in source:
            url = source["url"]
            if not isinstance(url, str) or not WEB_URL.match(url.strip()):
                problems.append(f"{where} ({title!r}): url {url!r} is not an http(s) web address")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("quiz", quiz_files(), ids=lambda p: p.name)
def test_quiz_sources_name_public_sources(quiz):
    name = quiz.relative_to(ROOT).as_posix()
    data = yaml.safe_load(quiz.read_text(encoding="utf-8")) or {}
    questions = data.get("questions") or []
    assert questions, f"{name}: no questions"
    problems = []
    for index, question in enumerate(questions):
        where = f"{name}: questions[{index}]"
        source = question.get("source")
        if not isinstance(source, str) or not source.strip():
            problems.append(f"{where}: no source")
            continue
        for field in ("source", "explanation"):
            bad = internal_reference(question.get(field))
            if bad:
                problems.append(f"{where}: {field} refers to internal notes or files ({bad!r}): {question[field]!r}")
    assert problems == [], "\n".join(problems)


def test_internal_reference_patterns_catch_the_old_citations():
    """The checks above would have failed on what the pages and quizzes used to say."""
    for old in ['Project research notes (wales-facts.md), section 1: legal powers.',
                'Education Act 1996 s576; see wales-facts §1, Who is a parent',
                'Education Welfare Officer (Wales) legal and guidance fact sheet',
                'see /work/shared/reference/README.md']:
        assert internal_reference(old), old
    for fine in ['Education Act 1996, s444(1), (1A) and (1B)',
                 'Welsh Government, Persistent absenteeism from secondary schools, September 2022 to August 2023',
                 'Induction pack (2015), Section 4.b; handbook page 4.b, Persistent absence',
                 'Education (Pupil Registration) (Wales) Regulations 2010, reg 12(3)']:
        assert internal_reference(fine) is None, fine
    assert WEB_URL.match("https://www.legislation.gov.uk/ukpga/1996/56/section/444")
    for bad in ["wales-facts.md", "/work/shared/reference/wales-facts.md", "file:///tmp/x.html", "www.gov.wales"]:
        assert not WEB_URL.match(bad), bad


# ---- the built handbook: what readers actually see --------------------------------------

def test_no_built_page_or_search_index_mentions_the_research_sheet(real_site):
    files = sorted(real_site.rglob("*.html"))
    assert len(files) > 50  # the real handbook, not an empty folder
    index = real_site / "search" / "search_index.json"
    assert index.is_file()
    found = []
    for file in [*files, index]:
        text = file.read_text(encoding="utf-8")
        for match in INTERNAL.finditer(text):
            context = text[max(0, match.start() - 60): match.end() + 60].replace("\n", " ")
            found.append(f"{file.relative_to(real_site)}: ...{context}...")
    assert found == [], "\n".join(found)


SOURCES_LIST = re.compile(r'<h2 id="sources">.*?</h2>\s*<ul>(.*?)</ul>', re.S)
HREF = re.compile(r'<a [^>]*href="([^"]*)"')


def test_every_built_sources_list_links_only_to_the_web(real_site):
    checked = 0
    problems = []
    for file in sorted(real_site.rglob("*.html")):
        match = SOURCES_LIST.search(file.read_text(encoding="utf-8"))
        if not match:
            continue
        checked += 1
        for href in HREF.findall(match.group(1)):
            if not WEB_URL.match(href.replace("&amp;", "&")):
                problems.append(f"{file.relative_to(real_site)}: source link {href!r} is not an http(s) address")
    assert checked > 40  # content pages, activity pages and quiz pages all list sources
    assert problems == [], "\n".join(problems)
