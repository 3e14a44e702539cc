"""Welsh (and later other) translations of the handbook's content: text only, beside the English.

A translation sits beside its English file with the language before the extension:
`content/index.cy.md`, `activities/1-1.cy.yml`, `quizzes/legal-powers.cy.yml`,
`sections/2.cy.yml`, `glossary.cy.yml`. Ids, structure, kinds, time estimates, answers
and URLs live in the English file only; the translated file holds the text fields with
the same nesting, and a `translation:` block:

    translation:
      status: draft          # or reviewed, once a Welsh speaker has checked it
      source: 3f2a9c01b7de   # source_hash() of the English file it was translated from

A changed English file no longer matches `source`, so the translation is reported as out of
date (`build.py check` prints the parity summary; `build.py translated FILE` records the new
hash once the translation has been brought up to date).

The translated text is laid over the English data and the result validated with the same
schema, so a Welsh file gets the same file:line errors as an English one.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from . import model
from .yamlsource import ContentError, YamlDocument, parse_yaml, read_source_text, read_yaml_file

LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg"}

# Fields that hold words a reader sees. Everything else (ids, kinds, times, answers, URLs) is
# structure, defined once in the English file.
TEXT_FIELDS = frozenset({
    "title", "summary", "intro", "prompts", "evidence", "story", "questions", "text", "where", "note",
    "document", "description", "aims", "explanation", "options", "prompt", "source", "meaning",
    "accepted", "tags",
})
# Lists of mappings, matched entry by entry with the English list.
NESTED_FIELDS = frozenset({"parts", "framework", "elements", "overview", "case_studies", "links", "terms",
                           "sources", "groups", "standards"})
# Lists whose length a translation may choose (Welsh tags; Welsh short answers that also count).
FREE_LENGTH = frozenset({"tags", "accepted"})
# Fields a translation may repeat to say which entry it translates; they must equal the English.
MATCH_KEYS = frozenset({"ref", "term", "id"})
# Fields only a translation has.
EXTRA_FIELDS = {"abbreviation": re.compile(r"^[A-Za-z][A-Za-z0-9&]{0,19}$")}  # glossary: ADY for ALN


def source_hash(text: str | bytes) -> str:
    """The fingerprint of an English file a translation records: 12 hex digits of SHA-256."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data.replace(b"\r\n", b"\n")).hexdigest()[:12]


def translation_file(english: Path, language: str) -> Path:
    return english.with_name(f"{english.stem}.{language}{english.suffix}")


class TranslationInfo(model.Strict):
    status: Literal["draft", "reviewed"]
    source: str  # source_hash of the English file
    reviewed_by: str | None = Field(default=None, description="who reviewed the translation (status reviewed)")
    reviewed_on: dt.date | None = Field(default=None, description="when it was reviewed (status reviewed)")

    @model_validator(mode="after")
    def _review_recorded(self) -> "TranslationInfo":
        if self.status == "reviewed" and not (self.reviewed_by and self.reviewed_on):
            raise ValueError("a reviewed translation names who reviewed it and when: reviewed_by and reviewed_on"
                             " (build.py translated --reviewed --by NAME FILE writes them)")
        if self.status == "draft" and (self.reviewed_by or self.reviewed_on):
            raise ValueError("a draft has no reviewed_by or reviewed_on: they record a finished review")
        return self

    @field_validator("source")
    @classmethod
    def _hash(cls, value: str) -> str:
        if not re.fullmatch(r"[0-9a-f]{12}", value):
            raise ValueError("expected the 12-character hash of the English file, in quotes"
                             " (build.py translated FILE writes it)")
        return value


class TranslatedSource(model.Strict):
    title: str | None = None
    note: str | None = None


class TranslatedPageMeta(model.Strict):
    """Front matter of a translated page: its own words and the translation block, nothing else."""

    title: model.Text
    description: str | None = None
    translation: TranslationInfo
    tags: list[model.Text] | None = None
    sources: list[TranslatedSource] | None = None


