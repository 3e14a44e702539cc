"""The same mkdocs.yml built with MkDocs + Material and with Zensical: the real handbook,
linked to a tracker, compared page by page. Differences that remain are listed
in docs/decisions.md."""
from __future__ import annotations

import html
import json
import posixpath
import re
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from test_site_browser import SEARCHES

from handbook import linkcheck, sitebuild
from handbook import site as layout
from handbook.loader import load_project
from helpers import write

ROOT = Path(__file__).resolve().parents[2]
TRACKER = "/tracker"
BUILDERS = ("mkdocs", "zensical")
SEARCH_INDEX = {"mkdocs": "search/search_index.json", "zensical": "search.json"}
DEADLINE = 60  # seconds: generous, the machine may be busy; the tests wait on conditions, not on time


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("zensical-site") / "site"
    assert sitebuild.build(ROOT, site_dir=folder, tracker_url=TRACKER, builder="zensical") == 0
    return folder


@pytest.fixture(scope="session")
def sites(real_site_with_tracker, zensical_site) -> dict[str, Path]:
    return {"mkdocs": real_site_with_tracker, "zensical": zensical_site}


@pytest.fixture(scope="module")
def handbook():
    return load_project(ROOT)


def html_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


class Page(HTMLParser):
    """The links, ids and a few landmarks of one built page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (tag, url)
        self.ids: set[str] = set()
        self.stylesheets: list[str] = []
        self.reviewed = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("id", "name"):
            if attrs.get(name):
                self.ids.add(attrs[name])
        url = attrs.get("href") if tag in ("a", "link") else attrs.get("src") if tag in ("script", "img") else None
        if url is not None:
            self.links.append((tag, url))
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append(attrs.get("href", ""))
        if "handbook-reviewed" in (attrs.get("class") or "").split():
            self.reviewed = True


def parse(site: Path, page: str) -> Page:
    return Page((site / page).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def parsed(sites) -> dict[str, dict[str, Page]]:
    return {name: {page: parse(site, page) for page in sorted(html_pages(site))} for name, site in sites.items()}


def test_both_builders_make_the_same_pages(sites):
    mkdocs, zensical = (html_pages(sites[name]) for name in BUILDERS)
    assert len(mkdocs) > 90
    assert mkdocs - zensical == set() and zensical - mkdocs == set()


def test_pages_have_the_same_titles_and_headings(sites):
    def heading(text: str) -> tuple[str, list[str]]:
        title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
        return title, [plain(h) for h in re.findall(r"<h1[^>]*>(.*?)</h1>", text, re.S)]

    differ = {}
    for page in sorted(html_pages(sites["mkdocs"])):
        mkdocs, zensical = (heading((sites[b] / page).read_text(encoding="utf-8")) for b in BUILDERS)
        if mkdocs != zensical:
            differ[page] = (mkdocs, zensical)
    assert differ == {}


def test_zensical_uses_the_classic_look_and_the_local_search_shim(sites):
    index = (sites["zensical"] / "index.html").read_text(encoding="utf-8")
    assert "assets/stylesheets/classic/" in index and "assets/stylesheets/modern/" not in index
    assert '<script src="./assets/iframe-worker/shim.js">' in index


@pytest.mark.parametrize("builder", BUILDERS)
def test_every_internal_link_resolves(sites, parsed, builder):
    """Every link, stylesheet, script and image between built pages points at a file that exists,
    and every #fragment at an id on the page it names, so the site works from file:// as well."""
    site = sites[builder]
    broken = []
    for page, content in parsed[builder].items():
        if posixpath.basename(page) == "404.html":  # a server's answer to a missing path: links from the root
            continue
        for _tag, url in content.links:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https", "mailto", "tel", "data", "javascript") or url == TRACKER + "/" \
                    or url.startswith(TRACKER + "/"):
                continue
            if parts.scheme or url.startswith("/"):
                broken.append((page, url, "absolute: does not work from file://"))
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path))) \
                if parts.path else page
            if not (site / target).is_file():
                broken.append((page, url, "no such file"))
            elif parts.fragment and target.endswith(".html") and target in parsed[builder]:
                if unquote(parts.fragment) not in parsed[builder][target].ids:
                    broken.append((page, url, "no such id"))
    assert broken == []


def search_documents(site: Path, builder: str) -> list[dict]:
    data = json.loads((site / SEARCH_INDEX[builder]).read_text(encoding="utf-8"))
    return data["docs"] if builder == "mkdocs" else data["items"]


def plain(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split()).lower()


