"""Witness testimony by one-time link, through the real app on a real SQLite file: the link is emailed to the
witness only (the inductee sees its state, never the link), only the token's hash is stored, opening the
link never uses it up, submitting does (once), the statement becomes evidence "confirmed by link" and
enters the audit chain; sending again ends the old link; revoked, expired, used and unknown links change
nothing; links come from PUBLIC_URL, never from the request's Host; the token stays out of the logs."""
from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil

import pytest

from conftest import demo_app
from factories import expire_witness_link
from helpers import csrf_token, deliver_mail, post, query, signed_in_client, tracker_config
from tracker import audit, log_redaction, mail
from tracker.db import get_db

ASK = {"ask-witness_name": "Siân Head", "ask-witness_email": "sian.head@ysgol.example.org",
       "ask-purpose": "That I chaired the attendance review meeting for Year 9 on 12 March."}
STATEMENT = {"witness_role": "Head of Year 9", "statement": "I saw Dafydd chair the meeting calmly and well.",
             "confirm": "y"}
LINK = re.compile(r"https?://[^/\s\"<>]+(/witness/([A-Za-z0-9_-]+))")
STATE_TAG = re.compile(r'<strong class="govuk-tag[^"]*">([^<]+)</strong>')


# ---- the witness's email ----------------------------------------------------------------------

def witness_emails(app) -> list:
    """Send what waits in the mail queue, as the mail worker would; the messages that reached the outbox with
    a witness link in them (not, say, a notification to the manager)."""
    with app.app_context():
        before = set(mail.outbox_names())
    deliver_mail(app)
    with app.app_context():
        sent = [mail.read_outbox(name) for name in mail.outbox_names() if name not in before]
    return [message for message in sent if LINK.search(text_of(message))]


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def full_link_in(message) -> str:
    """The one witness link in an email: the same in its text and its HTML (and in each language)."""
    links = {match.group(0) for match in LINK.finditer(text_of(message))}
    assert len(links) == 1, text_of(message)
    link = links.pop()
    assert f'href="{link}"' in message.get_body(("html",)).get_content()
    return link


def link_in(message) -> str:
    """The witness link's path, as the witness's browser would open it."""
    return LINK.match(full_link_in(message)).group(1)


def queued(app) -> int:
    """Witness emails waiting to be sent."""
    return query(app, "SELECT count(*) AS n FROM mail_queue WHERE template = 'witness_request'")[0]["n"]


def requests_stored(app) -> int:
    return query(app, "SELECT count(*) AS n FROM witness_requests")[0]["n"]


# ---- asking and giving ------------------------------------------------------------------------

def ask(client, inductee_id: int, activity: str = "1.4", **changes) -> int:
    """Ask through the record page's form; returns the request's id."""
    response = post(client, f"/records/{inductee_id}/{activity}/witness-requests", {**ASK, **changes})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return int(response.location.rsplit("/", 1)[1])


def ask_for_testimony(app, client, inductee_id: int, activity: str = "1.4", **changes) -> tuple[str, int]:
    """Ask, then read the link from the email the witness gets: (the link's path, the request's id)."""
    request_id = ask(client, inductee_id, activity, **changes)
    [message] = witness_emails(app)
    assert message["To"] == {**ASK, **changes}["ask-witness_email"]
    return link_in(message), request_id


def give_statement(app, link: str, data: dict | None = None):
    """The witness: a browser with no account opens the link and sends the form."""
    stranger = app.test_client()
    page = stranger.get(link)
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    return stranger.post(link, data={"csrf_token": csrf_token(page.get_data(as_text=True)), **(data or STATEMENT)})


def witness_evidence(app, inductee_id: int, activity: str = "1.4") -> list[dict]:
    return query(app, "SELECT e.* FROM evidence e JOIN records r ON r.id = e.record_id"
                      " WHERE r.inductee_id = ? AND r.activity_id = ? AND e.witness_request_id IS NOT NULL",
                 [inductee_id, activity])


def token_hash_of(app, request_id: int) -> str:
    return query(app, "SELECT token_hash FROM witness_requests WHERE id = ?", [request_id])[0]["token_hash"]


def expire(app, request_id: int) -> None:
    expire_witness_link(app, request_id)


# ---- what the inductee and the manager see ----------------------------------------------------

