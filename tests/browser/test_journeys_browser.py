"""The real tracker on a real HTTP server, driven through a real headless Chromium as people would use it:
the inductee records, submits and resubmits an activity; the manager returns it and signs it off;
accessibility (axe-core) on every page of the journey; a file upload and its download."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browser import assert_accessible, menu, new_page, open_details, sign_in, status_of

pytestmark = pytest.mark.browser

# A valid 1×1 PNG (signature, IHDR, IDAT, IEND): the tracker sniffs uploads' contents.
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e5273fcb0000000049454e44ae426082")


@pytest.fixture
def tracker(live_tracker):
    return live_tracker


def activity_link(page, activity_id: str):
    return page.get_by_role("link", name=re.compile(rf"^{re.escape(activity_id)} "))


def task(page, activity_id: str):
    """An activity's link in the 'Activities' task list on an induction dashboard (not 'Needs your action',
    which lists it again when it is overdue)."""
    return activity_link(page.locator("main > .govuk-task-list"), activity_id)


def check_and_submit(page, button: str) -> None:
    """From the record page, through 'check your answers', to submitted."""
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your record before you submit it")
    page.get_by_label("I confirm this record is my own work").check()
    page.get_by_role("button", name="Submit for sign-off").click()
    expect(page.get_by_text("Submitted for sign-off. Your manager will review it.")).to_be_visible()
    expect(status_of(page)).to_contain_text("Waiting for sign-off")


def team_progress(page, name: str):
    """The progress bar for one inductee on the manager's 'My team' page (its label says the numbers)."""
    return page.get_by_label(re.compile(rf"^{re.escape(name)}: \d+ of \d+ complete$"))