@dataclass
class Status:
    """What the parity check knows of one translated file."""

    path: str
    status: str  # draft | reviewed
    current: bool  # recorded source hash matches the English file


@dataclass
class Translation:
    """Everything translated into one language, keyed like the English project."""

    language: str
    sections: dict[str, model.Section] = field(default_factory=dict)
    activities: dict[str, model.Activity] = field(default_factory=dict)
    case_studies: dict[str, model.CaseStudy] = field(default_factory=dict)
    quizzes: dict[str, model.Quiz] = field(default_factory=dict)
    pages: dict[str, Any] = field(default_factory=dict)  # English path -> loader.Page with translated text
    glossary: model.Glossary | None = None
    standards: model.Standards | None = None
    abbreviations: dict[str, str] = field(default_factory=dict)  # English term -> the language's own
    status: dict[tuple[str, str], Status] = field(default_factory=dict)  # (kind, key) -> Status

    def has(self, kind: str, key: str) -> bool:
        return (kind, key) in self.status


# ---- laying translated text over the English data ---------------------------------------

class Overlay:
    """Merge a translation's text into a copy of the English data, collecting problems by location."""

    def __init__(self):
        self.problems: list[tuple[tuple, str]] = []
        self.extras: dict[tuple, Any] = {}

    def problem(self, loc: tuple, message: str) -> None:
        self.problems.append((loc, message))

    def mapping(self, english: dict, translated: Any, loc: tuple = ()) -> dict:
        if not isinstance(translated, dict):
            self.problem(loc, "expected a mapping of fields")
            return english
        merged = dict(english)
        for key, value in translated.items():
            where = (*loc, key)
            if not loc and key == "translation":
                continue
            if key in EXTRA_FIELDS:
                if not isinstance(value, str) or not EXTRA_FIELDS[key].match(value):
                    self.problem(where, "expected a short abbreviation of letters, like ADY")
                else:
                    self.extras[where] = value
            elif key in MATCH_KEYS:
                if value != english.get(key):
                    self.problem(where, f"must be {english.get(key)!r}, as in the English file")
            elif key not in english:
                self.problem(where, "the English file has no such field (check the spelling)")
            elif key not in TEXT_FIELDS and not self.nested(english[key], key):
                self.problem(where, "is structure, defined in the English file only: leave it out")
            else:
                merged[key] = self.value(english[key], value, where, key)
        for key, value in english.items():
            if key not in translated and self.needs_translation(key, value):
                self.problem((*loc, key), "is missing: translate the English text")
        return merged

    @staticmethod
    def nested(value: Any, key: str) -> bool:
        """A list of mappings with text in them (an activity's `standards` is a list of ids: structure)."""
        return key in NESTED_FIELDS and isinstance(value, list) and all(isinstance(item, dict) for item in value)

    @staticmethod
    def needs_translation(key: str, value: Any) -> bool:
        if key in ("tags", "accepted") or not value:
            return False  # a translation may keep the English tags and accepted answers
        if key == "case_studies":  # references are translated in the case study's own file
            return any(isinstance(item, dict) and "ref" not in item for item in value)
        if key in NESTED_FIELDS:
            return Overlay.nested(value, key) and any(Overlay.has_text(item) for item in value)
        return key in TEXT_FIELDS

    @staticmethod
    def has_text(value: Any) -> bool:
        if isinstance(value, dict):
            return any(Overlay.needs_translation(k, v) for k, v in value.items())
        return bool(value)

    def value(self, english: Any, translated: Any, loc: tuple, key: str) -> Any:
        if isinstance(english, str):
            if not isinstance(translated, str) or not translated.strip():
                self.problem(loc, "expected text")
                return english
            return translated
        if isinstance(english, list):
            if not isinstance(translated, list):
                self.problem(loc, "expected a list")
                return english
            if key in FREE_LENGTH:
                return translated
            if len(translated) != len(english):
                self.problem(loc, f"has {len(translated)} entries; the English has {len(english)}"
                                  " (keep one entry per English entry, in the same order)")
                return english
            return [self.value(e, t, (*loc, i), key) if not isinstance(e, dict) else self.mapping(e, t, (*loc, i))
                    for i, (e, t) in enumerate(zip(english, translated, strict=True))]
        if isinstance(english, dict):
            return self.mapping(english, translated, loc)
        self.problem(loc, "is structure, defined in the English file only: leave it out")
        return english


