"""The portfolio PDF as a document: tagged (PDF/UA-1) with its language, title, headings and bookmarks, read in the
page's order, the activity as it was laid out like the activity, and WeasyPrint loaded before the first PDF."""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys

import pytest
import tinyhtml5
from flask_babel import force_locale, gettext
from pypdf import PdfReader

from helpers import ROOT, TEST_PACK, login, tracker_config

XHTML = "{http://www.w3.org/1999/xhtml}"
HEADING = re.compile(r"h([1-6])")
BLOCKS = {"p", "li", "h2", "h3", "h4", "h5", "h6", "th", "td", "dt", "dd", "caption"}


# ---- reading a tagged PDF ----------------------------------------------------------------------

def marked_text(reader: PdfReader) -> dict[tuple[int, int], str]:
    """The text of each marked-content sequence, by (page index, MCID)."""
    texts: dict[tuple[int, int], str] = {}
    for index, page in enumerate(reader.pages):
        open_marks: list[int | None] = []

        def operator(op, args, cm, tm, open_marks=open_marks):
            if op == b"BDC":
                properties = args[1] if len(args) > 1 else None
                open_marks.append(properties.get("/MCID") if hasattr(properties, "get") else None)
            elif op == b"BMC":
                open_marks.append(None)
            elif op == b"EMC" and open_marks:
                open_marks.pop()

        def text(found, cm, tm, font, size, open_marks=open_marks, index=index):
            mcid = next((m for m in reversed(open_marks) if m is not None), None)
            if mcid is not None:
                texts[(index, mcid)] = texts.get((index, mcid), "") + found

        page.extract_text(visitor_operand_before=operator, visitor_text=text)
    return texts


def structure(reader: PdfReader) -> list[tuple[str, str]]:
    """(role, text) of every element of the structure tree, in the tree's (reading) order, from the Document
    element down; each element's text is all that it and its descendants mark."""
    texts = marked_text(reader)
    pages = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}

    def page_of(element, page):
        return pages[element.raw_get("/Pg").idnum] if "/Pg" in element else page

    def kids(element):
        kid = element.get("/K", [])
        return [k.get_object() if hasattr(k, "get_object") else k for k in (kid if isinstance(kid, list) else [kid])]

    def text_of(node, page) -> str:
        if isinstance(node, int):
            return texts.get((page, node), "")
        if not isinstance(node, dict) or node.get("/Type") == "/OBJR":
            return ""
        page = page_of(node, page)
        if node.get("/Type") == "/MCR":
            return texts.get((page, node["/MCID"]), "")
        return "".join(text_of(kid, page) for kid in kids(node))

    found = []

    def walk(element, page):
        page = page_of(element, page)
        found.append((str(element["/S"])[1:], text_of(element, page)))
        for kid in kids(element):
            if isinstance(kid, dict) and "/S" in kid:
                walk(kid, page)

    document = reader.trailer["/Root"]["/StructTreeRoot"]["/K"][0].get_object()
    assert document["/S"] == "/Document"
    walk(document, 0)
    return found


def squeeze(text: str) -> str:
    return "".join(text.split())


def headings_of(tags: list[tuple[str, str]]) -> list[tuple[int, str]]:
    return [(int(role[1]), " ".join(text.split())) for role, text in tags if re.fullmatch(r"H[1-6]", role)]


def bookmarks(outline, depth: int = 1) -> list[tuple[int, str]]:
    found = []
    for item in outline:
        found += bookmarks(item, depth + 1) if isinstance(item, list) else [(depth, item.title)]
    return found


# ---- reading the page -----------------------------------------------------------------------------

def text_of(element) -> str:
    return " ".join("".join(element.itertext()).split())


def page_main(html: str):
    return next(tinyhtml5.parse(html).iter(f"{XHTML}main"))


def shown(element):
    """The element and everything in it, in order, except what is hidden (the offline panel, until it is needed)."""
    if element.get("hidden") is not None:
        return
    yield element
    for child in element:
        yield from shown(child)


def page_headings(main) -> list[tuple[int, str]]:
    return [(int(HEADING.fullmatch(e.tag.removeprefix(XHTML))[1]), text_of(e)) for e in shown(main)
            if isinstance(e.tag, str) and HEADING.fullmatch(e.tag.removeprefix(XHTML))]


def page_blocks(main) -> list[str]:
    """The text of each block (paragraph, list item, heading, table cell…) of the portfolio's sections, in order."""
    sections = [s for s in main.iter(f"{XHTML}section") if (s.get("id") or "").startswith("portfolio-")]
    return [text_of(e) for s in sections for e in s.iter()
            if isinstance(e.tag, str) and e.tag.removeprefix(XHTML) in BLOCKS and text_of(e)]


