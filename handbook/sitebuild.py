"""Build the handbook's static site: check the content, generate the Markdown, run the builder
(MkDocs + Material, or Zensical) once per language, check the links of the built pages, and swap
the new site into site/ only if all of that went well.

`build.py build` is the command line over build(); `build.py check` over check(); the preview
(handbook/preview.py) stages the same way into its own folder. The builder is called on a
generated copy of mkdocs.yml, so it stays swappable (docs/decisions.md).
"""
from __future__ import annotations

import datetime as dt
import fcntl
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from . import facts, spelling, terms, translations, words
from .generate import SiteGenerator, write_tree
from .linkcheck import check_site_links
from .loader import Project, format_errors, load_project
from .service import load_service
from .siteconfig import ConfigError, site_config, site_languages
from .yamlsource import ContentError

BUILDERS = {
    "mkdocs": [sys.executable, "-m", "mkdocs"],      # MkDocs 1.6 + Material for MkDocs 9.8
    "zensical": [sys.executable, "-m", "zensical"],  # Zensical 0.0.73, Material's successor
}
DEFAULT_BUILDER = "mkdocs"
BUILDER_SETTING = "HANDBOOK_BUILDER"  # environment variable naming the builder
# Plugins both builders implement. Zensical ignores any other plugin without a word,
# so a feature would vanish from its build while the build passes: refuse them.
COMMON_PLUGINS = ("search", "tags", "offline")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


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


def config_errors(root: Path, reported: list[ContentError]) -> list[ContentError]:
    """What is wrong in each other language's configuration (mkdocs.cy.yml, read with its INHERIT as the
    builder and the tracker read it); the loader has reported mkdocs.yml's problems already."""
    seen = {str(error) for error in reported}
    return [error for language in site_languages(root)[1:] for error in load_service(root, language)[1]
            if str(error) not in seen]


def review_period_config(root: Path) -> dict:
    try:
        return site_config(root)
    except ConfigError:  # no mkdocs.yml, or one the loader has reported: the default review period
        return {}


def check(root: Path, quiet: bool = False, spelling_by_file: bool = False) -> Project:
    """Validate every YAML and Markdown file and the site's configuration; print every problem
    (file:line field: message) and, unless quiet, a summary. The project's .ok says if all is well."""
    started = time.perf_counter()
    project = load_project(root)
    project.errors.extend(config_errors(root, project.errors))
    project.warnings.extend(review_warnings(project, review_period_config(root)))
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
                         builder: str = DEFAULT_BUILDER, language: str = "en", hooks: tuple[Path, ...] = ()) -> Path:
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
    if hooks:  # our own, for the preview (handbook/preview.py); check_portable refuses any in mkdocs.yml
        config["hooks"] = [os.path.relpath(hook.resolve(), base) for hook in hooks]
    text = "# Generated by build.py from mkdocs.yml: do not edit.\n" + yaml.dump(
        config, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False, allow_unicode=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.read_text(encoding="utf-8") != text:  # a rewrite makes serve rebuild everything
        target.write_text(text, encoding="utf-8")
    return target


def stage(root: Path, project: Project, docs_dir: Path, site_dir: Path, tracker_url: str,
          builder: str = DEFAULT_BUILDER, language: str = "en", hooks: tuple[Path, ...] = ()) -> Path:
    generator = SiteGenerator(project, tracker_url, template_cache=root / "build" / "templates", language=language,
                              languages=site_languages(root))
    pages = generator.generate()
    write_tree(pages, docs_dir, root)
    return write_builder_config(root, docs_dir, site_dir, generator.nav(), tracker_url,
                                docs_dir.parent / "mkdocs.yml", builder, language, hooks)


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


def build(root: Path, site_dir: Path | None = None, tracker_url: str = "", builder: str | None = None) -> int:
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
                add_search_forms(combined / words.SITE_FOLDER[language], language,
                                 root / "build" / f"search-forms-{language}.json")
        indexed = time.perf_counter()
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
              f"generate {staged - checked:.2f} s, {builder} {built - staged:.2f} s, "
              f"search forms {indexed - built:.2f} s, links {linked - indexed:.2f} s)")
        return 0
    finally:
        for work, lock in folders.values():
            if lock:
                shutil.rmtree(work / "site", ignore_errors=True)
                lock.close()
            else:
                shutil.rmtree(work, ignore_errors=True)




def add_search_forms(site: Path, language: str, kept: Path | None = None) -> None:
    """Welsh search finds a word in any of its mutated forms and inflections (handbook/welsh_search.py);
    each word's forms are kept in `kept` between builds."""
    if language == "cy":
        from .welsh_search import rewrite_site  # imported late: only a Welsh site needs its word lists

        rewrite_site(site, kept)