def test_record_returned_resubmitted_and_signed_off_end_to_end(browser, tracker):
    from tracker import progress
    from tracker.accounts import get_user
    from tracker.db import get_db

    base = tracker.url
    dafydd = tracker.ids["inductee@example.org"]
    with tracker.app.app_context():
        before = progress.summary(get_db(), get_user(get_db(), dafydd))
    completed, required = before.completed, before.required
    assert completed == 2 and required > completed  # the demo data: 1.1 signed off, 1.2 marked done
    errors: list[str] = []

    # --- the inductee records activity 1.4 and submits it -------------------------------------
    inductee = new_page(browser, errors)
    sign_in(inductee, base, "inductee@example.org", check_accessibility=True)
    expect(inductee.get_by_role("heading", level=1)).to_have_text("My induction")
    assert_accessible(inductee, "'My induction'")
    expect(inductee.locator("#status-1-4")).to_have_text("In progress")
    task(inductee, "1.4").click()
    expect(inductee.get_by_role("heading", level=1)).to_have_text("The reasons behind absence")
    expect(status_of(inductee)).to_contain_text("In progress")

    notes = inductee.get_by_label("Notes and reflections")
    expect(notes).to_have_value("Started the two lists with a colleague.")
    notes.fill("Made two lists with a colleague: reasons a child may not attend, and what helps.")
    inductee.get_by_role("button", name="Save notes").click()
    expect(inductee.get_by_text("Your notes have been saved.")).to_be_visible()
    expect(inductee.get_by_label("Notes and reflections")).to_have_value(re.compile("^Made two lists"))

    written = open_details(inductee, "Add written evidence")
    assert_accessible(inductee, "the editable record page with 'Add written evidence' open")
    written.get_by_label("Written evidence").fill("Two lists, ticked and crossed with my colleague.")
    written.get_by_role("button", name="Add written evidence").click()
    expect(inductee.get_by_text("Evidence added.")).to_be_visible()
    expect(inductee.locator("#evidence + dl")).to_contain_text("Two lists, ticked and crossed with my colleague.")

    inductee.get_by_role("button", name="Check and submit for sign-off").click()
    expect(inductee.get_by_role("heading", level=1)).to_have_text("Check your record before you submit it")
    expect(inductee.locator(".govuk-summary-list")).to_contain_text("Made two lists with a colleague")
    expect(inductee.locator(".govuk-summary-list")).to_contain_text("Two lists, ticked and crossed")
    assert_accessible(inductee, "the check-your-answers page")

    # Not ticking the confirmation: the GOV.UK error summary, focused, linking to the checkbox.
    inductee.get_by_role("button", name="Submit for sign-off").click()
    summary = inductee.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(inductee).to_have_title(re.compile("^Error: "))
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name="Confirm the record is your own work and identifies no child or family")
    expect(link).to_have_attribute("href", "#confirm")
    expect(link).to_have_css("font-family", re.compile("^system-ui"))  # like the rest: no GDS Transport
    expect(inductee.locator("#confirm-error")).to_contain_text("Confirm the record is your own work")
    assert_accessible(inductee, "the check-your-answers page with an error")
    link.click()
    checkbox = inductee.get_by_label("I confirm this record is my own work")
    expect(checkbox).to_be_focused()
    checkbox.check()
    inductee.get_by_role("button", name="Submit for sign-off").click()
    expect(inductee.get_by_text("Submitted for sign-off. Your manager will review it.")).to_be_visible()
    expect(status_of(inductee)).to_contain_text("Waiting for sign-off")
    expect(inductee.get_by_label("Notes and reflections")).to_have_count(0)  # no longer editable

    # --- the manager returns it with a comment ------------------------------------------------
    manager = new_page(browser, errors)
    sign_in(manager, base, "manager@example.org")
    expect(manager.get_by_role("heading", level=1)).to_have_text("My team")
    assert_accessible(manager, "the manager's 'My team'")
    expect(team_progress(manager, "Dafydd Morgan")).to_have_attribute(
        "aria-label", f"Dafydd Morgan: {completed} of {required} complete")
    pending_row = manager.locator("#pending tbody tr").filter(has_text="Dafydd Morgan").filter(
        has=activity_link(manager, "1.4"))
    expect(pending_row).to_have_count(1)
    pending_row.get_by_role("link").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("The reasons behind absence")
    expect(manager.locator(".govuk-caption-l")).to_have_text("Dafydd Morgan · Activity 1.4")
    expect(manager.locator("#notes")).to_contain_text("Made two lists with a colleague")
    expect(manager.get_by_role("heading", name="Your decision")).to_be_visible()
    assert_accessible(manager, "the manager's record page with the decision forms")

    # Returning without saying what to change is refused, and the error links to the right box.
    manager.get_by_role("button", name="Return for changes").click()
    error_link = manager.locator(".govuk-error-summary").get_by_role("link",
                                                                     name="Say what the inductee needs to change")
    expect(error_link).to_be_visible()
    assert_accessible(manager, "the manager's record page with an error")
    error_link.click()
    expect(manager.get_by_label("What needs to change")).to_be_focused()
    comment = "Please add what you learned from the second list, and one thing you will do differently."
    manager.get_by_label("What needs to change").fill(comment)
    manager.get_by_role("button", name="Return for changes").click()
    expect(manager.get_by_text("Returned to the inductee with your comments.")).to_be_visible()
    expect(status_of(manager)).to_contain_text("Returned for changes")

    # --- the inductee sees why, changes it and resubmits ----------------------------------------
    inductee.reload()
    expect(status_of(inductee)).to_contain_text("Returned for changes")
    banner = inductee.get_by_role("region", name="Returned for changes")
    expect(banner).to_contain_text("Rhian Evans said:")
    expect(banner).to_contain_text(comment)
    assert_accessible(inductee, "the returned record page")
    notes = inductee.get_by_label("Notes and reflections")
    notes.fill(notes.input_value() + "\n\nFrom the second list I learned that a calm first visit helps most."
               " Next time I will ask the child first.")
    inductee.get_by_role("button", name="Save notes").click()
    expect(inductee.get_by_text("Your notes have been saved.")).to_be_visible()
    expect(status_of(inductee)).to_contain_text("Returned for changes")
    check_and_submit(inductee, "Check and resubmit")

    # --- the manager signs it off ---------------------------------------------------------------
    menu(manager, "My team").click()
    pending_row.get_by_role("link").click()
    expect(manager.locator("#notes")).to_contain_text("Next time I will ask the child first.")
    manager.get_by_label("Comment (optional)").fill("Good. The second list is thoughtful.")
    manager.get_by_role("button", name="Sign off").click()
    expect(manager.get_by_text("Signed off.", exact=True)).to_be_visible()
    expect(status_of(manager)).to_contain_text("Signed off")
    expect(manager.get_by_role("heading", name="Your decision")).to_have_count(0)

    # The history lists every transition, oldest first, with who made it.
    history = [[cell.strip() for cell in row] for row in manager.locator("#history tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.innerText))")]
    transitions = [(who, what) for _, who, what in history if "→" in what]
    assert transitions == [
        ("Dafydd Morgan", "Not started → In progress"),
        ("Dafydd Morgan", "In progress → Waiting for sign-off"),
        ("Rhian Evans", "Waiting for sign-off → Returned for changes"),
        ("Dafydd Morgan", "Returned for changes → Waiting for sign-off"),
        ("Rhian Evans", "Waiting for sign-off → Signed off"),
    ], history
    assert ("Dafydd Morgan", "Evidence added") in [(who, what) for _, who, what in history], history
    comments = manager.locator(".tracker-comments")
    expect(comments).to_contain_text(comment)
    expect(comments).to_contain_text("Good. The second list is thoughtful.")

    # --- both dashboards show it ----------------------------------------------------------------
    menu(manager, "My team").click()
    expect(team_progress(manager, "Dafydd Morgan")).to_have_attribute(
        "aria-label", f"Dafydd Morgan: {completed + 1} of {required} complete")
    expect(manager.locator("#pending").get_by_role("link", name=re.compile(r"^1\.4 "))).to_have_count(0)
    expect(manager.locator("#pending")).to_contain_text("2.1")  # the demo's other submitted record is still there

    menu(inductee, "My induction").click()
    expect(inductee.locator("#status-1-4")).to_have_text("Signed off")
    expect(task(inductee, "1.4")).to_have_accessible_description("Signed off")
    expect(inductee.get_by_label(re.compile("^Whole induction:"))).to_have_attribute(
        "aria-label", f"Whole induction: {completed + 1} of {required} activities complete")

    assert errors == [], errors
    inductee.context.close()
    manager.context.close()


