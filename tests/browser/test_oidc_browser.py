"""Council sign-in in a real headless Chromium: from the tracker's sign-in page, the council button, the
provider's form (oidc-provider-mock on 127.0.0.1), and back to the dashboard, in English and in Welsh, every
tracker page clean under axe-core; a refusal page and the break-glass page fit a 360 px phone.

Set TRACKER_SCREENSHOTS=/some/folder to keep screenshots of the new pages at 1280 and 360 px in both languages."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from test_oidc import council_sign_in, person_at, running_mock_provider
from test_phone_browser import PHONE, assert_fits

from browser import assert_accessible, menu, new_page, screenshot

pytestmark = pytest.mark.browser
DEADLINE = 30_000  # ms: generous, the machine is shared; every wait is on a condition
BUTTON = {"en": "Sign in with Cyngor Sir Example / Example Council",
          "cy": "Mewngofnodi gyda Cyngor Sir Example / Example Council"}


@pytest.fixture(scope="module")
def mock_provider():
    with running_mock_provider() as issuer:
        yield issuer


def tracker_page(browser, errors: list[str] | None = None):
    page = new_page(browser, errors)
    page.context.set_default_timeout(DEADLINE)
    page.context.route("https://**/*", lambda route: route.abort())  # the mock's stylesheet is on a CDN: offline
    return page


def through_the_provider(page, sub: str) -> None:
    """On the mock's form: type the person's subject and authorize."""
    expect(page.get_by_role("heading", name="Authorize Client")).to_be_visible()
    page.locator("input[name=sub]").fill(sub)
    page.get_by_role("button", name="Authorize", exact=True).click()


def shoot(page, name: str) -> None:
    screenshot(page, f"oidc-{name}")


@pytest.mark.parametrize("language,dashboard", [("en", "My induction"), ("cy", "Fy nghyfnod sefydlu")])
def test_an_inductee_signs_in_through_the_council(browser, live_tracker, mock_provider, language, dashboard):
    council_sign_in(live_tracker.app, mock_provider)
    sub = person_at(mock_provider, f"dafydd-browser-{language}", email="inductee@example.org", email_verified=True)
    errors: list[str] = []
    page = tracker_page(browser, errors)
    page.goto(f"{live_tracker.url}/login?lang={language}")
    expect(page.locator("html")).to_have_attribute("lang", "en-GB" if language == "en" else "cy")
    assert_accessible(page, f"the sign-in page with the council button ({language})")
    shoot(page, f"sign-in-1280-{language}")
    page.get_by_role("button", name=BUTTON[language]).click()
    through_the_provider(page, sub)
    expect(page.get_by_role("heading", level=1)).to_have_text(dashboard)
    expect(page.get_by_role("button", name=re.compile("^(Sign out|Allgofnodi)"))).to_be_visible()
    assert page.url.startswith(live_tracker.url)
    assert_accessible(page, f"the dashboard after council sign-in ({language})")
    assert [e for e in errors if live_tracker.url in e or "http" not in e] == []
    page.context.close()


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("width", [PHONE["width"], 1280])
def test_a_refusal_and_the_break_glass_page_are_clear_on_any_screen(browser, live_tracker, mock_provider,
                                                                    language, width):
    council_sign_in(live_tracker.app, mock_provider, LOCAL_PASSWORDS=False, BREAK_GLASS_ADMIN="admin@example.org")
    sub = person_at(mock_provider, "stranger-browser", email="a.very.long.address.for.a.stranger@example.gov.wales",
                    email_verified=True)
    page = tracker_page(browser)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_tracker.url}/login?lang={language}")
    expect(page.locator("input[name=password]")).to_have_count(0)  # local passwords off: the council button only
    assert_fits(page, f"the sign-in page with passwords off at {width} px ({language})")
    shoot(page, f"sign-in-passwords-off-{width}-{language}")
    page.get_by_role("button", name=BUTTON[language]).click()
    through_the_provider(page, sub)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You do not have a tracker account" if language == "en" else "Nid oes gennych gyfrif ar y traciwr")
    expect(page.get_by_text("a.very.long.address.for.a.stranger@example.gov.wales", exact=False)).to_be_visible()
    assert_accessible(page, f"the refusal page ({language})")
    assert_fits(page, f"the refusal page at {width} px ({language})")
    shoot(page, f"refused-unknown-{width}-{language}")
    page.goto(f"{live_tracker.url}/login/break-glass")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Break-glass sign-in" if language == "en" else "Mewngofnodi brys")
    assert_accessible(page, f"the break-glass page ({language})")
    assert_fits(page, f"the break-glass page at {width} px ({language})")
    shoot(page, f"break-glass-{width}-{language}")
    page.context.close()


@pytest.mark.parametrize("language,heading", [("en", "Your account"), ("cy", "Eich cyfrif")])
def test_with_passwords_off_the_password_page_says_there_is_none(browser, live_tracker, mock_provider, language,
                                                                 heading):
    council_sign_in(live_tracker.app, mock_provider, LOCAL_PASSWORDS=False, BREAK_GLASS_ADMIN="admin@example.org")
    sub = person_at(mock_provider, f"ceri-browser-{language}", email="inductee2@example.org", email_verified=True)
    page = tracker_page(browser)
    page.goto(f"{live_tracker.url}/login?lang={language}")
    page.get_by_role("button", name=BUTTON[language]).click()
    through_the_provider(page, sub)
    expect(page.get_by_role("button", name=re.compile("^(Sign out|Allgofnodi)"))).to_be_visible()
    for width in (PHONE["width"], 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_tracker.url}/my-induction")
        menu(page, heading).click()  # the header says "Your account", not "Change password"
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.locator("input[type=password]")).to_have_count(0)
        assert_accessible(page, f"the password page with passwords off ({language})")
        assert_fits(page, f"the password page with passwords off at {width} px ({language})")
        shoot(page, f"no-password-{width}-{language}")
    page.context.close()
