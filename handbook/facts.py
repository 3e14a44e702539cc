"""Facts survive translation: every figure, amount, legal reference, date, link and heading id of an
English file is in its Welsh file, and the Welsh has none the English lacks.

A fact is compared by its value, not its wording, so each language may write it its own way:

- a number as digits: 2,500 and 2500 are one number; number words (three, tri) are not facts
- a percentage: 10%, 10 per cent, 10 y cant
- an amount: £60, £2,500
- a section or regulation of an Act: s444(1A), section 444(1A), adran 444(1A) are the one fact
  "section 444(1A)"; ss437–443, sections 437 to 443, adrannau 437 i 443 are "sections 437–443";
  reg. 15, regulation 15, rheoliad 15 are "regulation 15". A year is not a reference (the Regulations
  2013, Rheoliadau 2013: a title's year, a number). A handbook element such as 1.e is a number,
  whether the text calls it a section, an element or elfen.
- a date: 2026-11-24, 24 November 2026, 24 Tachwedd 2026 are one date; September 2021 and mis Medi
  2021 one month (Welsh month names from Babel, in their soft mutation too: o Fedi 2021). A month is a
  date only beside a day or a year and written with its capital (hydref 2025 is an autumn).
- a link target or URL, and an id a link can point at (a heading's, or an element's id="...").

Text marked lang="en" in a Welsh page (an English title quoted beside its Welsh) holds no facts; an
HTML entity is its character (&pound;60 is £60). Tags are labels a translation chooses: not compared.

Files are compared as wholes (a fact may move within a translation); each fact is first matched in its
own part of the file (a YAML field, a page's part under one heading), so that a figure missing from
one place is reported there. A figure the English lacks is reported at its Welsh line; one the Welsh
lacks, naming the English line, at the Welsh line of a figure of its kind the English lacks in the same
part (a figure changed), else at the nearest corresponding Welsh line: the field; on a page the same
block (paragraph, list item, table row) under the same heading, else that heading, else line 1. Both
are errors: a wrong figure or date in a page about the law misleads the officer who relies on it.
"""
from __future__ import annotations

import dataclasses
import html
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .loader import FRONT_MATTER
from .prose import Field, line_of, markdown_text, yaml_fields, yaml_prose
from .welsh_search import mutations
from .yamlsource import ContentError, YamlDocument, read_source_text

YAML_FILES = ("sections/*.cy.yml", "activities/*.cy.yml", "activities/case-studies/*.cy.yml", "quizzes/*.cy.yml",
              "glossary.cy.yml", "standards.cy.yml")
PAGE_FILES = "content/**/*.cy.md"

NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
ORDINAL = r"(?:st|nd|rd|th|af|ain|il|ydd|edd|fed|ed)?"
REF = r"(?!(?:1[89]|20)\d\d\b)\d+[A-Z]{0,3}(?:\([0-9A-Za-z]{1,4}\))*(?!\.[a-z]\b)(?![\w.]\d)"
RANGE = r"\s*(?:[–—-]|\bto\b|\bi\b|\bhyd at\b)\s*"
AND = r"(?:\s*,\s*|\s+(?:and|or|a|ac|neu)\s+)"
SPACE = r"(?:\s|&nbsp;)*"
LAW = {  # the kind of reference -> (its keywords for one, its keywords for several)
    "section": (r"s\.?(?=\d)|s\.\s(?=\d)|sect\.|section|adran|hadran|a\.(?=\d)",
                r"ss\.?(?=\s?\d)|sections|adrannau|hadrannau"),
    "regulation": (r"reg\.?|regulation|rheoliad|reoliad", r"regs\.?|regulations|rheoliadau|reoliadau"),
}


@dataclass
class Fact:
    kind: str  # number, percentage, amount, section, regulation, date, link, id
    key: str  # the value compared: "2500", "section 444(1A)", "2026-11-24"
    text: str  # as written
    line: int
    place: tuple  # the part of the file it is in: a field's location, or the heading id above it
    field: str = ""  # the YAML field, for the message

    @property
    def shown(self) -> str:
        label = {"link": "link to ", "id": "id "}.get(self.kind, "")
        written = f'{label}"{self.text}"'
        return written if self.kind in ("link", "id") or _plain(self.key) == _plain(self.text) \
            else f"{written} ({self.key})"