def test_inductee_uploads_a_png_as_evidence_and_can_download_it(browser, tracker, tmp_path):
    picture = tmp_path / "two-lists.png"
    picture.write_bytes(PNG_1X1)
    page = new_page(browser)
    sign_in(page, tracker.url, "inductee@example.org")
    task(page, "1.4").click()

    upload = open_details(page, "Upload a photograph, document or recording")
    assert_accessible(page, "the record page with the upload form open")
    upload.get_by_label("Upload a file").set_input_files(str(picture))
    upload.get_by_label("What this file shows").fill("Photograph of the two lists")
    upload.get_by_role("button", name="Upload file").click()
    expect(page.get_by_text("Evidence added.")).to_be_visible()

    evidence = page.locator("#evidence + dl")
    download = evidence.get_by_role("link", name="two-lists.png")
    expect(download).to_be_visible()
    expect(evidence).to_contain_text("Photograph of the two lists")
    href = download.evaluate("a => a.href")  # absolute
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-disposition"].startswith("attachment")
    assert "two-lists.png" in response.headers["content-disposition"]
    assert response.headers["content-type"] == "image/png"
    assert response.body() == PNG_1X1

    # Witness testimony: its 'Witness statement' box is its own (the written evidence form has a 'body' field too).
    witness = open_details(page, "Add witness testimony")
    witness.get_by_label("Witness name").fill("Siân Hughes")
    witness.get_by_label("Witness role").fill("Senior EWO")
    expect(page.get_by_role("textbox", name="Witness statement")).to_have_count(1)
    witness.get_by_label("Witness statement").fill("Dafydd explained both lists clearly at our team meeting.")
    witness.get_by_role("button", name="Add witness testimony").click()
    expect(page.get_by_text("Evidence added.")).to_be_visible()
    expect(evidence).to_contain_text("Dafydd explained both lists clearly at our team meeting.")
    expect(evidence).to_contain_text("Witness: Siân Hughes, Senior EWO")
    expect(evidence.get_by_role("link", name="two-lists.png")).to_be_visible()

    # Someone who is not signed in cannot fetch it.
    anonymous = new_page(browser)
    response = anonymous.request.get(href, max_redirects=0)
    assert response.status == 302 and "/login" in response.headers["location"]
    anonymous.context.close()
    page.context.close()


