"""Malformed content: every error names the file, the line and the field, all in one run."""
from __future__ import annotations

import subprocess
import sys

import pytest

from handbook.loader import format_errors, load_project
from helpers import ACTIVITY, QUIZ, ROOT, SECTION, write

STANDARDS = """\
# Standards the service works to
groups:
  - id: service
    title: Service standards to schools
    source: A service's standards to its schools.
    standards:
      - id: SS1
        title: Reply within two working days
        text: Answer schools within two working days.
      - id: SS2
        title: Process referrals within 10 working days
        text: Deal with each enforcement referral within 10 working days.
"""


def replace(text: str, old: str, new: str) -> str:
    assert old in text, f"fixture text has no {old!r}"
    return text.replace(old, new, 1)


# (what is broken, file to write, its new text, the exact error line expected)
CASES = [
    ("YAML syntax", "activities/1-1.yml", replace(ACTIVITY, "title: Finding", "title: [Finding"),
     "activities/1-1.yml:5 YAML syntax error"),
    ("prompts not a list", "activities/1-1.yml",
     replace(ACTIVITY,
             "    prompts:\n      - What does the service do here?\n      - How is time given to schools?\n",
             "    prompts: ask about the service\n"),
     "activities/1-1.yml:10 parts[0].prompts: expected a list"),
    ("missing title", "activities/1-1.yml", replace(ACTIVITY, "title: Finding out more about my role\n", ""),
     "activities/1-1.yml:1 title: is required"),
    ("unknown kind", "activities/1-1.yml", replace(ACTIVITY, "kind: with-manager", "kind: group-work"),
     "activities/1-1.yml:5 kind: input should be "
     "'individual', 'with-manager', 'shadowing', 'reading' or 'online-link'"),
    ("bad time estimate", "activities/1-1.yml", replace(ACTIVITY, "time: 1 hour", "time: a fortnight or so"),
     "activities/1-1.yml:6 time: cannot read time estimate 'a fortnight or so'"),
    ("unknown section", "activities/2-1.yml",
     replace(replace(ACTIVITY, 'id: "1.1"', 'id: "2.1"'), 'section: "1"\nelement: "1.a"\n', 'section: "2"\n'),
     "activities/2-1.yml:2 section: unknown section '2' (no sections/2.yml)"),
    ("activity id in wrong section", "activities/1-1.yml", replace(ACTIVITY, 'id: "1.1"', 'id: "3.1"'),
     "activities/1-1.yml:1 activity 3.1 is not in section 1"),
    ("malformed activity id", "activities/1-1.yml", replace(ACTIVITY, 'id: "1.1"', "id: one-point-one"),
     "activities/1-1.yml:1 id: activity id must look like '1.4' or '2.13' (write it in quotes)"),
    ("misspelt field", "activities/1-1.yml", replace(ACTIVITY, "summary:", "sumary:"),
     "activities/1-1.yml:7 sumary: unknown field (check the spelling)"),
    ("evidence not a list", "activities/1-1.yml",
     replace(ACTIVITY, "evidence:\n  - Notes of the discussion.", "evidence: Notes of the discussion."),
     "activities/1-1.yml:15 evidence: expected a list"),
    ("sign_off not a boolean", "activities/1-1.yml", ACTIVITY + "sign_off: perhaps\n",
     "activities/1-1.yml:18 sign_off: expected true or false"),
    ("duplicate key", "activities/1-1.yml", ACTIVITY + "title: Again\n",
     "activities/1-1.yml:18 title: duplicate key"),
    ("dangling case study", "activities/1-1.yml", replace(ACTIVITY, "ref: annie-thomas", "ref: annie-tomas"),
     "activities/1-1.yml:14 case_studies[0].ref: unknown case study 'annie-tomas'"),
    ("top level not a mapping", "activities/1-1.yml", "- id: '1.1'\n",
     "activities/1-1.yml:1 expected a mapping of fields at the top level"),
    ("quiz linked to missing activity", "quizzes/values.yml", replace(QUIZ, 'activity: "1.1"', 'activity: "1.9"'),
     "quizzes/values.yml:3 activity: linked activity '1.9' does not exist"),
    ("quiz answer out of range", "quizzes/values.yml", replace(QUIZ, "answer: 1", "answer: 7"),
     "quizzes/values.yml:6 questions[0]: answer 7 is not an option (0 to 2)"),
    ("quiz question without explanation", "quizzes/values.yml",
     replace(QUIZ, "    explanation: There is no statutory requirement.\n", ""),
     "quizzes/values.yml:12 questions[1].explanation: is required"),
    ("unknown question kind", "quizzes/values.yml", replace(QUIZ, "kind: true-false", "kind: essay"),
     "quizzes/values.yml:12 questions[1]: "
     "input tag 'essay' found using 'kind' does not match any of the expected tags"),
    ("pass mark above 100", "quizzes/values.yml", replace(QUIZ, "pass_mark: 70", "pass_mark: 170"),
     "quizzes/values.yml:4 pass_mark: input should be less than or equal to 100"),
    ("quiz with no attempts", "quizzes/values.yml", replace(QUIZ, "questions:", "attempts: 0\nquestions:"),
     "quizzes/values.yml:5 attempts: input should be greater than or equal to 1"),
    ("quiz attempts in words", "quizzes/values.yml", replace(QUIZ, "questions:", "attempts: three\nquestions:"),
     "quizzes/values.yml:5 attempts: expected a whole number"),
    ("quiz attempts true", "quizzes/values.yml", replace(QUIZ, "questions:", "attempts: true\nquestions:"),
     "quizzes/values.yml:5 attempts: expected a whole number"),
    ("quiz attempts in quotes", "quizzes/values.yml", replace(QUIZ, "questions:", 'attempts: "3"\nquestions:'),
     "quizzes/values.yml:5 attempts: expected a whole number"),
    ("standard named, no standards file", "activities/1-1.yml", ACTIVITY + "standards: [SS1]\n",
     f"activities/1-1.yml:{ACTIVITY.count(chr(10)) + 1} standards[0]: unknown standard 'SS1'"
     " (not in standards.yml, which does not exist)"),
    ("malformed standard id", "standards.yml", STANDARDS.replace("id: SS2", "id: service-2"),
     "standards.yml:10 groups[0].standards[1].id: standard id must be capital letters then a number"),
    ("section page missing", "sections/1.yml",
     replace(SECTION, "page: section-1/1a-intro.md", "page: section-1/1a-missing.md"),
     "sections/1.yml:9 elements[0].page: page content/section-1/1a-missing.md does not exist"),
    ("section overview method unknown", "sections/1.yml", replace(SECTION, "method: read", "method: podcast"),
     "sections/1.yml:11 elements[0].overview[0].method: input should be"),
    ("broken internal link", "content/section-1/1a-intro.md",
     "---\ntitle: Intro\nreviewed: 2026-11-01\nsources:\n  - title: Pack\n---\n\n"
     "## About\n\nSee [the missing page](nowhere.md).\n",
     "content/section-1/1a-intro.md:10 broken link to 'nowhere.md'"),
    ("page without front matter", "content/section-1/1a-intro.md", "## Just a heading\n",
     "content/section-1/1a-intro.md:1 page must start with front matter"),
    ("page missing its review date", "content/section-1/1a-intro.md",
     "---\ntitle: Intro\nsources:\n  - title: Pack\n---\n\nText.\n",
     "content/section-1/1a-intro.md:2 reviewed: is required"),
    ("page review date not a date", "content/section-1/1a-intro.md",
     "---\ntitle: Intro\nreviewed: last week\nsources:\n  - title: Pack\n---\n\nText.\n",
     "content/section-1/1a-intro.md:3 reviewed: expected a date like 2026-11-24"),
]