def _plain(text: str) -> str:
    return re.sub(r"[\s,]", "", text).lower()


# ---- finding the facts in a text --------------------------------------------------------------------

@lru_cache(maxsize=1)
def _months() -> dict[str, int]:
    """Month names, English and Welsh, wide and short, and the Welsh soft mutations (o Fedi), as
    written: capitalised."""
    from babel.dates import get_month_names

    names: dict[str, int] = {}
    for locale, widths in (("en_GB", ("wide", "abbreviated")), ("cy", ("wide",))):
        for width in widths:
            for number, name in get_month_names(width, locale=locale).items():
                names[name] = number
                if locale == "cy":
                    names.update({form.capitalize(): number for form in mutations(name)})
    names["Sep"] = 9
    return names


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    month = r"(?P<month>" + "|".join(sorted(map(re.escape, _months()), key=len, reverse=True)) + r")\.?(?!\w)"
    laws = []
    for kind, (one, many) in LAW.items():
        ref_list = rf"{REF}(?:{RANGE}{REF})?"
        laws.append((kind, re.compile(rf"(?<![\w'’])(?i:(?P<many>{many})|(?P<one>{one})){SPACE}"
                                      rf"(?P<refs>{ref_list}(?:{AND}{ref_list})*)")))
    return [
        ("date", re.compile(r"(?<![\d-])(?P<year>\d{4})-(?P<mm>\d{2})-(?P<day>\d{2})(?![\d-])")),
        ("date", re.compile(rf"(?<![\d.,])(?P<day>\d{{1,2}}){ORDINAL}\s+(?:of\s+|o\s+)?{month}"
                            rf"(?:,?\s+(?P<year>\d{{4}})(?!\d))?")),
        ("date", re.compile(rf"(?<!\w){month}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,\s+(?P<year>\d{{4}})(?!\d)")),
        ("date", re.compile(rf"(?<!\w){month},?\s+(?P<year>\d{{4}})(?!\d)")),
        ("amount", re.compile(rf"(?P<unit>[£$€]){SPACE}(?P<number>{NUMBER})")),
        ("percentage", re.compile(rf"(?<![\d.,])(?P<number>{NUMBER})(?:\s?%|\s+per\s?cent\b|\s+y\s+cant\b)")),
        *laws,
        ("number", re.compile(r"(?<![\w.])(?P<number>\d+\.[a-z])(?!\w)")),  # a handbook element: 1.e
        ("number", re.compile(rf"(?<![\d.,])(?P<number>{NUMBER})(?![\d])")),
    ]


def _number(text: str) -> str:
    return text.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text) else text


def _key(kind: str, match: re.Match) -> str:
    groups = match.groupdict()
    if kind == "date":
        month = int(groups["mm"]) if groups.get("mm") else _months()[match.group("month")]
        day, year = groups.get("day"), groups.get("year")
        return (f"{year}-{month:02d}-{int(day):02d}" if day and year else
                f"{year}-{month:02d}" if year else f"{int(day)} {_months_en()[month]}")
    if kind == "amount":
        return match.group("unit") + _number(match.group("number"))
    if kind == "percentage":
        return _number(match.group("number")) + "%"
    return _number(match.group("number"))


@lru_cache(maxsize=1)
def _months_en() -> dict[int, str]:
    from babel.dates import get_month_names

    return dict(get_month_names("wide", locale="en_GB"))


def _law_facts(kind: str, match: re.Match) -> list[tuple[str, str, int]]:
    """(key, text, offset) of each reference or range in a match such as 'sections 444A and 444'."""
    found = []
    refs_start = match.start("refs")
    for index, part in enumerate(re.finditer(rf"(?P<first>{REF})(?:{RANGE}(?P<last>{REF}))?", match.group("refs"))):
        if index and not match.group("many"):
            break  # 'section 7 and 12 months' is one section and a number
        first, last = part.group("first"), part.group("last")
        key = f"{kind}s {first}–{last}" if last else f"{kind} {first}"
        start = match.start() if index == 0 else refs_start + part.start()
        found.append((key, match.string[start:refs_start + part.end()], start))
    return found


REACH = 30  # every fact but a link has a digit, and its words lie within this many characters of one


