"""The build: expected pages, a search index, tracker links, and a site/ that survives failure."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

import build
from conftest import ACTIVITY, write


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def search_text(site: Path) -> str:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return " ".join(f"{doc['title']} {doc['text']}" for doc in index["docs"])


def test_build_produces_every_generated_page(project):
    assert build.build(project) == 0
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
    assert build.build(project) == 0
    quiz = (project / "site/quizzes/values.html").read_text(encoding="utf-8")
    assert re.search(r"<details class=\"success\">\s*<summary>Show answer</summary>", quiz)
    assert "Parents have the primary duty." in quiz and "Education Act 1996 s7" in quiz


def test_catalogue_lists_activities_with_filter_data(project):
    assert build.build(project) == 0
    catalogue = (project / "site/activities/index.html").read_text(encoding="utf-8")
    row = re.search(r'<tr data-section="1" data-kind="with-manager" data-minutes="60">.*?</tr>', catalogue, re.S)
    assert row and 'href="../section-1/activities/1-01.html"' in row.group(0)


def test_tracker_url_adds_record_links(project):
    assert build.build(project, tracker_url="https://tracker.example.org/") == 0
    activity = (project / "site/section-1/activities/1-01.html").read_text(encoding="utf-8")
    assert 'href="https://tracker.example.org/activities/1.1"' in activity
    assert "Record this activity" in activity


def test_invalid_content_leaves_previous_site_untouched(project, capsys):
    assert build.build(project) == 0
    before = tree_digest(project / "site")
    write(project, "activities/1-1.yml", ACTIVITY.replace("kind: with-manager", "kind: nonsense"))
    assert build.build(project) == 1
    assert "site/ was not changed" in capsys.readouterr().err
    assert tree_digest(project / "site") == before


def test_builder_failure_leaves_previous_site_untouched(project, capsys):
    assert build.build(project) == 0
    before = tree_digest(project / "site")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").unlink()
    (project / "mkdocs.yml").write_text(config.replace("  - offline\n", "  - offline\n  - no-such-plugin\n"))
    assert build.build(project) == 1
    assert "no-such-plugin" in capsys.readouterr().err
    assert tree_digest(project / "site") == before
    assert not list(project.glob(".build-*")), "temporary build folders are cleaned up"


def test_built_pages_load_nothing_from_the_internet(project):
    assert build.build(project) == 0
    for page in (project / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        external = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="(https?://[^"]+)"', html)
        assert not [u for u in external if not u.startswith("https://tracker")], f"{page}: {external}"
