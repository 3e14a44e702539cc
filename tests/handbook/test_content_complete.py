"""The whole handbook is there: every activity of the 2015 pack, the quizzes, the knowledge base,
no placeholders, and a clean check."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from handbook.loader import load_project
from helpers import ROOT

PACK_ACTIVITIES = ([f"1.{n}" for n in range(1, 7)] + [f"2.{n}" for n in range(1, 14)] + [f"3.{n}" for n in range(1, 6)]
                   + [f"4.{n}" for n in range(1, 6)] + [f"5.{n}" for n in range(1, 7)] + ["6.1", "6.2"])
# The pack heads these "Shadowing activity".
SHADOWING = {"2.3", "2.13", "3.4", "4.1"}
KNOWLEDGE_BASE = [
    "reference/index.md", "reference/legal-powers/index.md", "reference/legal-powers/school-attendance-orders.md",
    "reference/legal-powers/non-attendance-offences.md", "reference/legal-powers/education-supervision-orders.md",
    "reference/legal-powers/parenting-contracts-and-orders.md", "reference/legal-powers/penalty-notices.md",
    "reference/legal-powers/children-missing-education.md", "reference/child-employment.md",
    "reference/performance-licences.md", "reference/register-codes.md", "reference/legislation-timeline.md",
    "reference/services-directory.md",
]
PLACEHOLDER = re.compile(r"\b(TODO|TBC|lorem ipsum|coming soon|placeholder|to be written)\b", re.I)


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT)


def test_content_checks_clean(project):
    assert [str(e) for e in project.errors] == []


def test_every_activity_of_the_pack_exists_with_its_kind_and_time(project):
    assert sorted(project.activities, key=lambda i: tuple(map(int, i.split(".")))) == PACK_ACTIVITIES
    for activity_id in PACK_ACTIVITIES:
        activity = project.activities[activity_id]
        assert activity.estimate.min_minutes > 0
        if activity_id in SHADOWING:
            assert activity.kind == "shadowing", activity_id
        section = project.sections[activity.section]
        listed = [item for element in section.elements for item in element.overview if item.activity == activity_id]
        assert listed, f"{activity_id} is missing from its section overview"


def test_sections_one_to_six_exist(project):
    assert set(project.sections) >= {"1", "2", "3", "4", "5", "6"}


def test_case_studies_of_the_pack_exist(project):
    assert set(project.case_studies) >= {"annie-thomas", "brandon-williams", "dane-parker", "sara-jenkins",
                                         "sophie-jones", "kimberley", "liam", "hayley", "michael", "sian"}
    assert len(project.case_studies["liam"].parts) >= 3  # needs, goals and SMART planning


def test_quizzes_have_enough_questions_each_with_explanation_and_source(project):
    assert set(project.quizzes) >= {"legal-powers", "employment-and-performance", "register-codes",
                                    "values-and-principles", "home-visit-safety", "attendance-data"}
    assert len(project.quizzes["legal-powers"].questions) == 10
    assert len(project.quizzes["employment-and-performance"].questions) == 10
    assert project.quizzes["legal-powers"].activity == "3.1"
    assert project.quizzes["employment-and-performance"].activity == "5.4"
    assert sum(len(q.questions) for q in project.quizzes.values()) >= 60
    for quiz in project.quizzes.values():
        for question in quiz.questions:
            assert question.explanation.strip() and question.source.strip(), (quiz.id, question.prompt)


def test_knowledge_base_pages_exist_and_are_two_clicks_from_home(project):
    for page in KNOWLEDGE_BASE:
        assert page in project.pages, page
    home = project.pages["index.md"].body
    assert "reference/index.md" in home
    index = project.pages["reference/index.md"].body
    for page in KNOWLEDGE_BASE[1:]:
        assert page.removeprefix("reference/") in index, page


def test_no_page_is_a_placeholder(project):
    for page in project.pages.values():
        words = len(re.findall(r"[A-Za-z]{2,}", page.body))
        assert words >= 80, f"{page.path} has only {words} words"
        assert not PLACEHOLDER.search(page.body), page.path
    for activity in project.activities.values():
        assert not PLACEHOLDER.search(activity.summary), activity.id


def test_every_page_records_sources_and_a_review_date(project):
    for page in project.pages.values():
        assert page.meta.sources and page.meta.reviewed, page.path


@pytest.fixture
def site(real_site) -> Path:
    return real_site


def test_attendance_summary_of_activity_4_4_is_a_table(site):
    assert "<table>" in (site / "section-4/activities/4-04.html").read_text(encoding="utf-8")


def test_home_visit_safety_is_a_checklist(site):
    pages = " ".join(p.read_text(encoding="utf-8") for p in (site / "section-2").glob("2h-*.html"))
    assert pages.count('type="checkbox"') >= 5


def test_development_plan_template_is_on_the_site(site):
    pages = " ".join(p.read_text(encoding="utf-8") for p in (site / "section-6").glob("6b-*.html")).lower()
    assert "next twelve months" in pages or "next 12 months" in pages
    assert "<table>" in pages
