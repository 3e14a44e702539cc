"""`build.py serve` with each builder: a saved page or activity shows in the served site,
and the served search index still holds every page."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from helpers import ACTIVITY, write

ROOT = Path(__file__).resolve().parents[2]
SEARCH_INDEX = {"mkdocs": "search/search_index.json", "zensical": "search.json"}
DEADLINE = 120  # seconds: generous, the machine may be busy; we wait on conditions, not on time


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_until(condition, what: str):
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"{what} did not happen within {DEADLINE} s")


@pytest.fixture
def serving(project, tmp_path):
    """Start build.py serve on the small project; stop it (and the builder under it) afterwards."""
    started = []

    def start(builder: str, language: str = "en") -> str:
        port = free_port()
        log = open(tmp_path / f"serve-{builder}-{language}.log", "w")
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "--root", str(project), "serve", "--builder", builder,
             "--dev-addr", f"127.0.0.1:{port}", "--language", language],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        started.append((process, log))
        return f"http://127.0.0.1:{port}/"

    yield start
    for process, log in started:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def index_pages(builder: str, text: str) -> set[str]:
    data = json.loads(text)
    return {d["location"].split("#")[0] for d in data["docs" if builder == "mkdocs" else "items"]}


@pytest.mark.parametrize("builder", ["mkdocs", "zensical"])
def test_a_saved_page_and_activity_show_in_the_preview(project, serving, builder):
    base = serving(builder)
    page = base + "section-1/1a-intro.html"
    activity = base + "section-1/activities/1-01.html"
    index = base + SEARCH_INDEX[builder]
    wait_until(lambda: "Zebrafinch" in fetch(page) and "Zebrafinch" in fetch(index), "the first build")
    pages = index_pages(builder, fetch(index))
    assert {"index.html", "section-1/1a-intro.html", "section-1/activities/1-01.html"} <= pages

    intro = project / "content/section-1/1a-intro.md"
    intro.write_text(intro.read_text(encoding="utf-8").replace("Zebrafinch", "Kingfisherword"), encoding="utf-8")
    wait_until(lambda: "Kingfisherword" in fetch(page), "the edited page")
    wait_until(lambda: "Kingfisherword" in fetch(index), "the edited page in the search index")
    assert index_pages(builder, fetch(index)) == pages, "the search index lost pages"

    write(project, "activities/1-1.yml", ACTIVITY.replace("Talk to your manager", "Heronword, talk to your manager"))
    wait_until(lambda: "Heronword" in fetch(activity), "the edited activity")
    wait_until(lambda: "Heronword" in fetch(index), "the edited activity in the search index")
    assert index_pages(builder, fetch(index)) == pages, "the search index lost pages"

    # A mistake keeps the last good preview; fixing it shows the fix.
    write(project, "activities/1-1.yml", ACTIVITY.replace("kind: with-manager", "kind: nonsense"))
    time.sleep(1)  # nothing to wait for: the preview must simply not change
    assert "Heronword" in fetch(activity)
    write(project, "activities/1-1.yml", ACTIVITY.replace("Talk to your manager", "Egretword, talk to your manager"))
    wait_until(lambda: "Egretword" in fetch(activity), "the fixed activity")


def test_the_welsh_site_previews_and_shows_a_saved_translation(project, serving):
    os.symlink(ROOT / "mkdocs.cy.yml", project / "mkdocs.cy.yml")
    welsh = write(project, "content/section-1/1a-intro.cy.md", """\
        ---
        title: 1.a Cyflwyniad
        translation:
          status: draft
          source: "000000000000"
        ---
        ## Amdanom ni {#about}

        Yna gwnewch [weithgaredd 1.1](activities/1-01.md). Glas y dorlan.
        """)
    base = serving("mkdocs", "cy")
    page = base + "section-1/1a-intro.html"
    wait_until(lambda: "Glas y dorlan" in fetch(page), "the first build of the Welsh site")
    assert '<html lang="cy"' in fetch(page)
    welsh.write_text(welsh.read_text(encoding="utf-8").replace("Glas y dorlan", "Crëyr glas"), encoding="utf-8")
    wait_until(lambda: "Crëyr glas" in fetch(page), "the edited Welsh page")
    assert "Nid yw'r dudalen hon wedi'i chyfieithu" in fetch(base + "index.html")  # no Welsh home page yet


def test_the_tags_page_keeps_its_listing_after_a_save_with_mkdocs(project, serving):
    """MkDocs' preview reuses the HTML of pages that did not change (handbook/mkdocs_render_cache.py); the
    tags page is filled in by the tags plugin after that, on every rebuild, and must stay filled in."""
    base = serving("mkdocs")
    tags = base + "tags.html"
    listed = 'href="section-1/activities/1-01.html"'
    wait_until(lambda: listed in fetch(tags), "the first build's tags page")
    intro = project / "content/section-1/1a-intro.md"
    for word in ("Kingfisherword", "Heronword"):  # the second save is the first with every page cached
        intro.write_text(re.sub(r"Zebrafinch|Kingfisherword", word, intro.read_text(encoding="utf-8")),
                         encoding="utf-8")
        wait_until(lambda word=word: word in fetch(base + SEARCH_INDEX["mkdocs"]), "the rebuild after a save")
        assert listed in fetch(tags), "the tags page lost its listing"