def _errors(doc: YamlDocument, overlay: Overlay) -> list[ContentError]:
    return [doc.error(loc, message) for loc, message in overlay.problems]


def _info(doc: YamlDocument, english_text: str, loc: tuple = ("translation",)) -> tuple[Status | None, list]:
    from .loader import validate  # loader imports this module

    data = doc.data.get("translation") if isinstance(doc.data, dict) else None
    if data is None:
        return None, [doc.error(loc, "is required: translation: {status: draft, source: <hash of the English>}"
                                     " (build.py translated FILE writes it)")]
    info_doc = YamlDocument(doc.path, data, doc.text, doc.line_offset)
    info, errors = validate(info_doc, TranslationInfo)
    if info is None:
        return None, [doc.error((*loc, *_field(e)), e.message) for e in errors]
    return Status(doc.path, info.status, info.source == source_hash(english_text)), []


def _field(error: ContentError) -> tuple:
    return tuple(error.field.split(".")) if error.field else ()


# ---- loading ------------------------------------------------------------------------------

KINDS = {  # label -> (Project attribute, schema)
    "section": ("sections", model.Section),
    "activity": ("activities", model.Activity),
    "case study": ("case_studies", model.CaseStudy),
    "quiz": ("quizzes", model.Quiz),
}


def load_translations(project, language: str) -> Translation:
    translation = Translation(language)
    for (label, key), english_doc in project.source_of.items():
        attribute, schema = KINDS[label]
        english_file = project.root / english_doc.path
        _load_item(project, translation, label, key, english_doc, translation_file(english_file, language), schema,
                   getattr(translation, attribute))
    _load_glossary(project, translation)
    _load_standards(project, translation)
    _load_pages(project, translation)
    _orphans(project, language)
    return translation


def _load_item(project, translation: Translation, label: str, key: str, english_doc: YamlDocument, file: Path,
               schema, into: dict) -> None:
    from .loader import validate

    if not file.exists():
        return
    doc, errors = read_yaml_file(file, project.root)
    project.errors.extend(errors)
    if doc is None:
        return
    status, errors = _info(doc, english_doc.text)
    project.errors.extend(errors)
    overlay = Overlay()
    merged = overlay.mapping(english_doc.data, doc.data)
    project.errors.extend(_errors(doc, overlay))
    if status is None or overlay.problems:
        return
    item, errors = validate(YamlDocument(doc.path, merged, doc.text), schema)
    project.errors.extend(errors)  # located in the translated file: its text made the problem
    if item is not None:
        into[key] = item
        translation.status[(label, key)] = status


def _load_glossary(project, translation: Translation) -> None:
    if project.glossary is None:
        return
    loaded = _load_whole_file(project, translation, "glossary", model.Glossary)
    if loaded is not None:
        glossary, overlay = loaded
        translation.glossary = glossary
        for (_, index, _), abbreviation in overlay.extras.items():
            translation.abbreviations[glossary.terms[index].term] = abbreviation


def _load_standards(project, translation: Translation) -> None:
    if project.standards is not None:
        loaded = _load_whole_file(project, translation, "standards", model.Standards)
        translation.standards = loaded[0] if loaded else None


