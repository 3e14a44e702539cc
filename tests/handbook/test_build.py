"""The build: expected pages, a search index, tracker links, and a site/ that survives failure."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from handbook import sitebuild
from helpers import ACTIVITY, write


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def search_text(site: Path) -> str:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return " ".join(f"{doc['title']} {doc['text']}" for doc in index["docs"])


def test_build_produces_every_generated_page(project):
    assert sitebuild.build(project) == 0
    site = project / "site"
    for page in ["index.html", "section-1/index.html", "section-1/1a-intro.html",
                 "section-1/activities/index.html", "section-1/activities/1-01.html",
                 "activities/index.html", "quizzes/index.html", "quizzes/values.html", "tags.html",
                 "assets/iframe-worker/shim.js", "search/search_index.js"]:
        assert (site / page).is_file(), page
    activity = (site / "section-1/activities/1-01.html").read_text(encoding="utf-8")
    assert "Finding out more about my role" in activity
    assert "Annie Thomas" in activity  # the referenced case study is rendered inline
    assert "What does the service do here?" in activity
    assert "Record this activity" not in activity  # no tracker URL configured
    assert "Zebrafinch" in search_text(site)


def test_quiz_page_shows_answers_behind_a_disclosure(project):
    assert sitebuild.build(project) == 0
    quiz = (project / "site/quizzes/values.html").read_text(encoding="utf-8")
    assert re.search(r"<details class=\"success\">\s*<summary>Show answer</summary>", quiz)
    assert "Parents have the primary duty." in quiz and "Education Act 1996 s7" in quiz


def test_catalogue_lists_activities_with_filter_data(project):
    assert sitebuild.build(project) == 0
    catalogue = (project / "site/activities/index.html").read_text(encoding="utf-8")
    row = re.search(r'<tr data-section="1" data-kind="with-manager" data-minutes="60">.*?</tr>', catalogue, re.S)
    assert row and 'href="../section-1/activities/1-01.html"' in row.group(0)


def test_tracker_url_adds_record_links(project):
    assert sitebuild.build(project, tracker_url="https://tracker.example.org/") == 0
    activity = (project / "site/section-1/activities/1-01.html").read_text(encoding="utf-8")
    assert 'href="https://tracker.example.org/activities/1.1"' in activity
    assert "Record this activity" in activity


def test_invalid_content_leaves_previous_site_untouched(project, capsys):
    assert sitebuild.build(project) == 0
    before = tree_digest(project / "site")
    write(project, "activities/1-1.yml", ACTIVITY.replace("kind: with-manager", "kind: nonsense"))
    assert sitebuild.build(project) == 1
    assert "site/ was not changed" in capsys.readouterr().err
    assert tree_digest(project / "site") == before


def test_builder_failure_leaves_previous_site_untouched(project, capsys):
    assert sitebuild.build(project) == 0
    before = tree_digest(project / "site")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").unlink()
    (project / "mkdocs.yml").write_text(config.replace("  - offline\n", "  - offline\n  - no-such-plugin\n"))
    assert sitebuild.build(project) == 1
    assert "no-such-plugin" in capsys.readouterr().err
    assert tree_digest(project / "site") == before
    assert not list(project.glob(".build-*")), "temporary build folders are cleaned up"


def test_built_pages_load_nothing_from_the_internet(project):
    assert sitebuild.build(project) == 0
    for page in (project / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        external = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="(https?://[^"]+)"', html)
        assert not [u for u in external if not u.startswith("https://tracker")], f"{page}: {external}"


def test_real_handbook_has_every_section_1_page(real_site):
    expected = ["index.html", "section-1/index.html", "section-1/activities/index.html", "activities/index.html",
                "quizzes/values-and-principles.html"]
    expected += [f"section-1/activities/1-0{n}.html" for n in range(1, 7)]
    expected += [f"section-1/{name}.html" for name in ("1a-introduction", "1b-values-and-principles",
                                                        "1c-reflective-practice",
                                                        "1d-values-and-beliefs-about-attendance",
                                                        "1e-context")]
    for page in expected:
        assert (real_site / page).is_file(), page
    case_studies = (real_site / "section-1/activities/1-05.html").read_text(encoding="utf-8")
    for name in ("Annie Thomas", "Brandon Williams", "Dane Parker", "Sara Jenkins", "Sophie Jones"):
        assert name in case_studies


def test_real_search_index_holds_section_1_terms(real_site):
    text = search_text(real_site).lower()
    for term in ("borton", "persistent absence", "reflective practice", "annie thomas", "values and principles",
                 "belonging, engaging and participating"):
        assert term in text, term


def test_every_content_page_shows_its_sources_and_review_date(real_site):
    page = (real_site / "section-1/1d-values-and-beliefs-about-attendance.html").read_text(encoding="utf-8")
    assert 'id="sources"' in page and "Last reviewed:" in page


def test_glossary_becomes_a_page_and_tooltips_everywhere(project):
    write(project, "glossary.yml", "terms:\n  - term: EWO\n    meaning: Education Welfare Officer\n"
                                   "  - term: ESO\n    meaning: Education supervision order\n"
                                   "    note: Children Act 1989 s36.\n")
    write(project, "content/section-1/1a-intro.md",
          "---\ntitle: Intro\nreviewed: 2026-11-01\nsources:\n  - title: Pack\n---\n\nAn EWO may apply for an ESO. "
          "See [activity 1.1](activities/1-01.md) and the [glossary](../reference/glossary.md).\n")
    assert sitebuild.build(project) == 0
    page = (project / "site/section-1/1a-intro.html").read_text(encoding="utf-8")
    assert '<abbr title="Education Welfare Officer">EWO</abbr>' in page
    assert '<abbr title="Education supervision order">ESO</abbr>' in page
    glossary = (project / "site/reference/glossary.html").read_text(encoding="utf-8")
    assert "Children Act 1989 s36." in glossary


def test_duplicate_glossary_term_is_an_error(project):
    write(project, "glossary.yml", "terms:\n  - term: EWO\n    meaning: A\n  - term: EWO\n    meaning: B\n")
    from handbook.loader import format_errors, load_project
    assert format_errors(load_project(project).errors) == ["glossary.yml:1 term EWO is defined twice"]


def test_activity_and_quiz_pages_show_review_date_and_sources(real_site):
    for page in ("section-3/activities/3-01.html", "section-2/activities/2-13.html", "quizzes/legal-powers.html"):
        html = (real_site / page).read_text(encoding="utf-8")
        assert "Last reviewed:" in html and 'id="sources"' in html, page


def test_a_section_too_long_to_list_is_reached_from_its_overview(project, monkeypatch):
    """Past NAV_LIMIT a section's navigation holds its overview and activities' index only (the builders render
    the whole navigation into every page), and its overview lists every page, so none is out of reach."""
    from handbook import generate
    for number in range(2, 5):
        write(project, f"content/section-1/1{number}-more.md", "---\ntitle: More page %d\nreviewed: 2026-11-01\n"
              "sources:\n  - title: Synthetic\n---\n\nText.\n" % number)
    monkeypatch.setattr(generate, "NAV_LIMIT", 3)
    assert sitebuild.build(project) == 0
    site = project / "site"
    overview = (site / "section-1/index.html").read_text(encoding="utf-8")
    page = (site / "section-1/1a-intro.html").read_text(encoding="utf-8")
    nav = page[page.index('class="md-nav'):]
    assert "More page 3" not in nav
    listed = overview.split('id="pages-in-this-section"')[1]
    for target in ("1a-intro.html", "12-more.html", "13-more.html", "14-more.html"):
        assert f'href="{target}"' in listed, target
    monkeypatch.setattr(generate, "NAV_LIMIT", 60)
    assert sitebuild.build(project) == 0
    page = (site / "section-1/1a-intro.html").read_text(encoding="utf-8")
    assert "More page 3" in page[page.index('class="md-nav'):]  # a short section is listed in full
    assert "Pages in this section" not in (site / "section-1/index.html").read_text(encoding="utf-8")
