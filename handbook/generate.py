"""Turn a validated Project into the Markdown tree and navigation the builder reads.

YAML -> Jinja2 -> Markdown; no MkDocs plugin or hook is involved, so any builder
that reads mkdocs.yml (MkDocs + Material today, Zensical next) can build it.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import posixpath
import re
import shutil
from html import escape as html_escape
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined

from . import answers, model, site, words
from .loader import Project
from .timeestimate import describe_range, in_language, parse_time_estimate

KIND_ADMONITION = {
    "individual": "individual",
    "with-manager": "with-manager",
    "shadowing": "shadowing",
    "reading": "read",
    "online-link": "online",
}
# The most pages a section lists in the site's navigation. Zensical renders the whole navigation into every page, so
# a build's time and memory grow with pages times entries (BENCHMARKS.md: 1,000 pages, 17.5 s and 556 MB listed in
# full, 4.3 s and 175 MB not). A section with more lists its overview and its activities' index, and its overview
# lists every page of it instead, so that none is out of reach.
NAV_LIMIT = 60
SHIM = Path("node_modules/iframe-worker/shim/index.js")
SHIM_TARGET = "assets/iframe-worker/shim.js"


def relative_link(from_page: str, to_page: str) -> str:
    folder, name = posixpath.split(to_page)
    up = _relative_folder(posixpath.dirname(from_page) or ".", folder or ".")
    return name if up == "." else f"{up}/{name}"


@functools.lru_cache(maxsize=4096)
def _relative_folder(from_folder: str, to_folder: str) -> str:
    """posixpath.relpath is slow (it makes both paths absolute); pages live in a few folders."""
    return posixpath.relpath(to_folder, from_folder)


@functools.lru_cache(maxsize=8)
def _environment(cache_dir: str | None = None, language: str = "en") -> Environment:
    """One Jinja environment per process and language (compiling the templates is most of the
    cost of generating a small site); cache_dir keeps their compiled code between runs."""
    bytecode_cache = None
    if cache_dir:
        try:
            Path(cache_dir).mkdir(parents=True, exist_ok=True)
            bytecode_cache = FileSystemBytecodeCache(cache_dir)
        except OSError:  # a read-only project: compile every time
            bytecode_cache = None
    env = Environment(
        loader=PackageLoader("handbook", "templates/site"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=bytecode_cache,
        extensions=["jinja2.ext.i18n"],
    )
    gettext = words.gettext_for(language)
    env.install_gettext_callables(gettext, words.translations(language).ngettext, newstyle=True)
    env.filters["oneline"] = lambda text: " ".join(str(text).split())
    env.filters["admonition"] = KIND_ADMONITION.get
    env.filters["answer_text"] = functools.partial(answers.answer_text, gettext=gettext)
    env.globals["letters"] = answers.LETTERS
    env.filters["tojson"] = lambda value: json.dumps(value, ensure_ascii=False)
    env.globals["kind_labels"] = {kind: gettext(label) for kind, label in model.KIND_LABELS.items()}
    env.filters["time"] = functools.partial(in_language, language=language)
    env.filters["section_label"] = functools.partial(section_label, gettext=gettext)
    return env


def section_label(section: model.Section, gettext=lambda text: text) -> str:
    """'Section 3' or 'Appendix A', in the page's language."""
    return (gettext("Section %(id)s") if section.id.isdigit() else gettext("Appendix %(id)s")) % {"id": section.id}