@pytest.mark.parametrize("label,path,text,expected", CASES, ids=[c[0] for c in CASES])
def test_malformed_input_names_file_line_and_field(project, label, path, text, expected):
    write(project, path, text)
    errors = format_errors(load_project(project).errors)
    assert any(line.startswith(expected) for line in errors), f"{label}: expected {expected!r} in {errors}"


# The Welsh text of QUIZ (also used by test_quizzes.py)
WELSH_QUIZ = """\
translation: {status: draft, source: "000000000000"}
title: Cwis gwerthoedd
questions:
  - prompt: Pwy sy'n gyfrifol?
    options: [Yr ysgol, Y rhiant, Y swyddog]
    explanation: Y rhieni.
    source: Deddf Addysg 1996 a7
  - prompt: Rhaid i bob awdurdod gael GLlA.
    explanation: Nid oes gofyniad statudol.
    source: Pecyn sefydlu 1.a
"""


def test_a_welsh_quiz_takes_the_english_attempt_limit_and_cannot_set_its_own(project):
    write(project, "quizzes/values.yml", replace(QUIZ, "pass_mark: 70\n", "pass_mark: 70\nattempts: 3\n"))
    write(project, "quizzes/values.cy.yml", WELSH_QUIZ)
    loaded = load_project(project)
    assert loaded.errors == []
    assert loaded.quizzes["values"].attempts == loaded.in_language("cy").quizzes["values"].attempts == 3
    write(project, "quizzes/values.cy.yml", WELSH_QUIZ.replace("title: Cwis", "attempts: 5\ntitle: Cwis"))
    errors = format_errors(load_project(project).errors)
    assert any(e.startswith("quizzes/values.cy.yml:2 attempts: is structure, defined in the English file only")
               for e in errors), errors


