"""The tracker in Welsh, in a real headless Chromium: a Welsh-speaking inductee records and submits an
activity, her manager signs it off in Welsh, every page lang="cy" and clean under axe-core; the language
switch works, and the choice is remembered after signing out and in again (docs/decisions.md)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browser import assert_accessible, new_page, open_details
from helpers import DEMO_PASSWORD

pytestmark = pytest.mark.browser
DEADLINE = 30_000  # ms: generous, the machine is shared; every wait is on a condition


def welsh_page(page, where: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "cy", timeout=DEADLINE)
    assert_accessible(page, where)


def sign_in_welsh(page, base: str, email: str, start: str = "/login?lang=cy") -> None:
    page.goto(base + start)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mewngofnodi", timeout=DEADLINE)
    page.get_by_label("Cyfeiriad e-bost").fill(email)
    page.get_by_label("Cyfrinair").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Mewngofnodi").click()
    expect(page.get_by_role("button", name=re.compile("^Allgofnodi"))).to_be_visible(timeout=DEADLINE)


def test_a_welsh_speaker_records_submits_and_her_manager_signs_off_in_welsh(browser, live_tracker):
    base = live_tracker.url
    errors: list[str] = []

    # --- Gwenllian: her account's language is Welsh, her browser says nothing of it ----------------
    inductee = new_page(browser, errors)
    inductee.context.set_default_timeout(DEADLINE)
    inductee.goto(base + "/login")
    expect(inductee.locator("html")).to_have_attribute("lang", "en-GB")
    expect(inductee.get_by_role("link", name="Cymraeg")).to_have_attribute("hreflang", "cy")
    inductee.get_by_label("Email address").fill("cymraeg@example.org")
    inductee.get_by_label("Password").fill(DEMO_PASSWORD)
    inductee.get_by_role("button", name="Sign in").click()
    expect(inductee.get_by_role("heading", level=1)).to_have_text("Fy nghyfnod sefydlu")
    welsh_page(inductee, "'Fy nghyfnod sefydlu'")
    expect(inductee.locator("#status-1-4")).to_have_text("Heb ddechrau")

    inductee.locator("main > .govuk-task-list").get_by_role("link", name=re.compile(r"^1\.4 ")).click()
    expect(inductee.get_by_text("Gweithgaredd 1.4")).to_be_visible()
    welsh_page(inductee, "the record page")
    inductee.get_by_label("Nodiadau a myfyrdodau").fill("Gwnes i ddwy restr gyda chydweithiwr.")
    inductee.get_by_role("button", name="Cadw’r nodiadau").click()
    expect(inductee.get_by_text("Mae eich nodiadau wedi’u cadw.")).to_be_visible()
    written = open_details(inductee, "Ychwanegu tystiolaeth ysgrifenedig")
    written.get_by_label("Tystiolaeth ysgrifenedig").fill("Y ddwy restr, a’r rhesymau wedi’u marcio.")
    written.get_by_role("button", name="Ychwanegu tystiolaeth ysgrifenedig").click()
    expect(inductee.get_by_text("Tystiolaeth wedi’i hychwanegu.", exact=False)).to_be_visible()

    # a mistake, to see the error summary in Welsh
    inductee.get_by_role("button", name="Gwirio a chyflwyno i’w gymeradwyo").click()
    expect(inductee.get_by_role("heading", level=1)).to_have_text("Gwiriwch eich cofnod cyn i chi ei gyflwyno")
    welsh_page(inductee, "the check page")
    inductee.get_by_role("button", name="Cyflwyno i’w gymeradwyo").click()
    expect(inductee.get_by_role("heading", name="Mae problem")).to_be_visible()
    expect(inductee).to_have_title(re.compile("^Gwall: "))
    welsh_page(inductee, "the check page with an error")
    inductee.get_by_label("Rwy’n cadarnhau mai fy ngwaith fy hun yw’r cofnod hwn").check()
    inductee.get_by_role("button", name="Cyflwyno i’w gymeradwyo").click()
    expect(inductee.get_by_text("Wedi’i gyflwyno i’w gymeradwyo. Bydd eich rheolwr yn ei adolygu.")).to_be_visible()
    expect(inductee.locator("main")).to_contain_text("Yn aros am gymeradwyaeth")
    welsh_page(inductee, "the submitted record")

    # --- Rhian chooses Welsh on the sign-in page and signs it off ------------------------------------
    manager = new_page(browser, errors)
    manager.context.set_default_timeout(DEADLINE)
    manager.goto(base + "/login")
    manager.get_by_role("link", name="Cymraeg").click()
    sign_in_welsh(manager, base, "manager@example.org", start="/login")
    expect(manager.get_by_role("heading", level=1)).to_have_text("Fy nhîm")
    welsh_page(manager, "'Fy nhîm'")
    pending = manager.locator("#pending")
    expect(pending).to_contain_text("Gwenllian Hughes")
    pending.get_by_role("link", name=re.compile(r"^1\.4 ")).click()
    expect(manager.get_by_role("heading", name="Eich penderfyniad")).to_be_visible()
    welsh_page(manager, "the record, for the manager")
    manager.get_by_label("Sylw (dewisol)").fill("Gwaith da.")
    manager.get_by_role("button", name="Cymeradwyo", exact=True).click()
    expect(manager.get_by_text("Wedi’i gymeradwyo.", exact=True)).to_be_visible()
    expect(manager.locator("main")).to_contain_text("Statws: Wedi’i gymeradwyo")
    welsh_page(manager, "the signed-off record")

    inductee.reload()
    expect(inductee.locator("main")).to_contain_text("Wedi’i gymeradwyo")
    expect(inductee.locator("main")).to_contain_text("Gwaith da.")
    assert errors == []


def test_the_switch_changes_the_language_and_it_is_remembered(browser, live_tracker):
    base = live_tracker.url
    errors: list[str] = []
    page = new_page(browser, errors)
    page.context.set_default_timeout(DEADLINE)
    page.goto(base + "/login")
    page.get_by_label("Email address").fill("inductee@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My induction")
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")

    switch = page.get_by_role("button", name="Cymraeg")
    expect(switch).to_have_attribute("lang", "cy")
    switch.click()  # on the same page, now in Welsh
    expect(page.get_by_role("heading", level=1)).to_have_text("Fy nghyfnod sefydlu")
    assert page.url.endswith("/my-induction")
    welsh_page(page, "'Fy nghyfnod sefydlu' after the switch")
    expect(page.get_by_role("button", name="English")).to_have_attribute("lang", "en")

    page.get_by_role("button", name=re.compile("^Allgofnodi")).click()
    expect(page.get_by_text("Rydych wedi allgofnodi.")).to_be_visible()
    welsh_page(page, "the sign-in page after signing out")

    # another browser, another day: the account remembers
    again = new_page(browser, errors)
    again.context.set_default_timeout(DEADLINE)
    again.goto(base + "/login")
    again.get_by_label("Email address").fill("inductee@example.org")
    again.get_by_label("Password").fill(DEMO_PASSWORD)
    again.get_by_role("button", name="Sign in").click()
    expect(again.get_by_role("heading", level=1)).to_have_text("Fy nghyfnod sefydlu")
    again.get_by_role("button", name="English").click()
    expect(again.get_by_role("heading", level=1)).to_have_text("My induction")
    expect(again.locator("html")).to_have_attribute("lang", "en-GB")
    assert errors == []


def test_a_welsh_handbook_link_opens_the_tracker_in_welsh_through_sign_in(browser, live_tracker):
    base = live_tracker.url
    page = new_page(browser)
    page.context.set_default_timeout(DEADLINE)
    page.goto(base + "/activities/1.4?lang=cy")
    expect(page.get_by_text("Mewngofnodwch i barhau.")).to_be_visible()
    sign_in_welsh(page, base, "inductee@example.org", start=page.url.removeprefix(base))
    expect(page.get_by_text("Gweithgaredd 1.4")).to_be_visible()
    welsh_page(page, "the record reached from a Welsh handbook link")