@pytest.mark.parametrize("builder", BUILDERS)
def test_search_index_holds_the_look_up_terms(sites, builder):
    documents = search_documents(sites[builder], builder)
    for query, expected in SEARCHES:
        text = " ".join(plain(f"{d['title']} {d['text']}") for d in documents
                        if d["location"].split("#")[0] == expected)
        assert query.lower() in text, f"{builder}: {query!r} is not in the index entries of {expected}"


def test_both_search_indexes_cover_the_same_pages(sites):
    covered = {b: {d["location"].split("#")[0] for d in search_documents(sites[b], b)} for b in BUILDERS}
    assert covered["mkdocs"] == covered["zensical"]
    for page in (layout.TAGS_PAGE, layout.CATALOGUE):  # lists of links, excluded in their front matter
        assert page.replace(".md", ".html") not in covered["mkdocs"]
    assert len(covered["mkdocs"]) > 90


@pytest.mark.parametrize("builder", BUILDERS)
def test_activity_and_quiz_pages_link_to_the_tracker(sites, handbook, builder):
    site = sites[builder]
    for activity in handbook.activities.values():
        page = (site / layout.activity_page(activity).replace(".md", ".html")).read_text(encoding="utf-8")
        assert f'href="{TRACKER}/activities/{activity.id}"' in page, activity.id
    for quiz in handbook.quizzes.values():
        page = (site / layout.quiz_page(quiz).replace(".md", ".html")).read_text(encoding="utf-8")
        assert f'href="{TRACKER}/quizzes/{quiz.id}"' in page, quiz.id
    assert f'href="{TRACKER}/"' in (site / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("builder", BUILDERS)
def test_theme_overrides_are_applied(sites, parsed, handbook, builder):
    """overrides/ (theme.custom_dir): the site's stylesheet on every page, 'Last reviewed' on every
    page whose Markdown has a review date."""
    site = sites[builder]
    for page, content in parsed[builder].items():
        sheets = [s for s in content.stylesheets if s.endswith("assets/handbook.css")]
        assert sheets, f"{page} does not link assets/handbook.css"
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), sheets[0])).lstrip("/")  # 404.html: from /
        assert (site / target).is_file(), f"{page} links {sheets[0]}, which does not exist"
    reviewed = {page for page, content in parsed[builder].items() if content.reviewed}
    for path in handbook.pages:
        assert path.replace(".md", ".html") in reviewed, path
    for activity in handbook.activities.values():
        assert layout.activity_page(activity).replace(".md", ".html") in reviewed, activity.id
    text = (site / "section-1/1c-reflective-practice.html").read_text(encoding="utf-8")
    assert re.search(r'Last reviewed: <time datetime="\d{4}-\d\d-\d\d">', text)


def test_the_same_pages_show_the_review_date(parsed):
    shown = {b: {page for page, content in parsed[b].items() if content.reviewed} for b in BUILDERS}
    assert shown["mkdocs"] == shown["zensical"]


@pytest.mark.parametrize("builder", BUILDERS)
def test_built_pages_load_nothing_from_the_internet(parsed, builder):
    external = {page: [url for tag, url in content.links if tag in ("script", "link", "img")
                       and urlsplit(url).scheme in ("http", "https")]
                for page, content in parsed[builder].items()}
    assert {page: urls for page, urls in external.items() if urls} == {}



@pytest.mark.parametrize("builder", BUILDERS)
def test_every_page_shows_the_handbooks_icon(sites, builder):
    """theme.favicon: the handbook's own icon (the tracker's too), not the theme's, on every page of both sites."""
    site, icon = sites[builder], (ROOT / "overrides" / "assets" / "favicon.svg").read_bytes()
    wrong = {}
    for page in sorted(html_pages(site)):
        links = re.findall(r'<link rel="icon" href="([^"]+)"', (site / page).read_text(encoding="utf-8"))
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), links[0])).lstrip("/") if links else ""
        if page.startswith("cy/") and links and links[0].startswith("/"):  # 404.html: from its site's root
            target = "cy/" + target
        if len(links) != 1 or not target.endswith("assets/favicon.svg") or (site / target).read_bytes() != icon:
            wrong[page] = links
    assert wrong == {}