class SiteGenerator:
    """The Markdown pages and navigation of one language's site.

    For a language other than English, `project` is the English project: the generator
    writes each page from its translation, or a short notice in that language with a link
    to the English page where there is none yet (never English text under a Welsh URL)."""

    def __init__(self, project: Project, tracker_url: str = "", template_cache: Path | None = None,
                 language: str = "en", languages: tuple[str, ...] = ("en",)):
        self.language = language
        self.languages = languages  # the languages being built: each page links to itself in the others
        self.english = project
        self.project = project.in_language(language)
        self.tracker_url = tracker_url.rstrip("/")
        self.env = _environment(str(template_cache) if template_cache else None, language)
        self._ = words.gettext_for(language)
        self.pages: dict[str, str] = {}  # markdown path -> text
        self.meta: dict[str, dict] = {}  # markdown path -> front matter the generator adds

    @property
    def translating(self) -> bool:
        return self.language != words.LANGUAGES[0]

    def translated(self, kind: str, key: str) -> bool:
        return self.project.translated(kind, key, self.language)

    def title_html(self, kind: str, key: str, text: str) -> str:
        """A title in a listing: an untranslated one is marked as English for screen readers."""
        if self.translating and not self.translated(kind, key):
            return f'<span lang="en">{html_escape(text)}</span>'
        return html_escape(text)

    def section_label(self, section: model.Section) -> str:
        return section_label(section, self._)

    def untranslated(self, path: str, title: str) -> None:
        """The page at `path` in this language's site, for an English page with no translation yet."""
        english = relative_url(posixpath.join(words.SITE_FOLDER[self.language], path), path)
        self.render(path, "untranslated.md.j2", title=title, english=english)
        self.meta[path] = {"translation": "missing"}

    # -- helpers ---------------------------------------------------------------
    def render(self, path: str, template: str, **context) -> None:
        self.pages[path] = self.env.get_template(template).render(**context)

    def _element(self, activity: model.Activity):
        section = self.project.sections[activity.section]
        return next((e for e in section.elements if e.id == activity.element), None)

    def tracker_link(self, kind: str, key: str) -> str:
        if not self.tracker_url:
            return ""
        link = f"{self.tracker_url}/{kind}/{key}"
        return f"{link}?lang={self.language}" if self.translating else link  # the tracker opens in Welsh

    # -- pages -----------------------------------------------------------------
    def activity_page(self, activity: model.Activity) -> None:
        path = site.activity_page(activity)
        if self.translating and not self.translated("activity", activity.id):
            return self.untranslated(path, f"{activity.id} {activity.title}")
        section = self.project.sections[activity.section]
        element = self._element(activity)
        quizzes = [
            {"title": q.title, "link": relative_link(path, site.quiz_page(q)), "count": len(q.questions)}
            for q in self.project.quizzes_for(activity.id)
        ]
        reviewed, sources = self._provenance(activity)
        self.render(
            path, "activity.md.j2",
            activity=activity, section=section, element=element,
            section_link=relative_link(path, site.section_overview(section)),
            element_link=relative_link(path, element.page) if element else "",
            case_studies=[self.project.case_study(c) for c in activity.case_studies],
            quizzes=quizzes,
            tracker_link=self.tracker_link("activities", activity.id),
            reviewed=reviewed,
            due=self._due(activity),
            standards=self._standards(activity),
        )
        self.pages[path] += "\n" + self.sources_block(sources, self.sources_translated(activity))

    def _standards(self, activity: model.Activity) -> list[dict]:
        """The standards an activity evidences, in this language, each with the title of its group."""
        standards = self.project.standards
        if not standards:
            return []
        known = standards.by_id()
        return [{"id": key, "title": known[key].title, "group": standards.group_of(key).title}
                for key in activity.standards if key in known]

    def _due(self, activity: model.Activity) -> str:
        """'Usually done in week 2' from the activity's or its section's `due`; '' without one."""
        due = self.project.due_of(activity)
        return due.describe(self._) if due else ""

    def sources_translated(self, activity: model.Activity) -> bool:
        section = self.project.sections[activity.section]
        element = self._element(activity) or section.elements[0]
        page = self.project.pages.get(element.page)
        return not self.translating or bool(page and page.sources_translated)

    def sources_block(self, sources: list[model.Source], translated: bool = True) -> str:
        """The sources a page rests on. Titles and notes a translation does not translate stay in
        English, marked as such."""
        block = sources_block(sources, self._("Sources"))
        if translated or not self.translating:
            return block
        heading, _, items = block.partition("\n\n")
        return f'{heading}\n\n<div lang="en" markdown>\n\n{items}\n</div>\n'


    def _provenance(self, activity: model.Activity):
        """An activity is reviewed with, and rests on the sources of, its element's page."""
        section = self.project.sections[activity.section]
        element = self._element(activity) or section.elements[0]
        page = self.project.pages.get(element.page)
        return (page.meta.reviewed, page.meta.sources) if page else (None, [])

    def section_pages(self, section: model.Section) -> None:
        overview = site.section_overview(section)
        activities = self.project.activities_in(section.id)
        listed = [{"activity": a, "title": self.title_html("activity", a.id, f"{a.id} {a.title}"),
                   "link": relative_link(overview, site.activity_page(a))} for a in activities]
        index = site.section_activity_index(section.slug)
        self.render(
            index, "section_activities.md.j2", section=section,
            activities=[{**item, "link": relative_link(index, site.activity_page(item["activity"]))}
                        for item in listed],
        )
        if self.translating and not self.translated("section", section.id):
            return self.untranslated(overview, f"{self.section_label(section)}: {section.title}")
        rows = []
        for element in section.elements:
            topic = f"[{element.id} {element.title}]({relative_link(overview, element.page)})"
            for index, item in enumerate(element.overview):
                method = self._(model.METHOD_LABELS[item.method])
                if item.activity and item.activity in self.project.activities:
                    target = site.activity_page(self.project.activities[item.activity])
                    label = self._("activity %(id)s") % {"id": item.activity}
                    method = f"{method}: [{label}]({relative_link(overview, target)})"
                if item.note:
                    method = f"{method} ({item.note})"
                rows.append({"topic": topic if index == 0 else "", "method": method,
                             "time": in_language(item.time, self.language)})
        total_low = sum(a.estimate.min_minutes for a in activities)
        total_high = sum(a.estimate.max_minutes for a in activities)
        reading = sum(  # reading and framework items that are not activities
            parse_time_estimate(item.time).min_minutes
            for element in section.elements for item in element.overview if not item.activity
        )
        low, high = total_low + reading, total_high + reading
        total = describe_range(low, high, self.language)
        pages = [] if self.listed_in_full(section) else [
            {"title": self.project.pages[p].meta.title, "link": relative_link(overview, p)}
            for p in self._section_pages(section) if p in self.project.pages]
        self.render(overview, "section.md.j2", section=section, rows=rows, total=total, activities=listed,
                    pages=pages)

    def catalogue(self) -> None:
        activities = sorted(self.project.activities.values(), key=lambda a: a.number)
        items = [
            {
                "activity": a,
                "title": self.title_html("activity", a.id, a.title),
                "section": self.project.sections[a.section],
                # raw HTML links: MkDocs does not rewrite these, so point at the built .html file
                "href": relative_link(site.CATALOGUE, site.activity_page(a))[: -len(".md")] + ".html",
            }
            for a in activities
        ]
        self.render(site.CATALOGUE, "catalogue.md.j2", activities=items, sections=self.sorted_sections())

    def quiz_pages(self) -> None:
        listing = []
        for quiz in sorted(self.project.quizzes.values(), key=lambda q: q.title):
            path = site.quiz_page(quiz)
            activity = self.project.activities.get(quiz.activity) if quiz.activity else None
            activity_link = relative_link(path, site.activity_page(activity)) if activity else ""
            reviewed = self._provenance(activity)[0] if activity else None
            listing.append({
                "quiz": quiz, "title": self.title_html("quiz", quiz.id, quiz.title),
                "link": relative_link(site.QUIZ_INDEX, path),
                "activity_link": relative_link(site.QUIZ_INDEX, site.activity_page(activity)) if activity else "",
            })
            if self.translating and not self.translated("quiz", quiz.id):
                self.untranslated(path, quiz.title)
                continue
            self.render(path, "quiz.md.j2", quiz=quiz, activity_link=activity_link, reviewed=reviewed,
                        tracker_link=self.tracker_link("quizzes", quiz.id))
            unique = list(dict.fromkeys(q.source for q in quiz.questions))
            self.pages[path] += "\n" + self.sources_block([model.Source(title=t) for t in unique])
        self.render(site.QUIZ_INDEX, "quiz_index.md.j2", quizzes=listing, tracker=bool(self.tracker_url))

    def sorted_sections(self) -> list[model.Section]:
        return sorted(self.project.sections.values(), key=lambda s: model.section_order(s.id))

    def content_pages(self) -> None:
        for page in self.project.pages.values():
            if self.translating and not self.translated("page", page.path):
                self.untranslated(page.path, page.meta.title)
                continue
            if page.source_path:  # a translation: its body under front matter made from both files
                text = translated_front_matter(page) + page.body
            else:
                text = (self.project.root / "content" / page.path).read_text(encoding="utf-8")
            if page.path == "index.md" and self.tracker_url:
                link = f"{self.tracker_url}/?lang={self.language}" if self.translating else f"{self.tracker_url}/"
                text = after_front_matter(text, tracker_button(link, self._))
            translated = not page.source_path or page.sources_translated
            self.pages[page.path] = text.rstrip("\n") + "\n\n" + self.sources_block(page.meta.sources, translated)

    def generate(self) -> dict[str, str]:
        self.content_pages()
        for section in self.sorted_sections():
            self.section_pages(section)
        for activity in self.project.activities.values():
            self.activity_page(activity)
        self.catalogue()
        self.quiz_pages()
        self.render(site.TAGS_PAGE, "tags.md.j2")
        if self.project.glossary:
            if self.translating and not self.translated("glossary", "glossary"):
                self.untranslated(site.GLOSSARY_PAGE, "Glossary of abbreviations")
            else:
                self.render(site.GLOSSARY_PAGE, "glossary.md.j2", glossary=self.project.glossary,
                            service=self.project.service, local=self.local_abbreviations())
            definitions = abbreviations(self.project.glossary, self.local_abbreviations())
            self.pages = {path: text.rstrip("\n") + "\n\n" + definitions for path, text in self.pages.items()}
        self.add_page_meta()
        return self.pages

    def local_abbreviations(self) -> dict[str, str]:
        """English term -> this language's own abbreviation (ADY for ALN), where it has one."""
        translation = self.english.translations.get(self.language)
        return translation.abbreviations if translation and self.translating else {}

    def add_page_meta(self) -> None:
        """Front matter the page template reads: the same page in the other language, the
        translation's state and the review date in words."""
        others = [code for code in self.languages if code != self.language]
        here = words.SITE_FOLDER[self.language]
        for path, text in self.pages.items():
            meta = dict(self.meta.get(path, {}))
            if others:
                there = posixpath.join(words.SITE_FOLDER[others[0]], path)
                meta["alternate"] = relative_url(posixpath.join(here, path), there)
                meta["alternate_lang"] = others[0]
            page = self.project.pages.get(path)
            if self.translating and page and page.source_path:
                status = self.english.translations[self.language].status[("page", path)]
                meta["translation"] = status.status
                if not status.current:
                    meta["translation_stale"] = True
                meta["english"] = self.english_url(path)
            for kind, key in self.items_on(path):
                status = self.english.translations[self.language].status.get((kind, key)) if self.translating else None
                if status:
                    meta["translation"] = status.status
                    if not status.current:
                        meta["translation_stale"] = True
                    meta["english"] = self.english_url(path)
            reviewed = re.search(r"(?m)^reviewed: \"?(\d{4}-\d{2}-\d{2})\"?$", text[:2000])
            if reviewed:
                meta["reviewed_text"] = words.format_date(dt.date.fromisoformat(reviewed.group(1)), self.language)
            self.pages[path] = add_front_matter(text, meta)

    def english_url(self, path: str) -> str:
        return relative_url(posixpath.join(words.SITE_FOLDER[self.language], path), path)

    def items_on(self, path: str) -> list[tuple[str, str]]:
        """The YAML items a generated page shows, for its translation note."""
        return self._item_pages.get(path, [])

    @functools.cached_property
    def _item_pages(self) -> dict[str, list[tuple[str, str]]]:
        pages: dict[str, list[tuple[str, str]]] = {}
        for activity in self.project.activities.values():
            pages[site.activity_page(activity)] = [("activity", activity.id)]
        for quiz in self.project.quizzes.values():
            pages[site.quiz_page(quiz)] = [("quiz", quiz.id)]
        for section in self.project.sections.values():
            pages[site.section_overview(section)] = [("section", section.id)]
        pages[site.GLOSSARY_PAGE] = [("glossary", "glossary")]
        return pages

    # -- navigation --------------------------------------------------------------
    def nav(self) -> list:
        project = self.project
        nav: list = []
        _ = self._
        if "index.md" in project.pages:
            nav.append({_("Home"): "index.md"})
        for section in self.sorted_sections():
            pages, activities = self._section_pages(section), project.activities_in(section.id)
            entries = [site.section_overview(section)]
            if self.listed_in_full(section):
                entries += [{project.pages[p].meta.title: p} for p in pages]
                entries.append({_("Activities"): [site.section_activity_index(section.slug)] + [
                    {f"{a.id} {a.title}": site.activity_page(a)} for a in activities]})
            else:
                entries.append({_("Activities"): site.section_activity_index(section.slug)})
            nav.append({f"{self.section_label(section)}: {section.title}": entries})
        nav.append({_("Activity catalogue"): site.CATALOGUE})
        if project.quizzes:
            quizzes = sorted(project.quizzes.values(), key=lambda q: q.title)
            nav.append({_("Quizzes"): [site.QUIZ_INDEX] + [{q.title: site.quiz_page(q)} for q in quizzes]})
        section_slugs = {s.slug for s in project.sections.values()}
        folders = sorted({p.split("/")[0] for p in project.pages if "/" in p} - section_slugs,
                         key=lambda f: self._folder_key(f))
        glossary = {_("Glossary of abbreviations"): site.GLOSSARY_PAGE} if project.glossary else None
        for folder in folders:
            entries = self._folder_nav(folder)
            if glossary and site.GLOSSARY_PAGE.startswith(folder + "/"):
                entries.append(glossary)
                glossary = None
            nav.append({self._folder_title(folder): entries})
        if glossary:
            nav.append(glossary)
        for path in self._folder_pages(""):
            if path != "index.md":
                nav.append({project.pages[path].meta.title: path})
        nav.append({_("Topics"): site.TAGS_PAGE})
        return nav

    def _section_pages(self, section: model.Section) -> list[str]:
        """The section's authored pages: its elements' pages, then the others in its folder."""
        element_pages = [e.page for e in section.elements]
        return element_pages + self._folder_pages(section.slug, exclude=set(element_pages))

    def listed_in_full(self, section: model.Section) -> bool:
        """Whether the navigation lists each of the section's pages and activities (NAV_LIMIT)."""
        return len(self._section_pages(section)) + len(self.project.activities_in(section.id)) <= NAV_LIMIT

    def _folder_pages(self, folder: str, exclude: set[str] = frozenset()) -> list[str]:
        """Authored pages directly in a folder, index first, then by order and title."""
        prefix = f"{folder}/" if folder else ""
        pages = [
            p for p in self.project.pages
            if p.startswith(prefix) and "/" not in p[len(prefix):] and p not in exclude
        ]
        return sorted(pages, key=self._page_key)

    def _page_key(self, path: str):
        meta = self.project.pages[path].meta
        return (not path.endswith("index.md"), meta.order if meta.order is not None else 10_000, meta.title)

    def _folder_title(self, folder: str) -> str:
        index = f"{folder}/index.md"
        if index in self.project.pages:
            return self.project.pages[index].meta.title
        return folder.rsplit("/", 1)[-1].replace("-", " ").capitalize()

    def _folder_key(self, folder: str):
        index = f"{folder}/index.md"
        meta = self.project.pages[index].meta if index in self.project.pages else None
        return (meta.order if meta and meta.order is not None else 10_000, self._folder_title(folder))

    def _folder_nav(self, folder: str) -> list:
        """A folder's pages, then its sub-folders as nested sections (each ordered by its index page)."""
        entries: list = []
        for path in self._folder_pages(folder):
            entries.append(path if path == f"{folder}/index.md" else {self.project.pages[path].meta.title: path})
        depth = folder.count("/") + 1
        subfolders = sorted({"/".join(p.split("/")[: depth + 1]) for p in self.project.pages
                             if p.startswith(folder + "/") and p.count("/") > depth}, key=self._folder_key)
        for sub in subfolders:
            entries.append({self._folder_title(sub): self._folder_nav(sub)})
        return entries


