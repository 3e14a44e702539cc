"""A MkDocs hook for the preview (`build.py serve` with MkDocs; never a build): a page whose
Markdown (after plugins), Markdown settings and set of files are unchanged since the last
rebuild is not converted again.

MkDocs rebuilds every page on every change, and converting Markdown is about 40% of that; with
this a save costs one conversion plus the templates. The output is the same: what render() sets
is restored (HTML, table of contents, title, anchors and links to anchors).

How, through MkDocs' own extension points: a plugin may give a file its Page before the
navigation is made (File.page, in the files event; MkDocs checks that it is a Page), so this
hook gives every Markdown page a CachedPage, whose render() consults the cache, with the title
the navigation gives it, as MkDocs would. handbook/preview.py names this file under `hooks:` in
the preview's own generated configuration. MkDocs loads it by its path, once per `mkdocs serve`
process, so the cache lasts across rebuilds; it imports nothing of ours.
"""
from __future__ import annotations

import copy

from mkdocs.structure.pages import Page

_entries: dict[str, tuple] = {}  # src_uri -> (key, what render() set)
_files: tuple[int, frozenset] = (0, frozenset())  # (id of a build's Files, their src_uris)


def _files_key(files) -> frozenset:
    global _files
    if _files[0] != id(files):
        _files = (id(files), frozenset(f.src_uri for f in files))
    return _files[1]


class CachedPage(Page):
    def render(self, config, files) -> None:
        key = (self.markdown, repr(config["markdown_extensions"]), repr(config["mdx_configs"]), _files_key(files))
        entry = _entries.get(self.file.src_uri)
        if entry and entry[0] == key:
            content, toc, title, anchors, links = entry[1]
            self.content, self.toc, self._title_from_render = content, copy.deepcopy(toc), title
            self.present_anchor_ids = set(anchors)
            self.links_to_anchors = {files.get_file_from_path(uri): dict(found) for uri, found in links.items()
                                     if files.get_file_from_path(uri) is not None}
            return
        super().render(config, files)
        links = {f.src_uri: dict(found) for f, found in (self.links_to_anchors or {}).items()}
        # A copy of the table of contents: plugins change it in place later (the tags plugin does)
        _entries[self.file.src_uri] = (key, (self.content, copy.deepcopy(self.toc), self._title_from_render,
                                             frozenset(self.present_anchor_ids or ()), links))


def _nav_titles(items, titles: dict[str, str]) -> dict[str, str]:
    """{page path: its title} from the configuration's nav; the first entry for a page wins, as in MkDocs."""
    for item in items if isinstance(items, list) else [items]:
        for title, value in item.items() if isinstance(item, dict) else ():
            if isinstance(value, str):
                titles.setdefault(value, title)
            else:
                _nav_titles(value, titles)
    return titles


def on_files(files, config):
    titles = _nav_titles(config["nav"] or [], {})
    for file in files.documentation_pages():
        if file.page is None:
            CachedPage(titles.get(file.src_uri), file, config)
    return files