def _windows(text: str) -> list[tuple[int, int]]:
    """The stretches of a text near its digits: the patterns read only these (most prose has none)."""
    windows: list[list[int]] = []
    for match in re.finditer(r"\d+", text):
        start, end = max(0, match.start() - REACH), min(len(text), match.end() + REACH)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    return [(start, end) for start, end in windows]


def find_facts(prose: str) -> list[tuple[str, str, str, int]]:
    """(kind, key, text as written, offset) of every fact in a prose text (prose.markdown_text), the
    patterns tried in turn, each blanking what it found for the next (a date's year is no number)."""
    found = []
    text = prose
    windows = _windows(text)
    for kind, pattern in _patterns() if windows else ():
        spans = []
        for match in (match for start, end in windows for match in pattern.finditer(text, start, end)):
            if kind in LAW:
                items = _law_facts(kind, match)
                found.extend((kind, key, written, start) for key, written, start in items)
                if items:
                    spans.append((match.start(), items[-1][2] + len(items[-1][1])))
            else:
                found.append((kind, _key(kind, match), match.group(0), match.start()))
                spans.append(match.span())
        if spans:
            parts, position = [], 0
            for start, end in spans:
                parts += [text[position:start], " " * (end - start)]
                position = end
            text = "".join(parts) + text[position:]
    return sorted(found, key=lambda item: item[3])


# ---- the facts of a file, by part -----------------------------------------------------------------

def _place_of(headings: list[tuple[int, str]], offset: int) -> tuple:
    place = ()
    for start, anchor in headings:
        if start > offset:
            break
        place = ("#", anchor)
    return place


def _as_written(text: str, offset: int, found: str) -> str:
    """A fact as the file writes it, on one line (&pound;60 shown as £60)."""
    return " ".join(html.unescape(text[offset:offset + len(found)]).split())


def page_facts(body: str, first_line: int) -> tuple[list[Fact], list[tuple[int, str]]]:
    """The facts of a Markdown body whose first line is `first_line` of its file, and its headings."""
    read = markdown_text(body, keep_code=True)
    facts = []
    for kind, key, written, offset in find_facts(read.prose):
        facts.append(Fact(kind, key, _as_written(body, offset, written), line_of(body, offset) + first_line - 1,
                          _place_of(read.headings, offset)))
    for kind, items in (("link", read.links), ("id", read.anchors)):
        for target, offset in items:
            facts.append(Fact(kind, target, target, line_of(body, offset) + first_line - 1,
                              _place_of(read.headings, offset)))
    return facts, read.headings


def field_path(loc: tuple) -> str:
    path = ""
    for part in loc:
        path = f"{path}[{part}]" if isinstance(part, int) else (f"{path}.{part}" if path else part)
    return path


def yaml_facts(doc: YamlDocument) -> tuple[list[Fact], dict[tuple, Field]]:
    """The facts of a YAML document's text fields, each placed in its field (a list whose length the
    translation chooses counts as one field, compared as a set), and the fields by location."""
    fields = [f for f in yaml_fields(doc) if not f.extra and not f.label]  # tags are labels, not statements
    prose, links = yaml_prose(doc, fields, keep_code=True)
    by_loc = {f.loc: f for f in fields}
    facts, seen = [], set()
    for item in fields:
        place = item.loc[:-1] if item.free else item.loc
        for kind, key, written, offset in find_facts(prose[item.start:item.end]):
            if item.free and (place, kind, key) in seen:
                continue
            seen.add((place, kind, key))
            at = item.start + offset
            facts.append(Fact(kind, key, _as_written(doc.text, at, written), line_of(doc.text, at) + doc.line_offset,
                              place, field_path(item.loc)))
        for target, offset in links:
            if item.start <= offset < item.end:
                facts.append(Fact("link", target, target, line_of(doc.text, offset) + doc.line_offset, place,
                                  field_path(item.loc)))
    return facts, by_loc


# ---- comparing ------------------------------------------------------------------------------------