def _load_whole_file(project, translation: Translation, name: str, schema):
    """A translation of a file at the top of the project (glossary.cy.yml, standards.cy.yml): (the merged
    item, its overlay), or None if it is missing or has problems (reported)."""
    from .loader import validate

    english_file = project.root / f"{name}.yml"
    file = translation_file(english_file, translation.language)
    if not file.exists():
        return None
    english_doc, _ = read_yaml_file(english_file, project.root)
    doc, errors = read_yaml_file(file, project.root)
    project.errors.extend(errors)
    if doc is None or english_doc is None:
        return None
    status, errors = _info(doc, english_doc.text)
    project.errors.extend(errors)
    overlay = Overlay()
    merged = overlay.mapping(english_doc.data, doc.data)
    project.errors.extend(_errors(doc, overlay))
    if status is None or overlay.problems:
        return None
    item, errors = validate(YamlDocument(doc.path, merged, doc.text), schema)
    project.errors.extend(errors)
    if item is None:
        return None
    translation.status[(name, name)] = status
    return item, overlay


def _load_pages(project, translation: Translation) -> None:
    from .loader import FRONT_MATTER, Page, validate

    content = project.root / "content"
    for path, page in project.pages.items():
        file = translation_file(content / path, translation.language)
        if not file.exists():
            continue
        relative = file.relative_to(project.root).as_posix()
        text, errors = read_source_text(file, relative)
        project.errors.extend(errors)
        if text is None:
            continue
        match = FRONT_MATTER.match(text)
        if not match:
            project.errors.append(ContentError(relative, 1, "", "page must start with front matter"
                                               " (title, translation) between --- lines"))
            continue
        doc, errors = parse_yaml(match.group(1) or "", relative, line_offset=1)
        project.errors.extend(errors)
        if doc is None:
            continue
        meta, errors = validate(doc, TranslatedPageMeta)
        project.errors.extend(errors)
        if meta is None:
            continue
        english_text = (content / path).read_text(encoding="utf-8")
        sources = page.meta.sources
        if meta.sources is not None:
            overlay = Overlay()
            merged = overlay.value([s.model_dump(exclude_none=True) for s in sources],
                                   [s.model_dump(exclude_none=True) for s in meta.sources], ("sources",), "sources")
            project.errors.extend(_errors(doc, overlay))
            sources = [model.Source(**s) for s in merged] if not overlay.problems else sources
        translated_meta = page.meta.model_copy(update={
            "title": meta.title, "description": meta.description or page.meta.description,
            "tags": meta.tags if meta.tags is not None else page.meta.tags, "sources": sources})
        body_line = text.count("\n", 0, match.end()) + 1
        translation.pages[path] = Page(path, translated_meta, text[match.end():], body_line, source_path=relative,
                                       sources_translated=meta.sources is not None)
        translation.status[("page", path)] = Status(relative, meta.translation.status,
                                                    meta.translation.source == source_hash(english_text))


def _orphans(project, language: str) -> None:
    """A translated file whose English file does not exist (renamed or removed)."""
    from .loader import is_translation

    suffix = f".{language}"
    folders = ["sections", "activities", "activities/case-studies", "quizzes"]
    for folder in folders:
        for file in sorted((project.root / folder).glob(f"*{suffix}.y*ml")):
            english = file.with_name(file.name.replace(suffix + ".", ".", 1))
            if not english.exists():
                project.errors.append(ContentError(file.relative_to(project.root).as_posix(), 1, "",
                                                   f"translates {english.relative_to(project.root).as_posix()},"
                                                   " which does not exist"))
    content = project.root / "content"
    if content.is_dir():
        for file in sorted(content.rglob(f"*{suffix}.md")):
            english = file.with_name(file.name.replace(suffix + ".", ".", 1))
            if is_translation(file) and not english.exists():
                project.errors.append(ContentError(file.relative_to(project.root).as_posix(), 1, "",
                                                   f"translates content/{english.relative_to(content).as_posix()},"
                                                   " which does not exist"))


def in_language(project, language: str):
    """The project with its text in `language` where a translation exists (English elsewhere);
    the same ids and structure, so the tracker and the generator use it as they use the English."""
    if language == "en" or language not in project.translations:
        return project
    translation = project.translations[language]
    return dataclasses.replace(
        project,
        sections={**project.sections, **translation.sections},
        activities={**project.activities, **translation.activities},
        case_studies={**project.case_studies, **translation.case_studies},
        quizzes={**project.quizzes, **translation.quizzes},
        pages={**project.pages, **translation.pages},
        glossary=translation.glossary or project.glossary,
        standards=translation.standards or project.standards,
        language=language,
    )


