#!/usr/bin/env python3
"""Build the EWS induction handbook.

    python build.py check            validate every YAML and Markdown file; exit 1 on any error
                                     (--spelling-report: the Welsh spelling file by file)
    python build.py build            generate pages and build the static site into site/
    python build.py serve            live-reloading preview for authors
    python build.py translated FILE  record that a translation (e.g. activities/1-1.cy.yml) is up to date
    python build.py translated --reviewed --by NAME FILE   ... and that NAME, a Welsh speaker, reviewed it

Both build and serve take --builder mkdocs|zensical (default: $HANDBOOK_BUILDER,
else mkdocs): the same mkdocs.yml builds with MkDocs + Material and with Zensical.

build.py generates the Markdown itself (YAML -> Jinja2 -> Markdown) and then
calls the builder on a generated copy of mkdocs.yml, so the builder stays
swappable (see docs/decisions.md).
"""
from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import html
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from handbook import facts, spelling, terms, translations, words  # noqa: E402
from handbook.generate import SiteGenerator, write_tree  # noqa: E402
from handbook.loader import Project, format_errors, load_project  # noqa: E402
from handbook.yamlsource import ContentError  # noqa: E402

BUILDERS = {
    "mkdocs": [sys.executable, "-m", "mkdocs"],      # MkDocs 1.6 + Material for MkDocs 9.8
    "zensical": [sys.executable, "-m", "zensical"],  # Zensical 0.0.73, Material's successor
}
DEFAULT_BUILDER = "mkdocs"
BUILDER_SETTING = "HANDBOOK_BUILDER"  # environment variable naming the builder
# Plugins both builders implement. Zensical ignores any other plugin without a word,
# so a feature would vanish from its build while the build passes: refuse them.
COMMON_PLUGINS = ("search", "tags", "offline")
WATCHED = ("content", "activities", "quizzes", "sections")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class ConfigError(Exception):
    """mkdocs.yml asks for something one of the builders would not do."""


def builder_env() -> dict:
    # Material prints an end-of-life banner on every build; it is known (docs/decisions.md).
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}


def choose_builder(requested: str | None = None) -> str:
    name = requested or os.environ.get(BUILDER_SETTING) or DEFAULT_BUILDER
    if name not in BUILDERS:
        raise ConfigError(f"unknown builder {name!r} (choose {' or '.join(BUILDERS)}; "
                          f"--builder or ${BUILDER_SETTING})")
    return name


def builder_command(builder: str, action: str, config: Path) -> list[str]:
    # Not `mkdocs build --quiet`: it silences warnings before --strict can count them,
    # so a strict build with warnings passed. INFO lines are dropped from the report instead.
    strict = ["--strict"] if action == "build" else []
    return BUILDERS[builder] + [action, *strict, "-f", str(config)]


def builder_problems(builder: str, returncode: int, output: str) -> str:
    """The builder's report, or '' for a clean build (strict: any warning fails)."""
    output = ANSI.sub("", output).strip()
    if builder == "zensical":
        head, _, trace = output.partition("Traceback (most recent call last)")
        if trace:  # a Python traceback: keep only its last line (the error), which says it all
            last = trace.strip().splitlines()[-1]
            output = head.strip() if "Aborted because --strict flag is set" in last else f"{head.strip()}\n{last}"
        lines = [line for line in output.splitlines()
                 if line.strip() not in ("Build started", "No issues found") and not line.startswith("Build finished")]
        output = "\n".join(lines).strip()
        return output or (f"zensical exited with {returncode}" if returncode else "")
    output = "\n".join(line for line in output.splitlines() if not line.startswith("INFO")).strip()
    if returncode != 0 or "WARNING" in output:
        return output or f"mkdocs exited with {returncode}"
    return ""


def site_config(root: Path, language: str = "en") -> dict:
    """mkdocs.yml, or a language's mkdocs.<language>.yml with its INHERIT: resolved."""
    return read_config(root / ("mkdocs.yml" if language == words.LANGUAGES[0] else f"mkdocs.{language}.yml"))