def test_plan_and_admin_pages_are_accessible(browser, tracker):
    dafydd = tracker.ids["inductee@example.org"]

    inductee = new_page(browser)
    sign_in(inductee, tracker.url, "inductee@example.org")
    menu(inductee, "My plan").click()
    expect(inductee).to_have_url(f"{tracker.url}/plan/{dafydd}")
    expect(inductee.get_by_role("heading", level=1)).to_have_text("My induction plan")
    assert_accessible(inductee, "the inductee's plan page")
    inductee.context.close()

    manager = new_page(browser)
    sign_in(manager, tracker.url, "manager@example.org")
    manager.goto(f"{tracker.url}/plan/{dafydd}")
    expect(manager.get_by_role("heading", level=1)).to_have_text("Induction plan for Dafydd Morgan")
    expect(manager.get_by_label("Not required for activity 1.4")).to_be_visible()
    assert_accessible(manager, "the manager's view of the plan page")
    manager.context.close()

    admin = new_page(browser)
    sign_in(admin, tracker.url, "admin@example.org")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Users")
    expect(admin.get_by_role("table")).to_contain_text("Dafydd Morgan")
    assert_accessible(admin, "the admin users page")
    admin.context.close()


def test_pages_work_under_the_real_content_security_policy(browser, tracker):
    """Without bypass_csp: GOV.UK Frontend's JavaScript loads and nothing is blocked or fails."""
    errors: list[str] = []
    page = new_page(browser, errors, bypass_csp=False)
    sign_in(page, tracker.url, "inductee@example.org")
    task(page, "1.4").click()
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    page.get_by_role("button", name="Check and submit for sign-off").click()
    page.get_by_role("button", name="Submit for sign-off").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()  # done by GOV.UK Frontend's JavaScript
    assert errors == [], errors
    page.context.close()


def test_typed_notes_survive_adding_evidence_before_saving_them(browser, tracker, tmp_path):
    """Type notes, add written evidence and upload a file without pressing 'Save notes', reload: the notes are kept.
    No JavaScript is needed for this: the notes and the evidence are one form."""
    picture = tmp_path / "lists.png"
    picture.write_bytes(PNG_1X1)
    errors: list[str] = []
    page = new_page(browser, errors)
    sign_in(page, tracker.url, "inductee@example.org")
    task(page, "1.4").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The reasons behind absence")

    notes = page.get_by_label("Notes and reflections")
    notes.fill("First thoughts, typed and never saved with 'Save notes'.")
    written = open_details(page, "Add written evidence")
    written.get_by_label("Written evidence").fill("Two lists, ticked and crossed.")
    written.get_by_role("button", name="Add written evidence").click()
    expect(page.get_by_text("Evidence added. Your notes have been saved.")).to_be_visible()
    expect(page.get_by_label("Notes and reflections")).to_have_value(
        "First thoughts, typed and never saved with 'Save notes'.")

    page.get_by_label("Notes and reflections").fill("Second thoughts, typed before uploading a file.")
    upload = open_details(page, "Upload a photograph, document or recording")
    upload.get_by_label("Upload a file").set_input_files(str(picture))
    upload.get_by_label("What this file shows").fill("Photograph of the lists")
    upload.get_by_role("button", name="Upload file").click()
    expect(page.get_by_text("Evidence added. Your notes have been saved.")).to_be_visible()
    assert_accessible(page, "the record page after adding evidence with typed notes")

    page.reload()
    expect(page.get_by_label("Notes and reflections")).to_have_value("Second thoughts, typed before uploading a file.")
    evidence = page.locator("#evidence + dl")
    expect(evidence).to_contain_text("Two lists, ticked and crossed.")
    expect(evidence.get_by_role("link", name="lists.png")).to_be_visible()

    # A mistake elsewhere on the page keeps what was typed, and saves nothing until it is fixed.
    page.get_by_label("Notes and reflections").fill("Third thoughts.")
    witness = open_details(page, "Add witness testimony")
    witness.get_by_label("Witness name").fill("Siân Hughes")
    witness.get_by_label("Witness name").press("Enter")  # presses the form's first button, 'Save notes'
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the witness's role")
    expect(page.get_by_label("Notes and reflections")).to_have_value("Third thoughts.")
    expect(page.get_by_label("Witness name")).to_have_value("Siân Hughes")
    assert_accessible(page, "the record page with an error in the witness testimony")
    page.get_by_label("Witness role").fill("Senior EWO")
    page.get_by_label("Witness statement").fill("Dafydd explained both lists.")
    page.get_by_role("button", name="Add witness testimony").click()
    expect(page.get_by_text("Evidence added. Your notes have been saved.")).to_be_visible()
    page.reload()
    expect(page.get_by_label("Notes and reflections")).to_have_value("Third thoughts.")
    expect(evidence).to_contain_text("Witness: Siân Hughes, Senior EWO")
    assert errors == [], errors
    page.context.close()