@pytest.mark.parametrize("builder", BUILDERS)
def test_both_sites_have_a_404_page_in_their_language(sites, builder):
    """overrides/404.html: the page a server sends for a missing address, in the site's language (the theme's
    own says "404 - Not found" in English on the Welsh site too)."""
    for page, language, heading in [("404.html", "en", "Page not found"),
                                    ("cy/404.html", "cy", "Heb ddod o hyd i'r dudalen")]:
        text = (sites[builder] / page).read_text(encoding="utf-8")
        assert f'<html lang="{language}"' in text
        assert [html.unescape(h) for h in re.findall(r"<h1>(.*?)</h1>", text)] == [heading]
        assert re.search(rf"<title>{re.escape(heading)} - ", html.unescape(text))


# ---- offline search in a real browser ---------------------------------------------------------

def settled(read, deadline: float = DEADLINE):
    """The value of read() once two readings a moment apart agree and are not empty."""
    end = time.monotonic() + deadline
    last = None
    while time.monotonic() < end:
        value = read()
        if value and value == last:
            return value
        last = value
        time.sleep(0.25)
    return last


def search_results(page, builder: str, query: str, button: str = "Search") -> list[str]:
    """Type a query as a reader would; return the result links (relative to the site), best first.
    The search worker may still be loading its index when the first keys arrive, so retype until
    results come or the deadline passes."""
    if builder == "mkdocs":
        page.click("label.md-search__icon[for=__search], .md-search__input")
        box = page.locator("input.md-search__input")
        links = page.locator(".md-search-result__item > a")
    else:  # Zensical's search dialog (in a shadow root; role locators reach into it)
        page.get_by_role("button", name=button).first.click()
        box = page.get_by_role("combobox", name="Search")
        links = page.get_by_role("listbox", name="Search results").get_by_role("option")
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        box.fill("")
        box.press_sequentially(query, delay=30)
        try:
            links.first.wait_for(timeout=10_000)
            break
        except Exception:  # the index was not ready: type again
            continue
    hrefs = settled(lambda: links.evaluate_all("links => links.map(a => a.href)"))
    base = page.url.rsplit("/", 1)[0] + "/"
    return [h.removeprefix(base).split("#")[0].split("?")[0] for h in hrefs or []]


@pytest.mark.browser
@pytest.mark.parametrize("builder", BUILDERS)
def test_offline_search_answers_from_file_url(sites, offline_page, builder):
    """From file:// with http(s) blocked, each look-up puts the right page first, in both builds."""
    page, requested, errors = offline_page
    page.goto((sites[builder] / "index.html").as_uri())
    wrong = {}
    for query, expected in SEARCHES:
        results = search_results(page, builder, query)
        if not results or results[0] != expected:
            wrong[query] = results[:3]
        page.keyboard.press("Escape")
    assert wrong == {}, f"{builder}: first results {wrong}"
    assert requested == [], f"the site tried to reach the network: {requested}"
    assert errors == [], errors


@pytest.mark.browser
@pytest.mark.parametrize("builder", BUILDERS)
def test_the_welsh_site_builds_and_searches_offline_with_each_builder(sites, offline_page, builder):
    """The Welsh build (site/cy/) with both builders: lang="cy", Material's interface in Welsh, the
    language link, and its own search index answering from file:// with the network off."""
    page, requested, errors = offline_page
    page.goto((sites[builder] / "cy/index.html").as_uri())
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.get_by_role("link", name="English").count() == 1
    results = search_results(page, builder, "Borton", button="Chwilio")
    assert results and results[0] == "section-1/1c-reflective-practice.html", results[:3]
    assert requested == [] and errors == []


# ---- the small project: what each builder refuses ---------------------------------------------

@pytest.mark.parametrize("builder", BUILDERS)
def test_small_project_builds_with_each_builder(project, builder):
    assert sitebuild.build(project, builder=builder) == 0
    site = project / "site"
    for page in ("index.html", "section-1/1a-intro.html", "section-1/activities/1-01.html", "tags.html",
                 "assets/iframe-worker/shim.js", SEARCH_INDEX[builder]):
        assert (site / page).is_file(), page
    assert "Zebrafinch" in (site / SEARCH_INDEX[builder]).read_text(encoding="utf-8")


@pytest.mark.parametrize("builder", BUILDERS)
def test_a_link_to_a_missing_heading_fails_both_builds(project, builder, capsys):
    assert sitebuild.build(project, builder=builder) == 0
    page = project / "content/section-1/1a-intro.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [the aims](index.md#no-such-heading).\n",
                    encoding="utf-8")
    before = sorted(p.relative_to(project / "site") for p in (project / "site").rglob("*"))
    assert sitebuild.build(project, builder=builder) == 1
    err = capsys.readouterr().err
    assert "no-such-heading" in err and "build FAILED" in err
    assert "Traceback" not in err and "\x1b[" not in err
    assert sorted(p.relative_to(project / "site") for p in (project / "site").rglob("*")) == before