def read_config(file: Path) -> dict:
    with open(file, encoding="utf-8") as handle:
        config = yaml.safe_load(handle) or {}
    parent = config.pop("INHERIT", None)
    return merge_config(read_config(file.parent / parent), config) if parent else config


def merge_config(base: dict, override: dict) -> dict:
    """INHERIT as MkDocs and Zensical read it: mappings merged key by key, anything else replaced."""
    merged = dict(base)
    for key, value in override.items():
        merged[key] = merge_config(merged[key], value) if isinstance(value, dict) and isinstance(
            merged.get(key), dict) else value
    return merged


def site_languages(root: Path) -> tuple[str, ...]:
    """English, and every language with its own configuration (mkdocs.cy.yml) beside mkdocs.yml."""
    return (words.LANGUAGES[0], *(code for code in words.LANGUAGES[1:] if (root / f"mkdocs.{code}.yml").exists()))


def page_words(language: str) -> dict:
    """The words overrides/main.html and 404.html write around a page, and handbook.js shows, in the page's language."""
    _ = words.gettext_for(language)
    return {
        "last_reviewed": _("Last reviewed:"),
        "sources_below": _("Sources are listed under “Sources” on this page."),
        "draft": _("This translation is a draft: a Welsh speaker has not reviewed it yet."),
        "stale": _("The English page has changed since this was translated."),
        "read_english": _("Read the English page"),
        "table_hint": _("Scroll sideways to see the whole table."),
        # from file://, beside a tracker button built with a root-relative address; %s is that address
        "tracker_offline": _("The tracker is at %s on the web server this handbook comes from: open the handbook "
                             "there to use it. A copy of the handbook opened from disk cannot reach the tracker."),
        "not_found": _("Page not found"),
        "not_found_advice": _("Check the address, or search the handbook or use its menu."),
        "home_page": _("Go to the handbook's home page"),
        "language_name": words.LANGUAGE_NAMES[language],
    }


def review_warnings(project: Project, config: dict, today: dt.date | None = None) -> list[ContentError]:
    period = int(config.get("extra", {}).get("review_period_days", 365))
    today = today or dt.date.today()
    return [
        ContentError(f"content/{page.path}", 1, "reviewed",
                     f"last reviewed {page.meta.reviewed}, more than {period} days ago", "warning")
        for page in project.pages.values()
        if (today - page.meta.reviewed).days > period
    ]


def check(root: Path = ROOT, quiet: bool = False, spelling_by_file: bool = False) -> Project:
    started = time.perf_counter()
    project = load_project(root)
    project.warnings.extend(review_warnings(project, site_config(root)))
    term_errors, term_warnings = terms.term_warnings(root)  # the Welsh term list, handbook/locale/cy/terms.yml
    project.errors.extend(term_errors)
    project.warnings.extend(term_warnings)
    project.errors.extend(facts.fact_errors(root))  # figures, references, dates and links survive translation
    spelled = spelling.spelling_report(root)  # Aspell's Welsh dictionary and handbook/locale/cy/words.txt
    project.errors.extend(spelled.errors)
    for line in format_errors(project.errors + project.warnings):
        print(line, file=sys.stderr)
    if not quiet or project.errors:
        counts = (f"{len(project.sections)} sections, {len(project.activities)} activities, "
                  f"{len(project.case_studies)} case studies, {len(project.quizzes)} quizzes, "
                  f"{len(project.pages)} pages")
        if not project.errors:
            for language in project.translations:
                print(translations.parity(project, language).summary())
        print(spelled.summary())
        if spelling_by_file:
            print(spelled.per_file())
        verdict = "FAILED" if project.errors else "OK"
        print(f"check {verdict}: {len(project.errors)} errors, {len(project.warnings)} warnings "
              f"in {counts} ({time.perf_counter() - started:.2f} s)", file=sys.stderr if project.errors else sys.stdout)
    return project


