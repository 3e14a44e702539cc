"""Welsh speakers review translations: `build.py translated --reviewed --by NAME FILE` records who reviewed a
file against the English as it is now, and when; the parity summary counts drafts and reviewed work
separately; a reviewed file that does not say who and when is an error with file:line."""
from __future__ import annotations

import datetime as dt

import pytest
from test_welsh_site import welsh_activity

import build
from handbook import translations
from handbook.loader import load_project


def translation_block(path) -> str:
    text = path.read_text(encoding="utf-8")
    return text[text.index("translation:"):text.index("title:")]


def test_a_review_records_who_and_when_and_the_summary_counts_it(project, capsys):
    welsh = welsh_activity(project)
    assert translations.parity(load_project(project), "cy").rows[2] == ("activities", 1, 1, 0, 1, 0)
    assert build.main(["--root", str(project), "translated", "--reviewed", "--by", "Eleri Prys",
                       "activities/1-1.cy.yml"]) == 0
    block = translation_block(welsh)
    assert "status: reviewed" in block and 'reviewed_by: "Eleri Prys"' in block
    assert f"reviewed_on: {dt.date.today().isoformat()}" in block
    assert "reviewed by Eleri Prys" in capsys.readouterr().out
    loaded = load_project(project)
    assert loaded.ok, loaded.errors
    assert translations.parity(loaded, "cy").rows[2] == ("activities", 1, 1, 0, 0, 1)
    assert "activities      1 / 1      0 out of date    0 drafts    1 reviewed" in translations.parity(
        loaded, "cy").summary()


def test_translating_again_makes_a_reviewed_file_a_draft(project):
    welsh = welsh_activity(project)
    build.main(["--root", str(project), "translated", "--reviewed", "--by", "Eleri Prys", "activities/1-1.cy.yml"])
    assert build.main(["--root", str(project), "translated", "activities/1-1.cy.yml"]) == 0
    block = translation_block(welsh)
    assert "status: draft" in block and "reviewed_by" not in block and "reviewed_on" not in block
    assert load_project(project).ok


def test_reviewed_needs_a_name(project, capsys):
    welsh_activity(project)
    for arguments in (["--reviewed"], ["--by", "Eleri Prys"]):
        with pytest.raises(SystemExit) as exit_info:
            build.main(["--root", str(project), "translated", *arguments, "activities/1-1.cy.yml"])
        assert exit_info.value.code == 2
    assert "--reviewed needs --by NAME" in capsys.readouterr().err


def test_a_reviewed_file_that_does_not_say_who_is_an_error_with_file_and_line(project):
    welsh = welsh_activity(project)
    welsh.write_text(welsh.read_text(encoding="utf-8").replace("status: draft", "status: reviewed"), encoding="utf-8")
    messages = [str(e) for e in load_project(project).errors]
    assert any(m.startswith("activities/1-1.cy.yml:2 translation:") and "reviewed_by and reviewed_on" in m
               for m in messages), messages
