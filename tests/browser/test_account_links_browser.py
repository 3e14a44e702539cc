"""Browser journeys (tracker/account_links.py), in headless Chromium with axe-core: an administrator invites
a person, who opens the link from the email and chooses a password; a person who forgot their password resets
it from the sign-in page, in English and in Welsh. With no MAIL_SERVER the email is read from the outbox.
Set TRACKER_SCREENSHOTS=/some/folder to keep screenshots of each page at 1280 and 360 px."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browser import assert_accessible, new_page, screenshot, sign_in
from helpers import deliver_mail, set_password_path

pytestmark = pytest.mark.browser
NEW_PASSWORD = "chosen-in-the-browser-9"


def newest_email_path(app) -> str:
    from tracker import mail
    deliver_mail(app)  # what the mail worker does after the request
    with app.app_context():
        return set_password_path(mail.read_outbox(mail.outbox_names()[0]))


def shoot(page, name: str) -> None:
    screenshot(page, name, widths=(1280, 360))


def test_invite_then_choose_a_password_then_sign_in(browser, live_tracker):
    admin = new_page(browser)
    sign_in(admin, live_tracker.url, "admin@example.org")
    admin.goto(live_tracker.url + "/admin/users/new")
    assert_accessible(admin, "the Add a user page")
    shoot(admin, "add-user-en")
    admin.get_by_label("Full name").fill("Nia New")
    admin.get_by_label("Email address").fill("nia@example.org")
    admin.get_by_label("Inductee").check()
    admin.get_by_role("button", name="Add user and send invitation").click()
    expect(admin.get_by_text("They have been emailed an invitation")).to_be_visible()
    expect(admin.get_by_role("row", name=re.compile("Nia New"))).to_contain_text("Invited (expires")
    assert_accessible(admin, "the Users page with an invited person")
    shoot(admin, "users-invited-en")

    person = new_page(browser)
    person.goto(live_tracker.url + newest_email_path(live_tracker.app))
    expect(person.get_by_role("heading", level=1)).to_have_text("Choose your password")
    expect(person.locator("#account-email")).to_have_text("nia@example.org")
    assert_accessible(person, "the set-password page")
    shoot(person, "choose-password-en")
    person.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    person.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    person.get_by_role("button", name="Save password and sign in").click()
    expect(person.get_by_text("Your password has been set. You are signed in.")).to_be_visible()
    expect(person.get_by_role("button", name=re.compile("^Sign out"))).to_be_visible()
    admin.reload()
    expect(admin.get_by_role("row", name=re.compile("Nia New"))).to_contain_text("Active")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_reset_a_forgotten_password(browser, live_tracker, language):
    live_tracker.app.config["RESET_MIN_SECONDS"] = 0.2
    words = {"en": ("Forgotten your password?", "Email address", "Send the link", "Check your email",
                    "New password", "Confirm new password", "Save password and sign in"),
             "cy": ("Wedi anghofio eich cyfrinair?", "Cyfeiriad e-bost", "Anfon y ddolen", "Gwiriwch eich e-bost",
                    "Cyfrinair newydd", "Cadarnhewch y cyfrinair newydd", "Cadw’r cyfrinair a mewngofnodi")}
    forgotten, email_label, send, check, new, confirm, save = words[language]
    page = new_page(browser)
    page.goto(f"{live_tracker.url}/login?lang={language}")
    page.get_by_role("link", name=forgotten).click()
    assert_accessible(page, "the forgotten-password page")
    shoot(page, f"forgotten-{language}")
    page.get_by_label(email_label).fill("inductee@example.org")
    page.get_by_role("button", name=send).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(check)
    assert_accessible(page, "the reset-sent page")
    shoot(page, f"reset-sent-{language}")

    page.goto(live_tracker.url + newest_email_path(live_tracker.app))
    assert_accessible(page, "the reset page")
    shoot(page, f"choose-password-reset-{language}")
    page.get_by_label(new, exact=True).fill(NEW_PASSWORD)
    page.get_by_label(confirm).fill(NEW_PASSWORD)
    page.get_by_role("button", name=save).click()
    expect(page.locator(f'html[lang="{"en-GB" if language == "en" else "cy"}"]')).to_have_count(1)
    expect(page.get_by_role("button", name=re.compile("^(Sign out|Allgofnodi)"))).to_be_visible()

    used = new_page(browser)  # the link again: used, a clear page
    used.goto(f"{live_tracker.url}/login?lang={language}")
    used.goto(live_tracker.url + newest_email_path(live_tracker.app))
    assert_accessible(used, "a used link's page")
    shoot(used, f"link-used-{language}")
