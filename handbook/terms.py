"""The Welsh term list (handbook/locale/cy/terms.yml) and the check that holds the Welsh files to it.

The list records, for each term the handbook uses, the English, the Welsh chosen and the forms not to
use, each with its reason: terms (*hysbysiad cosb*), official titles (*Fframwaith Presenoldeb ar gyfer
Cymru Gyfan*), fixed wording, and register (*delio â* is spoken Welsh; the handbook writes *ymdrin â*).
`build.py check` warns wherever a Welsh file uses a form to avoid: a warning, not an error, because a
draft is still a draft and a listed form can be right in a sentence the list did not foresee (quoting
an old title, say); the project decides.

A form to avoid is a word or a phrase, matched as whole words and case-insensitively, with any
straight or curly apostrophe. Its first word is also matched in each of its initial mutations
(`welsh_search.mutations`: *cydweithiwr uwch* finds *neu gydweithiwr uwch*, *anawdurdodedig* finds
*hanawdurdodedig*); the words after it are matched as written. `…` (or `...`) between two words stands
for up to GAP_WORDS words of the same sentence, so a register rule can be a split phrase such as
*fydd … ddim* (*Fydd hyn ddim yn gweithio*).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from .model import Strict, Text
from .welsh_search import mutations
from .words import catalogue_file
from .yamlsource import ContentError, YamlDocument, parse_yaml, read_source_text

TERMS_FILE = Path(__file__).resolve().parent / "locale" / "cy" / "terms.yml"
CODE_ROOT = TERMS_FILE.parents[3]  # the repository: names the term list and catalogue in messages
GAPS = ("…", "...")
GAP_WORDS = 12
# The Welsh files of a project, beside their English ones (handbook/translations.py), and its site config.
WELSH_FILES = ("content/**/*.cy.md", "sections/*.cy.yml", "activities/*.cy.yml", "activities/case-studies/*.cy.yml",
               "quizzes/*.cy.yml", "glossary.cy.yml", "standards.cy.yml", "mkdocs.cy.yml")


class Avoid(Strict):
    text: Text  # a word or phrase; … between two words stands for a few words of the same sentence
    reason: Text

    @field_validator("text")
    @classmethod
    def _gaps_between_words(cls, value: str) -> str:
        words = value.split()
        if not words or words[0] in GAPS or words[-1] in GAPS:
            raise ValueError("write a word or phrase; … may only stand between two words")
        return value


class Term(Strict):
    english: Text
    welsh: Text  # the form to write
    kind: Literal["term", "title", "wording", "register"] = "term"
    avoid: list[Avoid] = Field(default_factory=list)
    note: str | None = None


class TermList(Strict):
    terms: list[Term] = Field(min_length=1)


@dataclass
class Rule:
    term: Term
    avoid: Avoid
    pattern: re.Pattern[str]
    where: tuple  # its location in the term list: ("terms", 3, "avoid", 0, "text")
    # The words a text must hold for the rule to match it, once for each form of the first word:
    # a quick test that spares most files the regular expression (about 5 ms a rule on the handbook).
    needles: tuple[frozenset[str], ...]


def _forms(word: str) -> list[str]:
    """A first word in its own form and each mutation, lower case, longest first."""
    return sorted({word.lower(), *mutations(word)}, key=len, reverse=True)


def _word(word: str, first: bool) -> str:
    forms = _forms(word) if first else [word.lower()]
    return "(?:" + "|".join(re.escape(form).replace("'", "['’‘]") for form in forms) + ")"


def phrase_pattern(text: str) -> re.Pattern[str]:
    """A form to avoid as a regular expression: whole words, any case and apostrophe, the first word in
    any of its mutations, a gap (…) as up to GAP_WORDS words that end no sentence."""
    parts, after_gap, first = [], False, True
    for word in text.split():
        if word in GAPS:
            after_gap = True
            continue
        if parts:
            parts.append(rf"(?:\s+[^\s.!?]+){{0,{GAP_WORDS}}}?\s+" if after_gap else r"\s+")
        parts.append(_word(word, first))
        after_gap, first = False, False
    return re.compile(r"(?<!\w)" + "".join(parts) + r"(?!\w)", re.IGNORECASE)


def rules_of(terms: TermList) -> list[Rule]:
    return [Rule(term, avoid, phrase_pattern(avoid.text), ("terms", t, "avoid", a, "text"), _needles(avoid.text))
            for t, term in enumerate(terms.terms) for a, avoid in enumerate(term.avoid)]


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _needles(text: str) -> tuple[frozenset[str], ...]:
    first, *rest = [word for word in text.split() if word not in GAPS]
    others = _tokens(" ".join(rest))
    return tuple(frozenset(_tokens(form) | others) for form in _forms(first))


def display_path(file: Path, root: Path) -> str:
    """A file named from the project root, or from the repository for the term list and catalogue."""
    for base in (root, CODE_ROOT):
        try:
            return file.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return file.as_posix()


def load_terms(file: Path | None = None, root: Path = CODE_ROOT) -> tuple[TermList | None, list[Rule],
                                                                           list[ContentError]]:
    """A term list (TERMS_FILE unless told) and its rules, or the errors (file:line) that stop it."""
    from .loader import validate  # loader imports the content model; imported here as translations does

    file = file or TERMS_FILE
    path = display_path(file, root)
    text, errors = read_source_text(file, path)
    if text is None:
        return None, [], errors
    doc, errors = parse_yaml(text, path)
    if doc is None or errors:
        return None, [], errors
    terms, errors = validate(doc, TermList)
    if terms is None:
        return None, [], errors
    rules = rules_of(terms)
    errors = _contradictions(doc, terms, rules)
    return (None, [], errors) if errors else (terms, rules, [])


def _contradictions(doc: YamlDocument, terms: TermList, rules: list[Rule]) -> list[ContentError]:
    """A form listed twice, or one that matches a chosen term (the check would flag the right word)."""
    errors, seen = [], {}
    for rule in rules:
        key = " ".join(rule.avoid.text.lower().split())
        if key in seen:
            errors.append(doc.error(rule.where, f'"{rule.avoid.text}" is already listed (under "{seen[key]}")'))
        seen.setdefault(key, rule.term.english)
        for term in terms.terms:
            if rule.pattern.search(term.welsh):
                errors.append(doc.error(rule.where, f'"{rule.avoid.text}" matches the chosen Welsh'
                                                    f' "{term.welsh}" ({term.english}): it would flag the right word'))
    return errors


# ---- the check -------------------------------------------------------------------------------------

def welsh_files(root: Path) -> list[Path]:
    """Every Welsh file of the project, and the Welsh catalogue of the words the generator writes."""
    files = sorted({file for pattern in WELSH_FILES for file in root.glob(pattern) if file.is_file()})
    catalogue = catalogue_file("cy")
    return files + ([catalogue] if catalogue.exists() else [])


def catalogue_text(text: str) -> str:
    """A gettext catalogue with only its msgstr lines kept: the English and the comments are blanked,
    so that line numbers stay right."""
    kept, in_msgstr = [], False
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("msgstr"):
            in_msgstr = True
        elif not stripped.startswith('"'):
            in_msgstr = False
        kept.append(line if in_msgstr else "")
    return "\n".join(kept)


def find(text: str, path: str, rules: list[Rule]) -> list[ContentError]:
    """A warning for each use in `text` of a form the term list says to avoid."""
    found, words = [], _tokens(text)
    for rule in rules:
        if not any(needle <= words for needle in rule.needles):
            continue
        for match in rule.pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            used = " ".join(match.group(0).split())
            found.append(ContentError(path, line, "", f'uses "{used}" where the Welsh term list has'
                                                      f' "{rule.term.welsh}" ({rule.term.english}):'
                                                      f" {rule.avoid.reason}", "warning"))
    return found


def term_warnings(root: Path, terms_file: Path | None = None) -> tuple[list[ContentError], list[ContentError]]:
    """(errors in the term list, warnings for the Welsh files that use a form it says to avoid)."""
    _, rules, errors = load_terms(terms_file, root)
    warnings = []
    for file in welsh_files(root) if rules else []:
        path = display_path(file, root)
        text, _ = read_source_text(file, path)
        if text is not None:  # an unreadable file is reported by the loader
            warnings += find(catalogue_text(text) if file.suffix == ".po" else text, path, rules)
    return errors, sorted(warnings, key=lambda w: (w.path, w.line))