def test_an_activity_names_only_standards_the_file_has(project):
    write(project, "standards.yml", STANDARDS)
    write(project, "activities/1-1.yml", ACTIVITY + "standards: [SS1, SS9, SS1]\n")
    line = ACTIVITY.count("\n") + 1
    assert format_errors(load_project(project).errors) == [
        f"activities/1-1.yml:{line} standards[1]: unknown standard 'SS9' (not in standards.yml)",
        f"activities/1-1.yml:{line} standards[2]: standard 'SS1' is listed twice",
    ]
    write(project, "activities/1-1.yml", ACTIVITY + "standards: [SS1, SS2]\n")
    project_loaded = load_project(project)
    assert project_loaded.ok and project_loaded.activities["1.1"].standards == ["SS1", "SS2"]
    write(project, "standards.yml", STANDARDS.replace("id: SS2", "id: SS1"))
    assert any("standard SS1 is defined twice" in e for e in format_errors(load_project(project).errors))


def test_valid_fixture_has_no_errors(project):
    loaded = load_project(project)
    assert loaded.errors == []
    assert set(loaded.activities) == {"1.1"}


def test_duplicate_activity_ids_name_both_files(project):
    write(project, "activities/1-1-copy.yml", ACTIVITY)
    errors = format_errors(load_project(project).errors)
    assert "activities/1-1.yml:1 id: duplicate activity id '1.1' (also in activities/1-1-copy.yml)" in errors


def test_every_error_is_reported_in_one_run(project):
    write(project, "activities/1-1.yml",
          replace(replace(ACTIVITY, "kind: with-manager", "kind: group-work"), "time: 1 hour", "time: soon"))
    write(project, "quizzes/values.yml", replace(QUIZ, 'activity: "1.1"', 'activity: "1.9"'))
    errors = load_project(project).errors
    assert {(e.path, e.field) for e in errors} >= {
        ("activities/1-1.yml", "kind"), ("activities/1-1.yml", "time"), ("quizzes/values.yml", "activity")}


def test_ids_written_as_numbers_stay_exact(project):
    # YAML would read 1.10 as the float 1.1; the loader keeps it as text.
    write(project, "activities/1-10.yml", replace(ACTIVITY, 'id: "1.1"', "id: 1.10"))
    assert "1.10" in load_project(project).activities


def test_check_command_exits_non_zero_with_summary(project):
    write(project, "activities/1-1.yml", replace(ACTIVITY, "time: 1 hour", "time: soon"))
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), "check"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("activities/1-1.yml:6 time: cannot read time estimate 'soon'")
    assert lines[-1].startswith("check FAILED: 1 errors, 0 warnings")


def test_check_command_passes_on_valid_content(project):
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), "check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("check OK: 0 errors")


def test_pages_past_their_review_period_are_warned_about(project):
    write(project, "content/section-1/1a-intro.md",
          "---\ntitle: Intro\nreviewed: 2020-01-01\nsources:\n  - title: Pack\n---\n\n[activity](activities/1-01.md)\n")
    from handbook.sitebuild import check
    loaded = check(project)
    assert loaded.ok
    assert [str(w) for w in loaded.warnings] == [
        "content/section-1/1a-intro.md:1 reviewed: warning: last reviewed 2020-01-01, more than 365 days ago"]


@pytest.mark.parametrize("path", ["activities/1-1.yml", "content/section-1/1a-intro.md"])
def test_a_file_that_is_not_utf8_names_the_line_of_the_bad_byte(project, path):
    good = (project / path).read_bytes()
    lines = good.split(b"\n")
    lines[3] = lines[3] + " caf\xe9".encode("latin-1")  # saved as Latin-1 by an old editor
    (project / path).write_bytes(b"\n".join(lines))
    errors = format_errors(load_project(project).errors)
    column = len(lines[3]) - 1 + 1
    assert f"{path}:4 not UTF-8 text: byte 0xe9 at column {column} (save the file as UTF-8)" in errors, errors


def test_a_huge_yaml_file_is_refused_at_once(project, monkeypatch):
    from handbook import yamlsource
    huge = project / "activities/1-2.yml"
    huge.write_text("id: '1.2'\nparts:\n" + "  - title: x\n    prompts: [a, b, c, d, e, f, g, h]\n" * 40_000)
    parsed = []
    real_parse = yamlsource.parse_yaml
    monkeypatch.setattr(yamlsource, "parse_yaml",
                        lambda text, path, **kw: parsed.append(path) or real_parse(text, path, **kw))
    errors = format_errors(load_project(project).errors)
    assert any(e.startswith("activities/1-2.yml file is") and "the limit is 1,000,000" in e for e in errors), errors
    assert "activities/1-2.yml" not in parsed  # refused before parsing, which would take seconds and much memory


def test_build_without_node_modules_says_so_in_one_line(project):
    (project / "node_modules").unlink()
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("old site")
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), "build"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "build stopped: node_modules/iframe-worker/shim/index.js is missing: run 'npm ci' (the setup scripts do) "
        "to install the offline search shim; site/ was not changed."]
    assert (project / "site" / "index.html").read_text() == "old site"
