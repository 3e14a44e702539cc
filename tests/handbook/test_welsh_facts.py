"""Facts survive translation (handbook/facts.py): every figure, amount, section or regulation, date,
link and heading id of an English file is in its Welsh file, written the Welsh way or the English
way, and the Welsh has none the English lacks. A difference fails `build.py check` with the Welsh
file and line, and the English line."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from handbook import facts, sitebuild, translations
from helpers import ROOT, write

ENGLISH_PAGE = """\
---
title: "1.a An introduction"
reviewed: 2026-11-01
sources:
  - title: Induction pack (2015)
---

## The law {#the-law}

A parent commits an offence under s444(1A); see also ss437–443 and reg. 15 of the Regulations 2010.

A penalty notice is £60, or £120 after 21 days; the fine can reach £2,500.

Persistent absence is 10% or more; Sophie attended 68.07% of sessions.

## Dates

The rules change on 24 November 2026 (2026-11-24), as announced in September 2021.

Read [the guidance](https://www.gov.wales/belonging) and [the activity](activities/1-01.md). Three apply.
"""

# The same facts, each written the Welsh way where Welsh has one; line for line with the English.
WELSH_PAGE = """\
---
title: "1.a Cyflwyniad"
translation:
  status: draft
  source: "{source}"
---

## Y gyfraith {{#the-law}}

Mae rhiant yn cyflawni trosedd o dan adran 444(1A); gweler hefyd adrannau 437 i 443 a rheoliad 15 o Reoliadau 2010.

Mae hysbysiad cosb yn £60, neu £120 ar ôl 21 diwrnod; gall y ddirwy gyrraedd £2,500.

Absenoldeb parhaus yw 10 y cant neu fwy; roedd Sophie yn bresennol am 68.07% o'r sesiynau.

## Dyddiadau {{#dates}}

Mae'r rheolau'n newid ar 24 Tachwedd 2026 (2026-11-24), fel y cyhoeddwyd ym mis Medi 2021.

Darllenwch [y canllawiau](https://www.gov.wales/belonging) a'r [gweithgaredd](activities/1-01.md). Tair sy'n cyfrif.
"""

PAGE = "content/section-1/1a-intro.cy.md"


def source_of(project: Path, english: str) -> str:
    return translations.source_hash((project / english).read_text(encoding="utf-8"))


def pages(project: Path, welsh: str = WELSH_PAGE, english: str = ENGLISH_PAGE) -> None:
    write(project, "content/section-1/1a-intro.md", english)
    write(project, PAGE, welsh.format(source=source_of(project, "content/section-1/1a-intro.md")))


def found(project: Path) -> list[str]:
    return [str(error) for error in facts.fact_errors(project)]


def test_a_faithful_translation_passes_the_check(project, capsys):
    pages(project)
    assert found(project) == []
    assert sitebuild.check(project).ok, capsys.readouterr().err


WRONG_FACTS = [
    ("an amount", ("£60,", "£50,"), [
        f'{PAGE}:12 facts: "£60" in the English (line 12) is not in the Welsh',
        f'{PAGE}:12 facts: "£50" is in the Welsh but not the English']),
    ("a percentage", ("68.07%", "68.70%"), [
        f'{PAGE}:14 facts: "68.07%" in the English (line 14) is not in the Welsh',
        f'{PAGE}:14 facts: "68.70%" is in the Welsh but not the English']),
    ("a subsection", ("adran 444(1A)", "adran 444(1B)"), [
        f'{PAGE}:10 facts: "s444(1A)" (section 444(1A)) in the English (line 10) is not in the Welsh',
        f'{PAGE}:10 facts: "adran 444(1B)" (section 444(1B)) is in the Welsh but not the English']),
    ("a range of sections", ("adrannau 437 i 443", "adrannau 437 i 442"), [
        f'{PAGE}:10 facts: "ss437–443" (sections 437–443) in the English (line 10) is not in the Welsh',
        f'{PAGE}:10 facts: "adrannau 437 i 442" (sections 437–442) is in the Welsh but not the English']),
    ("a regulation", ("rheoliad 15", "rheoliad 16"), [
        f'{PAGE}:10 facts: "reg. 15" (regulation 15) in the English (line 10) is not in the Welsh',
        f'{PAGE}:10 facts: "rheoliad 16" (regulation 16) is in the Welsh but not the English']),
    ("a date in words", ("24 Tachwedd 2026", "24 Tachwedd 2025"), [
        f'{PAGE}:18 facts: "24 November 2026" (2026-11-24) in the English (line 18) is not in the Welsh',
        f'{PAGE}:18 facts: "24 Tachwedd 2025" (2025-11-24) is in the Welsh but not the English']),
    ("a month", ("mis Medi 2021", "mis Hydref 2021"), [
        f'{PAGE}:18 facts: "September 2021" (2021-09) in the English (line 18) is not in the Welsh',
        f'{PAGE}:18 facts: "Hydref 2021" (2021-10) is in the Welsh but not the English']),
    ("a number", ("21 diwrnod", "28 diwrnod"), [
        f'{PAGE}:12 facts: "21" in the English (line 12) is not in the Welsh',
        f'{PAGE}:12 facts: "28" is in the Welsh but not the English']),
    ("a link target", ("https://www.gov.wales/belonging", "https://www.llyw.cymru/perthyn"), [
        f'{PAGE}:20 facts: link to "https://www.gov.wales/belonging" in the English (line 20) is not in the Welsh',
        f'{PAGE}:20 facts: link to "https://www.llyw.cymru/perthyn" is in the Welsh but not the English']),
    # a heading without the English id gets a Welsh one: links to #dates would land at the top
    ("a heading id", ("## Dyddiadau {{#dates}}", "## Dyddiadau"), [
        f'{PAGE}:16 facts: id "dates" in the English (line 16) is not in the Welsh',
        f'{PAGE}:16 facts: id "dyddiadau" is in the Welsh but not the English']),
    # a figure left out is reported at the Welsh line that translates the English one
    ("a figure left out", (", neu £120 ar ôl", ", ar ôl"), [
        f'{PAGE}:12 facts: "£120" in the English (line 12) is not in the Welsh']),
]


@pytest.mark.parametrize("label, change, expected", WRONG_FACTS, ids=[case[0] for case in WRONG_FACTS])
def test_a_wrong_fact_in_a_welsh_page_fails_the_check_with_its_file_and_line(project, capsys, label, change,
                                                                               expected):
    old, new = change
    assert old in WELSH_PAGE
    pages(project, WELSH_PAGE.replace(old, new))
    assert found(project) == expected
    assert not sitebuild.check(project).ok
    err = capsys.readouterr().err
    assert all(line in err for line in expected)


def test_a_check_again_after_an_edit_sees_the_edit(project):
    """The preview checks every file on each save; results are kept for texts already compared, never after a change."""
    pages(project)
    assert found(project) == found(project) == []
    pages(project, WELSH_PAGE.replace("£60", "£50"))
    assert f'{PAGE}:12 facts: "£60" in the English (line 12) is not in the Welsh' in found(project)
    pages(project)
    assert found(project) == []


def test_a_fact_missing_where_the_welsh_is_laid_out_differently_is_reported_at_its_heading(project):
    # the Welsh splits the paragraph in two: no block matches the English one, so the heading is named
    welsh = WELSH_PAGE.replace("neu fwy; roedd Sophie yn bresennol am 68.07% o'r sesiynau.",
                               "neu fwy.\n\nRoedd Sophie yn bresennol am y rhan fwyaf o'r sesiynau.")
    pages(project, welsh)
    assert found(project) == [f'{PAGE}:8 facts: "68.07%" in the English (line 14) is not in the Welsh']


def test_a_fact_missing_under_a_heading_the_welsh_lacks_is_reported_at_line_1(project):
    welsh = WELSH_PAGE.replace("## Dyddiadau {{#dates}}\n\n", "").replace(" (2026-11-24)", "")
    pages(project, welsh)
    assert found(project) == [f'{PAGE}:1 facts: id "dates" in the English (line 16) is not in the Welsh',
                              f'{PAGE}:1 facts: "2026-11-24" in the English (line 18) is not in the Welsh']


EQUIVALENT = [  # (English, Welsh): the same facts
    ("Education Act 1996 s7 and section 576.", "Deddf Addysg 1996 adran 7 ac a.576."),
    ("Sections 444A and 444 apply.", "Mae adrannau 444A a 444 yn berthnasol."),
    ("The Education (Penalty Notices) (Wales) Regulations 2013.", "Rheoliadau Addysg (Hysbysiadau Cosb) (Cymru) 2013."),
    ("Regulations 14–16 set the code.", "Mae rheoliadau 14 i 16 yn gosod y cod."),
    ("In Section 1.e and element 4.a.", "Yn elfen 1.e ac Adran 4.a."),
    ("A fine of £2500, 10 per cent of it.", "Dirwy o £2,500, 10% ohoni."),
    ("From 1 September 2021 to 31 August 2025.", "O 1 Medi 2021 tan 31 Awst 2025."),
    ("Since 2026-11-24.", "Ers 24 Tachwedd 2026."),
    ("From September 2021.", "O fis Medi 2021."),
    ("By autumn 2025, three schools.", "Erbyn hydref 2025, tair ysgol."),
    ("The Children's Wellbeing and Schools Act 2026.",
     'Deddf Llesiant Plant ac Ysgolion 2026 (<span lang="en">Children\'s Wellbeing and Schools Act 2026</span>).'),
]


@pytest.mark.parametrize("english, welsh", EQUIVALENT, ids=[case[0] for case in EQUIVALENT])
def test_a_fact_written_the_welsh_way_is_the_same_fact(project, english, welsh):
    head = ENGLISH_PAGE.split("## The law")[0]
    pages(project, WELSH_PAGE.split("## Y gyfraith")[0] + welsh + "\n", head + english + "\n")
    assert found(project) == []
    changed = re.sub(r"\d", lambda digit: str((int(digit.group()) + 1) % 10), welsh, count=1)
    pages(project, WELSH_PAGE.split("## Y gyfraith")[0] + changed + "\n", head + english + "\n")
    assert found(project) != []  # and a changed digit is not


# ---- YAML files: field by field, at the exact line ---------------------------------------------------

ENGLISH_ACTIVITY = """\
id: "1.1"
section: "1"
element: "1.a"
title: Finding out more about my role
kind: with-manager
time: 1 hour
summary: >
  Talk to your manager about local arrangements
  and the £60 penalty notice under s444A,
  from 1 September 2026.
parts:
  - title: Discussion
    prompts:
      - What does the service do here?
      - How many of the 190 school days are lost?
case_studies:
  - ref: annie-thomas
evidence:
  - Notes of the discussion.
tags: [role]
"""

WELSH_ACTIVITY = """\
# Welsh text of activities/1-1.yml
translation:
  status: draft
  source: "{source}"
title: Dysgu mwy am fy rôl
summary: >
  Siaradwch â'ch rheolwr am y trefniadau lleol
  a'r hysbysiad cosb o £60 o dan adran 444A,
  o 1 Medi 2026 ymlaen.
parts:
  - title: Trafodaeth
    prompts:
      - Beth mae'r gwasanaeth yn ei wneud yma?
      - Faint o'r 190 diwrnod ysgol sy'n cael eu colli?
evidence:
  - Nodiadau'r drafodaeth.
tags: [rôl, 2026]
"""


def activity(project: Path, welsh: str = WELSH_ACTIVITY) -> None:
    write(project, "activities/1-1.yml", ENGLISH_ACTIVITY)
    write(project, "activities/1-1.cy.yml", welsh.format(source=source_of(project, "activities/1-1.yml")))


def test_a_faithful_yaml_translation_passes_and_its_tags_are_its_own(project):
    activity(project)
    assert found(project) == []


WRONG_YAML = [
    ("in a folded line", ("o £60 o dan", "o £50 o dan"), [
        'activities/1-1.cy.yml:8 summary: facts: "£60" in the English (line 9) is not in the Welsh',  # where £50 is
        'activities/1-1.cy.yml:8 summary: facts: "£50" is in the Welsh but not the English']),
    ("in a list entry", ("'r 190 diwrnod", "'r 180 diwrnod"), [
        'activities/1-1.cy.yml:14 parts[0].prompts[1]: facts: "190" in the English (line 15) is not in the Welsh',
        'activities/1-1.cy.yml:14 parts[0].prompts[1]: facts: "180" is in the Welsh but not the English']),
    ("left out of a field", ("\n  o 1 Medi 2026 ymlaen.", ""), [
        'activities/1-1.cy.yml:6 summary: facts: "1 September 2026" (2026-09-01) in the English (line 10)'
        " is not in the Welsh"]),
]


@pytest.mark.parametrize("label, change, expected", WRONG_YAML, ids=[case[0] for case in WRONG_YAML])
def test_a_wrong_fact_in_a_welsh_yaml_file_is_reported_at_its_field_and_line(project, label, change, expected):
    old, new = change
    assert old in WELSH_ACTIVITY
    activity(project, WELSH_ACTIVITY.replace(old, new))
    assert found(project) == expected


def short_answer_quiz(project: Path, accepted: str) -> None:
    write(project, "quizzes/sessions.yml", """\
        id: sessions
        title: Sessions
        questions:
          - kind: short-answer
            prompt: How many sessions are there in a five-day week?
            accepted: ["10", ten]
            explanation: Two a day.
            source: Induction pack 4.b
        """)
    write(project, "quizzes/sessions.cy.yml", f"""\
        translation:
          status: draft
          source: "{source_of(project, "quizzes/sessions.yml")}"
        title: Sesiynau
        questions:
          - prompt: Sawl sesiwn sydd mewn wythnos o bum diwrnod?
            accepted: {accepted}
            explanation: Dwy bob dydd.
            source: Pecyn sefydlu 4.b
        """)


def test_accepted_answers_are_compared_as_a_set(project):
    short_answer_quiz(project, '["10", deg, "10 sesiwn"]')  # a translation may accept more ways to say it
    assert found(project) == []
    short_answer_quiz(project, '["12", deuddeg]')
    assert found(project) == [
        'quizzes/sessions.cy.yml:7 questions[0].accepted: facts: "10" in the English (line 6) is not in the Welsh',
        'quizzes/sessions.cy.yml:7 questions[0].accepted[0]: facts: "12" is in the Welsh but not the English']


# ---- the real handbook -----------------------------------------------------------------------------

def test_the_real_welsh_files_keep_the_facts_of_their_english():
    assert [str(error) for error in facts.fact_errors(ROOT)] == []
