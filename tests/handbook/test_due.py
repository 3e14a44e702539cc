"""An activity's usual timing (`due`): how it is read, checked and shown in the handbook, and the
target date it gives from a start date (the tracker's plan fills from it: tests/tracker/test_plans.py)."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from test_welsh_site import welsh_activity

from handbook import versions
from handbook.due import Due, parse_due
from handbook.loader import format_errors, load_project

PACK = Path(__file__).resolve().parents[1] / "pack"
MONDAY = dt.date(2026, 1, 5)


@pytest.mark.parametrize("text, expected", [
    ("week 2", Due("week", 2, 2)), ("weeks 1-2", Due("week", 1, 2)), ("Weeks 3 to 4", Due("week", 3, 4)),
    ("day 3", Due("day", 3, 3)), ("days 1–5", Due("day", 1, 5)),
])
def test_timings_are_read_as_authors_write_them(text, expected):
    assert parse_due(text) == expected


@pytest.mark.parametrize("text", ["fortnight 2", "week", "week 0", "weeks 3-1", "week 60", "2 weeks", "week two"])
def test_a_timing_that_is_not_one_is_refused(text):
    with pytest.raises(ValueError):
        parse_due(text)


def test_a_target_date_is_the_last_working_day_of_the_window():
    assert parse_due("week 1").target_date(MONDAY) == dt.date(2026, 1, 9)  # Friday of week 1, not Sunday
    assert parse_due("weeks 1-2").target_date(MONDAY) == dt.date(2026, 1, 16)
    assert parse_due("day 3").target_date(MONDAY) == dt.date(2026, 1, 7)
    wednesday = dt.date(2026, 1, 7)
    assert parse_due("week 1").target_date(wednesday) == dt.date(2026, 1, 13)  # a Tuesday: a working day
    saturday_start = dt.date(2026, 1, 10)
    assert parse_due("day 1").target_date(saturday_start) == saturday_start  # never before the start


@pytest.fixture
def pack(tmp_path) -> Path:
    shutil.copytree(PACK, tmp_path / "pack")
    return tmp_path / "pack"


def test_an_activity_takes_its_own_timing_else_its_sections(pack):
    project = load_project(pack, check_links=False)
    assert project.ok, format_errors(project.errors)
    assert project.due_of(project.activities["1.1"]) == Due("week", 1, 1)  # its own
    assert project.due_of(project.activities["1.2"]) == Due("week", 1, 2)  # section 1's
    assert project.due_of(project.activities["3.1"]) == Due("week", 5, 6)  # section 3's


@pytest.mark.parametrize("file, line", [("activities/1-2.yml", "due: fortnight 2"),
                                        ("sections/2.yml", "due: weeks 4-3")])
def test_a_bad_timing_names_file_line_and_field(pack, file, line):
    path = pack / file
    text = path.read_text(encoding="utf-8")
    text = text.replace("\ndue: weeks 3-4\n", "\n") if file.startswith("sections") else text
    lines = text.splitlines()
    lines.insert(5, line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = format_errors(load_project(pack, check_links=False).errors)
    assert any(e.startswith(f"{file}:6 due: due ") for e in found), found


def test_a_timing_is_not_part_of_what_an_activity_asks(pack):
    before = load_project(pack, check_links=False)
    path = pack / "activities/1-1.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("due: week 1", "due: week 3"), encoding="utf-8")
    after = load_project(pack, check_links=False)
    assert after.due_of(after.activities["1.1"]) == Due("week", 3, 3)
    assert versions.content_versions(after) == versions.content_versions(before)


def test_a_welsh_file_cannot_change_the_timing(project):
    english = project / "activities" / "1-1.yml"
    english.write_text(english.read_text(encoding="utf-8").replace("\nkind:", "\ndue: week 2\nkind:", 1),
                       encoding="utf-8")
    welsh = welsh_activity(project)
    welsh.write_text(welsh.read_text(encoding="utf-8").replace("title: Dysgu", "due: week 5\ntitle: Dysgu"),
                     encoding="utf-8")
    found = format_errors(load_project(project).errors)
    assert any("activities/1-1.cy.yml" in e and "due: is structure, defined in the English file only" in e
               for e in found), found


def test_the_built_activity_page_says_when_it_is_usually_done(real_site):
    english = (real_site / "section-1/activities/1-01.html").read_text(encoding="utf-8")
    welsh = (real_site / "cy/section-1/activities/1-01.html").read_text(encoding="utf-8")
    assert "Usually done in week 1" in english
    assert "Fel arfer yn wythnos 1" in welsh
    later = (real_site / "section-4/activities/4-01.html").read_text(encoding="utf-8")
    assert "Usually done in weeks 7 to 8" in later
