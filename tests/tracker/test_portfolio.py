"""The portfolio: a valid PDF with every section, and the page as the browser prints it."""
from __future__ import annotations

import io
import re
import unicodedata

import pytest
from pypdf import PdfReader


def test_portfolio_pdf_is_a_valid_pdf_with_every_section(tracker_app, people, signed_in):
    inductee = signed_in("inductee@example.org")
    response = inductee.get(f"/portfolio/{people['dafydd']}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(page.extract_text() for page in reader.pages)
    for heading in ("Dafydd Morgan", "Induction progress", "Completed activities", "Shared reflections", "Quiz results",
                    "Personal development plan", "Supervision"):
        assert heading in text, heading
    assert "Finding out more about my role" in text       # activity 1.1 is signed off in the demo data
    assert "My first team meeting" in text                # the shared reflection


def test_an_unchanged_portfolio_is_sent_again_without_making_it_again(tracker_app, people, signed_in, monkeypatch):
    """The kept PDF (tracker/pdf_cache.py): made once while nothing changes, made again after a change (and the
    older one removed), never sent to anyone else, private on disk, and gone with an erasure."""
    import stat

    from tracker import pdf_cache, portfolio, records
    from tracker.db import get_db
    from tracker.erasure import erase_person
    made = []
    real = portfolio.render_pdf
    monkeypatch.setattr(portfolio, "render_pdf", lambda html, base_url=None: made.append(1) or real(html, base_url))
    inductee, manager = signed_in("inductee@example.org"), signed_in("manager@example.org")
    url = f"/portfolio/{people['dafydd']}/pdf"
    first = inductee.get(url)
    assert inductee.get(url).data == first.data and len(made) == 1
    assert manager.get(url).data == first.data and len(made) == 1  # the same portfolio, whoever downloads it
    assert first.headers["Cache-Control"].startswith("no-store")
    with tracker_app.app_context():
        kept = pdf_cache.kept_files(people["dafydd"])
        assert len(kept) == 1 and kept[0].read_bytes() == first.data
        assert stat.S_IMODE(kept[0].stat().st_mode) == 0o600
        assert all(stat.S_IMODE(folder.stat().st_mode) == 0o700 for folder in (kept[0].parent, kept[0].parent.parent))
        record = records.get(get_db(), people["dafydd"], "2.1")  # submitted in the demo: signing it off changes it
        records.transition(get_db(), record["id"], "sign_off", people["rhian"], "")
    changed = inductee.get(url)
    assert changed.data != first.data and len(made) == 2
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(changed.data)).pages)
    assert "Finding out more about my role" in text
    with tracker_app.app_context():
        assert [p.read_bytes() for p in pdf_cache.kept_files(people["dafydd"])] == [changed.data]  # the older went
    assert signed_in("inductee2@example.org").get(url).status_code in (403, 404)  # no one else's, kept or not
    with tracker_app.app_context():
        erase_person(get_db(), people["dafydd"], tracker_app.config["DEMO_IDS"]["admin@example.org"])
        assert pdf_cache.kept_files(people["dafydd"]) == []


# ---- printing the portfolio page (the browser's own print, not the PDF) ------------------------------------------

def printed_text(page) -> str:
    """What Chromium prints of the page (its print styles and beforeprint/afterprint scripts apply), as text
    (ligatures such as "ﬀ" as their letters)."""
    pages = PdfReader(io.BytesIO(page.pdf(format="A4"))).pages
    return unicodedata.normalize("NFKC", " ".join(" ".join(p.extract_text().split()) for p in pages))


@pytest.mark.browser
@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_printing_the_portfolio_prints_the_activity_as_it_was(browser, live_tracker, javascript):
    """'The activity as it was' is folded away on the page; printed, it was a bare line with nothing under it."""
    from playwright.sync_api import expect

    from browser import sign_in

    dafydd = live_tracker.ids["inductee@example.org"]
    context = browser.new_context(java_script_enabled=javascript)
    context.set_default_timeout(60_000)
    page = context.new_page()
    sign_in(page, live_tracker.url, "inductee@example.org")
    page.goto(f"{live_tracker.url}/portfolio/{dafydd}")
    folded = page.locator("details", has_text="The activity as it was when signed off").first
    expect(folded).not_to_have_attribute("open", "")
    expect(page.get_by_text("Read the page for element 1.a", exact=False)).to_be_hidden()
    if javascript:  # print.js unfolds them for printing (every browser), and folds them again afterwards
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        expect(folded).to_have_attribute("open", "")
        page.evaluate("window.dispatchEvent(new Event('afterprint'))")
        expect(folded).not_to_have_attribute("open", "")
    text = printed_text(page)  # without the script, tracker.css shows their content in print (::details-content)
    assert "The activity as it was when signed off" in text
    assert "Read the page for element 1.a and the Framework pages it points to." in text  # a prompt of 1.1 as it was
    assert "Your notes of the conversation." in text  # its evidence to record
    expect(folded).not_to_have_attribute("open", "")  # folded again once printed
    context.close()


@pytest.mark.browser
def test_a_printed_record_shows_no_relative_addresses(browser, live_tracker):
    """GOV.UK Frontend prints each link's address after it: "(/section-1/activities/1-01.html)" means nothing on
    paper. The tracker's own links print as their words alone."""
    from browser import new_page, sign_in

    dafydd = live_tracker.ids["inductee@example.org"]
    page = new_page(browser)
    sign_in(page, live_tracker.url, "inductee@example.org")
    for path in (f"/records/{dafydd}/1.1", f"/portfolio/{dafydd}"):
        page.goto(live_tracker.url + path)
        assert page.locator("main a.govuk-link[href^='/']").count() or path.startswith("/portfolio")
        text = printed_text(page)
        assert "Read the activity in the handbook" in text or path.startswith("/portfolio")
        assert not re.findall(r"\(/[^)]*\)", text), path
    page.context.close()
