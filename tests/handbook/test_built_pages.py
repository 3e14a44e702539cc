"""What a reader sees on every built page of the real handbook: no raw Markdown, no empty
boxes, and (with a tracker) no quiz answers anywhere a reader or the search can reach."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import tinyhtml5

from handbook.loader import load_project

ROOT = Path(__file__).resolve().parents[2]
XHTML = "{http://www.w3.org/1999/xhtml}"
RAW_MARKDOWN = {
    "heading": re.compile(r"#{2,6} \S"),  # a single "#" is a register code
    "admonition": re.compile(r"(^|\s)(!!!|\?\?\?\+?) \S"),
    "bold": re.compile(r"\*\*\S"),
    "link": re.compile(r"\[[^\]]+\]\([^)\s]+\)"),
}


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def _text(element, skip=("script", "style", "code", "pre")) -> str:
    """The visible text of an element, leaving out code (where Markdown may be shown on purpose)."""
    if element.tag.removeprefix(XHTML) in skip:
        return " "
    parts = [element.text or ""]
    for child in element:
        parts.append(_text(child, skip))
        parts.append(child.tail or "")
    return "".join(parts)


def _article(path: Path):
    root = tinyhtml5.parse(path.read_text(encoding="utf-8"))
    return next(root.iter(f"{XHTML}article"), None)


def _admonitions(article):
    for element in article.iter():
        tag = element.tag.removeprefix(XHTML)
        if (tag == "div" and "admonition" in _classes(element)) or tag == "details":
            yield element


def page_problems(path: Path) -> list[str]:
    article = _article(path)
    if article is None:
        return []
    problems = []
    text = " ".join(_text(article).split())
    for name, pattern in RAW_MARKDOWN.items():
        match = pattern.search(text)
        if match:
            problems.append(f"raw Markdown ({name}): …{text[max(0, match.start() - 40): match.end() + 40]}…")
    for box in _admonitions(article):
        title = next((c for c in box if "admonition-title" in _classes(c) or c.tag == f"{XHTML}summary"), None)
        body = [c for c in box if c is not title]
        body_text = " ".join(" ".join(_text(c, skip=()).split()) for c in body).strip()
        label = " ".join(_text(title).split()) if title is not None else "(no title)"
        if title is None and not body_text:
            problems.append("an empty box")
        elif not body_text:
            problems.append(f"a box with no body: {label!r}")
    return problems


def built_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if not p.name.startswith("404"))


def test_every_built_page_renders_its_markdown(real_site):
    pages = built_pages(real_site)
    assert len(pages) > 80
    problems = {str(p.relative_to(real_site)): page_problems(p) for p in pages}
    assert {page: found for page, found in problems.items() if found} == {}


@pytest.mark.parametrize("fragment,expected", [
    ("<article><p>Intro.## Part 1 — two lists</p></article>", "raw Markdown (heading)"),
    ("<article><p>!!! note \"Read\"</p></article>", "raw Markdown (admonition)"),
    ("<article><p>The **parent** must</p></article>", "raw Markdown (bold)"),
    ("<article><p>See [the Act](https://example.org).</p></article>", "raw Markdown (link)"),
    ('<article><div class="admonition framework"><p class="admonition-title">Code</p></div></article>',
     "a box with no body: 'Code'"),
    ('<article><div class="admonition note"></div></article>', "an empty box"),
    ("<article><details><summary>Show answer</summary></details></article>", "a box with no body: 'Show answer'"),
])
def test_the_page_check_catches_each_kind_of_breakage(tmp_path, fragment, expected):
    page = tmp_path / "page.html"
    page.write_text(f"<html><body>{fragment}</body></html>", encoding="utf-8")
    assert any(problem.startswith(expected) for problem in page_problems(page)), page_problems(page)


def test_markdown_inside_code_is_not_a_problem(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><article><p>Write <code>## Heading</code> for a heading.</p></article></body></html>")
    assert page_problems(page) == []


def test_framework_boxes_hold_their_text_and_the_next_heading_survives(real_site):
    page = real_site / "section-1/activities/1-04.html"
    article = _article(page)
    boxes = [b for b in _admonitions(article) if "framework" in _classes(b)]
    assert boxes and all(len(" ".join(_text(b).split())) > len(" ".join(_text(b[0]).split())) for b in boxes)
    headings = [" ".join(_text(h).split()) for h in article.iter(f"{XHTML}h2")]
    assert any(h.startswith("Part 1") for h in headings), headings


# ---- quiz answers ----------------------------------------------------------------

def _plain(markdown_text: str) -> str:
    return " ".join(re.sub(r"[*_`\[\]]|\]\([^)]*\)", " ", markdown_text).split())


def _phrases(text: str, words: int = 6) -> list[str]:
    """Runs of plain words from an explanation, which the page would show as they are."""
    tokens = _plain(text).split()
    runs = [" ".join(tokens[i:i + words]) for i in range(0, max(1, len(tokens) - words + 1), words)]
    return [r for r in runs if re.fullmatch(r"[A-Za-z0-9 ,.;:'’-]+", r)]


def _page_text(path: Path) -> str:
    return " ".join(html.unescape(_text(_article(path))).split())


def _index_text(site: Path, page: str) -> str:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = [d for d in index["docs"] if d["location"].split("#")[0] == page]
    assert docs, f"{page} is not in the search index"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", f"{d['title']} {d['text']}")) for d in docs)


def _answers(question) -> list[str]:
    from handbook.answers import answer_text
    found = [answer_text(question)]
    return found + (list(question.accepted) if question.kind == "short-answer" else [])


@pytest.fixture(scope="module")
def quizzes():
    return list(load_project(ROOT, check_links=False).quizzes.values())


def test_without_a_tracker_quiz_pages_are_self_checks_with_answers(real_site, quizzes):
    for quiz in quizzes:
        text = _page_text(real_site / f"quizzes/{quiz.id}.html")
        assert "Show answer" in text
        for question in quiz.questions:
            assert all(phrase in text for phrase in _phrases(question.explanation)), (quiz.id, question.prompt)


def test_with_a_tracker_no_answer_or_explanation_is_published(real_site_with_tracker, quizzes):
    site = real_site_with_tracker
    for quiz in quizzes:
        page = f"quizzes/{quiz.id}.html"
        text, indexed = _page_text(site / page), _index_text(site, page)
        assert f'href="/tracker/quizzes/{quiz.id}"' in (site / page).read_text(encoding="utf-8")
        assert "Show answer" not in text and "Answer:" not in text
        for number, question in enumerate(quiz.questions):
            assert _plain(question.prompt)[:40] in text  # the questions are still there
            for phrase in _phrases(question.explanation):  # handbook pages may say the same: only the quiz's
                if phrase in shown_on_purpose(quiz):
                    continue
                assert phrase not in text, (quiz.id, number, phrase)
                assert phrase not in indexed, (quiz.id, number, phrase)
            if question.kind == "short-answer":
                for answer in _answers(question):
                    pattern = rf"(?<![\w-]){re.escape(answer)}(?![\w-])"
                    if re.search(pattern, shown_on_purpose(quiz), re.I):
                        continue  # "10" may be in another question's prompt: that gives nothing away
                    assert not re.search(pattern, text, re.I), (quiz.id, number, answer)
                    assert not re.search(pattern, indexed, re.I), (quiz.id, number, answer)


def shown_on_purpose(quiz) -> str:
    """What a quiz page shows by design: its intro, prompts, options and sources."""
    parts = [quiz.title, quiz.intro or ""]
    for question in quiz.questions:
        parts += [question.prompt, question.source, *getattr(question, "options", [])]
    return _plain(" ".join(parts))


# ---- home page ---------------------------------------------------------------------

def _start_here(site: Path):
    article = _article(site / "index.html")
    first_boxes = [b for b in _admonitions(article)]
    headings = [e for e in article.iter() if e.tag in (f"{XHTML}h2",)]
    return article, first_boxes[0], headings[0]


def test_home_page_starts_with_start_here_for_officers_and_managers(real_site):
    article, box, first_heading = _start_here(real_site)
    text = " ".join(_text(box).split())
    assert text.startswith("Start here") and "New to the service?" in text and "A manager?" in text
    order = list(article.iter())
    assert order.index(box) < order.index(first_heading)  # above the first heading, not at the bottom
    assert "Open the induction tracker" not in _page_text(real_site / "index.html")  # no tracker configured


def test_home_page_links_to_the_tracker_when_one_is_configured(real_site_with_tracker):
    html_text = (real_site_with_tracker / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a[^>]+href="/tracker/"[^>]*>Open the induction tracker</a>', html_text)


def test_each_quiz_option_is_a_list_item_of_its_own(real_site, quizzes):
    for quiz in quizzes:
        items = [" ".join(_text(li).split())
                 for li in _article(real_site / f"quizzes/{quiz.id}.html").iter(f"{XHTML}li")]
        for question in quiz.questions:
            for letter, option in zip("ABCDEFGHIJ", getattr(question, "options", []), strict=False):
                assert f"{letter}. {_plain(option)}" in items, (quiz.id, letter, option)


def test_record_button_stands_below_the_facts_list_not_inside_it(real_site_with_tracker):
    for page in sorted((real_site_with_tracker).glob("section-*/activities/?-??.html")):
        article = _article(page)
        parents = {child: parent for parent in article.iter() for child in parent}
        button = next(a for a in article.iter(f"{XHTML}a") if "Record this activity" in _text(a))
        chain, node = [], button
        while node in parents:
            node = parents[node]
            chain.append(node.tag.removeprefix(XHTML))
        assert "li" not in chain, page.name


def test_activity_pages_list_the_standards_they_evidence_in_each_language(real_site):
    """standards.yml through the activity's `standards:`: each id with its title and group, in the page's language."""
    import yaml
    english = yaml.safe_load((ROOT / "activities/3-2.yml").read_text(encoding="utf-8"))["standards"]
    welsh_titles = {s["id"]: s["title"] for g in yaml.safe_load((ROOT / "standards.cy.yml").read_text(
        encoding="utf-8"))["groups"] for s in g["standards"]}
    page = " ".join(_text(_article(real_site / "section-3/activities/3-02.html")).split())
    assert "Standards this activity evidences" in page and all(f"{key} " in page for key in english)
    welsh = " ".join(_text(_article(real_site / "cy/section-3/activities/3-02.html")).split())
    assert "Safonau y mae'r gweithgaredd hwn yn dystiolaeth ohonynt" in welsh
    assert all(welsh_titles[key] in welsh for key in english)
    unmapped = " ".join(_text(_article(real_site / "section-1/activities/1-01.html")).split())
    assert "Standards this activity evidences" not in unmapped  # 1.1 evidences none (docs/content-map.md)
