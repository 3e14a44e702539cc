"""The bilingual handbook: Welsh files beside the English, their errors, the parity
check, and the Welsh site the build makes at site/cy/ (lang, language links, notices for pages not
yet translated, generated words in Welsh, search that copes with mutations, offline)."""
from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_site_browser import search

import build
from handbook import sitebuild, translations
from handbook.loader import format_errors, load_project
from handbook.timeestimate import in_language
from helpers import ROOT, write


def english_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()[:12]


def welsh_activity(project: Path, source: str | None = None, body: str | None = None) -> Path:
    source = source or english_hash(project / "activities/1-1.yml")
    return write(project, "activities/1-1.cy.yml", body or f"""\
        # Welsh text of activities/1-1.yml
        translation:
          status: draft
          source: "{source}"
        title: Dysgu mwy am fy rôl
        summary: Siaradwch â'ch rheolwr am y trefniadau lleol.
        parts:
          - title: Trafodaeth
            prompts:
              - Beth mae'r gwasanaeth yn ei wneud yma?
              - Sut mae amser yn cael ei rannu rhwng ysgolion?
        evidence:
          - Nodiadau'r drafodaeth.
        """)


def errors(project: Path) -> list[str]:
    return format_errors(load_project(project).errors)


# ---- Welsh files in the content model ------------------------------------------------------------

def test_a_welsh_activity_keeps_the_english_structure_and_takes_the_welsh_text(project):
    welsh_activity(project)
    loaded = load_project(project)
    assert loaded.ok, format_errors(loaded.errors)
    english, welsh = loaded.activities["1.1"], loaded.in_language("cy").activities["1.1"]
    assert welsh.title == "Dysgu mwy am fy rôl" and english.title == "Finding out more about my role"
    assert (welsh.kind, welsh.time, welsh.sign_off, welsh.case_studies) == (
        english.kind, english.time, english.sign_off, english.case_studies)
    assert welsh.parts[0].prompts[1] == "Sut mae amser yn cael ei rannu rhwng ysgolion?"
    assert loaded.translated("activity", "1.1", "cy") and not loaded.translated("quiz", "values", "cy")


WELSH_ERRORS = [
    ("a structure field", lambda text: text.replace("title: Dysgu", "kind: individual\ntitle: Dysgu"),
     "activities/1-1.cy.yml:5 kind: is structure, defined in the English file only: leave it out"),
    ("a prompt too few", lambda text: text.replace("      - Sut mae amser yn cael ei rannu rhwng ysgolion?\n", ""),
     "activities/1-1.cy.yml:9 parts[0].prompts: has 1 entries; the English has 2"),
    ("untranslated evidence", lambda text: text.replace("evidence:\n  - Nodiadau'r drafodaeth.\n", ""),
     "activities/1-1.cy.yml:2 evidence: is missing: translate the English text"),
    ("a misspelt field", lambda text: text.replace("summary:", "sumary:"),
     "activities/1-1.cy.yml:6 sumary: the English file has no such field"),
    ("no translation block", lambda text: re.sub(r"translation:\n(  .*\n)+", "", text),
     "activities/1-1.cy.yml:2 translation: is required"),
    ("a hash that is not one", lambda text: re.sub(r'source: "\w+"', "source: latest", text),
     "activities/1-1.cy.yml:4 translation.source: expected the 12-character hash of the English file"),
    ("an empty prompt", lambda text: text.replace("- Beth mae'r gwasanaeth yn ei wneud yma?", '- ""'),
     "activities/1-1.cy.yml:10 parts[0].prompts[0]: expected text"),
]


@pytest.mark.parametrize("label, change, expected", WELSH_ERRORS, ids=[case[0] for case in WELSH_ERRORS])
def test_a_broken_welsh_file_names_file_line_and_field(project, label, change, expected):
    file = welsh_activity(project)
    file.write_text(change(file.read_text(encoding="utf-8")), encoding="utf-8")
    found = errors(project)
    assert any(line.startswith(expected) for line in found), found


def test_a_welsh_file_without_an_english_one_is_an_error(project):
    write(project, "activities/1-9.cy.yml", "translation: {status: draft, source: '000000000000'}\ntitle: Dim\n")
    write(project, "content/section-1/gone.cy.md", "---\ntitle: Dim\n---\nTestun\n")
    found = errors(project)
    assert "activities/1-9.cy.yml:1 translates activities/1-9.yml, which does not exist" in found
    assert "content/section-1/gone.cy.md:1 translates content/section-1/gone.md, which does not exist" in found


def test_a_welsh_page_is_checked_like_an_english_one(project):
    source = english_hash(project / "content/index.md")
    write(project, "content/index.cy.md", f"""\
        ---
        title: Hafan
        translation:
          status: draft
          source: "{source}"
        ---
        Dechreuwch gydag [Adran 1](section-1/index.md) a [thudalen goll](nowhere.md).
        """)
    assert errors(project) == ["content/index.cy.md:7 broken link to 'nowhere.md'"]


