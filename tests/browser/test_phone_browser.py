"""Every tracker page on a phone: at 360 and at 320 CSS pixels wide (a small phone), as each role and signed out,
no page scrolls sideways, nothing scrolls sideways inside a page, and every visible field is wide enough to use.
Pages come from the app's url_map (its GET routes), their parameters filled from the demo data, so a new page is
checked without being listed here. Also: printing drops the dark header band.

Set TRACKER_SCREENSHOTS=/some/folder to keep a full-page screenshot of every page checked."""
from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser import new_page, sign_in
from helpers import signed_in_client

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
SMALL_PHONE = {"width": 320, "height": 700}  # the narrowest phones still sold, and a 1280 px screen zoomed to 400%
MIN_FIELD_WIDTH = 200  # CSS pixels: room to see what you type

# GET routes that do not answer with an HTML page, so have no layout to check at 360 px.
# A route is skipped only if it is named here, with the reason.
NOT_PAGES = {
    "static": "the tracker's own CSS and JavaScript",
    "govuk.govuk": "GOV.UK Frontend's compiled CSS, JavaScript and images",
    "records.download": "an evidence file (photograph, document, recording), downloaded as it was uploaded",
    "portfolio.pdf": "a PDF made by WeasyPrint from its own A4 print template",
    "portfolio.signed_export": "a signed JSON download of the portfolio's manifest",
    "subject_access.export_mine": "a JSON download of the person's data",
    "subject_access.export_for": "a JSON download of a person's data, for the administrator",
    "calendar_feed.feed": "an iCalendar feed for calendar apps (text/calendar), not a page",
    "calendar_feed.session_file": "one supervision session as an .ics file to open in a calendar app",
}
# GET routes that only ever redirect to another page (which is checked in its own right).
REDIRECTS = {
    "home": "sends you to your dashboard, or to the sign-in page",
    # council sign-in is off in the demo; its pages (refusals, break-glass) are measured at 360 px in
    # tests/browser/test_oidc_browser.py, against a real provider
    "oidc.start": "with council sign-in off, sends you to the sign-in page (on: to the council's provider)",
    "oidc.callback": "with council sign-in off, sends you to the sign-in page",
    "oidc.break_glass": "with local passwords on, sends you to the sign-in page",
}

ROLES = [None, "inductee@example.org", "inductee2@example.org", "manager@example.org", "admin@example.org"]

# Long words, URLs and email addresses, as people paste them: they must wrap, not widen the page.
LONG_URL = "https://www.gov.wales/sites/default/files/publications/2023-01/belonging-engaging-and-participating-guidance-on-improving-learner-attendance.pdf"
LONG_WORD = "Gwasanaethau-Lles-Addysg-Cyngor-Sir-Ddinbych-Llanfairpwllgwyngyll"
LONG_EMAIL = "education.welfare.officer.trainee@denbighshire-county-council.education.gov.wales"
WITNESS_LINK = re.compile(r"/witness/([A-Za-z0-9_-]+)")