def abbreviations(glossary: model.Glossary, local: dict[str, str] | None = None) -> str:
    """Markdown abbreviation definitions: the abbr extension turns each use into a tooltip.
    `local`: a language's own abbreviations (ADY for ALN), defined with the same meaning."""
    lines = [f"*[{t.term}]: {t.meaning}" for t in glossary.terms]
    lines += [f"*[{local[t.term]}]: {t.meaning}" for t in glossary.terms if t.term in (local or {})]
    return "\n".join(lines) + "\n"


def tracker_button(link: str, gettext=lambda text: text) -> str:
    label, rest = gettext("Open the induction tracker"), gettext("to plan, record and sign off induction work.")
    return f"[{label}]({link}){{ .md-button .md-button--primary .handbook-record }} {rest}\n"


def relative_url(from_page: str, to_page: str) -> str:
    """The link from one built page to another, both given by their Markdown paths from site/."""
    return relative_link(from_page, to_page)[: -len(".md")] + ".html"


def add_front_matter(text: str, fields: dict) -> str:
    """Add fields (JSON is YAML) at the top of a page's front matter; the page's own win."""
    lines = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in fields.items())
    if text.startswith("---\n"):
        return f"---\n{lines}{text[4:]}"
    return f"---\n{lines}---\n\n{text}"