def in_order(blocks: list[str], text: str) -> list[str]:
    """The blocks that are not found in `text` after the previous one (spaces ignored): [] when all are in order."""
    missing, position, text = [], 0, squeeze(text)
    for block in blocks:
        found = text.find(squeeze(block), position)
        if found < 0:
            missing.append(block)
        else:
            position = found + len(squeeze(block))
    return missing


def pdf_only(app, language: str) -> list[str]:
    """The headings the PDF has and the page has not: the activity as it was (a fold's summary on the page) for
    each pinned record, and the check of the manifest at the end."""
    with app.test_request_context(), force_locale(language):
        return [gettext("The activity as it was when signed off"), gettext("The activity as it was when submitted"),
                gettext("Checking this portfolio")]


@pytest.mark.parametrize("language, lang, title", [
    ("en", "en-GB", "Induction portfolio: Dafydd Morgan"),
    ("cy", "cy", "Portffolio sefydlu: Dafydd Morgan"),
])
def test_the_pdf_is_tagged_in_its_language_with_the_pages_headings_bookmarks_and_order(
        tracker_app, people, signed_in, language, lang, title):
    client = signed_in("inductee@example.org")
    page = client.get(f"/portfolio/{people['dafydd']}?lang={language}")
    assert page.status_code == 200
    reader = PdfReader(io.BytesIO(client.get(f"/portfolio/{people['dafydd']}/pdf").data))
    catalog = reader.trailer["/Root"]

    # Tagged, and says so: a structure tree, /MarkInfo, PDF/UA-1 in the XMP metadata, the title shown as the title.
    assert "/StructTreeRoot" in catalog and bool(catalog["/MarkInfo"]["/Marked"])
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert re.search(rb"pdfuaid:part[^0-9]{0,20}1", catalog["/Metadata"].get_data())
    assert catalog["/Lang"] == lang
    assert reader.metadata.title == title

    # Headings tagged H1… in the page's order and levels; the PDF's own headings besides.
    tags = structure(reader)
    tagged = headings_of(tags)
    main = page_main(page.get_data(as_text=True))
    on_page = page_headings(main)
    extra = pdf_only(tracker_app, language)
    assert [h for h in tagged if h[1] not in extra] == [(level + (level > 3), text) for level, text in on_page]
    assert tagged[-1] == (2, extra[-1])
    assert [text for _, text in tagged if text in extra[:2]], "no heading for the activity as it was"

    # Bookmarks: the person, each section, each activity (and each reflection and session): the headings to H3.
    assert bookmarks(reader.outline) == [h for h in tagged if h[0] <= 3]
    assert [text[:4] for level, text in bookmarks(reader.outline) if text[:1] == "1"] == ["1.1 ", "1.2 "]

    # Every paragraph, list item, heading and table cell of the page's sections, in the page's order.
    document_text = tags[0][1]
    blocks = page_blocks(main)
    assert len(blocks) > 20
    assert in_order(blocks, document_text) == []


def test_the_reading_order_check_catches_text_out_of_order():
    assert in_order(["Alpha one", "Beta two"], "Alpha  one … Beta two") == []
    assert in_order(["Beta two", "Alpha one"], "Alpha one Beta two") == ["Alpha one"]


# ---- the activity as it was ---------------------------------------------------------------------------------------

CASE_STUDY = """\
case_studies:
- id: annie-new-start
  title: "Annie: a new start"
  story: |
    Annie has just moved up to Year 7.

    What the primary school passed on:

    - She lives with her mother.
    - She <b>refused</b> school before.
  questions:
  - What would you do first?
  parts:
  - title: The home visit
    text: Mrs Thomas opens the door.
    questions:
    - What would you record?
evidence:"""


@pytest.fixture
def case_study_app(tmp_path):
    """The tracker on a copy of the test pack whose activity 1.1 has a case study, with 1.1 signed off."""
    from tracker import accounts, create_app, records
    from tracker.db import get_db

    pack = tmp_path / "pack"
    shutil.copytree(TEST_PACK, pack)
    activity = pack / "activities/1-1.yml"
    activity.write_text(activity.read_text(encoding="utf-8").replace("evidence:", CASE_STUDY, 1), encoding="utf-8")
    app = create_app(tracker_config(tmp_path, CONTENT_ROOT=str(pack)))
    with app.app_context():
        db = get_db()
        manager = accounts.create_user(db, email="m@example.org", name="Manager", role="manager",
                                       password="a-long-password-1")
        inductee = accounts.create_user(db, email="i@example.org", name="Inductee", role="inductee",
                                        password="a-long-password-1", manager_ids=[manager])
        record = records.save_notes(db, inductee, "1.1", "title", "My notes.", inductee)
        records.transition(db, record["id"], "submit", inductee)
        records.transition(db, record["id"], "sign_off", manager)
    client = app.test_client()
    assert login(client, "i@example.org", "a-long-password-1").status_code == 302
    return client, inductee


