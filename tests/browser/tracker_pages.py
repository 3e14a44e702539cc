"""The tracker's pages, for the tests that open every one of them: every GET route of the app's url_map, its
URL parameters filled from the demo data (with test data added for what the demo lacks: a plan, a quiz attempt,
very long words, emailed links), so a new page is checked without being listed anywhere. Which role opens each
page for the checks made once per page comes from here too."""
from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from urllib.parse import urlsplit

from helpers import signed_in_client

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
    "offline.worker": "the service worker's script, which keeps pages for saving offline",
    "offline.manifest": "the web app manifest (JSON), for installing the tracker on a phone",
    "offline.library": "Workbox's and idb's JavaScript, from npm",
    "offline.token": "a fresh CSRF token as JSON, asked for by the page before it sends what was saved offline",
    "reports.export": "the service lead's report as CSV or a spreadsheet (XLSX), downloaded",
    "reports.pack": "the quality assurance pack, a PDF made by WeasyPrint from its own print template",
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

ROLES = [None, "inductee@example.org", "inductee2@example.org", "manager@example.org", "admin@example.org",
         "lead@example.org"]

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


# The order in which roles claim a page for the checks made once per page (tests/browser/test_every_page_browser.py):
# Dafydd first, who has the most records and the long words of add_phone_test_data.
ONCE_ORDER = ["inductee@example.org", "manager@example.org", "admin@example.org", "lead@example.org",
              "inductee2@example.org", None]


def statuses(app, urls: dict[str, list[str]]) -> dict[tuple[str, int], dict[str | None, int]]:
    """{(endpoint, index): {role: status}}: what each page answers each role, through the app's test client: a
    redirect to the sign-in page counted as SIGN_IN, any other redirect as 302 whatever the page it leads to, and
    an answer that is not an HTML page as -1. Pages are named by endpoint and index because the tokens in emailed
    links differ from one app to another."""
    found: dict[tuple[str, int], dict[str | None, int]] = {}
    for role in ROLES:
        client = signed_in_client(app, role) if role else app.test_client()
        for endpoint, paths in urls.items():
            for index, path in enumerate(paths):
                found.setdefault((endpoint, index), {})[role] = answer_of(client.get(path))
    return found


SIGN_IN = 401  # a redirect to the sign-in page: what a signed-out visitor gets, and a signed-in person never should


def answer_of(response) -> int:
    if response.status_code in (301, 302, 303, 307, 308):
        return SIGN_IN if urlsplit(response.location).path.endswith("/login") else 302
    return response.status_code if "text/html" in response.content_type else -1


def claimed_by(answers: dict[tuple[str, int], dict[str | None, int]]) -> dict[tuple[str, int], str | None]:
    """{(endpoint, index): role}: the first role in ONCE_ORDER that the page answers 200."""
    return {page: next(role for role in ONCE_ORDER if by_role[role] == 200)
            for page, by_role in answers.items() if 200 in by_role.values()}