def add_phone_test_data(app, ids) -> None:
    """Demo data does not include a development plan, a quiz attempt or very long words: add them here
    (the demo data is also the starting point of tests that expect Dafydd to have no plan or attempts yet)."""
    from tracker import account_links, content, mail, quizzes, records, witness
    from tracker.db import get_db, writing

    dafydd = ids["inductee@example.org"]
    with app.app_context():
        db = get_db()
        objectives = [
            {"objective": "Understand school attendance orders", "action": "Shadow a senior EWO through one case",
             "resources": LONG_URL, "when": "By March", "status": "In progress"},
            {"objective": LONG_WORD, "action": "Read the guidance", "resources": "Team library",
             "when": "Spring term", "status": "Not started"},
        ]
        for version in (1, 2):
            db["pdp_versions"].insert({
                "inductee_id": dafydd, "version": version, "strengths": "Building rapport with young people",
                "areas_to_develop": f"Court work. See {LONG_URL}", "objectives": json.dumps(objectives),
                "created_by": dafydd})
        db["pdp_comments"].insert({"inductee_id": dafydd, "version": 2, "author_id": ids["manager@example.org"],
                                   "body": f"Ask {LONG_EMAIL} about court dates."})
        quiz = sorted(content.project().quizzes.values(), key=lambda q: q.id)[0]
        marked, right, total = quizzes.score(quiz, _NoAnswers())
        quizzes.save_attempt(db, dafydd, quiz, marked, right, total)
        title = content.activity("1.4").title
        records.save_notes(db, dafydd, "1.4", title, f"Started the two lists. Guidance: {LONG_URL} {LONG_WORD}", dafydd)
        records.add_evidence(db, dafydd, "1.4", title, dafydd, kind="text", body=f"{LONG_WORD} {LONG_URL}")
        db["users"].insert({"email": LONG_EMAIL, "name": LONG_WORD, "role": "inductee", "password_hash": "!"})
        db.execute("UPDATE supervision_actions SET description = description || ? WHERE inductee_id = ?",
                   [f" ({LONG_URL})", dafydd])
        db.execute("UPDATE reflections SET what = what || ? WHERE author_id = ?", [f" {LONG_URL}", dafydd])
        db.conn.commit()
        with writing(db):
            mail.queue(db, LONG_EMAIL, ["cy", "en"], "test_message")  # the outbox: a message to a long address
        # a witness request with long words; its link is emailed to the witness only (the tracker keeps its hash)
        witness.create(db, dafydd, "1.4", title, witness_name=LONG_WORD, witness_email=LONG_EMAIL,
                       purpose=f"That I chaired the meeting. {LONG_URL}", days=14)
        mail.send_waiting(db)
        texts = [mail.read_outbox(name).get_body(("plain",)).get_content() for name in mail.outbox_names()]
        [app.config["PHONE_WITNESS_TOKEN"]] = [match[1] for match in map(WITNESS_LINK.search, texts) if match]
        # an invitation's set-password link for the person with the long name and address (tracker/account_links.py)
        invited = db.execute("SELECT id FROM users WHERE email = ?", [LONG_EMAIL]).fetchone()[0]
        with writing(db):
            app.config["PHONE_INVITATION_TOKEN"], _ = account_links.issue(db, invited, "invite",
                                                                          dt.timedelta(hours=1), None)


class _NoAnswers:
    """An empty quiz submission (every answer blank)."""

    def getlist(self, name):
        return []


def parameter_values(app) -> tuple[dict[frozenset, list[dict]], dict[str, list]]:
    """Values for URL parameters, from the database: sets of parameters that belong together (an attempt and
    its quiz), and single parameters."""
    from tracker import content, mail
    from tracker.db import get_db

    with app.app_context():
        db = get_db()
        rows = lambda sql: [dict(r) for r in db.query(sql)]  # noqa: E731
        some_activity = next(a.id for a in content.activities()
                             if not db.execute("SELECT 1 FROM records WHERE activity_id = ?", [a.id]).fetchone())
        inductees = [r["id"] for r in rows("SELECT id FROM users WHERE role = 'inductee' ORDER BY id")]
        joint = {
            frozenset({"inductee_id", "activity_id"}):
                rows("SELECT inductee_id, activity_id FROM records ORDER BY id")
                + [{"inductee_id": inductees[0], "activity_id": some_activity}],
            frozenset({"inductee_id", "version"}): rows("SELECT inductee_id, version FROM pdp_versions ORDER BY id"),
            frozenset({"quiz_id", "attempt_id"}):
                rows("SELECT quiz_id, id AS attempt_id FROM quiz_attempts ORDER BY id"),
        }
        single = {
            "inductee_id": inductees,
            "user_id": [r["id"] for r in rows("SELECT id FROM users ORDER BY id")],
            "activity_id": [r["activity_id"] for r in rows("SELECT DISTINCT activity_id FROM records")]
            + [some_activity],
            "quiz_id": sorted(content.project().quizzes),
            "reflection_id": [r["id"] for r in rows("SELECT id FROM reflections ORDER BY id")],
            "session_id": [r["id"] for r in rows("SELECT id FROM supervision_sessions ORDER BY id")],
            "name": mail.outbox_names(),  # the outbox's messages
            "request_id": [r["id"] for r in rows("SELECT id FROM witness_requests ORDER BY id")],
            "token": [app.config[key] for key in ("PHONE_WITNESS_TOKEN", "PHONE_INVITATION_TOKEN")
                      if key in app.config],
        }
    return joint, single