def test_activity_without_sign_off_is_marked_done_in_the_browser(browser, tracker):
    errors: list[str] = []
    page = new_page(browser, errors)
    sign_in(page, tracker.url, "inductee@example.org")
    task(page, "1.3").click()
    expect(page.locator("#sign-off-rule")).to_contain_text("Manager sign-off not required")
    expect(page.get_by_role("button", name="Check and submit for sign-off")).to_have_count(0)
    page.get_by_label("Notes and reflections").fill("Now what? I will write down my assumptions before a visit.")
    assert_accessible(page, "a record page for an activity without sign-off")
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_text("Marked as done. This activity needs no sign-off, so it is complete.")).to_be_visible()
    expect(status_of(page)).to_contain_text("Done")
    expect(page.get_by_label("Notes and reflections")).to_have_value(re.compile("^Now what?"))
    menu(page, "My induction").click()
    expect(task(page, "1.3")).to_have_accessible_description("Done")
    assert errors == [], errors
    page.context.close()


def test_needs_your_action_on_both_dashboards(browser, tracker):
    errors: list[str] = []
    inductee = new_page(browser, errors)
    sign_in(inductee, tracker.url, "inductee@example.org")
    needs = inductee.get_by_role("region", name="Needs your action")
    expect(needs).to_be_visible()
    returned = needs.get_by_role("link", name=re.compile(r"^1\.5 "))
    expect(returned).to_have_accessible_description(
        re.compile(r"^Rhian Evans said: Please add .* Returned for changes$"))
    expect(needs.get_by_role("link", name="Read the school attendance policies of my schools")
           ).to_have_accessible_description(re.compile(r"Overdue$"))
    assert_accessible(inductee, "'My induction' with things needing action")
    returned.click()
    expect(status_of(inductee)).to_contain_text("Returned for changes")

    manager = new_page(browser, errors)
    sign_in(manager, tracker.url, "manager@example.org")
    needs = manager.get_by_role("region", name="Needs your action")
    expect(needs.locator("#pending")).to_contain_text("2.1 Getting to know my schools")
    expect(needs.get_by_role("link", name="Supervision with Ceri Williams")).to_have_accessible_description(
        "No session recorded yet To arrange")
    assert_accessible(manager, "'My team' with things needing action")
    needs.get_by_role("link", name="My first team meeting").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("My first team meeting")
    menu(manager, "My team").click()
    expect(manager.get_by_role("region", name="Needs your action")
           .get_by_role("link", name="My first team meeting")).to_have_count(0)
    menu(manager, "Supervision").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Supervision")
    expect(manager.get_by_role("link", name="Dafydd Morgan")).to_be_visible()
    assert_accessible(manager, "the manager's team supervision page")
    assert errors == [], errors
    inductee.context.close()
    manager.context.close()