def test_a_changed_english_file_flags_its_welsh_one_until_it_is_marked_translated(project):
    welsh_activity(project)
    english = project / "activities/1-1.yml"
    english.write_text(english.read_text(encoding="utf-8").replace("Notes of the discussion.", "Your notes."),
                       encoding="utf-8")
    loaded = load_project(project)
    assert loaded.ok
    assert [str(w) for w in loaded.warnings if "translation" in w.field] == [
        "activities/1-1.cy.yml:1 translation.source: warning: the English file has changed since this was"
        " translated: update the text, then run build.py translated activities/1-1.cy.yml"]
    # 1 of 1, out of date, a draft, none reviewed
    assert ("activities", 1, 1, 1, 1, 0) in translations.parity(loaded, "cy").rows
    assert build.main(["--root", str(project), "translated", "activities/1-1.cy.yml"]) == 0
    assert f'source: "{english_hash(english)}"' in (project / "activities/1-1.cy.yml").read_text(encoding="utf-8")
    assert not [w for w in load_project(project).warnings if "translation" in w.field]


def test_check_prints_the_parity_summary_of_the_real_handbook():
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    project = load_project(ROOT)
    welsh_pages = sorted(ROOT.glob("content/**/*.cy.md"))
    assert "parity Cymraeg (cy): translated / English, out of date, drafts, reviewed" in result.stdout
    pages = re.search(r"pages\s+(\d+) / (\d+)\s+(\d+) out of date\s+(\d+) drafts\s+(\d+) reviewed", result.stdout)
    assert pages and int(pages[1]) == len(welsh_pages) and int(pages[2]) == len(project.pages)
    activities = re.search(r"activities\s+(\d+) / (\d+)", result.stdout)
    assert int(activities[1]) == len(list(ROOT.glob("activities/*.cy.yml"))) >= 6
    assert int(activities[2]) == len(project.activities)


def test_welsh_time_estimates_read_naturally():
    assert [in_language(t, "cy") for t in ("1 hour", "30 minutes", "half a day", "a few days", "at least a day",
                                           "2 to 3 hours")] == [
        "1 awr", "30 munud", "hanner diwrnod", "ychydig ddyddiau", "o leiaf 1 diwrnod", "2 i 3 awr"]
    assert in_language("half a day", "en") == "half a day"


# ---- the built site: both languages -------------------------------------------------------------

def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def test_both_languages_have_the_same_pages_and_lang_on_each(real_site):
    english = {p.relative_to(real_site).as_posix() for p in html_pages(real_site) if not p.is_relative_to(
        real_site / "cy")}
    welsh = {p.relative_to(real_site / "cy").as_posix() for p in html_pages(real_site / "cy")}
    assert english == welsh and len(english) > 90
    assert '<html lang="cy"' in (real_site / "cy/index.html").read_text(encoding="utf-8")
    for relative in english:
        assert '<html lang="en"' in (real_site / relative).read_text(encoding="utf-8"), relative
        assert '<html lang="cy"' in (real_site / "cy" / relative).read_text(encoding="utf-8"), relative


LANGUAGE_LINK = re.compile(r'<a class="handbook-language__link" href="([^"]+)" hreflang="(\w+)" lang="\w+">(\w+)</a>')


def test_every_page_links_to_the_same_page_in_the_other_language(real_site):
    for page in html_pages(real_site):
        relative = page.relative_to(real_site).as_posix()
        link = LANGUAGE_LINK.search(page.read_text(encoding="utf-8"))
        assert link, f"{relative}: no language link"
        target = (page.parent / link[1]).resolve().relative_to(real_site.resolve()).as_posix()
        if relative.startswith("cy/"):
            assert (target, link[2], link[3]) == (relative[3:], "en", "English"), relative
        else:
            assert (target, link[2], link[3]) == ("cy/" + relative, "cy", "Cymraeg"), relative


def test_a_page_not_yet_in_welsh_says_so_in_welsh_and_links_to_the_english(project):
    (project / "mkdocs.cy.yml").symlink_to(ROOT / "mkdocs.cy.yml")
    assert sitebuild.build(project) == 0
    page = (project / "site/cy/section-1/activities/1-01.html").read_text(encoding="utf-8")
    assert "Nid yw'r dudalen hon wedi'i chyfieithu i'r Gymraeg eto." in page
    assert '<a href="../../../section-1/activities/1-01.html" hreflang="en">Darllenwch hi yn Saesneg</a>' in page
    assert '<span lang="en">1.1 ' in page
    english = (project / "site/section-1/activities/1-01.html").read_text(encoding="utf-8")
    first_prompt = re.search(r"<li>(.{20,60}?)[<.?]", english.split("Discussion", 1)[1])[1]
    assert first_prompt not in page  # never English text under a Welsh address
    index = json.loads((project / "site/cy/search/search_index.json").read_text(encoding="utf-8"))
    indexed = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "section-1/activities/1-01.html" not in indexed  # a notice is not content to find
    assert indexed, "the Welsh index still holds the pages that are in Welsh"