def mark_translated(root: Path, files: list[Path], reviewed_by: str | None = None) -> int:
    failed = 0
    for file in files:
        try:
            recorded = translations.stamp(root, file if file.exists() else root / file, reviewed_by)
            state = f"reviewed by {reviewed_by}" if reviewed_by else "a draft until a Welsh speaker reviews it"
            print(f"{file}: the translation of the English as it is now ({recorded}), {state}")
        except (ValueError, OSError) as exc:
            print(f"translated: {exc}", file=sys.stderr)
            failed = 1
    return failed


def plugin_names(config: dict) -> list[str]:
    plugins = config.get("plugins") or []
    items = plugins.items() if isinstance(plugins, dict) else (
        (item, None) if isinstance(item, str) else next(iter(item.items())) for item in plugins)
    return [str(name).removeprefix("material/") for name, _ in items]


def check_portable(config: dict) -> None:
    """Refuse what only one of the builders would honour."""
    if "hooks" in config:
        raise ConfigError("mkdocs.yml: 'hooks' are not run by Zensical; do the work in build.py instead")
    other = [name for name in plugin_names(config) if name not in COMMON_PLUGINS]
    if other:
        raise ConfigError(f"mkdocs.yml: plugin {', '.join(other)} is not supported by both builders "
                          f"(use only {', '.join(COMMON_PLUGINS)})")


def write_builder_config(root: Path, docs_dir: Path, site_dir: Path, nav: list, tracker_url: str, target: Path,
                         builder: str = DEFAULT_BUILDER, language: str = "en") -> Path:
    """A copy of mkdocs.yml with the generated navigation, beside the staged docs.

    Every path in it is relative to the file itself: Zensical panics on an absolute
    docs_dir or site_dir and wants both inside the folder that holds the config.
    Zensical's own link check is turned off: it scans every page's Markdown in Python
    on every build, cache or not (1.5 of its 2 s here); check_site_links does the same
    job on the built HTML in a tenth of the time, for both builders.
    """
    config = site_config(root, language)
    check_portable(config)
    base = target.parent.resolve()
    config["docs_dir"] = os.path.relpath(docs_dir.resolve(), base)
    config["site_dir"] = os.path.relpath(site_dir.resolve(), base)
    theme = config.setdefault("theme", {})
    if "custom_dir" in theme:
        theme["custom_dir"] = os.path.relpath((root / theme["custom_dir"]).resolve(), base)
    config["nav"] = nav
    extra = config.setdefault("extra", {})
    extra["tracker_url"] = tracker_url
    extra["words"] = page_words(language)
    # The header's language link (overrides/partials/alternate.html) goes to the same page in the
    # other language. Both builders include that partial when extra.alternate is true; a list there
    # would also make Material's script fetch sitemap.xml for it, which fails from file://.
    other = [code for code in site_languages(root) if code != language]
    if other:
        extra["alternate"] = True
        extra["language_link"] = {"name": words.LANGUAGE_NAMES[other[0]], "lang": other[0]}
    if builder == "zensical":
        config["validation"] = False
    text = "# Generated by build.py from mkdocs.yml: do not edit.\n" + yaml.dump(
        config, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False, allow_unicode=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.read_text(encoding="utf-8") != text:  # a rewrite makes serve rebuild everything
        target.write_text(text, encoding="utf-8")
    return target


def stage(root: Path, project: Project, docs_dir: Path, site_dir: Path, tracker_url: str,
          builder: str = DEFAULT_BUILDER, language: str = "en") -> Path:
    generator = SiteGenerator(project, tracker_url, template_cache=root / "build" / "templates", language=language,
                              languages=site_languages(root))
    pages = generator.generate()
    write_tree(pages, docs_dir, root)
    return write_builder_config(root, docs_dir, site_dir, generator.nav(), tracker_url,
                                docs_dir.parent / "mkdocs.yml", builder, language)


# "id=" first and the space behind it checked after: a literal start lets re skip ahead (30x faster)
HTML_ID = re.compile(rb"""id=(?<=\sid=)["']?([^"'\s>]+)""")
HTML_NAME = re.compile(rb"""name=(?<=\sname=)["']?([^"'\s>]+)""")
HTML_LINK = re.compile(rb"""<(?:a|link)\s[^>]*?href=["']([^"']*)["']"""
                       rb"""|<(?:script|img|iframe)\s[^>]*?src=["']([^"']*)["']""")
EXTERNAL_LINK = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)


