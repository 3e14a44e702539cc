"""Welsh spelling (handbook/spelling.py): every word of the Welsh prose is in Aspell's Welsh dictionary
(in any mutation) or in handbook/locale/cy/words.txt; an unknown word fails `build.py check` with its
file, line and the word. Code, URLs, link targets, HTML and text marked lang="en" are not Welsh prose
and are not checked; aria-label, alt and title are. Without Aspell the check says so and fails."""
from __future__ import annotations

import os
import re
from pathlib import Path

import build
from handbook import sitebuild, spelling, terms, translations
from helpers import ROOT, write

WORDS_TXT = "handbook/locale/cy/words.txt"


def welsh_page(project: Path, body: str) -> Path:
    """content/index.cy.md: the English page is 'Start with [Section 1](section-1/index.md).' under
    '## About'; the body given comes after the Welsh of those lines (line 10 on)."""
    source = translations.source_hash((project / "content/index.md").read_text(encoding="utf-8"))
    return write(project, "content/index.cy.md",
                 f'---\ntitle: Hafan\ntranslation:\n  status: draft\n  source: "{source}"\n---\n\n'
                 f"## Amdano {{#about}}\n\nDechreuwch gydag [Adran 1](section-1/index.md).\n{body}\n")


def spelling_errors(project: Path, word_list: Path | None = None) -> list[str]:
    return [str(error) for error in spelling.spelling_report(project, word_list).errors]


def test_a_misspelt_welsh_word_fails_the_check_with_its_file_line_and_word(project, capsys):
    welsh_page(project, "Mae'r gwasanaethua yn helpu ysgolion.\n\nMae'r athrwon yn siarad â'r rheolwr.")
    assert not sitebuild.check(project).ok
    err = capsys.readouterr().err
    assert f'content/index.cy.md:11 spelling: "gwasanaethua" is not in the Welsh dictionary or {WORDS_TXT}' in err
    assert f'content/index.cy.md:13 spelling: "athrwon" is not in the Welsh dictionary or {WORDS_TXT}' in err
    assert len(re.findall(" spelling: ", err)) == 2


def test_what_is_not_welsh_prose_is_not_checked_and_mutations_and_clitics_are_welsh(project):
    welsh_page(project, """\
Mae'r Gwasanaeth yng Nghymru'n gweithio i'w ddysgwyr, ac mae cyd-destun Gymru'n newid.
Chwiliwch am `s444 zzqx` neu <code>qqxv wwzz</code>: https://example.org/zzqx-wwzz a [hwn](zzqx/wwzz.md).
<div class="ews-flow qqxv" data-zzqx="wwzz" markdown>Mae Sophie Jones yn yr ysgol.</div>
Deddf Llesiant Plant ac Ysgolion 2026 (<span lang="en">Children's Wellbeing and Schools Act 2026</span>).

```
zzqx wwzz qqxv
```

<div lang="en" markdown>

An English paragraph quoted whole, with plenty of English words.

</div>

Cod yr Association for Education Welfare Management (AEWM), tudalennau iv i vi.""")
    assert spelling_errors(project) == []


def test_the_words_a_screen_reader_reads_in_html_are_checked(project):
    welsh_page(project, '<div class="ews-flow" role="img" aria-label="Siart llif y gwasanaethua">\n</div>')
    assert spelling_errors(project) == [
        f'content/index.cy.md:11 spelling: "gwasanaethua" is not in the Welsh dictionary or {WORDS_TXT}']


def test_english_words_in_welsh_prose_are_unknown_unless_the_list_names_them_whole(project):
    welsh_page(project, "Mae'r undeb yn rhan o'r Prospect Education and Children's Services Group.\n\n"
                        "Mae hwn yn plenty and lots.")
    assert spelling_errors(project) == [
        f'content/index.cy.md:13 spelling: "{word}" is not in the Welsh dictionary or {WORDS_TXT}'
        for word in ("plenty", "and", "lots")]


def test_a_yaml_text_field_is_checked_at_its_own_line(project):
    source = translations.source_hash((project / "activities/1-1.yml").read_text(encoding="utf-8"))
    write(project, "activities/1-1.cy.yml", f"""\
        # Welsh text of activities/1-1.yml
        translation:
          status: draft
          source: "{source}"
        title: Dysgu mwy am fy rôl
        summary: >
          Siaradwch â'ch rheolwr am y Prospect Education
          and Children's Services Group
          a'r hyn y mae athrwon yn ei wneud.
        parts:
          - title: Trafodaeth
            prompts:
              - Beth mae'r gwasanaeth yn ei wneud yma?
              - Sut mae amser yn cael ei rannu rhwng ysgolion, siaradd?
        evidence:
          - Nodiadau'r drafodaeth.
        """)
    assert spelling_errors(project) == [
        f'activities/1-1.cy.yml:9 spelling: "athrwon" is not in the Welsh dictionary or {WORDS_TXT}',
        f'activities/1-1.cy.yml:14 spelling: "siaradd" is not in the Welsh dictionary or {WORDS_TXT}']


