"""Content versions: a stable fingerprint of what an activity or quiz asks."""
from __future__ import annotations

from handbook.loader import load_project
from handbook.versions import activity_version, content_versions, quiz_version
from helpers import ACTIVITY, CASE_STUDY, ROOT, write


def version(project, key: str = "1.1") -> str:
    loaded = load_project(project)
    assert loaded.ok, loaded.errors
    return activity_version(loaded.activities[key], loaded)[0]


def test_layout_comments_and_tags_leave_the_version_alone(project):
    before = version(project)
    reordered = ACTIVITY.replace('title: Finding out more about my role\n', '').replace(
        'kind: with-manager', 'kind: with-manager\ntitle: Finding out more about my role')
    write(project, "activities/1-1.yml", "# a comment\n" + reordered.replace("tags: [role]", "tags: [role, new]"))
    assert version(project) == before


def test_what_an_activity_asks_changes_its_version(project):
    before = version(project)
    changes = [ACTIVITY.replace("How is time given to schools?", "How is time shared between schools?"),
               ACTIVITY.replace("Notes of the discussion.", "A summary of the discussion."),
               ACTIVITY.replace("tags: [role]", "sign_off: false\ntags: [role]")]
    seen = {before}
    for text in changes:
        write(project, "activities/1-1.yml", text)
        seen.add(version(project))
    assert len(seen) == len(changes) + 1
    write(project, "activities/1-1.yml", ACTIVITY)
    assert version(project) == before


def test_a_changed_case_study_changes_the_activity_that_uses_it(project):
    before = version(project)
    write(project, "activities/case-studies/annie-thomas.yml", CASE_STUDY.replace("Year 7", "Year 8"))
    assert version(project) != before


def test_a_translation_never_changes_a_version(project):
    before = version(project)
    write(project, "activities/1-1.cy.yml", """\
        translation: {status: draft, source: "000000000000"}
        title: Dysgu mwy
        summary: Siaradwch â'ch rheolwr.
        parts:
          - title: Trafodaeth
            prompts: [Un?, Dau?]
        evidence: [Nodiadau.]
        """)
    assert version(project) == before


def test_every_real_activity_and_quiz_has_its_own_version():
    project = load_project(ROOT)
    versions = content_versions(project)
    assert set(versions["activities"]) == set(project.activities) and set(versions["quizzes"]) == set(project.quizzes)
    every = list(versions["activities"].values()) + list(versions["quizzes"].values())
    assert len(set(every)) == len(every) and all(len(v) == 16 for v in every)
    assert quiz_version(project.quizzes["legal-powers"])[0] == versions["quizzes"]["legal-powers"]