def linked_part(page: bytes) -> bytes:
    """The <head> (stylesheets, scripts) and the <article> (what was written and generated) of a
    page. The navigation, header and footer around them are the builder's own rendering of the
    generated nav, the same on every page of a folder; on a big site they are most of the bytes."""
    head = page.find(b"<body")
    start = page.find(b"<article", head)
    end = page.rfind(b"</article>")
    if head < 0 or start < 0 or end < start:
        return page
    return page[:head] + page[start:end]


def check_site_links(site: Path, tracker_url: str = "") -> list[str]:
    """Every link, stylesheet, script and image in the built pages must point at a file of the
    site, and every #fragment at an id of the page it names; an absolute path would not work
    from file://. The same check for both builders, on what readers get (the page's head and
    article: tests/test_builders.py checks every link of the handbook). Each distinct link is
    judged once per folder, and each problem is reported once with the pages it is on."""
    from urllib.parse import unquote, urlsplit

    pages: dict[str, tuple[set[bytes], set[bytes]]] = {}
    for file in site.rglob("*.html"):
        data = linked_part(file.read_bytes())
        pages[file.relative_to(site).as_posix()] = (set(HTML_ID.findall(data)) | set(HTML_NAME.findall(data)),
                                                    {a or b for a, b in HTML_LINK.findall(data)})
    tracker = tracker_url.rstrip("/")

    def judge(page: str, raw: bytes) -> str:
        url = html.unescape(raw.decode("utf-8", "replace"))
        if not url or EXTERNAL_LINK.match(url) or (tracker and (url == tracker or url.startswith(tracker + "/"))):
            return ""
        if url.startswith("/"):
            return f"link to {url}: an absolute path does not work from file://"
        parts = urlsplit(url)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path))) \
            if parts.path else page
        if target not in pages and not (site / target).is_file():
            return f"link to {url}: there is no {target}"
        if parts.fragment and target in pages and unquote(parts.fragment).encode() not in pages[target][0]:
            return f"link to {url}: {target} has no heading or id '{unquote(parts.fragment)}'"
        return ""

    verdicts: dict[tuple[str, bytes], str] = {}
    found: dict[str, list[str]] = {}
    for page, (_, links) in sorted(pages.items()):
        if posixpath.basename(page) == "404.html":  # a server's answer to any missing path: links from the root
            continue
        folder = posixpath.dirname(page)
        for raw in links:
            key = (page if raw[:1] in (b"#", b"?") else folder, raw)  # "#x" depends on its own page
            verdict = verdicts.get(key)
            if verdict is None:
                verdict = verdicts[key] = judge(page, raw)
            if verdict:
                found.setdefault(verdict, []).append(page)
    problems = []
    for verdict, on in sorted(found.items(), key=lambda item: (item[1][0], item[0])):
        where = on[0] if len(on) == 1 else f"{on[0]} and {len(on) - 1} more pages"
        problems.append(f"{where}: {verdict}")
    return problems


def replace_site(new_site: Path, site_dir: Path) -> None:
    """Swap the fresh build in; the old site is removed only after the swap."""
    if new_site.parent != site_dir.parent:  # from build/zensical/: copy beside site/ first if it is on another disk
        try:
            moved = site_dir.with_name(f".{site_dir.name}.new-{os.getpid()}")
            new_site.rename(moved)
        except OSError:
            shutil.copytree(new_site, moved)
            shutil.rmtree(new_site, ignore_errors=True)
        new_site = moved
    old = None
    if site_dir.exists():
        old = site_dir.with_name(f".{site_dir.name}.old-{os.getpid()}")
        site_dir.rename(old)
    new_site.rename(site_dir)
    if old:
        shutil.rmtree(old, ignore_errors=True)


