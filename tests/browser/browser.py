"""Headless Chromium for browser tests: Debian's chromium driven by Playwright (no browser download)."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from helpers import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Debian's chromium is not installed: run ./scripts/setup.sh")
    return path


def screenshot(page, name: str, widths: tuple[int, ...] = ()) -> None:
    """With TRACKER_SCREENSHOTS=/some/folder, keep a full-page screenshot of the page as `name`.png, or one per
    width in `widths` as `name`-WIDTH.png (the viewport goes back to what it was). Without it, nothing."""
    folder = os.environ.get("TRACKER_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    if not widths:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
        return
    viewport = page.viewport_size
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(viewport)


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)


def axe_violations(page, impacts=("serious", "critical"), within: str | None = None) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1/2.2 A and AA rules) and return violations of the given impact: on the whole
    page, or only inside the elements matching the selector `within`. On a handbook page, within="article"
    checks the content: Material's own sidebar is left to tests/browser/test_site_browser.py, since once the page
    has scrolled axe can report its pruned navigation links under target-size, whatever the page holds."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async (within) => await axe.run(within ? {include: [[within]]} : document, {runOnly: {type: 'tag',
               values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})""", within
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in impacts
    ]


def new_page(browser, errors: list[str] | None = None, bypass_csp: bool = True):
    """A page in a browser context of its own (its own cookies: one person).
    The tracker's CSP allows only its own scripts; bypass_csp lets axe-core be injected."""
    context = browser.new_context(bypass_csp=bypass_csp)
    context.set_default_timeout(10_000)
    page = context.new_page()
    if errors is not None:
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error"
                and not msg.text.startswith("Failed to load resource") else None)  # failed loads: below
        page.on("response", lambda response: errors.append(f"{response.status} {response.url}")
                if response.status >= 400 and unexpected_failure(response) else None)
    return page


def unexpected_failure(response) -> bool:
    """Pages answer 400 to a form with errors, by design. Chromium asks for /favicon.ico on its own. GOV.UK
    Frontend's CSS declares the GDS Transport @font-face (/assets/fonts/…), which the tracker does not serve:
    tracker.css gives everything system fonts, but a style recalculation forced while tracker.css is still
    being revalidated (Playwright polling during a navigation) can briefly ask for those fonts."""
    path = response.url.split("?")[0]
    return not (response.request.resource_type == "document" and response.status == 400
                or path.endswith("/favicon.ico") or "/assets/fonts/" in path)


def assert_accessible(page, where: str) -> None:
    # the page's stylesheets in place first: a page just reached through redirects may still be loading them on a
    # busy machine, and axe-core would judge it unstyled (seen once, on the Welsh council sign-in refusal page)
    page.wait_for_load_state("load")
    violations = axe_violations(page)
    assert violations == [], f"axe-core violations on {where} ({page.url}): {violations}"


def sign_in(page, base: str, email: str, check_accessibility: bool = False) -> None:
    page.goto(base + "/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    if check_accessibility:
        assert_accessible(page, "the sign-in page")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # on a phone, Sign out is in the header's folded menu: there, if not shown
    sign_out = page.locator("header").get_by_role("button", name=re.compile("^Sign out"), include_hidden=True)
    expect(sign_out).to_be_attached()


MENU = re.compile("^(Menu|Dewislen)$")


def menu(page, name: str):
    """A link in the header's menu, in either language. On a phone the menu is folded behind its button: opened."""
    nav = page.get_by_role("navigation", name=MENU)
    button = nav.get_by_role("button", name=MENU)
    if button.is_visible() and button.get_attribute("aria-expanded") != "true":
        button.click()
        expect(button).to_have_attribute("aria-expanded", "true")
    return nav.get_by_role("link", name=name, exact=True)


def status_of(page):
    """The 'Status: …' line at the top of a record page."""
    return page.locator("main p.govuk-body", has_text="Status:")


def open_details(page, summary: str):
    page.get_by_text(summary, exact=True).first.click()  # the <summary>, as a person would
    details = page.locator("details", has=page.get_by_text(summary, exact=True))
    expect(details).to_have_attribute("open", "")
    return details