def unmatched(english: list[Fact], welsh: list[Fact]) -> tuple[list[Fact], list[Fact]]:
    """The English facts the Welsh lacks and the Welsh facts the English lacks. Facts of one value are
    paired as written in the same part of the file first (2026-11-24 with 2026-11-24), then in the
    same part, then anywhere: what is left over is the fact that was changed, reported where it is."""
    by_key_en, by_key_cy = defaultdict(list), defaultdict(list)
    for fact in english:
        by_key_en[(fact.kind, fact.key)].append(fact)
    for fact in welsh:
        by_key_cy[(fact.kind, fact.key)].append(fact)
    missing, extra = [], []
    for key in by_key_en.keys() | by_key_cy.keys():
        left, right = list(by_key_en.get(key, [])), list(by_key_cy.get(key, []))
        for same in (lambda a, b: a.place == b.place and _plain(a.text) == _plain(b.text),
                     lambda a, b: a.place == b.place, lambda a, b: True):
            for fact in list(left):
                twin = next((other for other in right if same(fact, other)), None)
                if twin is not None:
                    left.remove(fact)
                    right.remove(twin)
        missing += left
        extra += right
    return missing, extra


def _errors(path: str, missing: list[Fact], extra: list[Fact], where) -> list[ContentError]:
    """A fact the Welsh lacks is reported where the Welsh has one of its kind the English lacks, in
    the same part (a figure changed: both errors name that line), else where `where` finds its place."""
    instead = {}
    unused = sorted(extra, key=lambda f: f.line)
    for fact in sorted(missing, key=lambda f: f.line):
        other = next((f for f in unused if f.kind == fact.kind and f.place == fact.place), None)
        if other is not None:
            unused.remove(other)
            instead[id(fact)] = other.line
    errors = [ContentError(path, instead.get(id(fact)) or where(fact), fact.field and field_path(fact.place),
                           f"facts: {fact.shown} in the English (line {fact.line}) is not in the Welsh")
              for fact in sorted(missing, key=lambda f: f.line)]
    errors += [ContentError(path, fact.line, fact.field, f"facts: {fact.shown} is in the Welsh but not the English")
               for fact in sorted(extra, key=lambda f: f.line)]
    return sorted(errors, key=lambda e: (e.line or 0, "is not in the Welsh" not in e.message))


def _blocks(lines: list[str], start: int, end: int) -> list[tuple[int, int]]:
    """(first line, last line), 1-based, of the runs of non-blank lines from line `start` to `end`."""
    blocks, first = [], None
    for number in range(start, end + 1):
        blank = number > len(lines) or not lines[number - 1].strip()
        if not blank and first is None:
            first = number
        if blank and first is not None:
            blocks.append((first, number - 1))
            first = None
    if first is not None:
        blocks.append((first, end))
    return blocks


class _PageMap:
    """Where an English line of a page falls in its Welsh page: the part under the heading with the
    same id (or, when both pages have as many headings, in the same place), then the same block
    (paragraph, list item, table row...) when both parts have as many blocks, else the heading."""

    def __init__(self, text: str, body_line: int, headings: list[tuple[int, str]], body: str):
        self.lines = text.split("\n")
        self.order = [anchor for _, anchor in headings]
        self.parts: dict[str, tuple[int, int]] = {}  # heading id -> (first line, last line) of its part
        starts = [(line_of(body, offset) + body_line - 1, anchor) for offset, anchor in headings]
        for index, (line, anchor) in enumerate(starts):
            last = starts[index + 1][0] - 1 if index + 1 < len(starts) else len(self.lines)
            self.parts.setdefault(anchor, (line, last))

    def blocks(self, anchor: str) -> list[tuple[int, int]]:
        first, last = self.parts[anchor]
        return _blocks(self.lines, first + 1, last)

    def corresponding(self, english: _PageMap, fact: Fact) -> int:
        theirs = fact.place[1] if fact.place and fact.place[0] == "#" else None
        ours = theirs if theirs in self.parts else (
            self.order[english.order.index(theirs)] if theirs and len(english.order) == len(self.order) else None)
        if ours is None:
            return 1
        their_blocks, our_blocks = english.blocks(theirs), self.blocks(ours)
        if len(their_blocks) == len(our_blocks):
            for (first, last), (our_first, our_last) in zip(their_blocks, our_blocks, strict=True):
                if first <= fact.line <= last:
                    return min(our_first + fact.line - first, our_last)
        return self.parts[ours][0]