def build_folder(root: Path, site_dir: Path, builder: str, language: str = "en"):
    """Where the builder works for one language: (folder, lock); the folder is removed
    afterwards when lock is None.

    Zensical keeps a cache beside its config file, keyed on where that file is, and a
    build with a warm cache takes half the time. So its staging folder stays in
    build/zensical/ (build/zensical-cy/ for Welsh; only the changed pages are rewritten
    there), held with a lock; a second build running at the same time works in a
    temporary folder instead. MkDocs has no cache: it always works in a temporary folder
    beside site/.
    """
    if builder == "zensical":
        folder = root / "build" / ("zensical" if language == words.LANGUAGES[0] else f"zensical-{language}")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            lock = open(folder / ".lock", "w")
        except OSError:
            lock = None
        if lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                shutil.rmtree(folder / "site", ignore_errors=True)  # what a failed build left
                return folder, lock
            except OSError:
                lock.close()
    return Path(tempfile.mkdtemp(prefix=f".build-{language}-", dir=site_dir.parent)), None


def run_builders(builder: str, configs: dict[str, Path]) -> dict[str, str]:
    """Build every language at once (one builder process each: the machine's cores are used
    together), and return each language's problems ('' when clean)."""
    running = {language: subprocess.Popen(builder_command(builder, "build", config), cwd=config.parent,
                                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                          env=builder_env())
               for language, config in configs.items()}
    outputs = {language: process.communicate()[0] for language, process in running.items()}
    return {language: builder_problems(builder, running[language].returncode, output)
            for language, output in outputs.items()}


def build(root: Path = ROOT, site_dir: Path | None = None, tracker_url: str = "", builder: str | None = None) -> int:
    """Both languages' sites, English in site/ and Welsh in site/cy/; site/ changes only if all is well."""
    site_dir = (site_dir or root / "site").resolve()
    try:
        builder = choose_builder(builder)
    except ConfigError as exc:
        print(f"build stopped: {exc}; site/ was not changed.", file=sys.stderr)
        return 1
    started = time.perf_counter()
    project = check(root, quiet=True)
    if not project.ok:
        print("build stopped: fix the errors above; site/ was not changed.", file=sys.stderr)
        return 1
    checked = time.perf_counter()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    folders = {language: build_folder(root, site_dir, builder, language) for language in site_languages(root)}
    try:
        try:
            configs = {language: stage(root, project, work / "docs", work / "site", tracker_url, builder, language)
                       for language, (work, _) in folders.items()}
        except (FileNotFoundError, ConfigError) as exc:  # a skipped setup step (node_modules), a bad plugin: one line
            print(f"build stopped: {exc}; site/ was not changed.", file=sys.stderr)
            return 1
        staged = time.perf_counter()
        problems = run_builders(builder, configs)
        for language, report in problems.items():
            if report:
                print(report, file=sys.stderr)
                print(f"build FAILED: {builder} reported the problems above in the {words.LANGUAGE_NAMES[language]}"
                      " site; site/ was not changed.", file=sys.stderr)
        if any(problems.values()):
            return 1
        built = time.perf_counter()
        combined = folders[words.LANGUAGES[0]][0] / "site"
        for language, (work, _) in folders.items():
            if words.SITE_FOLDER[language]:
                (work / "site").rename(combined / words.SITE_FOLDER[language])
                add_mutation_forms(combined / words.SITE_FOLDER[language], language)
        broken = check_site_links(combined, tracker_url)
        if broken:
            print("\n".join(broken), file=sys.stderr)
            print(f"build FAILED: {len(broken)} broken links in the built pages (above); site/ was not changed.",
                  file=sys.stderr)
            return 1
        linked = time.perf_counter()
        replace_site(combined, site_dir)
        pages = sum(1 for _ in site_dir.rglob("*.html"))
        print(f"build OK: {pages} HTML pages in {site_dir}, {len(folders)} languages (check {checked - started:.2f} s, "
              f"generate {staged - checked:.2f} s, {builder} {built - staged:.2f} s, links {linked - built:.2f} s)")
        return 0
    finally:
        for work, lock in folders.values():
            if lock:
                shutil.rmtree(work / "site", ignore_errors=True)
                lock.close()
            else:
                shutil.rmtree(work, ignore_errors=True)