def pinned_headings(main) -> list[tuple[int, str]]:
    pinned = next(e for e in main.iter(f"{XHTML}div") if "tracker-pinned-activity" in (e.get("class") or ""))
    return page_headings(pinned)


def test_the_activity_as_it_was_has_the_activitys_headings_lists_and_case_studies(case_study_app):
    client, inductee = case_study_app
    main = page_main(client.get(f"/portfolio/{inductee}").get_data(as_text=True))
    # On the portfolio page, under the activity's h3: its parts, case studies and evidence as h4, each case h5.
    assert pinned_headings(main) == [(4, "Before the meeting"), (4, "Case studies"), (5, "Annie: a new start"),
                                     (6, "The home visit"), (4, "Evidence to record")]
    pinned = next(e for e in main.iter(f"{XHTML}div") if "tracker-pinned-activity" in (e.get("class") or ""))
    prompts = [text_of(li) for ol in pinned.iter(f"{XHTML}ol") for li in ol]
    assert prompts == ["Read the page for element 1.a and the Framework pages it points to."]
    story_items = [text_of(li) for ul in pinned.iter(f"{XHTML}ul") for li in ul]
    assert story_items[:2] == ["She lives with her mother.", "She <b>refused</b> school before."]  # shown, not run
    assert "What would you do first?" in story_items and "What would you record?" in story_items
    assert not list(pinned.iter(f"{XHTML}b"))

    # On the record page, under its h1, the same from h2: no heading level is skipped.
    record = page_main(client.get(f"/records/{inductee}/1.1").get_data(as_text=True))
    assert pinned_headings(record)[:3] == [(2, "Before the meeting"), (2, "Case studies"), (3, "Annie: a new start")]
    levels = [level for level, _ in page_headings(record)]
    assert all(later <= earlier + 1 for earlier, later in zip(levels, levels[1:], strict=False)), levels

    # In the PDF, under the activity's H3 and an H4 for the activity as it was: H5 and H6, the prompts a list.
    tags = structure(PdfReader(io.BytesIO(client.get(f"/portfolio/{inductee}/pdf").data)))
    tagged = headings_of(tags)
    start = tagged.index((4, "The activity as it was when signed off"))
    assert tagged[start - 1][0] == 3 and tagged[start + 1:start + 5] == [
        (5, "Before the meeting"), (5, "Case studies"), (6, "Annie: a new start"), (5, "Evidence to record")]
    assert ("P", "The home visit") in [(role, " ".join(text.split())) for role, text in tags]  # no H7: bold text
    lists = [text for role, text in tags if role == "L"]
    assert any("Read the page for element 1.a" in text for text in lists)
    assert any("She lives with her mother." in text for text in lists)


def test_text_in_a_pinned_activity_is_markdown_and_html_in_it_is_only_text():
    from tracker.pinned import prose

    html = str(prose("A **bold** start <script>alert(1)</script>\n\n- one\n- two\n\n"
                     "| A | B |\n| --- | --- |\n| 1 | 2 |"))
    assert "<strong>bold</strong>" in html and "<script>" not in html and "&lt;script&gt;" in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html and '<table class="govuk-table">' in html
    assert '<th scope="col" class="govuk-table__header">A</th>' in html


# ---- the first PDF ----------------------------------------------------------------------------------------------

WARM_UP_CHECK = """
import sys, time
from tracker import wsgi
started = time.perf_counter()
app = wsgi.tracker_only()
created = time.perf_counter() - started
thread = app.extensions["pdf_warm_up"]
thread.join(300)
print("created", round(created, 2), "warm", not thread.is_alive(),
      "loaded", all(name in sys.modules for name in ("weasyprint", "fontTools.subset")),
      "templates", app.jinja_env.cache is not None and any("portfolio/pdf.html" in str(k) for k in app.jinja_env.cache))
"""


def test_a_production_server_loads_weasyprint_in_the_background_as_it_starts(tmp_path):
    """Loading WeasyPrint and its fonts took the first PDF after a start 2 to 3 s: each server process now does it
    in a background thread as it creates the app, and a PDF warm-up failure is logged, not raised."""
    env = {**os.environ, "TRACKER_INSTANCE_PATH": str(tmp_path), "TRACKER_CONTENT_ROOT": str(TEST_PACK),
           "TRACKER_PUBLIC_URL": "http://127.0.0.1:8000", "TRACKER_MAIL_WORKER": "off",
           "TRACKER_MIGRATE_ON_START": "true"}  # the database, made as `flask --app tracker migrate` would
    result = subprocess.run([sys.executable, "-c", WARM_UP_CHECK], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "warm True loaded True templates True" in result.stdout, result.stdout + result.stderr
    assert "PDF warm-up failed" not in result.stderr
