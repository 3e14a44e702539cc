"""Check internal links in authored Markdown pages against every page the site will have."""
from __future__ import annotations

import posixpath
import re

from . import site
from .yamlsource import ContentError

LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^\s*(```|~~~)")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def _targets(body: str):
    in_fence = False
    for offset, line in enumerate(body.splitlines()):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        for match in LINK.finditer(re.sub(r"`[^`]*`", "", line)):
            yield offset, match.group(1)


def check_links(project) -> list[ContentError]:
    generated = site.generated_pages(project)
    known = set(project.pages) | generated | project.assets
    errors = []
    translated = [page for t in project.translations.values() for page in t.pages.values()]
    for page in [*project.pages.values(), *translated]:
        source = page.source_path or f"content/{page.path}"
        if page.path in generated and not page.source_path:
            errors.append(ContentError(source, 1, "", f"clashes with a generated page of the same path ({page.path})"))
        folder = posixpath.dirname(page.path)
        for offset, target in _targets(page.body):
            if EXTERNAL.match(target) or target.startswith("#"):
                continue
            path = target.split("#", 1)[0].split("?", 1)[0]
            if not path:
                continue
            resolved = posixpath.normpath(posixpath.join(folder, path))
            if resolved.endswith("/") or resolved in ("", "."):
                resolved = posixpath.join(resolved, "index.md")
            if resolved not in known and posixpath.join(resolved, "index.md") not in known:
                errors.append(ContentError(source, page.body_line + offset, "", f"broken link to {target!r}"))
    return errors