def test_the_word_list_accepts_its_words_in_their_mutations_and_cases(project, tmp_path):
    words = write(tmp_path, "words.txt", (ROOT / WORDS_TXT).read_text(encoding="utf-8") + """
# names and words the dictionary lacks
Zzqxbury       # a place: as written
cwarwsgwn      # lower case: in any case
Qqxv Wwzz Trust
""")
    welsh_page(project, "Yn Zzqxbury, mae'r Cwarwsgwn a'r gwarwsgwn yn helpu Qqxv Wwzz Trust.")
    assert spelling_errors(project, words) == []
    welsh_page(project, "Yn zzqxbury, mae Wwzz yn helpu.")  # a capitalised name is not a word; half a name is none
    assert spelling_errors(project, words) == [
        f'content/index.cy.md:11 spelling: "{word}" is not in the Welsh dictionary or {words}'
        for word in ("zzqxbury", "Wwzz")]


WELSH_FILES = {  # every kind of Welsh file, its text in the place the kind keeps it
    "sections/1.cy.yml": "title: Y gwasanaethua\nsummary: Sut i ddelio â phethau.\n",
    "activities/1-1.cy.yml": "title: Y gwasanaethua\nsummary: Sut i ddelio â phethau.\n",
    "activities/case-studies/annie-thomas.cy.yml": "title: Y gwasanaethua\nstory: Sut i ddelio â phethau.\n",
    "quizzes/values.cy.yml": "title: Y gwasanaethua\nintro: Sut i ddelio â phethau.\n",
    "glossary.cy.yml": "terms:\n  - term: ALN\n    meaning: Y gwasanaethua\n    note: Sut i ddelio â phethau.\n",
    "content/index.cy.md": "---\ntitle: Y gwasanaethua\n---\n\nSut i ddelio â phethau.\n",
    "mkdocs.cy.yml": "INHERIT: mkdocs.yml\nsite_name: Y gwasanaethua\ncopyright: Sut i ddelio â phethau.\n",
}


def test_every_kind_of_welsh_file_is_checked_for_spelling_and_register(project):
    for path, text in WELSH_FILES.items():
        write(project, path, text)
    misspelt = {error.path: error.line for error in spelling.spelling_report(project).errors}
    assert misspelt == {path: text[:text.index("gwasanaethua")].count("\n") + 1 for path, text in WELSH_FILES.items()}
    _, register = terms.term_warnings(project)
    assert {warning.path for warning in register if "ymdrin â" in warning.message} == set(WELSH_FILES)


def test_the_generators_catalogue_is_read_in_its_welsh_only():
    catalogue = ('msgid ""\nmsgstr ""\n"Project-Id-Version: zzqx\\n"\n\n'
                 '#, python-format\nmsgid "%(count)s activities shown"\nmsgstr "Dangosir %(count)s gweithgaredd"\n\n'
                 'msgid "Aims"\nmsgstr[0] "Nodau\\n"\n')
    prose = spelling.welsh_prose(Path("handbook.po"), catalogue, "handbook.po")
    assert spelling.words_of(prose) == [("Dangosir", 7), ("gweithgaredd", 7), ("Nodau", 10)]


def test_check_prints_the_unknown_word_rate_and_by_file_on_request(project, capsys):
    welsh_page(project, "Mae'r Gwasanaeth yn gweithio gyda theuluoedd, ysgolion a rheolwyr.")
    assert sitebuild.check(project).ok
    out = capsys.readouterr().out
    summary = re.search(r"spelling Cymraeg \(cy\): (\d+\.\d)% of (\d+) words in (\d+) files are not in the"
                        r" dictionary \((\d+); the word list has the rest\), 0 unknown to both", out)
    assert summary and int(summary[3]) == 2 and int(summary[2]) > 10  # the page and the generator's catalogue
    assert "content/index.cy.md" not in out
    assert build.main(["--root", str(project), "check", "--spelling-report"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"\n +\d+\.\d% +\d+ of \d+ +0  content/index\.cy\.md\n", out)


def test_without_aspell_the_check_fails_and_says_how_to_install_it(project, tmp_path, monkeypatch, capsys):
    welsh_page(project, "Mae'r Gwasanaeth yn helpu.")
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    assert not sitebuild.check(project).ok
    assert ("spelling: aspell is not installed: run scripts/setup.sh (it installs aspell and aspell-cy)"
            in capsys.readouterr().err)
    # aspell without its Welsh dictionary: the same, naming the package
    fake = write(tmp_path, "bin/aspell", '#!/bin/sh\necho \'Error: No word lists can be found for the language "cy".\''
                                          " >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent) + os.pathsep + os.environ["PATH"])
    assert not sitebuild.check(project).ok
    err = capsys.readouterr().err
    assert 'spelling: aspell cannot check cy: Error: No word lists can be found for the language "cy".' in err
    assert "it installs aspell-cy" in err


# ---- the real handbook -----------------------------------------------------------------------------

def test_the_real_welsh_files_are_spelt_right():
    report = spelling.spelling_report(ROOT)
    assert [str(error) for error in report.errors] == []
    assert report.total > 10_000 and report.unknown_to_dictionary < report.total * 0.1