def page_urls(app) -> tuple[dict[str, list[str]], list[str]]:
    """{endpoint: [path, ...]} for every GET route, and the routes whose parameters could not be filled."""
    joint, single = parameter_values(app)
    urls: dict[str, list[str]] = {}
    unfilled = []
    with app.test_request_context():
        from flask import url_for
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
                continue
            arguments = set(rule.arguments) - set(rule.defaults or {})
            choices: list[list[dict]] = []
            left = set(arguments)
            for names, values in sorted(joint.items(), key=lambda item: -len(item[0])):
                if names <= left and values:
                    choices.append(values)
                    left -= names
            for name in sorted(left):
                if not single.get(name):
                    unfilled.append(f"{rule.rule} (no values for {name})")
                    break
                choices.append([{name: value} for value in single[name]])
            else:
                for combination in itertools.product(*choices):
                    values = {k: v for part in combination for k, v in part.items()}
                    urls.setdefault(rule.endpoint, []).append(url_for(rule.endpoint, **values))
    return urls, unfilled


# Measured in the page: the page's own sideways scroll, anything inside it that scrolls or clips sideways,
# the elements that reach past the right edge (to say why), and form fields narrower than MIN_FIELD_WIDTH.
MEASURE = """(minWidth) => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });  // fields in closed details too
  const root = document.documentElement, width = root.clientWidth;
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const visible = el => {
    const style = getComputedStyle(el), box = el.getBoundingClientRect();
    return box.width > 1 && box.height > 1 && style.visibility !== 'hidden' && !el.closest('.govuk-visually-hidden');
  };
  const scrollers = [], past = [], narrow = [];
  for (const el of document.querySelectorAll('body, body *')) {
    if (el.matches('input, textarea, select, option, script, style')) continue;
    const overflow = getComputedStyle(el).overflowX;
    if (overflow !== 'visible' && el.scrollWidth > el.clientWidth + 1 && visible(el))
      scrollers.push(`${name(el)} (${el.scrollWidth} in ${el.clientWidth})`);
    const box = el.getBoundingClientRect();
    const parent = el.parentElement.getBoundingClientRect();
    if (box.right > width + 1 && parent.right <= width + 1 && visible(el))  // the outermost ones only
      past.push(`${name(el)} (right edge ${Math.round(box.right)})`);
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {  // text too long for its line
    const range = document.createRange(); range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.right > width + 1 && node.parentElement.getBoundingClientRect().right <= width + 1
        && !node.parentElement.closest('.govuk-visually-hidden'))
      past.push(`text in ${name(node.parentElement)} (right edge ${Math.round(box.right)})`);
  }
  const skip = ['hidden', 'checkbox', 'radio', 'submit', 'button', 'image', 'reset'];
  for (const el of document.querySelectorAll('input, textarea, select')) {
    if (skip.includes(el.type) || !visible(el)) continue;
    const w = el.getBoundingClientRect().width;
    if (w < minWidth) narrow.push(`${name(el)} (${Math.round(w)} px)`);
  }
  return {scrollWidth: root.scrollWidth, clientWidth: width, scrollers, past: past.slice(0, 8), narrow};
}"""


