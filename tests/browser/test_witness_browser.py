"""Witness testimony by one-time link in a real headless Chromium: the inductee asks for testimony on a
record and sees only the request's state, never the link; the tracker emails the link to the witness
(read here from the outbox); the inductee sends a new link, which ends the first; the witness, in another
browser with no account, opens it and sends a statement; the inductee and the manager see it as evidence
"confirmed by link"; the used link then shows a clear page. Every page is clean under axe-core; the
witness's page also in Welsh."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browser import assert_accessible, new_page, open_details, sign_in
from helpers import deliver_mail

pytestmark = pytest.mark.browser
DEADLINE = 30_000  # ms: generous, the machine is shared; every wait is on a condition
STATEMENT = "I watched Dafydd chair the Year 9 attendance review; he kept the family at the centre of it."


def emailed_link(app, witness_email: str) -> str:
    """Send what waits in the mail queue (as the mail worker would) and return the path of the link in the
    newest message, which must be to the witness: the tracker's PUBLIC_URL is not this test server's."""
    from tracker import mail

    deliver_mail(app)
    with app.app_context():
        message = mail.read_outbox(mail.outbox_names()[0])
    assert message["To"] == witness_email
    return re.search(r"https?://[^/\s]+(/witness/[A-Za-z0-9_-]{43})\s", message.get_body(("plain",)).get_content())[1]


def test_request_give_and_see_witness_testimony_by_link(browser, live_tracker):
    base, dafydd = live_tracker.url, live_tracker.ids["inductee@example.org"]
    inductee = new_page(browser)
    sign_in(inductee, base, "inductee@example.org")
    inductee.goto(f"{base}/records/{dafydd}/1.4")
    open_details(inductee, "Ask a witness to confirm by link")
    inductee.get_by_label("Witness's name").fill("Siân Head")
    inductee.get_by_label("Witness's email address").fill("sian.head@ysgol.example.org")
    inductee.get_by_label("What should they confirm?").fill("That I chaired the Year 9 attendance review.")
    expect(inductee.get_by_label("Welsh and English")).to_be_checked()  # the email's language: both by default
    assert_accessible(inductee, "the record page with the witness request form open")
    inductee.get_by_role("button", name="Email the request").click()
    expect(inductee.get_by_role("heading", name="Witness confirmation by link")).to_be_visible(timeout=DEADLINE)
    expect(inductee.locator("main")).to_contain_text("The request was emailed to Siân Head")
    status = inductee.locator(".govuk-summary-list .govuk-tag")
    expect(status).to_have_text("Sent")
    assert "/witness/" not in inductee.content()  # the link is the witness's alone
    assert_accessible(inductee, "the request's page")
    first = emailed_link(live_tracker.app, "sian.head@ysgol.example.org")

    inductee.get_by_role("button", name="Send a new link").click()  # say the witness cannot find the email
    expect(inductee.locator("main")).to_contain_text("A new link was emailed to Siân Head", timeout=DEADLINE)
    expect(status).to_have_text("Sent")
    assert "/witness/" not in inductee.content()
    link = emailed_link(live_tracker.app, "sian.head@ysgol.example.org")
    assert link != first

    witness = new_page(browser)  # another browser, no account
    witness.goto(base + first)
    expect(witness.get_by_role("heading", name="This link does not work")).to_be_visible(timeout=DEADLINE)
    witness.goto(base + link)
    expect(witness.get_by_role("heading", name="Confirm what you saw")).to_be_visible(timeout=DEADLINE)
    expect(witness.locator("main")).to_contain_text("That I chaired the Year 9 attendance review.")
    expect(witness.locator("main")).not_to_contain_text("Dafydd")
    assert_accessible(witness, "the witness's page")
    inductee.reload()
    expect(status).to_have_text("Opened", timeout=DEADLINE)
    witness.get_by_role("button", name="Send my statement").click()  # nothing filled in: what to fix
    expect(witness.locator(".govuk-error-summary")).to_be_visible(timeout=DEADLINE)
    assert_accessible(witness, "the witness's page with errors")
    witness.get_by_label("Your role").fill("Head of Year 9, Ysgol y Bryn")
    witness.get_by_label("Your statement").fill(STATEMENT)
    witness.get_by_label("I confirm that this statement is true and that I wrote it").check()
    witness.get_by_role("button", name="Send my statement").click()
    expect(witness.get_by_role("heading", name="Statement sent")).to_be_visible(timeout=DEADLINE)
    assert_accessible(witness, "the witness's thank-you page")
    witness.goto(base + link)
    expect(witness.get_by_role("heading", name="This link does not work")).to_be_visible(timeout=DEADLINE)
    expect(witness.locator("#reason")).to_contain_text("already been sent")
    assert_accessible(witness, "a used link's page")
    inductee.reload()
    expect(status).to_have_text("Statement given", timeout=DEADLINE)
    expect(inductee.get_by_role("button", name="Send a new link")).to_have_count(0)

    for page, who in ((inductee, "the inductee"), (None, "the manager")):
        if page is None:
            page = new_page(browser)
            sign_in(page, base, "manager@example.org")
        page.goto(f"{base}/records/{dafydd}/1.4")
        evidence = page.locator("#evidence + dl")
        expect(evidence).to_contain_text(STATEMENT, timeout=DEADLINE)
        expect(evidence).to_contain_text("Confirmed by link")
        expect(evidence).to_contain_text("Siân Head, Head of Year 9, Ysgol y Bryn")
        expect(page.locator("#witness-requests + table")).to_contain_text("Statement given")
        assert "/witness/" not in page.content()
        assert_accessible(page, f"the record page as {who}")


def test_the_witness_page_in_welsh(browser, live_tracker):
    from tracker import witness
    from tracker.db import get_db

    app, dafydd = live_tracker.app, live_tracker.ids["inductee@example.org"]
    with app.app_context():
        witness.create(get_db(), dafydd, "1.4", "The reasons behind absence", witness_name="Siân",
                       witness_email="sian@example.org", purpose="Mai fi oedd yn cadeirio.", days=14, language="cy")
    page = new_page(browser)
    page.goto(f"{live_tracker.url}{emailed_link(app, 'sian@example.org')}?lang=cy")
    expect(page.locator("html")).to_have_attribute("lang", "cy", timeout=DEADLINE)
    expect(page.get_by_role("heading", level=1)).to_have_text("Cadarnhau’r hyn a welsoch")
    assert_accessible(page, "the witness's page in Welsh")