# ---- parity -------------------------------------------------------------------------------

@dataclass
class Parity:
    language: str
    # kind, English items, translated, out of date, drafts, reviewed
    rows: list[tuple[str, int, int, int, int, int]]

    def summary(self) -> str:
        lines = [f"parity {LANGUAGE_NAMES.get(self.language, self.language)} ({self.language}):"
                 f" translated / English, out of date, drafts, reviewed by a Welsh speaker"]
        for kind, total, done, stale, drafts, reviewed in self.rows:
            lines.append(f"  {kind:<13} {done:>3} / {total:<3}  {stale:>3} out of date  {drafts:>3} drafts"
                         f"  {reviewed:>3} reviewed")
        return "\n".join(lines)


def parity(project, language: str) -> Parity:
    translation = project.translations.get(language, Translation(language))
    totals = {"pages": ("page", list(project.pages)),
              "sections": ("section", list(project.sections)),
              "activities": ("activity", list(project.activities)),
              "case studies": ("case study", list(project.case_studies)),
              "quizzes": ("quiz", list(project.quizzes)),
              "glossary": ("glossary", ["glossary"] if project.glossary else []),
              "standards": ("standards", ["standards"] if project.standards else [])}
    rows = []
    for name, (kind, keys) in totals.items():
        found = [translation.status[(kind, key)] for key in keys if (kind, key) in translation.status]
        rows.append((name, len(keys), len(found), sum(not s.current for s in found),
                     sum(s.status == "draft" for s in found), sum(s.status == "reviewed" for s in found)))
    return Parity(language, rows)


def stale_translations(project, language: str) -> list[ContentError]:
    """A warning for each translation whose English file changed since it was translated."""
    translation = project.translations.get(language)
    if not translation:
        return []
    return [ContentError(status.path, 1, "translation.source",
                         "the English file has changed since this was translated: update the text, then run"
                         f" build.py translated {status.path}", "warning")
            for status in translation.status.values() if not status.current]


def stamp(root: Path, file: Path, reviewed_by: str | None = None, today: dt.date | None = None) -> str:
    """Record in a translated file the hash of its English file as it is now (build.py translated). The
    translation is then a draft, unless reviewed_by names the Welsh speaker who has just reviewed it
    (build.py translated --reviewed --by NAME): it is then reviewed, by whom and when."""
    file = file if file.is_absolute() else (root / file)
    name = file.name
    language = Path(file.stem).suffix.lstrip(".")
    english = file.with_name(name.replace(f".{language}.", ".", 1))
    if not language or not english.exists():
        raise ValueError(f"{file}: not a translation of an existing English file (expected e.g. 1-1.cy.yml"
                         " beside 1-1.yml)")
    new = f'"{source_hash(english.read_bytes())}"'  # quoted: twelve digits would read as a number
    text = file.read_text(encoding="utf-8")
    block = re.search(r"(?m)^(?P<indent>[ \t]*)translation:[ \t]*\n(?P<body>(?:(?P=indent)[ \t]+\S.*\n?)+)", text)
    if not block or not re.search(r"(?m)^\s+source:", block.group("body")):
        raise ValueError(f"{file}: no 'source:' line in its translation block to update")
    inner = block.group("indent") + "  "
    lines = [f"{inner}status: {'reviewed' if reviewed_by else 'draft'}", f"{inner}source: {new}"]
    if reviewed_by:
        lines += [f"{inner}reviewed_by: {json.dumps(reviewed_by, ensure_ascii=False)}",
                  f"{inner}reviewed_on: {(today or dt.date.today()).isoformat()}"]
    ending = "\n" if block.group("body").endswith("\n") else ""
    updated = text[:block.start("body")] + "\n".join(lines) + ending + text[block.end("body"):]
    file.write_text(updated, encoding="utf-8")
    return new