def state_on_request_page(client, request_id: int) -> str:
    """The state in the request page's summary (in whatever language the page is in)."""
    page = client.get(f"/witness-requests/{request_id}")
    assert page.status_code == 200
    summary = page.get_data(as_text=True).split('<dl class="govuk-summary-list">', 1)[1].split("</dl>", 1)[0]
    [state] = STATE_TAG.findall(summary)
    return state


def states_on_record_page(client, inductee_id: int, activity: str = "1.4") -> dict[str, str]:
    """{witness's name: the state shown} in the record page's table of witness requests."""
    page = client.get(f"/records/{inductee_id}/{activity}")
    assert page.status_code == 200
    table = page.get_data(as_text=True).split('id="witness-requests"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'href="/witness-requests/\d+">([^<]+)</a>.*?' + STATE_TAG.pattern, table, re.S)
    return dict(rows)


def session_of(app, client) -> dict:
    """What the client's session cookie holds, decoded as the app would (it is signed, not encrypted)."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return app.session_interface.get_signing_serializer(app).loads(cookie.value) if cookie else {}


def app_with(folder, demo_database, **config):
    """The tracker on a copy of the demo data, with some configuration of its own from the start."""
    from tracker import create_app

    template, ids = demo_database
    folder.mkdir(exist_ok=True)
    shutil.copyfile(template, folder / "tracker.sqlite")
    app = create_app(tracker_config(folder, **config))
    app.config["DEMO_IDS"] = ids
    return app


# ---- the journey ------------------------------------------------------------------------------

def test_the_whole_request_give_and_see_journey(tracker_app, people, signed_in):
    dafydd = signed_in("inductee@example.org")
    link, request_id = ask_for_testimony(tracker_app, dafydd, people["dafydd"])
    token = link.rsplit("/", 1)[1]
    [row] = query(tracker_app, "SELECT * FROM witness_requests WHERE id = ?", [request_id])
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(row.values())  # only the hash is kept
    assert dafydd.get(f"/witness-requests/{request_id}").get_data(as_text=True).count(token) == 0

    stranger = tracker_app.test_client()
    page = stranger.get(link)
    html = page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer" and page.headers["Cache-Control"] == "no-store"
    assert "The reasons behind absence" in html and ASK["ask-purpose"] in html  # the activity and the ask
    assert "Dafydd" not in html and "Started the two lists" not in html  # nothing else about the person
    assert stranger.get(link).status_code == 200  # opening it again (a link scanner) uses nothing up

    response = stranger.post(link, data={"csrf_token": csrf_token(html), **STATEMENT})
    assert response.status_code == 200 and "Statement sent" in response.get_data(as_text=True)
    [evidence] = witness_evidence(tracker_app, people["dafydd"])
    assert (evidence["kind"], evidence["body"], evidence["witness_name"], evidence["witness_role"]) == (
        "witness", STATEMENT["statement"], "Siân Head", "Head of Year 9")

    for viewer in (dafydd, signed_in("manager@example.org")):
        record_page = viewer.get(f"/records/{people['dafydd']}/1.4").get_data(as_text=True)
        assert STATEMENT["statement"] in record_page and "Confirmed by link" in record_page
        assert "Witness confirmed by link" in record_page  # in the record's history
        assert states_on_record_page(viewer, people["dafydd"]) == {"Siân Head": "Statement given"}

    entries = query(tracker_app, "SELECT * FROM audit_log WHERE action LIKE 'witness.%' ORDER BY id")
    assert [(e["action"], e["actor_id"]) for e in entries] == [
        ("witness.requested", people["dafydd"]), ("witness.confirmed", None)]
    assert all("Siân" not in (e["detail"] or "") and "sian" not in (e["detail"] or "") for e in entries)
    with tracker_app.app_context():
        assert audit.verify(get_db(), audit.app_keys()[1]) == []

    used = stranger.get(link)  # used up: a clear page, and a second statement changes nothing
    assert used.status_code == 410 and "already been sent" in used.get_data(as_text=True)
    assert stranger.post(link, data={"csrf_token": csrf_token(html), **STATEMENT}).status_code == 410
    assert len(witness_evidence(tracker_app, people["dafydd"])) == 1


def test_a_statement_needing_fixes_keeps_what_was_typed_and_does_not_use_the_link(tracker_app, people, signed_in):
    link, _ = ask_for_testimony(tracker_app, signed_in("inductee@example.org"), people["dafydd"])
    response = give_statement(tracker_app, link, {"witness_role": "Head of Year 9", "statement": "  "})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Write your statement" in html and "Confirm that the statement is true" in html
    assert 'value="Head of Year 9"' in html
    assert witness_evidence(tracker_app, people["dafydd"]) == []
    assert give_statement(tracker_app, link).status_code == 200  # still works


def test_revoked_and_expired_links_show_a_clear_page_and_change_nothing(tracker_app, people, signed_in):
    dafydd = signed_in("inductee@example.org")
    revoked, revoked_id = ask_for_testimony(tracker_app, dafydd, people["dafydd"])
    expired, expired_id = ask_for_testimony(tracker_app, dafydd, people["dafydd"],
                                            **{"ask-witness_name": "Other Person"})
    manager = signed_in("manager@example.org")
    assert post(manager, f"/witness-requests/{revoked_id}/revoke").status_code == 302  # the manager may revoke
    expire(tracker_app, expired_id)
    before = query(tracker_app, "SELECT count(*) AS n FROM evidence")[0]["n"]
    for link, words in ((revoked, "withdrawn the request"), (expired, "has expired")):
        page = tracker_app.test_client().get(link)
        assert page.status_code == 410 and words in page.get_data(as_text=True)
        assert "Nothing has been changed" in page.get_data(as_text=True)
    unknown = tracker_app.test_client().get("/witness/" + "x" * 43)
    assert unknown.status_code == 404 and "copied the whole link" in unknown.get_data(as_text=True)
    assert query(tracker_app, "SELECT count(*) AS n FROM evidence")[0]["n"] == before
    record_page = dafydd.get(f"/records/{people['dafydd']}/1.4").get_data(as_text=True)
    assert "Revoked" in record_page and "Expired" in record_page
    assert query(tracker_app, "SELECT revoked_by FROM witness_requests WHERE id = ?", [revoked_id]) == [
        {"revoked_by": people["rhian"]}]


def test_only_the_inductee_asks_and_only_they_or_their_manager_see_and_revoke(tracker_app, people, signed_in):
    _, request_id = ask_for_testimony(tracker_app, signed_in("inductee@example.org"), people["dafydd"])
    ceri = signed_in("inductee2@example.org")
    assert ceri.get(f"/witness-requests/{request_id}").status_code == 404
    assert post(ceri, f"/witness-requests/{request_id}/revoke").status_code == 404
    assert post(ceri, f"/records/{people['dafydd']}/1.4/witness-requests", ASK).status_code == 403
    assert post(signed_in("manager@example.org"), f"/records/{people['dafydd']}/1.4/witness-requests",
                ASK).status_code == 403
    assert query(tracker_app, "SELECT revoked_at FROM witness_requests")[0]["revoked_at"] is None
    assert requests_stored(tracker_app) == 1 and witness_emails(tracker_app) == []  # the refused asks sent nothing


def test_a_signed_off_record_takes_no_request_and_no_statement(tracker_app, people, signed_in):
    dafydd = signed_in("inductee@example.org")
    assert post(dafydd, f"/records/{people['dafydd']}/1.1/witness-requests", ASK).status_code == 302
    assert requests_stored(tracker_app) == 0 and queued(tracker_app) == 0
    link, _ = ask_for_testimony(tracker_app, dafydd, people["dafydd"], activity="2.1")  # submitted: still open
    assert post(signed_in("manager@example.org"), f"/records/{people['dafydd']}/2.1/sign-off",
                {"comment": ""}).status_code == 302
    page = tracker_app.test_client().get(link)
    assert page.status_code == 410 and "has been signed off" in page.get_data(as_text=True)


def test_a_bad_request_form_shows_what_to_fix_on_the_record_page(tracker_app, people, signed_in):
    dafydd = signed_in("inductee@example.org")
    response = post(dafydd, f"/records/{people['dafydd']}/1.4/witness-requests",
                    {"ask-witness_name": "Siân Head", "ask-witness_email": "not an address", "ask-purpose": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "govuk-error-summary" in html and "Say what the witness should confirm" in html
    assert 'value="Siân Head"' in html and 'value="not an address"' in html
    assert requests_stored(tracker_app) == 0 and queued(tracker_app) == 0


def test_too_many_refused_statements_stop_the_link(tracker_app, people, signed_in):
    tracker_app.config["WITNESS_MAX_FAILED_POSTS"] = 3
    link, _ = ask_for_testimony(tracker_app, signed_in("inductee@example.org"), people["dafydd"])
    stranger = tracker_app.test_client()
    token = csrf_token(stranger.get(link).get_data(as_text=True))
    for _ in range(3):
        assert stranger.post(link, data={"csrf_token": token, "statement": ""}).status_code == 400
    stopped = stranger.post(link, data={"csrf_token": token, **STATEMENT})
    assert stopped.status_code == 410 and "stopped" in stopped.get_data(as_text=True)
    assert witness_evidence(tracker_app, people["dafydd"]) == []


def test_links_that_do_not_work_are_limited_per_client(tracker_app):
    tracker_app.config["WITNESS_CLIENT_LIMIT"] = 5
    client = tracker_app.test_client()
    statuses = [client.get(f"/witness/guess{n:040d}").status_code for n in range(6)]
    assert statuses == [404] * 5 + [429]


def test_one_apps_limit_does_not_stop_another(tmp_path, demo_database):
    """The count lives with the app: a run of misses against one tracker (a test, or another instance in the
    same process) must not turn a real witness away from another."""
    folders = [tmp_path / "first", tmp_path / "second"]
    for folder in folders:
        folder.mkdir()
    first, second = (demo_app(folder, demo_database) for folder in folders)
    first.config["WITNESS_CLIENT_LIMIT"] = 2
    statuses = [first.test_client().get(f"/witness/guess{n:040d}").status_code for n in range(3)]
    assert statuses == [404, 404, 429]
    assert second.test_client().get(f"/witness/guess{0:040d}").status_code == 404


def test_the_token_never_reaches_the_request_log(tracker_app, people, signed_in, caplog):
    link, _ = ask_for_testimony(tracker_app, signed_in("inductee@example.org"), people["dafydd"])
    token = link.rsplit("/", 1)[1]
    caplog.set_level(logging.INFO, logger="werkzeug")
    # werkzeug's request line, as `flask run` and the tests' live servers write it
    logging.getLogger("werkzeug").info('%s - - [%s] "%s" %s -', "127.0.0.1", "now", f"GET {link} HTTP/1.1", 200)
    assert token not in caplog.text and "/witness/[token]" in caplog.text
    assert log_redaction.redact(f"GET /tracker{link}?x=1 HTTP/1.1") == "GET /tracker/witness/[token]?x=1 HTTP/1.1"
    assert log_redaction.redact("GET /records/12/1.4 HTTP/1.1") == "GET /records/12/1.4 HTTP/1.1"


def test_gunicorn_access_log_fields_are_redacted():
    from types import SimpleNamespace

    from gunicorn.config import Config

    logger = log_redaction.GunicornLogger(Config())
    token = "A" * 43
    request = SimpleNamespace(method="GET", path=f"/witness/{token}", query="", version=(1, 1),
                              uri=f"/witness/{token}", headers=[("REFERER", f"https://x/witness/{token}")])
    response = SimpleNamespace(status="200 OK", response_length=10, sent=10, headers=[])
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/witness/{token}", "PATH_INFO": f"/witness/{token}",
               "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
               "HTTP_REFERER": f"https://x/witness/{token}"}
    import datetime as dt
    atoms = logger.atoms(response, request, environ, dt.timedelta(seconds=0.01))
    assert not any(token in str(value) for value in atoms.values())
    assert "/witness/[token]" in atoms["r"]


def test_erasure_and_subject_access_cover_witness_requests(tracker_app, people, signed_in):
    from tracker.erasure import erase_person
    from tracker.subject_access import export

    ask_for_testimony(tracker_app, signed_in("inductee@example.org"), people["dafydd"])
    with tracker_app.app_context():
        exported = export(get_db(), people["dafydd"])
    assert "sian.head@ysgol.example.org" in str(exported)
    with tracker_app.app_context():
        erase_person(get_db(), people["dafydd"], tracker_app.config["DEMO_IDS"]["admin@example.org"])
    assert query(tracker_app, "SELECT count(*) AS n FROM witness_requests")[0]["n"] == 0


@pytest.mark.parametrize("language,words", [("cy", "Cadarnhau’r hyn a welsoch"), ("en", "Confirm what you saw")])
def test_the_witness_page_speaks_the_browsers_language(tracker_app, people, signed_in, language, words):
    link, _ = ask_for_testimony(tracker_app, signed_in("inductee@example.org"), people["dafydd"])
    page = tracker_app.test_client().get(link, headers={"Accept-Language": language})
    assert words in page.get_data(as_text=True)


def test_the_portfolio_and_its_pdf_mark_testimony_confirmed_by_link(tracker_app, people, signed_in):
    from io import BytesIO

    from pypdf import PdfReader

    dafydd = signed_in("inductee@example.org")
    link, _ = ask_for_testimony(tracker_app, dafydd, people["dafydd"])
    give_statement(tracker_app, link)
    assert post(dafydd, f"/records/{people['dafydd']}/1.4/submit", {"confirm": "y"}).status_code == 302
    assert post(signed_in("manager@example.org"), f"/records/{people['dafydd']}/1.4/sign-off",
                {"comment": ""}).status_code == 302  # the portfolio holds completed activities
    page = dafydd.get(f"/portfolio/{people['dafydd']}").get_data(as_text=True)
    assert STATEMENT["statement"] in page and "confirmed by link on" in page
    pdf = dafydd.get(f"/portfolio/{people['dafydd']}/pdf")
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf.data)).pages)
    assert "confirmed by link on" in " ".join(text.split())


# ---- the link is the witness's alone ----------------------------------------------------------

def test_the_inductee_never_sees_the_link_only_the_witness_is_sent_it(tracker_app, people, signed_in):
    """Were the inductee shown the link, they could write their own 'witness' statement."""
    dafydd, d = signed_in("inductee@example.org"), people["dafydd"]
    response = post(dafydd, f"/records/{d}/1.4/witness-requests", ASK)
    assert response.status_code == 302
    seen = {"the answer to asking": response.get_data(as_text=True),
            "the page it leads to": dafydd.get(response.location).get_data(as_text=True)}
    session_after_asking = session_of(tracker_app, dafydd)
    request_id = int(response.location.rsplit("/", 1)[1])

    [message] = witness_emails(tracker_app)  # one message with the link in it: the witness's
    assert (message["To"], message["Cc"], message["Bcc"]) == (ASK["ask-witness_email"], None, None)
    token = link_in(message).rsplit("/", 1)[1]

    for path in (f"/witness-requests/{request_id}", f"/records/{d}/1.4", "/my-induction", f"/plan/{d}",
                 f"/portfolio/{d}", f"/portfolio/{d}/signed.json", "/account/export"):
        page = dafydd.get(path)
        assert page.status_code == 200, path
        seen[path] = page.get_data(as_text=True)
    manager = signed_in("manager@example.org")
    for path in (f"/witness-requests/{request_id}", f"/records/{d}/1.4", f"/team/{d}"):
        seen[f"{path} as the manager"] = manager.get(path).get_data(as_text=True)
    for where, text in seen.items():
        assert token not in text and "/witness/" not in text, where
    for held in (session_after_asking, session_of(tracker_app, dafydd)):
        assert token not in json.dumps(held) and "/witness/" not in json.dumps(held), held


def test_the_request_and_record_pages_show_each_state(tracker_app, people, signed_in):
    dafydd, manager, d = signed_in("inductee@example.org"), signed_in("manager@example.org"), people["dafydd"]
    link, given = ask_for_testimony(tracker_app, dafydd, d)
    _, revoked = ask_for_testimony(tracker_app, dafydd, d, **{"ask-witness_name": "Rhys Revoked"})
    _, expired = ask_for_testimony(tracker_app, dafydd, d, **{"ask-witness_name": "Elin Expired"})

    def shown(request_id: int, witness: str) -> set[str]:
        """The states the inductee and their manager see, on the request's page and on the record page."""
        return {state for viewer in (dafydd, manager) for state in (
            state_on_request_page(viewer, request_id), states_on_record_page(viewer, d)[witness])}

    assert shown(given, "Siân Head") == {"Sent"}
    assert "works until" in dafydd.get(f"/witness-requests/{given}").get_data(as_text=True)
    witness = tracker_app.test_client()
    page = witness.get(link)
    assert shown(given, "Siân Head") == {"Opened"}
    witness.post(link, data={"csrf_token": csrf_token(page.get_data(as_text=True)), **STATEMENT})
    assert shown(given, "Siân Head") == {"Statement given"}
    assert post(dafydd, f"/witness-requests/{revoked}/revoke").status_code == 302
    assert shown(revoked, "Rhys Revoked") == {"Revoked"}
    expire(tracker_app, expired)
    assert shown(expired, "Elin Expired") == {"Expired"}
    assert states_on_record_page(dafydd, d) == {
        "Siân Head": "Statement given", "Rhys Revoked": "Revoked", "Elin Expired": "Expired"}


def test_a_welsh_speaker_sees_the_state_in_welsh(tracker_app, signed_in):
    gwenllian, her_id = signed_in("cymraeg@example.org"), tracker_app.config["DEMO_IDS"]["cymraeg@example.org"]
    request_id = ask(gwenllian, her_id)
    page = gwenllian.get(f"/witness-requests/{request_id}").get_data(as_text=True)
    assert '<html lang="cy"' in page
    assert state_on_request_page(gwenllian, request_id) == "Anfonwyd"  # "Sent"
    assert states_on_record_page(gwenllian, her_id) == {"Siân Head": "Anfonwyd"}
    assert post(gwenllian, f"/witness-requests/{request_id}/revoke").status_code == 302
    assert state_on_request_page(gwenllian, request_id) == "Wedi’i diddymu"  # "Revoked"


# ---- sending again ----------------------------------------------------------------------------

def test_sending_again_makes_a_new_link_and_ends_the_old_one(tracker_app, people, signed_in):
    dafydd = signed_in("inductee@example.org")
    old, request_id = ask_for_testimony(tracker_app, dafydd, people["dafydd"])
    assert tracker_app.test_client().get(old).status_code == 200  # opened (perhaps by a link scanner)
    assert state_on_request_page(dafydd, request_id) == "Opened"

    response = post(dafydd, f"/witness-requests/{request_id}/resend")
    assert response.status_code == 302 and response.location.endswith(f"/witness-requests/{request_id}")
    page = dafydd.get(response.location).get_data(as_text=True)
    assert "A new link was emailed to Siân Head" in page and "no longer works" in page
    assert state_on_request_page(dafydd, request_id) == "Sent"
    [message] = witness_emails(tracker_app)
    assert message["To"] == ASK["ask-witness_email"]
    new = link_in(message)
    assert new != old and new.rsplit("/", 1)[1] not in page

    gone = tracker_app.test_client().get(old)
    assert gone.status_code == 404 and "This link does not work" in gone.get_data(as_text=True)
    response = give_statement(tracker_app, new)
    assert response.status_code == 200 and "Statement sent" in response.get_data(as_text=True)
    assert len(witness_evidence(tracker_app, people["dafydd"])) == 1
    entries = query(tracker_app, "SELECT * FROM audit_log WHERE action LIKE 'witness.%' ORDER BY id")
    assert [(e["action"], e["actor_id"], e["detail"].split()[0]) for e in entries] == [
        ("witness.requested", people["dafydd"], f"request={request_id}"),
        ("witness.resent", people["dafydd"], f"request={request_id}"),
        ("witness.confirmed", None, f"request={request_id}")]
    with tracker_app.app_context():
        assert audit.verify(get_db(), audit.app_keys()[1]) == []


def test_an_expired_request_can_be_sent_again(tracker_app, people, signed_in):
    dafydd = signed_in("inductee@example.org")
    old, request_id = ask_for_testimony(tracker_app, dafydd, people["dafydd"])
    expire(tracker_app, request_id)
    assert "Send a new link" in dafydd.get(f"/witness-requests/{request_id}").get_data(as_text=True)
    assert post(dafydd, f"/witness-requests/{request_id}/resend").status_code == 302
    [message] = witness_emails(tracker_app)
    assert state_on_request_page(dafydd, request_id) == "Sent"
    assert give_statement(tracker_app, link_in(message)).status_code == 200
    assert tracker_app.test_client().get(old).status_code == 404


def test_only_the_inductee_may_send_again_and_only_with_the_forms_token(tracker_app, people, signed_in):
    dafydd = signed_in("inductee@example.org")
    link, request_id = ask_for_testimony(tracker_app, dafydd, people["dafydd"])
    url = f"/witness-requests/{request_id}/resend"
    before = (token_hash_of(tracker_app, request_id), queued(tracker_app))
    for email, refused in (("manager@example.org", 403), ("inductee2@example.org", 404), ("admin@example.org", 403)):
        assert post(signed_in(email), url).status_code == refused, email
    assert "Send a new link" not in signed_in("manager@example.org").get(
        f"/witness-requests/{request_id}").get_data(as_text=True)  # the manager may revoke, not send again
    assert dafydd.post(url).status_code == 400  # no form token: another site's page cannot send it again
    assert (token_hash_of(tracker_app, request_id), queued(tracker_app)) == before
    assert query(tracker_app, "SELECT count(*) AS n FROM audit_log WHERE action = 'witness.resent'")[0]["n"] == 0
    assert give_statement(tracker_app, link).status_code == 200  # the link sent still works


def test_a_given_or_revoked_request_cannot_be_sent_again(tracker_app, people, signed_in):
    dafydd = signed_in("inductee@example.org")
    given_link, given = ask_for_testimony(tracker_app, dafydd, people["dafydd"])
    give_statement(tracker_app, given_link)
    revoked_link, revoked = ask_for_testimony(tracker_app, dafydd, people["dafydd"],
                                              **{"ask-witness_name": "Rhys Revoked"})
    assert post(dafydd, f"/witness-requests/{revoked}/revoke").status_code == 302
    for request_id in (given, revoked):
        assert "Send a new link" not in dafydd.get(f"/witness-requests/{request_id}").get_data(as_text=True)
        before = token_hash_of(tracker_app, request_id)
        response = post(dafydd, f"/witness-requests/{request_id}/resend")
        assert response.status_code == 302
        assert "cannot be sent again" in dafydd.get(response.location).get_data(as_text=True)
        assert token_hash_of(tracker_app, request_id) == before
    assert witness_emails(tracker_app) == []
    assert [tracker_app.test_client().get(link).status_code for link in (given_link, revoked_link)] == [410, 410]
    assert query(tracker_app, "SELECT count(*) AS n FROM audit_log WHERE action = 'witness.resent'")[0]["n"] == 0


# ---- the email's language ---------------------------------------------------------------------

@pytest.mark.parametrize("choice,languages,label", [
    (None, "cy, en", "Welsh and English"), ("", "cy, en", "Welsh and English"), ("en", "en", "English"),
    ("cy", "cy", "Welsh (Cymraeg)")])
def test_the_witness_email_is_in_the_language_chosen_or_both_welsh_first(tracker_app, people, signed_in,
                                                                         choice, languages, label):
    dafydd = signed_in("inductee@example.org")
    form = {} if choice is None else {"ask-language": choice}
    request_id = ask(dafydd, people["dafydd"], **form)
    [message] = witness_emails(tracker_app)
    text = text_of(message)
    assert message["Content-Language"] == languages
    welsh, english = text.find("Annwyl Siân Head"), text.find("Dear Siân Head")
    if languages == "cy, en":
        assert 0 <= welsh < english  # Welsh first
        assert message["Subject"].index("gadarnhau") < message["Subject"].index("confirm")
    else:
        assert (welsh >= 0, english >= 0) == (languages == "cy", languages == "en")
    assert full_link_in(message)  # the link, in whichever language
    summary = dafydd.get(f"/witness-requests/{request_id}").get_data(as_text=True).split("</dl>")[0]
    assert f">{label}</dd>" in summary  # the inductee sees which language the witness was written to in


def test_an_unknown_email_language_is_a_form_error_and_sends_nothing(tracker_app, people, signed_in):
    dafydd = signed_in("inductee@example.org")
    response = post(dafydd, f"/records/{people['dafydd']}/1.4/witness-requests", {**ASK, "ask-language": "fr"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "govuk-error-summary" in html and "Choose the email" in html
    assert f'value="{ASK["ask-witness_email"]}"' in html  # what was typed is kept
    assert requests_stored(tracker_app) == 0 and queued(tracker_app) == 0 and witness_emails(tracker_app) == []


# ---- the limit on links that do not work ------------------------------------------------------

def test_a_working_link_is_never_refused_by_the_limit_on_misses(tracker_app, people, signed_in):
    """Misses from a shared address (a school's one public IP) must not turn a real witness away."""
    tracker_app.config["WITNESS_CLIENT_LIMIT"] = 3
    client = tracker_app.test_client()  # every test client is the same address, 127.0.0.1
    assert [client.get(f"/witness/guess{n:040d}").status_code for n in range(4)] == [404, 404, 404, 429]
    link, _ = ask_for_testimony(tracker_app, signed_in("inductee@example.org"), people["dafydd"])
    response = give_statement(tracker_app, link)  # opens it (200), then sends the statement
    assert response.status_code == 200 and "Statement sent" in response.get_data(as_text=True)
    assert len(witness_evidence(tracker_app, people["dafydd"])) == 1
    assert client.get("/witness/" + "y" * 43).status_code == 429  # misses are still limited


# ---- links come from PUBLIC_URL, never from the request ---------------------------------------

def form_at(app, client, host: str) -> dict:
    """The ask form's fields and a form token, as a browser pointed at `host` would send them: the session
    cookie goes there too (the test client keeps cookies per host name)."""
    name = app.config["SESSION_COOKIE_NAME"]
    token = csrf_token(client.get("/account/password").get_data(as_text=True))
    client.set_cookie(name, client.get_cookie(name).value, domain=host)
    return {"csrf_token": token, **ASK}


def test_a_forged_host_is_refused_and_nothing_is_sent(tracker_app, people, signed_in):
    dafydd = signed_in("inductee@example.org")
    url = f"/records/{people['dafydd']}/1.4/witness-requests"
    response = dafydd.post(url, data=form_at(tracker_app, dafydd, "evil.example"), headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert requests_stored(tracker_app) == 0 and queued(tracker_app) == 0 and witness_emails(tracker_app) == []
    assert "Your form has expired" not in response.get_data(as_text=True)  # refused for its Host, not its token
    assert dafydd.post(url, data=form_at(tracker_app, dafydd, "localhost")).status_code == 302  # the tracker's name


def test_the_emailed_link_comes_from_public_url_whatever_the_host(tmp_path, demo_database):
    app = app_with(tmp_path / "public", demo_database, PUBLIC_URL="https://tracker.example.org",
                   TRUSTED_HOSTS=["localhost", "127.0.0.1"])
    dafydd_id = app.config["DEMO_IDS"]["inductee@example.org"]
    dafydd = signed_in_client(app, "inductee@example.org")
    links = []
    for host in ("localhost", "127.0.0.1"):
        response = dafydd.post(f"/records/{dafydd_id}/1.4/witness-requests", data=form_at(app, dafydd, host),
                               headers={"Host": host})
        assert response.status_code == 302, host
        [message] = witness_emails(app)
        links.append(full_link_in(message))
    assert all(link.startswith("https://tracker.example.org/witness/") for link in links), links


def test_without_public_url_asking_says_why_and_stores_and_sends_nothing(tmp_path, demo_database):
    app = app_with(tmp_path / "no-public-url", demo_database, PUBLIC_URL="")
    dafydd_id = app.config["DEMO_IDS"]["inductee@example.org"]
    dafydd = signed_in_client(app, "inductee@example.org")
    response = post(dafydd, f"/records/{dafydd_id}/1.4/witness-requests", ASK)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "govuk-error-summary" in html and "Nothing was sent" in html and "TRACKER_PUBLIC_URL" in html
    assert 'value="Siân Head"' in html and f'value="{ASK["ask-witness_email"]}"' in html
    assert requests_stored(app) == 0 and queued(app) == 0 and witness_emails(app) == []
    assert query(app, "SELECT count(*) AS n FROM audit_log WHERE action LIKE 'witness.%'")[0]["n"] == 0


def test_without_public_url_sending_again_keeps_the_link_that_was_sent(tracker_app, people, signed_in):
    dafydd = signed_in("inductee@example.org")
    link, request_id = ask_for_testimony(tracker_app, dafydd, people["dafydd"])
    before = token_hash_of(tracker_app, request_id)
    tracker_app.config["PUBLIC_URL"] = ""
    response = post(dafydd, f"/witness-requests/{request_id}/resend")
    assert response.status_code == 302
    assert "Nothing was sent" in dafydd.get(response.location).get_data(as_text=True)
    assert token_hash_of(tracker_app, request_id) == before and queued(tracker_app) == 0
    assert give_statement(tracker_app, link).status_code == 200
