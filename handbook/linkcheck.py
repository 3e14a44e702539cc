"""The link check of the built site, the same for both builders: every link, stylesheet, script
and image in the built pages points at a file of the site, and every #fragment at an id of the
page it names. Run on what readers get, after the builder and before site/ is replaced."""
from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

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
    article: tests/handbook/test_builders.py checks every link of the handbook). Each distinct link is
    judged once per folder, and each problem is reported once with the pages it is on."""
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