def add_mutation_forms(site: Path, language: str) -> None:
    """Welsh search finds a word in any of its mutated forms and inflections (handbook/welsh_search.py),
    in MkDocs' index (search/search_index.json) and in Zensical's (search.json, whose worker is patched to
    read the forms)."""
    if language != "cy":
        return
    from handbook.welsh_search import rewrite_index, rewrite_zensical_index

    index = site / "search" / "search_index.json"
    if index.exists():
        rewrite_index(index)
    elif (site / "search.json").exists():
        rewrite_zensical_index(site)


class ParseCache:
    """For `build.py serve`: the parsed YAML of a file (or front matter) whose text has not
    changed since the last check is reused, so a save re-parses one file, not all of them.

    Parsing is most of the time `check` takes; validation, cross-references and links are
    still done in full on every save (they are quick). It replaces handbook.yamlsource's
    parse_yaml (and the loader's reference to it) in this process only.
    """

    def __init__(self):
        self.entries: dict[tuple[str, int], tuple[str, tuple]] = {}  # (path, line offset) -> (text, result)

    def install(self) -> None:
        from handbook import loader, yamlsource
        original = yamlsource.parse_yaml

        def parse_yaml(text: str, path: str, line_offset: int = 0):
            key = (path, line_offset)
            entry = self.entries.get(key)
            if entry is None or entry[0] != text:
                entry = self.entries[key] = (text, original(text, path, line_offset))
            return entry[1]

        yamlsource.parse_yaml = loader.parse_yaml = parse_yaml


class RenderCache:
    """For `mkdocs serve` only: a page whose Markdown (after plugins), Markdown settings and
    set of files are unchanged since the last rebuild is not converted again.

    MkDocs rebuilds every page on every change, and converting Markdown is about half of
    that; with this a save costs one conversion plus the templates. The output is the same
    (what render() sets is restored: HTML, table of contents, title, anchors and links to
    anchors). It wraps mkdocs.structure.pages.Page.render in the `mkdocs serve` process;
    `build` never uses it. The server's file watcher also polls every 0.1 s, not 0.5 s.
    """

    def __init__(self):
        self.entries: dict[str, tuple] = {}  # src_uri -> (key, rendered)

    def install(self) -> None:
        from mkdocs import livereload
        from mkdocs.structure import pages
        original = pages.Page.render
        cache = self

        def render(page, config, files):
            key = (page.markdown, repr(config["markdown_extensions"]), repr(config["mdx_configs"]),
                   cache.files_key(files))
            entry = cache.entries.get(page.file.src_uri)
            if entry and entry[0] == key:
                content, toc, title, anchors, links = entry[1]
                page.content, page.toc, page._title_from_render = content, toc, title
                page.present_anchor_ids = set(anchors)
                page.links_to_anchors = {files.get_file_from_path(uri): dict(found) for uri, found in links.items()
                                         if files.get_file_from_path(uri) is not None}
                return
            original(page, config, files)
            links = {f.src_uri: dict(found) for f, found in (page.links_to_anchors or {}).items()}
            cache.entries[page.file.src_uri] = (key, (page.content, page.toc, page._title_from_render,
                                                      frozenset(page.present_anchor_ids or ()), links))

        pages.Page.render = render
        server_init = livereload.LiveReloadServer.__init__

        def init(server, *args, polling_interval: float = 0.1, **kwargs):
            server_init(server, *args, polling_interval=polling_interval, **kwargs)

        livereload.LiveReloadServer.__init__ = init

    _files: tuple[int, frozenset] = (0, frozenset())

    def files_key(self, files) -> frozenset:
        if self._files[0] != id(files):
            self._files = (id(files), frozenset(f.src_uri for f in files))
        return self._files[1]


