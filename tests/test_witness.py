"""Witness testimony by one-time link, through the real app on a real SQLite file: only the token's hash
is stored, opening the link never uses it up, submitting does (once), the statement becomes evidence
"confirmed by link" and enters the audit chain; revoked, expired, used and unknown links change nothing;
the token stays out of the logs."""
from __future__ import annotations

import hashlib
import logging
import re

import pytest
from conftest import demo_app

from helpers import csrf_token, post, query
from tracker import audit, log_redaction
from tracker.db import get_db

ASK = {"ask-witness_name": "Siân Head", "ask-witness_email": "sian.head@ysgol.example.org",
       "ask-purpose": "That I chaired the attendance review meeting for Year 9 on 12 March."}
STATEMENT = {"witness_role": "Head of Year 9", "statement": "I saw Dafydd chair the meeting calmly and well.",
             "confirm": "y"}


def ask_for_testimony(client, inductee_id: int, activity: str = "1.4", **changes) -> tuple[str, int]:
    """Ask through the record page's form; returns (the link's path, the request's id)."""
    response = post(client, f"/records/{inductee_id}/{activity}/witness-requests", {**ASK, **changes})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    request_id = int(response.location.rsplit("/", 1)[1])
    page = client.get(response.location).get_data(as_text=True)
    link = re.search(r'id="witness-link"[^>]*>http://localhost(/witness/[^<]+)</textarea>', page).group(1)
    return link, request_id


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


def test_the_whole_request_give_and_see_journey(tracker_app, people, signed_in):
    dafydd = signed_in("inductee@example.org")
    link, request_id = ask_for_testimony(dafydd, people["dafydd"])
    token = link.rsplit("/", 1)[1]
    [row] = query(tracker_app, "SELECT * FROM witness_requests WHERE id = ?", [request_id])
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(row.values())  # only the hash is kept
    assert dafydd.get(f"/witness-requests/{request_id}").get_data(as_text=True).count(token) == 0  # shown once

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
    link, _ = ask_for_testimony(signed_in("inductee@example.org"), people["dafydd"])
    response = give_statement(tracker_app, link, {"witness_role": "Head of Year 9", "statement": "  "})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Write your statement" in html and "Confirm that the statement is true" in html
    assert 'value="Head of Year 9"' in html
    assert witness_evidence(tracker_app, people["dafydd"]) == []
    assert give_statement(tracker_app, link).status_code == 200  # still works


def test_revoked_and_expired_links_show_a_clear_page_and_change_nothing(tracker_app, people, signed_in):
    dafydd = signed_in("inductee@example.org")
    revoked, revoked_id = ask_for_testimony(dafydd, people["dafydd"])
    expired, expired_id = ask_for_testimony(dafydd, people["dafydd"], **{"ask-witness_name": "Other Person"})
    manager = signed_in("manager@example.org")
    assert post(manager, f"/witness-requests/{revoked_id}/revoke").status_code == 302  # the manager may revoke
    with tracker_app.app_context():
        db = get_db()
        db.execute("UPDATE witness_requests SET expires_at = '2020-01-01T00:00:00Z' WHERE id = ?", [expired_id])
        db.conn.commit()
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
    _, request_id = ask_for_testimony(signed_in("inductee@example.org"), people["dafydd"])
    ceri = signed_in("inductee2@example.org")
    assert ceri.get(f"/witness-requests/{request_id}").status_code == 404
    assert post(ceri, f"/witness-requests/{request_id}/revoke").status_code == 404
    assert post(ceri, f"/records/{people['dafydd']}/1.4/witness-requests", ASK).status_code == 403
    assert post(signed_in("manager@example.org"), f"/records/{people['dafydd']}/1.4/witness-requests",
                ASK).status_code == 403
    assert query(tracker_app, "SELECT revoked_at FROM witness_requests")[0]["revoked_at"] is None


def test_a_signed_off_record_takes_no_request_and_no_statement(tracker_app, people, signed_in):
    dafydd = signed_in("inductee@example.org")
    assert post(dafydd, f"/records/{people['dafydd']}/1.1/witness-requests", ASK).status_code == 302
    assert query(tracker_app, "SELECT count(*) AS n FROM witness_requests")[0]["n"] == 0
    link, _ = ask_for_testimony(dafydd, people["dafydd"], activity="2.1")  # submitted: still open
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


def test_too_many_refused_statements_stop_the_link(tracker_app, people, signed_in):
    tracker_app.config["WITNESS_MAX_FAILED_POSTS"] = 3
    link, _ = ask_for_testimony(signed_in("inductee@example.org"), people["dafydd"])
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
    link, _ = ask_for_testimony(signed_in("inductee@example.org"), people["dafydd"])
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

    ask_for_testimony(signed_in("inductee@example.org"), people["dafydd"])
    with tracker_app.app_context():
        exported = export(get_db(), people["dafydd"])
    assert "sian.head@ysgol.example.org" in str(exported)
    with tracker_app.app_context():
        erase_person(get_db(), people["dafydd"], tracker_app.config["DEMO_IDS"]["admin@example.org"])
    assert query(tracker_app, "SELECT count(*) AS n FROM witness_requests")[0]["n"] == 0


@pytest.mark.parametrize("language,words", [("cy", "Cadarnhau’r hyn a welsoch"), ("en", "Confirm what you saw")])
def test_the_witness_page_speaks_the_browsers_language(tracker_app, people, signed_in, language, words):
    link, _ = ask_for_testimony(signed_in("inductee@example.org"), people["dafydd"])
    page = tracker_app.test_client().get(link, headers={"Accept-Language": language})
    assert words in page.get_data(as_text=True)


def test_the_portfolio_and_its_pdf_mark_testimony_confirmed_by_link(tracker_app, people, signed_in):
    from io import BytesIO

    from pypdf import PdfReader

    dafydd = signed_in("inductee@example.org")
    link, _ = ask_for_testimony(dafydd, people["dafydd"])
    give_statement(tracker_app, link)
    assert post(dafydd, f"/records/{people['dafydd']}/1.4/submit", {"confirm": "y"}).status_code == 302
    assert post(signed_in("manager@example.org"), f"/records/{people['dafydd']}/1.4/sign-off",
                {"comment": ""}).status_code == 302  # the portfolio holds completed activities
    page = dafydd.get(f"/portfolio/{people['dafydd']}").get_data(as_text=True)
    assert STATEMENT["statement"] in page and "confirmed by link on" in page
    pdf = dafydd.get(f"/portfolio/{people['dafydd']}/pdf")
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf.data)).pages)
    assert "confirmed by link on" in " ".join(text.split())