def slug(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "root"


@pytest.mark.parametrize("role", ROLES, ids=lambda role: (role or "signed-out").split("@")[0])
@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_tracker_page_fits_a_phone(browser, live_tracker, language, role):
    """At 360 and 320 px, as each role and signed out, in English and in Welsh (whose words are longer): no
    sideways scrolling, and fields at least MIN_FIELD_WIDTH wide. Each page is loaded once and measured at both.
    One test per language and role, so that the sweep shares out across the test workers."""
    add_phone_test_data(live_tracker.app, live_tracker.ids)
    urls, unfilled = page_urls(live_tracker.app)
    assert not unfilled, (f"Routes whose URL parameters the demo data cannot fill: {unfilled}. "
                          "Add values in parameter_values(), or name the route in NOT_PAGES with the reason.")
    shots = os.environ.get("TRACKER_SCREENSHOTS")
    problems: list[str] = []
    page = new_page(browser)
    page.set_viewport_size(PHONE)
    if role:
        sign_in(page, live_tracker.url, role)
        # the dashboard's own requests finish first: a late answer to one of them, carrying the session as
        # it was, must not land after the language is chosen (seen once on a loaded machine)
        page.wait_for_load_state("networkidle", timeout=60_000)
    if language != "en":  # this session's language from now on (tracker/i18n.py)
        page.goto(f"{live_tracker.url}/login?lang={language}")
        expect(page.locator("html")).to_have_attribute("lang", language)
    who = f"{role or 'signed out'} ({language})"
    for path in (path for paths in urls.values() for path in paths):
        try:
            response = page.goto(live_tracker.url + path, wait_until="load", timeout=60_000)
        except Exception as error:  # a download, or a page that never loads
            problems.append(f"{who} {path}: did not load as a page ({str(error).splitlines()[0]})")
            continue
        redirected = response.request.redirected_from is not None
        if redirected and response.url.split("?")[0].endswith("/login") and role:
            problems.append(f"{who} {path}: signed out unexpectedly")
        if redirected:
            continue  # the page it leads to is measured at its own address
        if f'<html lang="{"en-GB" if language == "en" else language}"' not in page.content():
            problems.append(f"{who} {path}: not in the chosen language")
        for size in (PHONE, SMALL_PHONE):
            page.set_viewport_size(size)
            at = f"{who} {path} at {size['width']} px"
            found = page.evaluate(MEASURE, MIN_FIELD_WIDTH)
            if found["scrollWidth"] > found["clientWidth"]:
                problems.append(f"{at}: page is {found['scrollWidth']} px wide in {found['clientWidth']}"
                                f" ({', '.join(found['past'])})")
            if found["scrollers"]:
                problems.append(f"{at}: scrolls sideways inside: {', '.join(found['scrollers'])}")
            if found["narrow"]:
                problems.append(f"{at}: fields too narrow to use: {', '.join(found['narrow'])}")
            if shots and response.status == 200 and not redirected:
                Path(shots).mkdir(parents=True, exist_ok=True)
                person = (role or "signed-out").split("@")[0]
                name = f"phone-{language}-{size['width']}-{person}-{slug(path)}.png"
                page.screenshot(path=str(Path(shots) / name), full_page=True)
    page.context.close()
    assert not problems, "\n".join(problems)


def test_every_tracker_page_is_an_html_page_some_role_reaches(live_tracker):
    """The sweep above measures only what answers: every page must answer 200 for some role with the demo data
    (else it was never measured), as an HTML page."""
    add_phone_test_data(live_tracker.app, live_tracker.ids)
    urls, _ = page_urls(live_tracker.app)
    answered: dict[str, set[int]] = {endpoint: set() for endpoint in urls}
    not_html = []
    for role in ROLES:
        client = signed_in_client(live_tracker.app, role) if role else live_tracker.app.test_client()
        for endpoint, paths in urls.items():
            for path in paths:
                response = client.get(path)
                answered[endpoint].add(response.status_code)
                if response.status_code == 200 and "text/html" not in response.content_type:
                    not_html.append(f"{path} is not an HTML page: name {endpoint} in NOT_PAGES, with the reason")
    never = [endpoint for endpoint, statuses in answered.items() if 200 not in statuses and endpoint not in REDIRECTS]
    assert not never, (f"These pages never answered 200 for any role with the demo data, so were not checked: {never}. "
                       "Make the demo data reach them, or explain in REDIRECTS.")
    assert not not_html, "\n".join(sorted(set(not_html)))


def assert_fits(page, where: str) -> None:
    """No sideways scrolling; on a phone, fields at least MIN_FIELD_WIDTH (wider screens put short fields in a row)."""
    # the stylesheets too: a page after a click may still be loading them
    page.wait_for_load_state("load", timeout=60_000)
    phone = page.viewport_size["width"] <= PHONE["width"]
    found = page.evaluate(MEASURE, MIN_FIELD_WIDTH if phone else 0)
    assert found["scrollWidth"] <= found["clientWidth"], f"{where} scrolls sideways: {found}"
    assert not found["scrollers"] and not found["narrow"], f"{where}: {found}"


@pytest.mark.parametrize("width", [PHONE["width"], 1280])
def test_forms_sent_back_with_errors_still_fit(browser, live_tracker, width):
    """Error messages inside the table-like forms (objectives, supervision actions) do not widen the page."""
    from playwright.sync_api import expect

    base, dafydd = live_tracker.url, live_tracker.ids["inductee@example.org"]
    inductee, manager = new_page(browser), new_page(browser)
    for page, email in ((inductee, "inductee@example.org"), (manager, "manager@example.org")):
        page.set_viewport_size({"width": width, "height": 800})
        sign_in(page, base, email)
    inductee.goto(f"{base}/pdp/{dafydd}")
    inductee.get_by_label("Action for objective 2").fill(LONG_URL)
    inductee.get_by_role("button", name="Save as a new version").click()
    expect(inductee.locator(".govuk-error-summary")).to_contain_text("Write objective 2, or clear its row")
    assert_fits(inductee, f"the development plan with an error at {width} px")
    manager.goto(f"{base}/supervision/{dafydd}/sessions/new")
    manager.get_by_label("Due date for action 1").fill("2026-12-01")
    manager.get_by_role("button", name="Save session record").click()
    expect(manager.locator(".govuk-error-summary")).to_contain_text("Describe action 1, or clear its due date")
    assert_fits(manager, f"the supervision session form with errors at {width} px")
    if os.environ.get("TRACKER_SCREENSHOTS"):
        for page, name in ((inductee, "pdp"), (manager, "session")):
            page.screenshot(path=str(Path(os.environ["TRACKER_SCREENSHOTS"]) / f"errors-{width}-{name}.png"),
                            full_page=True)
    for page in (inductee, manager):
        page.context.close()


PRINTED = ["/supervision/{dafydd}/print", "/portfolio/{dafydd}", "/records/{dafydd}/1.1", "/my-induction"]


def test_printing_drops_the_dark_header_band(browser, live_tracker):
    """Printed, the header, menu and footer have no dark band (they are hidden, or printed black on white)."""
    dafydd = live_tracker.ids["inductee@example.org"]
    page = new_page(browser)
    sign_in(page, live_tracker.url, "inductee@example.org")
    page.emulate_media(media="print")
    for path in PRINTED:
        page.goto(live_tracker.url + path.format(dafydd=dafydd))
        bands = page.evaluate(
            """() => [...document.querySelectorAll('.tracker-header, .tracker-header__nav, .govuk-footer')]
          .map(el => {
            const style = getComputedStyle(el);
            const rgb = (style.backgroundColor.match(/[\\d.]+/g) || ['255', '255', '255', '0']).map(Number);
            const transparent = rgb.length === 4 && rgb[3] === 0;
            const light = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2] > 200;
            return {band: el.className, shown: style.display !== 'none' && el.getClientRects().length > 0,
                    background: style.backgroundColor, image: style.backgroundImage, dark: !(transparent || light)};
          })""")
        assert bands, f"no header on {path}"
        dark = [b for b in bands if b["shown"] and (b["dark"] or b["image"] != "none")]
        assert not dark, f"printing {path} keeps a dark band: {dark}"
    page.context.close()
