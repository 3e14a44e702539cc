"""Load and validate everything authors write: one loader for the site and the tracker.

`load_project(root)` reads sections/, activities/, quizzes/ and content/, and
returns a Project with every error found in one pass (never stopping at the first).
"""
from __future__ import annotations

import gc
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from pydantic import BaseModel, ValidationError

from . import model, translations
from .due import Due, parse_due
from .service import Service, load_service
from .yamlsource import ContentError, YamlDocument, parse_yaml, read_source_text, read_yaml_file

TRANSLATED_LANGUAGES = ("cy",)  # languages a file can be translated into, beside the English source

FRIENDLY_MESSAGES = {
    "missing": "is required",
    "list_type": "expected a list",
    "dict_type": "expected a mapping of fields",
    "model_type": "expected a mapping of fields",
    "model_attributes_type": "expected a mapping of fields",
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "extra_forbidden": "unknown field (check the spelling)",
    "date_from_datetime_parsing": "expected a date like 2026-11-24",
    "date_parsing": "expected a date like 2026-11-24",
    "date_type": "expected a date like 2026-11-24",
}


@dataclass
class Page:
    """An authored Markdown page under content/."""

    path: str  # relative to content/, e.g. section-1/1a-introduction.md
    meta: model.PageMeta
    body: str
    body_line: int  # line number in the file where the body starts
    source_path: str = ""  # a translated page: its own file, e.g. content/index.cy.md
    sources_translated: bool = False  # a translated page that translates its sources' titles and notes


@dataclass
class Project:
    root: Path
    sections: dict[str, model.Section] = field(default_factory=dict)
    activities: dict[str, model.Activity] = field(default_factory=dict)
    case_studies: dict[str, model.CaseStudy] = field(default_factory=dict)
    quizzes: dict[str, model.Quiz] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    glossary: model.Glossary | None = None
    standards: model.Standards | None = None  # standards.yml: what activities evidence
    service: Service = field(default_factory=Service)
    assets: set[str] = field(default_factory=set)  # non-Markdown files under content/
    source_of: dict[tuple[str, str], YamlDocument] = field(default_factory=dict)
    # ids of files that failed validation: references to them are not reported
    # again, so one mistake gives one error rather than a cascade.
    invalid_ids: dict[str, set[str]] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)
    language: str = "en"  # the language of the text above (in_language gives the others)
    translations: dict = field(default_factory=dict)  # language -> translations.Translation

    def in_language(self, language: str) -> "Project":
        """This project with its text in `language` where translated, the same ids and structure."""
        return translations.in_language(self, language)

    def translated(self, kind: str, key: str, language: str | None = None) -> bool:
        """Whether an item ('activity', '1.1'; 'page', 'index.md') has a translation in `language`."""
        language = language or self.language
        return language == "en" or (language in self.translations and self.translations[language].has(kind, key))

    @property
    def ok(self) -> bool:
        return not self.errors

    def defines(self, label: str, key: str) -> bool:
        """Whether an id is defined, even by a file that is currently invalid."""
        store = {"section": self.sections, "activity": self.activities,
                 "case study": self.case_studies, "quiz": self.quizzes}[label]
        return key in store or key in self.invalid_ids.get(label, set())

    def activities_in(self, section_id: str) -> list[model.Activity]:
        return sorted((a for a in self.activities.values() if a.section == section_id), key=lambda a: a.number)

    def case_study(self, item: model.CaseStudy | model.CaseStudyRef) -> model.CaseStudy:
        return self.case_studies[item.ref] if isinstance(item, model.CaseStudyRef) else item

    def due_of(self, activity: model.Activity) -> Due | None:
        """When an activity is usually done: its own `due`, else its section's, else no default."""
        section = self.sections.get(activity.section)
        text = activity.due or (section.due if section else None)
        return parse_due(text) if text else None

    def quizzes_for(self, activity_id: str) -> list[model.Quiz]:
        return [q for q in self.quizzes.values() if q.activity == activity_id]


