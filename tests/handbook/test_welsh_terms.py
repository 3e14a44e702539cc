"""The Welsh term list (handbook/locale/cy/terms.yml): it loads, a broken one is reported by file and
line, and `build.py check` warns wherever a Welsh file uses a form the list says to avoid (as written,
in any case, in an initial mutation, or split across a line), naming the file, the line, the form
found and the Welsh chosen. The real handbook carries none of the review's term and register faults."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from handbook import sitebuild, terms, translations
from helpers import ROOT, write


def welsh_activity(project: Path, summary: str, prompt: str) -> Path:
    source = translations.source_hash((project / "activities/1-1.yml").read_text(encoding="utf-8"))
    return write(project, "activities/1-1.cy.yml", f"""\
        # Welsh text of activities/1-1.yml
        translation:
          status: draft
          source: "{source}"
        title: Dysgu mwy am fy rôl
        summary: {summary}
        parts:
          - title: Trafodaeth
            prompts:
              - {prompt}
              - Sut mae amser yn cael ei rannu rhwng ysgolion?
        evidence:
          - Nodiadau'r drafodaeth.
        """)


def welsh_page(project: Path, body: str) -> Path:
    source = translations.source_hash((project / "content/index.md").read_text(encoding="utf-8"))
    return write(project, "content/index.cy.md",
                 f'---\ntitle: Hafan\ntranslation:\n  status: draft\n  source: "{source}"\n---\n\n{body}\n')


def warnings_in(project: Path, path: str) -> list[str]:
    errors, warnings = terms.term_warnings(project)
    assert not errors
    return [str(w) for w in warnings if w.path == path]


# ---- the list ------------------------------------------------------------------------------------

def test_the_term_list_loads_and_covers_the_glossary_and_the_official_titles():
    term_list, rules, errors = terms.load_terms()
    assert errors == [] and rules
    chosen = {term.english: term.welsh for term in term_list.terms}
    assert chosen["penalty notice"] == "hysbysiad cosb"
    assert chosen["Education Act 1996"] == "Deddf Addysg 1996"
    assert chosen["All Wales Attendance Framework (2011)"] == "Fframwaith Presenoldeb ar gyfer Cymru Gyfan"
    belonging = "Belonging, engaging and participating (Welsh Government, 2023)"
    assert chosen[belonging] == "Perthyn, ymgysylltu a chyfranogi"
    # one list: every Welsh meaning in the glossary is a term the list chose
    glossary = yaml.safe_load((ROOT / "glossary.cy.yml").read_text(encoding="utf-8"))
    welsh = {term.welsh.lower() for term in term_list.terms}
    assert [t["meaning"] for t in glossary["terms"] if t["meaning"].lower() not in welsh] == []
    # register rules are phrases, and a phrase may have a gap
    assert {"delio â", "mae e'n", "fydd … ddim"} <= {rule.avoid.text for rule in rules}


BROKEN_LISTS = [
    ("no Welsh", "terms:\n  - english: penalty notice\n    avoid: []\n",
     "terms.yml:2 terms[0].welsh: is required"),
    ("a misspelt field", "terms:\n  - english: penalty notice\n    welsh: hysbysiad cosb\n    avoid:\n"
                         "      - text: rhybudd cosb\n        reasons: a warning\n",
     "terms.yml:6 terms[0].avoid[0].reasons: unknown field"),
    ("a gap at the end", "terms:\n  - english: will not\n    welsh: Ni fydd\n    avoid:\n"
                         "      - text: fydd …\n        reason: spoken\n",
     "terms.yml:5 terms[0].avoid[0].text: write a word or phrase; … may only stand between two words"),
    ("a form that flags the chosen term", "terms:\n  - english: senior colleague\n    welsh: uwch gydweithiwr\n"
                                          "    avoid:\n      - text: cydweithiwr\n        reason: order\n",
     'terms.yml:5 terms[0].avoid[0].text: "cydweithiwr" matches the chosen Welsh "uwch gydweithiwr"'),
    ("a form listed twice", "terms:\n  - english: a\n    welsh: un\n    avoid: [{text: dyw, reason: spoken}]\n"
                            "  - english: b\n    welsh: dau\n    avoid: [{text: Dyw, reason: spoken}]\n",
     'terms.yml:7 terms[1].avoid[0].text: "Dyw" is already listed (under "a")'),
    ("bad YAML", "terms:\n  - english: [unclosed\n", "terms.yml:3 YAML syntax error"),
]


@pytest.mark.parametrize("label, text, expected", BROKEN_LISTS, ids=[case[0] for case in BROKEN_LISTS])
def test_a_broken_term_list_fails_the_check_naming_file_and_line(project, monkeypatch, capsys, label, text, expected):
    monkeypatch.setattr(terms, "TERMS_FILE", write(project, "terms.yml", text))
    assert not sitebuild.check(project).ok
    assert expected in capsys.readouterr().err


# ---- the check -----------------------------------------------------------------------------------

def test_a_welsh_file_using_a_form_to_avoid_is_reported_with_file_line_and_the_chosen_term(project, capsys):
    welsh_activity(project, summary="Siaradwch â'ch rheolwr neu gydweithiwr uwch am y trefniadau lleol.",
                   prompt="Faint o absenoldeb ANAWDURDODEDIG sydd yn yr ysgol?")
    checked = sitebuild.check(project)
    assert checked.ok  # a warning: the check still passes
    err = capsys.readouterr().err
    assert ('activities/1-1.cy.yml:6 warning: uses "gydweithiwr uwch" where the Welsh term list has'
            ' "uwch gydweithiwr" (senior colleague): ') in err  # soft mutation after neu
    assert ('activities/1-1.cy.yml:10 warning: uses "ANAWDURDODEDIG" where the Welsh term list has'
            ' "heb awdurdod" (unauthorised (of an absence)): ') in err  # any case
    assert len([w for w in checked.warnings if w.path == "activities/1-1.cy.yml"]) == 2


def test_forms_are_found_in_every_mutation_as_whole_words_and_across_lines(project):
    welsh_page(project, "Siaradwch â fy nghydweithiwr uwch. Dywedwch wrth eich uwch gydweithiwr.\n\n"
                        "Mae'r absenoldeb yn hanawdurdodedig.\n\n"
                        "Fydd yr hyn sy'n gweithio i un person\nddim bob amser yn gweithio i chi.\n\n"
                        "Pan fydd hi'n bwrw glaw. Ddim heddiw.\n\n"
                        "Brandon: mae e’n dechrau mynd yn ymosodol. I ddelio â'r bwlio.")
    found = warnings_in(project, "content/index.cy.md")
    assert [line.split(" where ")[0] for line in found] == [
        'content/index.cy.md:8 warning: uses "nghydweithiwr uwch"',  # nasal mutation; "Dywedwch" is no "dyw"
        'content/index.cy.md:10 warning: uses "hanawdurdodedig"',  # h- before a vowel
        # a split phrase, across a line break; "Pan fydd … Ddim" spans two sentences and is not one
        "content/index.cy.md:12 warning: uses \"Fydd yr hyn sy'n gweithio i un person ddim\"",
        'content/index.cy.md:17 warning: uses "mae e’n"',  # a curly apostrophe
        'content/index.cy.md:17 warning: uses "ddelio â"',  # soft mutation after i
    ]
    assert '"Ni fydd …" (will not (negative of bydd))' in found[2] and '"ymdrin â" (deal with)' in found[4]


def test_the_generators_welsh_catalogue_is_checked_in_its_translations_only():
    _, rules, _ = terms.load_terms()
    catalogue = '#. deal with: not "delio â"\nmsgid "Deal with it"\nmsgstr ""\n"Delio â fe"\n\nmsgid "delio â"\n'
    found = terms.find(terms.catalogue_text(catalogue), "handbook.po", rules)
    assert [(w.path, w.line) for w in found] == [("handbook.po", 4)]


# ---- the real handbook ---------------------------------------------------------------------------

REVIEWED_TERMS = [  # the terms the Welsh review raised, as the term list names them in English
    "All Wales Attendance Framework (2011)", "knowledge base (the handbook's reference section)",
    "with a caveat (a point not yet confirmed)", "the 10-day return (to the local authority)",
    "unauthorised (of an absence)", "truancy sweeps (truancy patrols)", "senior colleague",
    "details that could identify a child or family", "leave out (of notes or records)",
    "At the time of review we could not confirm …", "is not (negative of mae)", "will not (negative of bydd)",
    "there is no (negative of mae / oes)", "was not, were not (negative of roedd)",
    "I did not (negative of a past tense)", "he is, it is (mae + pronoun + yn)", "deal with", "meet (imperative)",
]


def test_the_real_handbook_has_none_of_the_reviews_problems_left():
    term_list, _, _ = terms.load_terms()
    reviewed = [term for term in term_list.terms if term.english in REVIEWED_TERMS]
    assert len(reviewed) == len(REVIEWED_TERMS)
    errors, warnings = terms.term_warnings(ROOT)
    assert errors == []
    assert [str(w) for w in warnings if any(f'"{t.welsh}" ({t.english})' in w.message for t in reviewed)] == []
    # the points no rule can catch: a plural pronoun after "ambell un", and one form of the sentence
    attendance = (ROOT / "content/section-1/1d-values-and-beliefs-about-attendance.cy.md").read_text(encoding="utf-8")
    assert "ambell un eisiau cael eu trin" not in attendance
    for page in ("index.cy.md", "section-1/1a-introduction.cy.md", "section-1/1e-context.cy.md"):
        text = (ROOT / "content" / page).read_text(encoding="utf-8")
        assert "Ar adeg yr adolygiad, ni allem gadarnhau a yw" in text, page