def translated_front_matter(page) -> str:
    """A translated page's front matter: its own title, description and tags; the English page's
    review date, navigation order, hidden parts and search settings."""
    meta = page.meta
    fields = {"title": meta.title, "description": meta.description, "reviewed": meta.reviewed.isoformat(),
              "tags": meta.tags or None, "hide": meta.hide or None,
              "search": meta.search.model_dump() if meta.search else None}
    lines = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in fields.items()
                    if value is not None)
    return f"---\n{lines}---\n"


def after_front_matter(text: str, block: str) -> str:
    """Insert a Markdown block at the top of a page's body, below its front matter."""
    if text.startswith("---\n"):
        end = text.index("\n---\n", 4) + len("\n---\n")
        return f"{text[:end]}\n{block}\n{text[end:]}"
    return f"{block}\n{text}"


def sources_block(sources: list[model.Source], heading: str = "Sources") -> str:
    lines = [f"## {heading}", ""]
    for source in sources:
        text = f"[{source.title}]({source.url})" if source.url else source.title
        lines.append(f"- {text}{': ' + source.note if source.note else ''}")
    return "\n".join(lines) + "\n"


def write_tree(pages: dict[str, str], target: Path, project_root: Path) -> None:
    """Write the generated pages, the content assets and the offline search shim.

    Files are written only when their text changed, and stale files are removed,
    so a live-reloading server sees exactly what changed.
    """
    wanted: set[Path] = set()
    for path, text in pages.items():
        file = target / path
        wanted.add(file)
        file.parent.mkdir(parents=True, exist_ok=True)
        if not file.exists() or file.read_text(encoding="utf-8") != text:
            file.write_text(text, encoding="utf-8")
    content = project_root / "content"
    copies = [(f, target / f.relative_to(content)) for f in content.rglob("*") if f.is_file() and f.suffix != ".md"]
    shim = project_root / SHIM
    if not shim.exists():
        raise FileNotFoundError(f"{SHIM} is missing: run 'npm ci' (the setup scripts do)"
                                " to install the offline search shim")
    copies.append((shim, target / SHIM_TARGET))
    for source, file in copies:
        wanted.add(file)
        file.parent.mkdir(parents=True, exist_ok=True)
        if not file.exists() or file.read_bytes() != source.read_bytes():
            shutil.copyfile(source, file)
    for file in sorted(target.rglob("*"), reverse=True):
        if file.is_file() and file not in wanted:
            file.unlink()
        elif file.is_dir() and not any(file.iterdir()):
            file.rmdir()
