"""Welsh search that copes with initial mutations: the rules of handbook/welsh_search.py,
and, in a real headless Chromium on a small site built by real MkDocs + Material and opened from file://
with the network off, cyngor, gyngor, nghyngor and chyngor finding the same pages."""
from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from handbook.welsh_search import FIELD, FORMS_BOOST, add_mutation_forms, radicals, rewrite_index, search_forms

ROOT = Path(__file__).resolve().parents[2]
SHIM = ROOT / "node_modules" / "iframe-worker" / "shim" / "index.js"
CYNGOR_FORMS = ["cyngor", "gyngor", "nghyngor", "chyngor"]


# ---- the rules ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("word", CYNGOR_FORMS)
def test_every_form_of_cyngor_reads_back_to_cyngor(word):
    assert radicals(word)[0] == word
    assert "cyngor" in radicals(word)
    assert set(CYNGOR_FORMS) <= search_forms(word)


@pytest.mark.parametrize("page_word", CYNGOR_FORMS)
@pytest.mark.parametrize("query", CYNGOR_FORMS)
def test_any_form_of_cyngor_finds_any_other(page_word, query):
    """What the index relies on: the typed form is among the search forms of the page's word."""
    assert query in search_forms(page_word)


@pytest.mark.parametrize("mutated, radical", [
    ("phlant", "plant"),      # ei phlant 'her children': aspirate
    ("blant", "plant"),       # ei blant 'his children': soft
    ("mhlant", "plant"),      # fy mhlant 'my children': nasal
    ("mhen", "pen"),          # fy mhen 'my head'
    ("nhad", "tad"),          # fy nhad 'my father'
    ("thad", "tad"),
    ("ddosbarth", "dosbarth"),
    ("henw", "enw"),          # ei henw 'her name': h- before a vowel
    ("ngardd", "gardd"),      # fy ngardd 'my garden'
    ("wlad", "gwlad"),        # ei wlad 'his country': the g is lost
    ("raid", "rhaid"),
])
def test_a_mutated_form_reads_back_to_its_radical_and_each_finds_the_other(mutated, radical):
    assert radicals(mutated)[0] == mutated
    assert radical in radicals(mutated)
    assert mutated in search_forms(radical)
    assert radical in search_forms(mutated)


def test_ei_phlant_is_found_by_plant_and_plant_by_every_form():
    assert {"plant", "blant", "mhlant", "phlant"} == search_forms("plant") == search_forms("phlant")


def test_longest_prefix_first():
    assert radicals("nghyngor") == ["nghyngor", "cyngor"]  # not ng → g ("ghyngor") nor n → d
    assert radicals("mhen") == ["mhen", "pen"]            # not m → b
    assert radicals("ddosbarth") == ["ddosbarth", "dosbarth"]  # not d → t
    assert radicals("llaw") == ["llaw"]                   # ll is a radical: not l → ll
    assert radicals("ffordd") == ["ffordd"]               # ff is a radical: not f → b or m


def test_law_may_be_glaw_or_llaw():
    assert radicals("law") == ["law", "llaw", "glaw"]
    assert {"glaw", "llaw"} <= search_forms("law")
    assert "law" in search_forms("glaw") and "law" in search_forms("llaw")


def test_fam_may_be_bam_or_mam():
    assert set(radicals("fam")) == {"fam", "mam", "bam"}


def test_a_vowel_word_may_have_lost_a_g_and_takes_h():
    assert "genw" in radicals("enw")
    assert "henw" in search_forms("enw")
    assert "enw" in search_forms("henw")


@pytest.mark.parametrize("word", ["a", "i", "o", "y", "yn", "fy", "ei", "chi", "dda", "nhw", "mi", "ti"])
def test_short_words_are_left_alone(word):
    """No reading back from a word under 3 letters, nor to a radical under 3 (chi 'you' is not ci 'dog')."""
    assert radicals(word) == [word]
    assert search_forms(word) == {word}


def test_case_is_folded_and_welsh_letters_are_kept():
    assert radicals("Nghyngor") == ["nghyngor", "cyngor"]
    assert radicals("Ŵyr")[:2] == ["ŵyr", "gŵyr"]
    assert search_forms("tŷ") == {"tŷ"}  # short: left alone
    assert "ffôn" in search_forms("ffôn") and "dŵr" in search_forms("ddŵr")