def _read_pair(root: Path, welsh_file: Path) -> list[tuple[str, str]] | None:
    """(path, text) of the English file and the Welsh file, or None where the loader reports a problem."""
    english_file = welsh_file.with_name(welsh_file.name.replace(".cy.", ".", 1))
    if not english_file.exists():
        return None  # a translation of nothing: the loader reports it
    pair = []
    for file in (english_file, welsh_file):
        path = file.relative_to(root).as_posix()
        text, _ = read_source_text(file, path)
        if text is None:
            return None
        pair.append((path, text))
    return pair


def _parse(path: str, text: str, line_offset: int = 0) -> YamlDocument | None:
    """The node tree only: the loader has the values, and reports a file that does not parse."""
    doc = YamlDocument(path, None, text, line_offset)
    try:
        return doc if doc.root is not None else None
    except yaml.YAMLError:
        return None


def _paired_fields(english: YamlDocument, welsh: YamlDocument) -> tuple[list[Fact], list[Fact]]:
    """The facts of the fields both documents have (a field only one has is the loader's to report)."""
    english_facts, english_fields = yaml_facts(english)
    welsh_facts, welsh_fields = yaml_facts(welsh)
    paired = english_fields.keys() & welsh_fields.keys()
    places = paired | {loc[:-1] for loc in paired}  # a list the translation may make shorter or longer
    return [f for f in english_facts if f.place in places], [f for f in welsh_facts if f.place in places]


def check_page(root: Path, welsh_file: Path) -> list[ContentError]:
    pair = _read_pair(root, welsh_file)
    return [dataclasses.replace(error) for error in _page_errors(*pair[0], *pair[1])] if pair else []


# The same two texts always give the same errors: kept, so that the preview, which checks everything on every save,
# compares only the pairs that changed (the cache holds the texts it was given, as the preview's parse cache does).
@lru_cache(maxsize=2048)
def _page_errors(english_path: str, english_text: str, welsh_path: str, welsh_text: str) -> tuple[ContentError, ...]:
    return tuple(_compare_page([(english_path, english_text), (welsh_path, welsh_text)]))


def _compare_page(pair: list[tuple[str, str]]) -> list[ContentError]:
    matches = [FRONT_MATTER.match(text) for _, text in pair or []]
    if not pair or not all(matches):
        return []
    docs = [_parse(path, match.group(1) or "", 1) for (path, _), match in zip(pair, matches, strict=True)]
    if not all(docs):
        return []
    english_meta, welsh_meta = _paired_fields(*docs)
    bodies, maps = [], []
    for (_, text), match in zip(pair, matches, strict=True):
        body, body_line = text[match.end():], line_of(text, match.end())
        facts, headings = page_facts(body, body_line)
        bodies.append(facts)
        maps.append(_PageMap(text, body_line, headings, body))
    missing, extra = unmatched(english_meta + bodies[0], welsh_meta + bodies[1])

    def where(fact: Fact) -> int:
        if fact.place and fact.place[0] != "#":
            return docs[1].locate(fact.place)[0] or 1
        return maps[1].corresponding(maps[0], fact)

    return _errors(pair[1][0], missing, extra, where)


def check_yaml(root: Path, welsh_file: Path) -> list[ContentError]:
    pair = _read_pair(root, welsh_file)
    return [dataclasses.replace(error) for error in _yaml_errors(*pair[0], *pair[1])] if pair else []


@lru_cache(maxsize=2048)
def _yaml_errors(english_path: str, english_text: str, welsh_path: str, welsh_text: str) -> tuple[ContentError, ...]:
    return tuple(_compare_yaml([(english_path, english_text), (welsh_path, welsh_text)]))


def _compare_yaml(pair: list[tuple[str, str]]) -> list[ContentError]:
    docs = [_parse(path, text) for path, text in pair or []]
    if not pair or not all(docs):
        return []
    english, welsh = docs
    missing, extra = unmatched(*_paired_fields(english, welsh))
    return _errors(welsh.path, missing, extra, lambda fact: welsh.locate(fact.place)[0] or 1)


def fact_errors(root: Path) -> list[ContentError]:
    """Every difference of facts between a Welsh file and its English file."""
    errors = []
    for file in sorted(root.glob(PAGE_FILES)):
        errors += check_page(root, file)
    for pattern in YAML_FILES:
        for file in sorted(root.glob(pattern)):
            errors += check_yaml(root, file)
    return sorted(errors, key=lambda e: (e.path, e.line or 0))