def friendly(error: dict) -> str:
    kind = error["type"]
    if kind in FRIENDLY_MESSAGES:
        return FRIENDLY_MESSAGES[kind]
    message = error["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return message[0].lower() + message[1:] if message else kind


def validate(doc: YamlDocument, schema: type[BaseModel]) -> tuple[BaseModel | None, list[ContentError]]:
    if not isinstance(doc.data, dict):
        return None, [ContentError(doc.path, 1 + doc.line_offset, "", "expected a mapping of fields at the top level")]
    try:
        return schema.model_validate(doc.data), []
    except ValidationError as exc:
        errors = []
        for error in exc.errors(include_url=False):
            loc = tuple(part for part in error["loc"] if part not in ("function-after",))
            errors.append(doc.error(loc, friendly(error)))
        return None, errors


def is_translation(file: Path) -> bool:
    """activities/1-1.cy.yml, content/index.cy.md: the text of an English file in another language."""
    return Path(file.stem).suffix.lstrip(".") in TRANSLATED_LANGUAGES


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.y*ml") if p.suffix in (".yml", ".yaml") and not is_translation(p))


@contextmanager
def _collector_paused():
    """Reading a pack makes hundreds of thousands of small objects and no reference cycles: Python's cycle
    collector, started again and again as they are made, took a quarter of the time. It runs afterwards instead."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load_kind(project: Project, folder: Path, schema: type[BaseModel], into: dict, label: str) -> None:
    with _collector_paused():
        _load_files(project, folder, schema, into, label)


def _load_files(project: Project, folder: Path, schema: type[BaseModel], into: dict, label: str) -> None:
    for file in _yaml_files(folder):
        doc, errors = read_yaml_file(file, project.root)
        project.errors.extend(errors)
        if doc is None:
            continue
        item, errors = validate(doc, schema)
        project.errors.extend(errors)
        if item is None:
            if isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
                project.invalid_ids.setdefault(label, set()).add(doc.data["id"])
            continue
        key = item.id
        if key in into:
            first = project.source_of[(label, key)]
            project.errors.append(doc.error(("id",), f"duplicate {label} id {key!r} (also in {first.path})"))
            continue
        into[key] = item
        project.source_of[(label, key)] = doc


def load_glossary(project: Project) -> None:
    project.glossary = _load_whole_file(project, "glossary.yml", model.Glossary)


def load_standards(project: Project) -> None:
    project.standards = _load_whole_file(project, "standards.yml", model.Standards)


def _load_whole_file(project: Project, name: str, schema: type[BaseModel]):
    file = project.root / name
    if not file.exists():
        return None
    doc, errors = read_yaml_file(file, project.root)
    project.errors.extend(errors)
    if doc is None:
        return None
    item, errors = validate(doc, schema)
    project.errors.extend(errors)
    return item


FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.S)


def load_page(file: Path, project: Project, content_dir: Path) -> None:
    relative = file.relative_to(project.root).as_posix()
    text, errors = read_source_text(file, relative)
    project.errors.extend(errors)
    if text is None:
        return
    match = FRONT_MATTER.match(text)
    if not match:
        project.errors.append(ContentError(relative, 1, "", "page must start with front matter"
                                           " (title, reviewed, sources) between --- lines"))
        return
    doc, errors = parse_yaml(match.group(1) or "", relative, line_offset=1)
    project.errors.extend(errors)
    if doc is None:
        return
    meta, errors = validate(doc, model.PageMeta)
    project.errors.extend(errors)
    if meta is None:
        return
    body_line = text.count("\n", 0, match.end()) + 1
    page_path = file.relative_to(content_dir).as_posix()
    project.pages[page_path] = Page(page_path, meta, text[match.end():], body_line)


def load_pages(project: Project) -> None:
    content_dir = project.root / "content"
    if not content_dir.is_dir():
        return
    with _collector_paused():
        _load_page_files(project, content_dir)


def _load_page_files(project: Project, content_dir: Path) -> None:
    for file in sorted(content_dir.rglob("*")):
        if not file.is_file():
            continue
        if file.suffix == ".md":
            if not is_translation(file):
                load_page(file, project, content_dir)
        else:
            project.assets.add(file.relative_to(content_dir).as_posix())


def _check_references(project: Project) -> None:
    def error(label: str, key: str, loc: tuple, message: str) -> None:
        project.errors.append(project.source_of[(label, key)].error(loc, message))

    element_ids = {}
    for section in project.sections.values():
        for index, element in enumerate(section.elements):
            if element.id in element_ids:
                error("section", section.id, ("elements", index, "id"), f"duplicate element id {element.id!r}")
            element_ids[element.id] = section.id
            if element.page not in project.pages:
                error("section", section.id, ("elements", index, "page"), f"page content/{element.page} does not exist")
            for item_index, item in enumerate(element.overview):
                if item.activity and not project.defines("activity", item.activity):
                    error("section", section.id, ("elements", index, "overview", item_index, "activity"),
                          f"unknown activity {item.activity!r}")

    for activity in project.activities.values():
        if not project.defines("section", activity.section):
            error("activity", activity.id, ("section",),
                  f"unknown section {activity.section!r} (no sections/{activity.section}.yml)")
        if (activity.element and activity.section in project.sections
                and element_ids.get(activity.element) != activity.section):
            error("activity", activity.id, ("element",),
                  f"unknown element {activity.element!r} in section {activity.section}")
        for index, item in enumerate(activity.case_studies):
            if isinstance(item, model.CaseStudyRef) and not project.defines("case study", item.ref):
                error("activity", activity.id, ("case_studies", index, "ref"), f"unknown case study {item.ref!r}")
        _check_standards(project, activity, error)

    for quiz in project.quizzes.values():
        if quiz.activity and not project.defines("activity", quiz.activity):
            error("quiz", quiz.id, ("activity",), f"linked activity {quiz.activity!r} does not exist")


def _check_standards(project: Project, activity: model.Activity, error) -> None:
    exists = (project.root / "standards.yml").exists()
    if exists and project.standards is None:
        return  # standards.yml itself is wrong: reported once, there
    known = project.standards.by_id() if project.standards else {}
    for index, standard_id in enumerate(activity.standards):
        if standard_id not in known:
            where = "standards.yml" if exists else "standards.yml, which does not exist"
            error("activity", activity.id, ("standards", index), f"unknown standard {standard_id!r} (not in {where})")
        elif standard_id in activity.standards[:index]:
            error("activity", activity.id, ("standards", index), f"standard {standard_id!r} is listed twice")


def load_project(root: Path | str, check_links: bool = True) -> Project:
    root = Path(root).resolve()
    project = Project(root)
    project.service, errors = load_service(root)
    project.errors.extend(errors)
    _load_kind(project, root / "sections", model.Section, project.sections, "section")
    _load_kind(project, root / "activities" / "case-studies", model.CaseStudy, project.case_studies, "case study")
    _load_kind(project, root / "activities", model.Activity, project.activities, "activity")
    _load_kind(project, root / "quizzes", model.Quiz, project.quizzes, "quiz")
    load_glossary(project)
    load_standards(project)
    load_pages(project)
    _check_references(project)
    for language in TRANSLATED_LANGUAGES:
        project.translations[language] = translations.load_translations(project, language)
        project.warnings.extend(translations.stale_translations(project, language))
    if check_links:
        from .links import check_links as _check_links  # imported late: needs the site layout
        project.errors.extend(_check_links(project))
    return project


def format_errors(errors: Iterable[ContentError]) -> list[str]:
    return [str(e) for e in sorted(errors, key=lambda e: (e.path, e.line or 0))]