def mkdocs_serve(argv: list[str]) -> int:
    """`mkdocs serve` with RenderCache, in its own process (build.py serve starts it)."""
    os.environ.update(builder_env())
    try:
        RenderCache().install()
    except (ImportError, AttributeError) as exc:  # another MkDocs: serve without the cache
        print(f"serve: rebuilding every page on each change ({exc})", file=sys.stderr)
    from mkdocs.__main__ import cli
    return cli.main(args=["serve", *argv], prog_name="mkdocs", standalone_mode=False) or 0


class Preview:
    """Keeps the staging folder of `build.py serve` in step with the sources.

    A save usually arrives as a burst of file events (write, rename, attributes):
    they are coalesced, then the project is checked and the pages generated again;
    write_tree writes only the files whose text changed, so the builder's own
    watcher sees just those (Zensical then rebuilds only what depends on them).
    """

    SETTLE = 0.03  # seconds without a new event before regenerating

    def __init__(self, root: Path, work: Path, tracker_url: str, builder: str = DEFAULT_BUILDER,
                 language: str = "en"):
        self.root, self.work, self.tracker_url, self.builder = root, work, tracker_url, builder
        self.language = language
        self.config = work / "mkdocs.yml"
        self.pending = threading.Event()
        self.stopping = False

    def refresh(self, quiet: bool = True) -> bool:
        started = time.perf_counter()
        project = check(self.root, quiet=quiet)
        if not project.ok:
            print("serve: fix the errors above; the preview shows the last good version.", file=sys.stderr)
            return False
        stage(self.root, project, self.work / "docs", self.work / "site", self.tracker_url, self.builder,
              self.language)
        if quiet:
            print(f"serve: pages regenerated in {time.perf_counter() - started:.2f} s", file=sys.stderr)
        return True

    def changed(self, path: str) -> None:
        relative = Path(os.path.relpath(path, self.root))  # watchdog reports paths under the folders we gave it
        if relative.parts and (relative.parts[0] in WATCHED or relative.as_posix() in ("glossary.yml", "mkdocs.yml")):
            self.pending.set()

    def run(self) -> None:
        while not self.stopping:
            if not self.pending.wait(timeout=0.5):
                continue
            while True:  # let the burst of events from one save settle
                self.pending.clear()
                time.sleep(self.SETTLE)
                if not self.pending.is_set():
                    break
            try:
                self.refresh()
            except Exception as exc:  # keep serving: the next save may fix it
                print(f"serve: could not regenerate the pages: {exc}", file=sys.stderr)