@pytest.mark.parametrize("initial", ["p", "t", "c", "b", "d", "g", "m", "ll", "rh", ""])
@pytest.mark.parametrize("rest", ["ant", "enw", "ŵyr", "laen", "ryd", "yngor"])
def test_a_form_is_findable_exactly_when_it_shares_a_radical(initial, rest):
    """For a radical and each of its forms, any two of them find each other (the property the index needs)."""
    radical = initial + rest
    family = {radical} | {f for f in search_forms(radical) if radical in radicals(f)}
    for a in family:
        for b in family:
            assert b in search_forms(a), (a, b)
            assert set(radicals(a)) & set(radicals(b)), (a, b)


# ---- the index -----------------------------------------------------------------------------------------

def material_index(*docs: dict) -> dict:
    return {"config": {"lang": ["en"], "separator": r"[\s\-,:!=\[\]()\"/]+|(?!\b)(?=[A-Z][a-z])|\.(?!\d)|&[lg]t;",
                       "pipeline": ["stopWordFilter"],
                       "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 1e6}}},
            "docs": list(docs)}


def test_the_index_gains_a_forms_field_of_new_forms_only():
    index = add_mutation_forms(material_index(
        {"location": "a.html", "title": "Cyngor", "text": "<p>Ei <strong>gyngor</strong> hi.</p>"},
        {"location": "b.html", "title": "Dim", "text": "<p>Yn yr ysgol.</p>"},
    ))
    assert index["config"]["fields"][FIELD] == {"boost": FORMS_BOOST}
    assert index["config"]["fields"]["title"] == {"boost": 1000.0}
    forms = index["docs"][0][FIELD].split()
    assert forms == sorted(set(forms))
    assert {"nghyngor", "chyngor"} <= set(forms)
    assert not {"cyngor", "gyngor", "strong", "p"} & set(forms)  # own words and HTML tags are not added
    assert "ysgol" not in index["docs"][1][FIELD].split() and "hysgol" in index["docs"][1][FIELD].split()
    again = add_mutation_forms(json.loads(json.dumps(index)))
    assert again == index  # idempotent


def test_elided_words_take_the_forms_of_the_word_before_the_apostrophe():
    index = add_mutation_forms(material_index(
        {"location": "a.html", "title": "Prawf", "text": "<p>Gyda\u2019r plant a'r teulu.</p>"}))
    forms = index["docs"][0][FIELD].split()
    assert {"nheulu", "phlant", "plentyn", "deuluoedd"} <= set(forms)
    # gyda is a word the Welsh word list knows: the rules' guesses that are no words (nghyda) are dropped
    assert "nghyda" not in forms
    assert not [form for form in forms if "'" in form or "\u2019" in form]  # no ga'r, ha'r


def test_a_zensical_index_is_refused_not_ignored():
    with pytest.raises(ValueError, match="Zensical"):
        add_mutation_forms({"config": {"lang": ["cy"], "separator": r"[\s\-]+"},
                            "items": [{"location": "index.html", "title": "Hafan", "text": "", "path": []}]})


def test_rewrite_index_rewrites_the_json_and_its_offline_copy(tmp_path):
    folder = tmp_path / "search"
    folder.mkdir()
    data = json.dumps(material_index({"location": "index.html", "title": "Hafan", "text": "<p>cyngor</p>"}))
    (folder / "search_index.json").write_text(data, encoding="utf-8")
    (folder / "search_index.js").write_text(f"var __index = {data}", encoding="utf-8")
    rewrite_index(folder / "search_index.json")
    index = json.loads((folder / "search_index.json").read_text(encoding="utf-8"))
    assert "nghyngor" in index["docs"][0][FIELD].split()
    script = (folder / "search_index.js").read_text(encoding="utf-8")
    assert script.startswith("var __index = ")
    assert json.loads(script.removeprefix("var __index = ")) == index


WELSH_PAGE = """Mae Swyddog Lles Addysg yn gweithio gyda theuluoedd, ysgolion a'r awdurdod lleol i wella
presenoldeb plant a phobl ifanc. Pan fydd plentyn yn colli gormod o'r ysgol, bydd y swyddog yn cysylltu
â'r teulu, yn gwrando ar eu pryderon ac yn cynnig cyngor. Weithiau mae angen help gan wasanaethau eraill,
er enghraifft gwasanaethau iechyd neu'r tîm diogelu. Rhaid cofnodi pob cyswllt yn ofalus ac yn brydlon.
Os oes gan y plentyn anghenion dysgu ychwanegol, bydd y swyddog yn trafod y cynllun datblygu unigol gyda'r
ysgol a'r rhieni. Mae'n bwysig siarad â'r plentyn ei hun a gwrando ar ei farn. Bydd y swyddog yn rhannu
gwybodaeth dim ond pan fo hynny'n angenrheidiol ac yn gyfreithlon. Yn ei gwaith bob dydd, mae hi'n ymweld
â chartrefi, yn mynychu cyfarfodydd yn yr ysgol ac yn ysgrifennu adroddiadau i'r pennaeth. Mae Llywodraeth
Cymru yn disgwyl i bob awdurdod lleol gadw golwg ar bresenoldeb ac i weithredu'n gynnar."""


def test_size_cost_on_a_page_of_ordinary_welsh_text():
    """Printed, not asserted: how much the index grows for a page of ordinary Welsh (run with -s to see)."""
    paragraphs = WELSH_PAGE.split(". ")
    docs = [{"location": "tudalen.html", "title": "Gwaith y Swyddog Lles Addysg",
             "text": "".join(f"<p>{p}.</p>" for p in paragraphs)}]
    before = json.dumps(material_index(*docs), separators=(",", ":")).encode()
    after = json.dumps(add_mutation_forms(material_index(*json.loads(json.dumps(docs)))),
                       separators=(",", ":")).encode()
    words = len(re.findall(r"\w+", WELSH_PAGE))
    zipped_before, zipped_after = len(gzip.compress(before)), len(gzip.compress(after))
    print(f"\nWelsh page of {words} words: index {len(before)} -> {len(after)} bytes "
          f"(+{(len(after) - len(before)) / len(before):.0%}); gzipped {zipped_before} -> {zipped_after} bytes "
          f"(+{(zipped_after - zipped_before) / zipped_before:.0%})")
    assert len(after) > len(before)


# ---- in the browser ------------------------------------------------------------------------------------

PAGES = {
    "index.md": "# Hafan\n\nCroeso i'r llawlyfr prawf.\n",
    "cyngor.md": "# Tudalen gyntaf\n\nMae'r cyngor yn cwrdd bob mis.\n",
    "gyngor.md": "# Ail dudalen\n\nRhoddodd ei gyngor i mi, ac rwy'n dilyn fy nghyngor fy hun.\n",
    "chyngor.md": "# Trydedd dudalen\n\nGofynnais am ei chyngor hi.\n",
    "presenoldeb.md": "# Presenoldeb\n\nMae presenoldeb yn yr ysgol yn bwysig i bob plentyn.\n",
}
MUTATION_PAGES = {"cyngor.html", "gyngor.html", "chyngor.html"}
CONFIG = """site_name: Prawf chwilio
use_directory_urls: false
theme:
  name: material
  language: cy
  font: false
plugins:
  - search
  - offline
extra:
  polyfills:
    - assets/iframe-worker/shim.js
"""


def build_site(root: Path) -> Path:
    """A tiny Welsh site built by real MkDocs + Material, set up for file:// as the real site is."""
    docs = root / "docs"
    (docs / "assets" / "iframe-worker").mkdir(parents=True)
    shutil.copyfile(SHIM, docs / "assets" / "iframe-worker" / "shim.js")
    for name, text in PAGES.items():
        (docs / name).write_text(text, encoding="utf-8")
    (root / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml")],
                          capture_output=True, text=True, cwd=root, timeout=300)
    assert done.returncode == 0, done.stderr
    return root / "site"


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    """The site as built ('plain') and a copy with its index rewritten by rewrite_index ('rewritten')."""
    if not SHIM.exists():
        pytest.fail("node_modules/iframe-worker is missing: run ./scripts/setup.sh")
    plain = build_site(tmp_path_factory.mktemp("welsh-search"))
    rewritten = plain.parent / "site-rewritten"
    shutil.copytree(plain, rewritten)
    rewrite_index(rewritten / "search" / "search_index.json")
    return {"plain": plain, "rewritten": rewritten}


def open_search(page, site: Path) -> None:
    page.goto((site / "index.html").as_uri())
    page.click("label.md-search__icon[for=__search], .md-search__input")
    # The worker has loaded and indexed search_index.js once the meta line leaves 'Cychwyn chwilio'.
    page.wait_for_function("""() => {
        const meta = document.querySelector('.md-search-result__meta');
        return meta && meta.textContent.trim() === 'Teipiwch i ddechrau chwilio';
    }""", timeout=60_000)


def search_pages(page, query: str) -> set[str]:
    """Type a query into Material's search box and return the pages listed, once the list is complete."""
    return set(ranked_pages(page, query))


def ranked_pages(page, query: str) -> list[str]:
    """The pages listed for a query, best first."""
    box = page.locator("input.md-search__input")
    box.fill("")
    page.wait_for_function("""() => document.querySelector('.md-search-result__meta')
        .textContent.trim() === 'Teipiwch i ddechrau chwilio'""", timeout=60_000)
    box.press_sequentially(query, delay=20)
    # The meta line counts the pages found ('3 dogfennau sy'n cyfateb', '1 dogfen…', 'Dim dogfennau…');
    # wait until it counts for the whole query and the list shows that many pages (Material renders the
    # first 10 at once and the rest as they are scrolled to).
    page.wait_for_function("""(query) => {
        const box = document.querySelector('input.md-search__input');
        const meta = document.querySelector('.md-search-result__meta').textContent.trim();
        const count = meta.startsWith('Dim ') ? 0 : parseInt(meta, 10);
        return box.value === query && !Number.isNaN(count)
            && document.querySelectorAll('.md-search-result__item').length === Math.min(count, 10);
    }""", arg=query, timeout=60_000)
    hrefs = page.eval_on_selector_all(".md-search-result__item a.md-search-result__link",
                                      "links => links.map(a => a.getAttribute('href'))")
    return list(dict.fromkeys(Path(re.split(r"[?#]", href)[0]).name for href in hrefs))


@pytest.mark.browser
def test_every_form_of_cyngor_finds_the_same_pages_offline(sites, offline_page):
    page, requested, errors = offline_page
    open_search(page, sites["rewritten"])
    best = {"cyngor": "cyngor.html", "gyngor": "gyngor.html", "nghyngor": "gyngor.html", "chyngor": "chyngor.html"}
    for query in CYNGOR_FORMS:
        found = ranked_pages(page, query)
        assert set(found) == MUTATION_PAGES, f"{query!r} found {found}"
        # The forms field weighs half as much as text: the page holding the typed form itself comes first.
        assert found[0] == best[query], f"{query!r} found {found}"
    # The forms are searched, never shown: no result's text shows a form the page does not hold.
    assert page.locator(".md-search-result", has_text="ngyngor").count() == 0
    assert requested == [], f"the site tried to reach the network: {requested}"
    assert errors == [], errors


@pytest.mark.browser
def test_without_the_rewrite_a_mutated_form_misses_the_radical(sites, offline_page):
    """Proves it is the rewritten index that does it: as MkDocs builds it, nghyngor misses the cyngor page."""
    page, requested, errors = offline_page
    open_search(page, sites["plain"])
    assert "cyngor.html" not in search_pages(page, "nghyngor")
    assert search_pages(page, "nghyngor") == {"gyngor.html"}
    assert search_pages(page, "cyngor") == {"cyngor.html"}
    assert requested == [] and errors == [], (requested, errors)


# ---- inflections: ysgolion finds ysgol, plant finds plentyn ------------------------------------------

def test_inflections_come_from_the_lemma_table_irregular_plurals_and_mutations_included():
    from handbook.welsh_search import index_forms, inflections
    assert {"ysgol", "ysgolion"} <= inflections("ysgolion") and {"ysgol", "ysgolion"} <= inflections("ysgol")
    assert {"plant", "plentyn"} <= inflections("plant") and "plentyn" in inflections("blant")
    assert "teulu" in inflections("teuluoedd") and "swyddogion" in inflections("swyddog")
    assert "hysbysiadau" in inflections("hysbysiad")
    assert inflections("gwneud") == set()  # a verb's hundred forms are left out (FAMILY_LIMIT)
    assert inflections("zebrafinch") == set()
    forms = index_forms("ysgol")
    assert {"ysgolion", "hysgolion"} <= forms and {"plant", "blant", "mhlant"} <= index_forms("plentyn")


def test_the_material_index_gets_a_pages_inflections():
    from handbook.welsh_search import add_mutation_forms
    index = {"config": {"separator": r"[\s\-]+"}, "docs": [
        {"location": "a.html", "title": "Ysgol", "text": "Mae pob plentyn yn cael addysg."}]}
    forms = add_mutation_forms(index)["docs"][0]["forms"].split()
    assert {"ysgolion", "plant", "blant", "addysgu"} & set(forms) >= {"ysgolion", "plant", "blant"}


def zensical_site_folder(root: Path, worker_code: str) -> Path:
    workers = root / "assets" / "javascripts" / "workers"
    workers.mkdir(parents=True)
    (workers / "search.abc123.min.js").write_text(worker_code, encoding="utf-8")
    index = {"config": {"lang": ["cy"], "separator": r"[\s\-]+"},
             "items": [{"location": "a.html", "level": 1, "title": "Teuluoedd", "text": "<p>Plant ac ysgolion</p>",
                        "path": [], "tags": []}]}
    (root / "search.json").write_text(json.dumps(index), encoding="utf-8")
    (root / "search.js").write_text(f"var __index = {json.dumps(index)};", encoding="utf-8")
    return root


def test_the_zensical_index_gets_forms_and_its_worker_indexes_them(tmp_path):
    from handbook.welsh_search import ZENSICAL_FIELDS, ZENSICAL_FIELDS_WITH_FORMS, rewrite_zensical_index
    site = zensical_site_folder(tmp_path / "site", f"function x(){{{ZENSICAL_FIELDS},plugins:[]}}")
    rewrite_zensical_index(site)
    rewrite_zensical_index(site)  # again: the same site
    worker = (site / "assets/javascripts/workers/search.abc123.min.js").read_text(encoding="utf-8")
    assert worker.count(ZENSICAL_FIELDS_WITH_FORMS) == 1
    [item] = json.loads((site / "search.json").read_text(encoding="utf-8"))["items"]
    assert {"teulu", "plentyn", "blentyn", "ysgol"} <= set(item["forms"].split())
    script = (site / "search.js").read_text(encoding="utf-8")
    assert script.startswith("var __index = ") and json.loads(script[len("var __index = "):-1])["items"] == [item]


def test_an_unknown_zensical_worker_stops_the_build_rather_than_lose_welsh_search(tmp_path):
    from handbook.welsh_search import rewrite_zensical_index
    site = zensical_site_folder(tmp_path / "site", 'function x(){fields:[C("title",n=>n.title)]}')
    with pytest.raises(ValueError, match="no longer declares its fields"):
        rewrite_zensical_index(site)


def test_each_words_forms_are_kept_between_builds_and_give_the_same_index(tmp_path, monkeypatch):
    """The build keeps each word's forms (build/search-forms-cy.json): a second build works nothing out again and
    writes the same index; a file made by other rules or another simplemma is not used."""
    from handbook import welsh_search

    def site(name: str) -> Path:
        folder = tmp_path / name / "search"
        folder.mkdir(parents=True)
        page = {"location": "a.html", "title": "Cyngor", "text": "<p>Yr ysgol a'r plant.</p>"}
        data = json.dumps(material_index(page))
        (folder / "search_index.json").write_text(data, encoding="utf-8")
        return folder.parent

    kept = tmp_path / "build" / "search-forms-cy.json"
    welsh_search.rewrite_site(site("first"), kept)
    assert kept.exists()
    monkeypatch.setattr(welsh_search, "index_forms", lambda word: pytest.fail(f"{word} worked out again"))
    welsh_search.rewrite_site(site("second"), kept)
    first, second = ((tmp_path / name / "search" / "search_index.json").read_text(encoding="utf-8")
                     for name in ("first", "second"))
    assert first == second and "ysgolion" in json.loads(second)["docs"][0][FIELD].split()
    monkeypatch.setattr(welsh_search, "_rules_version", lambda: "other rules")
    with pytest.raises(pytest.fail.Exception):
        welsh_search.rewrite_site(site("third"), kept)


def test_two_builds_saving_the_kept_forms_at_once_never_break_the_file(tmp_path):
    """The tests' workers build at the same time: each save writes a file of its own and renames it."""
    import threading

    from handbook.welsh_search import KeptForms
    kept = tmp_path / "search-forms-cy.json"
    failures = []

    def save(word: str) -> None:
        try:
            for number in range(30):
                forms = KeptForms(kept)
                forms[f"{word}{number}"] = {word}
                forms.save()
        except Exception as error:  # noqa: BLE001 - what the test looks for
            failures.append(error)
    threads = [threading.Thread(target=save, args=(word,)) for word in ("ysgol", "plant")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(KeptForms(kept)) >= 30 and not list(tmp_path.glob("*.part"))
