"""`build.py serve`: a live preview for authors, one language's site at a time.

The sources are checked and the pages generated into build/serve/<builder>/ (with -cy for the
Welsh site) as in a build; the builder's own server (`mkdocs serve`, `zensical serve`) watches
that folder and reloads the browser. A save is checked again in full, with the YAML of files
that did not change taken from a ParseCache (handbook/yamlsource.py); only the pages whose text
changed are written again, so the builder sees just those. Zensical then rebuilds only what
depends on them; MkDocs rebuilds every page, and our hook handbook/mkdocs_render_cache.py spares
it converting the Markdown of pages that did not change.
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from . import words
from .sitebuild import DEFAULT_BUILDER, builder_command, builder_env, check, choose_builder, stage
from .siteconfig import ConfigError, config_file, site_languages
from .yamlsource import ParseCache

RENDER_CACHE = Path(__file__).with_name("mkdocs_render_cache.py")  # a MkDocs hook: see that file
WATCHED = ("content", "activities", "quizzes", "sections")  # folders of sources, and these files:
WATCHED_FILES = ("glossary.yml", "glossary.cy.yml")  # and each language's mkdocs.yml


class Preview:
    """Keeps the staging folder of `build.py serve` in step with the sources.

    A save usually arrives as a burst of file events (write, rename, attributes):
    they are coalesced, then the project is checked and the pages generated again;
    write_tree writes only the files whose text changed, so the builder's own
    watcher sees just those (Zensical then rebuilds only what depends on them).
    """

    SETTLE = 0.03  # seconds without a new event before regenerating

    def __init__(self, root: Path, work: Path, tracker_url: str, builder: str = DEFAULT_BUILDER,
                 language: str = "en", cache: ParseCache | None = None):
        self.root, self.work, self.tracker_url, self.builder = root, work, tracker_url, builder
        self.language = language
        self.cache = cache or ParseCache()
        self.config = work / "mkdocs.yml"
        self.pending = threading.Event()
        self.stopping = False

    def refresh(self, quiet: bool = True) -> bool:
        started = time.perf_counter()
        with self.cache.active():
            project = check(self.root, quiet=quiet)
        if not project.ok:
            print("serve: fix the errors above; the preview shows the last good version.", file=sys.stderr)
            return False
        stage(self.root, project, self.work / "docs", self.work / "site", self.tracker_url, self.builder,
              self.language, hooks=(RENDER_CACHE,) if self.builder == "mkdocs" else ())
        if quiet:
            print(f"serve: pages regenerated in {time.perf_counter() - started:.2f} s", file=sys.stderr)
        return True

    def watches(self, relative: Path) -> bool:
        configs = {config_file(self.root, language).name for language in words.LANGUAGES}
        return bool(relative.parts) and (relative.parts[0] in WATCHED or relative.as_posix() in (
            *WATCHED_FILES, *configs))

    def changed(self, path: str) -> None:
        if self.watches(Path(os.path.relpath(path, self.root))):  # watchdog reports paths under the folders given
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


def watch(root: Path, preview: Preview):
    """A started watchdog observer that tells the preview of every change to the sources."""
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
    return observer


def serve(root: Path, address: str = "127.0.0.1:8000", tracker_url: str = "",
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
    try:
        if not preview.refresh(quiet=False):
            return 1
    except (FileNotFoundError, ConfigError) as exc:
        print(f"serve stopped: {exc}", file=sys.stderr)
        return 1
    observer = watch(root, preview)
    threading.Thread(target=preview.run, daemon=True).start()
    command = builder_command(builder, "serve", preview.config) + ["--dev-addr", address]
    if builder == "mkdocs":  # MkDocs also rebuilds when the theme's templates (overrides/) change
        command += ["--watch", str(root / "overrides")]
    try:
        return subprocess.call(command, cwd=preview.work, env=builder_env())
    except KeyboardInterrupt:
        return 0
    finally:
        preview.stopping = True
        observer.stop()
        observer.join(timeout=5)