@pytest.mark.parametrize("addition,message", [
    ("hooks:\n  - hooks.py\n", "'hooks' are not run by Zensical"),
    ("plugins:\n  - search\n  - macros\n", "plugin macros is not supported by both builders"),
])
def test_config_only_one_builder_would_honour_is_refused(project, capsys, addition, message):
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").unlink()
    config = re.sub(r"^plugins:\n(  .*\n)+", "", config, flags=re.M) if addition.startswith("plugins") else config
    (project / "mkdocs.yml").write_text(config + addition, encoding="utf-8")
    assert sitebuild.build(project, builder="zensical") == 1
    assert message in capsys.readouterr().err


def test_the_builder_comes_from_the_setting(project, monkeypatch, capsys):
    monkeypatch.setenv(sitebuild.BUILDER_SETTING, "zensical")
    assert sitebuild.build(project) == 0
    assert ", zensical " in capsys.readouterr().out
    monkeypatch.setenv(sitebuild.BUILDER_SETTING, "jekyll")
    assert sitebuild.build(project) == 1
    assert "unknown builder 'jekyll'" in capsys.readouterr().err


def test_the_link_check_of_built_pages(tmp_path):
    site = tmp_path / "site"
    write(site, "index.html", '<a href="a/b.html#top">b</a> <a href="#here">here</a><h2 id="here">Here</h2>'
                              '<link rel="stylesheet" href="assets/x.css"><script src="missing.js"></script>'
                              '<a href="/tracker/activities/1.1">record</a> <a href="https://example.org/">out</a>')
    write(site, "a/b.html", '<h1 id="top">B</h1><a href="../index.html#nowhere">back</a> <a href="/abs.html">abs</a>'
                            '<a href="../index.html#here">ok</a>')
    write(site, "a/c.html", '<a href="../index.html#nowhere">back</a>')
    write(site, "assets/x.css", "")
    write(site, "404.html", '<link rel="stylesheet" href="/assets/x.css">')
    assert linkcheck.check_site_links(site, "/tracker") == [
        "a/b.html and 1 more pages: link to ../index.html#nowhere: index.html has no heading or id 'nowhere'",
        "a/b.html: link to /abs.html: an absolute path does not work from file://",
        "index.html: link to missing.js: there is no missing.js",
    ]


def a_form_only_its_inflections_hold(site: Path) -> tuple[str, str]:
    """(a Welsh word no page holds in any of its mutated forms, a word of the same lemma that pages hold),
    read from the built Welsh site's search index: a search for the first can only succeed by inflection."""
    from handbook.welsh_search import inflections, search_forms
    index = site / "search" / "search_index.json"
    text = json.dumps(json.loads((index if index.exists() else site / "search.json").read_text(encoding="utf-8")),
                      ensure_ascii=False)
    text = re.sub(r'"forms":\s*"[^"]*"', "", text).lower()  # what the pages say, not the added forms
    words = set(re.findall(r"[a-zâêîôûŵŷ]+", text))
    for lemma in ("plentyn", "ysgol", "teulu", "swyddog", "hysbysiad", "rhiant", "disgybl", "gorchymyn", "cyngor"):
        for form in sorted(inflections(lemma), key=len, reverse=True):
            if len(form) >= 5 and not search_forms(form) & words and lemma in words:
                return form, lemma
    pytest.skip("every inflection of the test words is already on some page")


@pytest.mark.browser
@pytest.mark.parametrize("builder", BUILDERS)
def test_welsh_search_finds_other_forms_of_a_word_and_penalty_notices_offline(sites, offline_page, builder):
    """Welsh readers type hysbysiad cosb for penalty notices, and plurals or singulars the pages do not
    use (ysgolion for ysgol, plant for plentyn): both builders' Welsh search finds them, from file://."""
    page, requested, errors = offline_page
    site = sites[builder] / "cy"
    page.goto((site / "index.html").as_uri())
    found = search_results(page, builder, "hysbysiad cosb", button="Chwilio")
    assert found and found[0] in {"reference/legal-powers/penalty-notices.html",
                                  "section-3/3b-penalty-notices.html"}, found[:3]
    form, lemma = a_form_only_its_inflections_hold(site)
    page.goto((site / "index.html").as_uri())
    assert search_results(page, builder, form, button="Chwilio"), f"{form} (of {lemma}) found nothing"
    assert requested == [] and errors == []
