"""Turn a validated Project into the Markdown tree and navigation the builder reads.

YAML -> Jinja2 -> Markdown; no MkDocs plugin or hook is involved, so any builder
that reads mkdocs.yml (MkDocs + Material today, Zensical next) can build it.
"""
from __future__ import annotations

import functools
import json
import posixpath
import shutil
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined

from . import answers, model, site
from .loader import Project
from .timeestimate import describe_range, parse_time_estimate

KIND_ADMONITION = {
    "individual": "individual",
    "with-manager": "with-manager",
    "shadowing": "shadowing",
    "reading": "read",
    "online-link": "online",
}
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
def _environment(cache_dir: str | None = None) -> Environment:
    """One Jinja environment per process (compiling the templates is most of the cost of
    generating a small site); cache_dir keeps their compiled code between runs."""
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
    )
    env.filters["oneline"] = lambda text: " ".join(str(text).split())
    env.filters["admonition"] = KIND_ADMONITION.get
    env.filters["answer_text"] = answers.answer_text
    env.globals["letters"] = answers.LETTERS
    env.filters["tojson"] = lambda value: json.dumps(value, ensure_ascii=False)
    env.globals["kind_labels"] = model.KIND_LABELS
    return env


class SiteGenerator:
    def __init__(self, project: Project, tracker_url: str = "", template_cache: Path | None = None):
        self.project = project
        self.tracker_url = tracker_url.rstrip("/")
        self.env = _environment(str(template_cache) if template_cache else None)
        self.pages: dict[str, str] = {}  # markdown path -> text

    # -- helpers ---------------------------------------------------------------
    def render(self, path: str, template: str, **context) -> None:
        self.pages[path] = self.env.get_template(template).render(**context)

    def _element(self, activity: model.Activity):
        section = self.project.sections[activity.section]
        return next((e for e in section.elements if e.id == activity.element), None)

    def tracker_link(self, kind: str, key: str) -> str:
        return f"{self.tracker_url}/{kind}/{key}" if self.tracker_url else ""

    # -- pages -----------------------------------------------------------------
    def activity_page(self, activity: model.Activity) -> None:
        path = site.activity_page(activity)
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
        )
        self.pages[path] += "\n" + sources_block(sources)

    def _provenance(self, activity: model.Activity):
        """An activity is reviewed with, and rests on the sources of, its element's page."""
        section = self.project.sections[activity.section]
        element = self._element(activity) or section.elements[0]
        page = self.project.pages.get(element.page)
        return (page.meta.reviewed, page.meta.sources) if page else (None, [])

    def section_pages(self, section: model.Section) -> None:
        overview = site.section_overview(section)
        activities = self.project.activities_in(section.id)
        rows = []
        for element in section.elements:
            topic = f"[{element.id} {element.title}]({relative_link(overview, element.page)})"
            for index, item in enumerate(element.overview):
                method = model.METHOD_LABELS[item.method]
                if item.activity and item.activity in self.project.activities:
                    target = site.activity_page(self.project.activities[item.activity])
                    method = f"{method}: [activity {item.activity}]({relative_link(overview, target)})"
                if item.note:
                    method = f"{method} ({item.note})"
                rows.append({"topic": topic if index == 0 else "", "method": method, "time": item.time})
        total_low = sum(a.estimate.min_minutes for a in activities)
        total_high = sum(a.estimate.max_minutes for a in activities)
        reading = sum(  # reading and framework items that are not activities
            parse_time_estimate(item.time).min_minutes
            for element in section.elements for item in element.overview if not item.activity
        )
        low, high = total_low + reading, total_high + reading
        total = describe_range(low, high)
        self.render(
            overview, "section.md.j2", section=section, rows=rows, total=total,
            activities=[{"activity": a, "link": relative_link(overview, site.activity_page(a))} for a in activities],
        )
        index = site.section_activity_index(section.slug)
        self.render(
            index, "section_activities.md.j2", section=section,
            activities=[{"activity": a, "link": relative_link(index, site.activity_page(a))} for a in activities],
        )

    def catalogue(self) -> None:
        activities = sorted(self.project.activities.values(), key=lambda a: a.number)
        items = [
            {
                "activity": a,
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
            self.render(path, "quiz.md.j2", quiz=quiz, activity_link=activity_link, reviewed=reviewed,
                        tracker_link=self.tracker_link("quizzes", quiz.id))
            unique = list(dict.fromkeys(q.source for q in quiz.questions))
            self.pages[path] += "\n" + sources_block([model.Source(title=t) for t in unique])
            listing.append({
                "quiz": quiz, "link": relative_link(site.QUIZ_INDEX, path),
                "activity_link": relative_link(site.QUIZ_INDEX, site.activity_page(activity)) if activity else "",
            })
        self.render(site.QUIZ_INDEX, "quiz_index.md.j2", quizzes=listing, tracker=bool(self.tracker_url))

    def sorted_sections(self) -> list[model.Section]:
        return sorted(self.project.sections.values(), key=lambda s: model.section_order(s.id))

    def content_pages(self) -> None:
        for page in self.project.pages.values():
            text = (self.project.root / "content" / page.path).read_text(encoding="utf-8")
            if page.path == "index.md" and self.tracker_url:
                text = after_front_matter(text, tracker_button(self.tracker_url))
            self.pages[page.path] = text.rstrip("\n") + "\n\n" + sources_block(page.meta.sources)

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
            self.render(site.GLOSSARY_PAGE, "glossary.md.j2", glossary=self.project.glossary,
                        service=self.project.service)
            definitions = abbreviations(self.project.glossary)
            self.pages = {path: text.rstrip("\n") + "\n\n" + definitions for path, text in self.pages.items()}
        return self.pages

    # -- navigation --------------------------------------------------------------
    def nav(self) -> list:
        project = self.project
        nav: list = []
        if "index.md" in project.pages:
            nav.append({"Home": "index.md"})
        for section in self.sorted_sections():
            element_pages = [e.page for e in section.elements]
            extra = self._folder_pages(section.slug, exclude=set(element_pages))
            activities = project.activities_in(section.id)
            entries = [site.section_overview(section)]
            entries += [{project.pages[p].meta.title: p} for p in element_pages + extra]
            entries.append({"Activities": [site.section_activity_index(section.slug)] + [
                {f"{a.id} {a.title}": site.activity_page(a)} for a in activities
            ]})
            nav.append({f"{section.label}: {section.title}": entries})
        nav.append({"Activity catalogue": site.CATALOGUE})
        if project.quizzes:
            quizzes = sorted(project.quizzes.values(), key=lambda q: q.title)
            nav.append({"Quizzes": [site.QUIZ_INDEX] + [{q.title: site.quiz_page(q)} for q in quizzes]})
        section_slugs = {s.slug for s in project.sections.values()}
        folders = sorted({p.split("/")[0] for p in project.pages if "/" in p} - section_slugs,
                         key=lambda f: self._folder_key(f))
        glossary = {"Glossary of abbreviations": site.GLOSSARY_PAGE} if project.glossary else None
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
        nav.append({"Topics": site.TAGS_PAGE})
        return nav

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


def abbreviations(glossary: model.Glossary) -> str:
    """Markdown abbreviation definitions: the abbr extension turns each use into a tooltip."""
    return "\n".join(f"*[{t.term}]: {t.meaning}" for t in glossary.terms) + "\n"


def tracker_button(tracker_url: str) -> str:
    return (f"[Open the induction tracker]({tracker_url}/){{ .md-button .md-button--primary .handbook-record }}"
            " to plan, record and sign off induction work.\n")


def after_front_matter(text: str, block: str) -> str:
    """Insert a Markdown block at the top of a page's body, below its front matter."""
    if text.startswith("---\n"):
        end = text.index("\n---\n", 4) + len("\n---\n")
        return f"{text[:end]}\n{block}\n{text[end:]}"
    return f"{block}\n{text}"


def sources_block(sources: list[model.Source]) -> str:
    lines = ["## Sources", ""]
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