def serve(root: Path = ROOT, address: str = "127.0.0.1:8000", tracker_url: str = "",
          builder: str | None = None, language: str = "en") -> int:
    """Regenerate on every change to the sources; the builder's server reloads the browser.
    One language's site at a time (--language cy); its language link points at the other
    language's site, which the preview does not serve."""
    try:
        builder = choose_builder(builder)
    except ConfigError as exc:
        print(f"serve stopped: {exc}", file=sys.stderr)
        return 1
    if language not in site_languages(root):
        print(f"serve stopped: no site in {language!r} (languages: {', '.join(site_languages(root))})",
              file=sys.stderr)
        return 1
    folder = builder if language == words.LANGUAGES[0] else f"{builder}-{language}"
    preview = Preview(root, root / "build" / "serve" / folder, tracker_url, builder, language)
    ParseCache().install()
    try:
        if not preview.refresh(quiet=False):
            return 1
    except (FileNotFoundError, ConfigError) as exc:
        print(f"serve stopped: {exc}", file=sys.stderr)
        return 1

    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    class Changed(FileSystemEventHandler):
        def on_any_event(self, event):
            if event.is_directory or event.event_type not in ("created", "modified", "deleted", "moved"):
                return
            for path in (event.src_path, getattr(event, "dest_path", "")):
                if path:
                    preview.changed(os.fsdecode(path))

    observer = Observer()
    observer.schedule(Changed(), str(root), recursive=False)  # glossary.yml, mkdocs.yml
    for folder in WATCHED:
        if (root / folder).is_dir():
            observer.schedule(Changed(), str(root / folder), recursive=True)
    observer.start()
    worker = threading.Thread(target=preview.run, daemon=True)
    worker.start()
    command = builder_command(builder, "serve", preview.config) + ["--dev-addr", address]
    if builder == "mkdocs":  # with the render cache; Zensical rebuilds only what changed by itself
        command = [sys.executable, str(Path(__file__).resolve()), "mkdocs-serve", "--",
                   *command[len(BUILDERS["mkdocs"]) + 1:], "--watch", str(root / "overrides")]
    try:
        return subprocess.call(command, cwd=preview.work, env=builder_env())
    except KeyboardInterrupt:
        return 0
    finally:
        preview.stopping = True
        observer.stop()
        observer.join(timeout=5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=ROOT, help="project folder (default: this file's folder)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{check,build,serve,translated}")
    check_parser = commands.add_parser("check", help="validate content; exit 1 on any error")
    check_parser.add_argument("--spelling-report", action="store_true",
                              help="also list each Welsh file's share of words the Welsh dictionary does not know")
    build_parser = commands.add_parser("build", help="build the static site")
    build_parser.add_argument("--site-dir", type=Path, default=None, help="where to put the site (default: site/)")
    serve_parser = commands.add_parser("serve", help="live-reloading preview")
    serve_parser.add_argument("--dev-addr", default="127.0.0.1:8000")
    serve_parser.add_argument("--language", default="en", help="preview this language's site (en, cy); one at a time")
    translated_parser = commands.add_parser(
        "translated", help="record that translated files are up to date with their English files")
    translated_parser.add_argument("files", nargs="+", type=Path, help="e.g. activities/1-1.cy.yml content/index.cy.md")
    translated_parser.add_argument("--reviewed", action="store_true",
                                   help="a Welsh speaker has reviewed these files against the English as it is now")
    translated_parser.add_argument("--by", default=None, metavar="NAME", help="with --reviewed: who reviewed them")
    internal = commands.add_parser("mkdocs-serve", help=argparse.SUPPRESS)  # started by serve
    internal.add_argument("arguments", nargs=argparse.REMAINDER)
    for sub in (build_parser, serve_parser):
        sub.add_argument("--tracker-url", default=os.environ.get("TRACKER_URL", ""),
                         help="link activity pages to this tracker (default: $TRACKER_URL)")
        sub.add_argument("--builder", choices=sorted(BUILDERS), default=None,
                         help=f"static site builder (default: ${BUILDER_SETTING}, else {DEFAULT_BUILDER})")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.command == "check":
        return 0 if check(root, spelling_by_file=args.spelling_report).ok else 1
    if args.command == "translated":
        if args.reviewed != bool(args.by):
            parser.error("--reviewed needs --by NAME (who reviewed the files), and --by goes with --reviewed")
        return mark_translated(root, args.files, args.by if args.reviewed else None)
    if args.command == "mkdocs-serve":
        return mkdocs_serve([a for a in args.arguments if a != "--"])
    if args.command == "build":
        return build(root, site_dir=args.site_dir, tracker_url=args.tracker_url, builder=args.builder)
    return serve(root, address=args.dev_addr, tracker_url=args.tracker_url, builder=args.builder,
                 language=args.language)


if __name__ == "__main__":
    sys.exit(main())
