"""The Email notifications page in a real headless Chromium: reached from the header, the choice saved with
GOV.UK radios, its error shown, clean under axe-core, fitting a 360 px phone, in English and in Welsh.

Set TRACKER_SCREENSHOTS=/some/folder to keep screenshots of the page at 1280 and 360 px in both languages."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from test_phone_browser import PHONE, assert_fits

from browser import assert_accessible, new_page, screenshot, sign_in
from helpers import query

pytestmark = pytest.mark.browser
DEADLINE = 30_000  # ms: generous, the machine is shared; every wait is on a condition
WORDS = {"en": {"menu": "Email notifications", "daily": "Once a day: one summary email", "save": "Save",
                "saved": "Your email choice is saved."},
         "cy": {"menu": "Hysbysiadau e-bost", "daily": "Unwaith y dydd: un e-bost crynodeb", "save": "Cadw",
                "saved": "Mae eich dewis e-bost wedi’i gadw."}}


def shoot(page, name: str) -> None:
    screenshot(page, f"notifications-{name}")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_an_inductee_chooses_the_daily_summary(browser, live_tracker, language):
    words = WORDS[language]
    errors: list[str] = []
    page = new_page(browser, errors)
    page.context.set_default_timeout(DEADLINE)
    sign_in(page, live_tracker.url, "inductee2@example.org")
    page.goto(f"{live_tracker.url}/my-induction?lang={language}")
    page.locator("header nav").get_by_role("link", name=words["menu"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["menu"])
    expect(page.locator("html")).to_have_attribute("lang", "en-GB" if language == "en" else "cy")
    expect(page.locator("input[name=notify][value=now]")).to_be_checked()  # an inductee's default
    assert_accessible(page, f"the email notifications page ({language})")
    for width in (1280, PHONE["width"]):
        page.set_viewport_size({"width": width, "height": 900})
        assert_fits(page, f"the email notifications page at {width} px ({language})")
        shoot(page, f"{language}-{width}")
    page.get_by_label(words["daily"]).check()
    page.get_by_role("button", name=words["save"], exact=True).click()
    expect(page.get_by_text(words["saved"])).to_be_visible()
    expect(page.locator("input[name=notify][value=daily]")).to_be_checked()
    assert query(live_tracker.app, "SELECT notify FROM users WHERE email = 'inductee2@example.org'") == [
        {"notify": "daily"}]
    assert errors == []


def test_a_choice_that_is_not_offered_is_refused_clearly(browser, live_tracker):
    page = new_page(browser)
    page.context.set_default_timeout(DEADLINE)
    sign_in(page, live_tracker.url, "manager@example.org")
    page.goto(f"{live_tracker.url}/account/notifications")
    expect(page.locator("input[name=notify][value=daily]")).to_be_checked()  # a manager's default
    page.evaluate("document.querySelector('input[name=notify][value=none]').value = 'hourly'")
    page.locator("input[name=notify]").last.check()
    page.get_by_role("button", name="Save", exact=True).click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose when the tracker should email you")
    assert_accessible(page, "the email notifications page with an error")
    page.set_viewport_size(PHONE)
    assert_fits(page, "the email notifications page with an error at 360 px")
    shoot(page, "en-error-360")