def test_every_page_of_the_welsh_handbook_is_in_welsh(real_site):
    """The whole handbook is translated: no Welsh address shows the 'not yet in Welsh' notice."""
    notices = sorted(str(path.relative_to(real_site)) for path in (real_site / "cy").rglob("*.html")
                     if "Nid yw'r dudalen hon wedi'i chyfieithu i'r Gymraeg eto." in path.read_text(encoding="utf-8"))
    assert notices == []


def test_generated_pages_are_in_welsh(real_site):
    activity = (real_site / "cy/section-1/activities/1-01.html").read_text(encoding="utf-8")
    for words in ("Gweithgaredd 1.1", "Amser bras:", "1 awr", "Cymeradwyaeth y rheolwr:", "Tystiolaeth i'w chofnodi",
                  "Ffynonellau", "Adolygwyd ddiwethaf:"):
        assert words in activity, words
    assert "Time estimate" not in activity and "Manager sign-off" not in activity
    overview = (real_site / "cy/section-2/index.html").read_text(encoding="utf-8")
    assert "Amser bras ar gyfer yr adran gyfan:" in overview and "Adran 2:" in overview
    catalogue = (real_site / "cy/activities/index.html").read_text(encoding="utf-8")
    assert "Catalog gweithgareddau" in catalogue and "Pob adran" in catalogue
    assert re.search(r"Adolygwyd ddiwethaf: <time datetime=\"\d{4}-\d\d-\d\d\">\d+ (Ionawr|Chwefror|Mawrth|Ebrill|Mai|"
                     r"Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|Rhagfyr) \d{4}</time>",
                     (real_site / "cy/section-1/1a-introduction.html").read_text(encoding="utf-8"))


def test_a_draft_translation_says_so_discreetly(real_site):
    page = (real_site / "cy/section-1/1a-introduction.html").read_text(encoding="utf-8")
    assert "Drafft yw'r cyfieithiad hwn" in page
    assert 'href="../../section-1/1a-introduction.html" hreflang="en">Darllenwch y dudalen Saesneg' in page
    assert "Drafft yw'r cyfieithiad hwn" not in (real_site / "section-1/1a-introduction.html").read_text(
        encoding="utf-8")


def test_welsh_links_into_the_tracker_open_it_in_welsh(real_site_with_tracker):
    welsh = (real_site_with_tracker / "cy/section-1/activities/1-01.html").read_text(encoding="utf-8")
    english = (real_site_with_tracker / "section-1/activities/1-01.html").read_text(encoding="utf-8")
    assert 'href="/tracker/activities/1.1?lang=cy"' in welsh
    assert 'href="/tracker/activities/1.1"' in english


def test_each_language_has_its_own_search_index(real_site):
    english = json.loads((real_site / "search/search_index.json").read_text(encoding="utf-8"))
    welsh = json.loads((real_site / "cy/search/search_index.json").read_text(encoding="utf-8"))
    assert not any(doc["location"].startswith("cy/") for doc in english["docs"])
    welsh_text = " ".join(doc["text"] for doc in welsh["docs"])
    assert "Gwasanaeth Lles Addysg" in welsh_text and "forms" in welsh["config"]["fields"]
    assert "Finding out more about my role" not in welsh_text  # activity 1.1's English title
    assert "Nid yw'r dudalen hon wedi'i chyfieithu" not in welsh_text


# ---- in a browser, offline -------------------------------------------------------------------------

def result_pages(page) -> set[str]:
    return {re.split(r"[#?]", href)[0] for href in page.locator(".md-search-result__item a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")}


def result_count(page) -> int:
    """The number of pages the search found, as its meta line says ('23 dogfennau sy'n cyfateb'): the
    list itself shows only the first ten until it is scrolled."""
    meta = page.locator(".md-search-result__meta").inner_text().strip()
    return 0 if meta.startswith("Dim ") else int(meta.split()[0])


def test_every_mutated_form_finds_the_same_welsh_pages_offline(real_site, offline_page):
    page, requested, console_errors = offline_page
    found = {}
    for form in ("cyngor", "gyngor", "nghyngor", "chyngor"):
        page.goto((real_site / "cy/index.html").as_uri())
        titles = search(page, form)
        assert titles, f"{form}: no results"
        found[form] = result_count(page)
    assert len(set(found.values())) == 1, found
    assert requested == [] and console_errors == []


def test_the_language_link_goes_to_the_same_page_and_back(real_site, offline_page):
    page, requested, console_errors = offline_page
    page.goto((real_site / "section-1/activities/1-01.html").as_uri())
    page.get_by_role("link", name="Cymraeg").click()
    page.wait_for_url("**/cy/section-1/activities/1-01.html")
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.locator("h1").first.inner_text().startswith("Gweithgaredd 1.1")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/section-1/activities/1-01.html")
    assert "/cy/" not in page.url and page.locator("html").get_attribute("lang") == "en"
    assert requested == [] and console_errors == []
