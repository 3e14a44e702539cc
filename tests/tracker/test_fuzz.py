"""Property-based tests (Hypothesis): odd input never crashes the loader or gets a 500 from a form."""
from __future__ import annotations

import datetime as dt
import string

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbook.loader import load_project
from helpers import ACTIVITY, csrf_token, make_project, signed_in_client, tracker_config

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30),
                    st.dates())
yaml_values = st.recursive(scalars, lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=5)), max_leaves=20)
activity_keys = st.sampled_from(list(yaml.safe_load(ACTIVITY)) + ["extra", "parts", "case_studies"])
activity_like = st.dictionaries(activity_keys, yaml_values, max_size=10)


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("fuzz") / "project")


def check_loader_reports(root, relative: str):
    project = load_project(root)  # must never raise
    for error in project.errors:
        assert error.message and error.path
        assert error.line is None or error.line >= 1
    return project


@FUZZ
@given(text=st.text(alphabet=string.printable + "äöü–…\u2028", max_size=300))
def test_loader_survives_any_text(fuzz_project, text):
    (fuzz_project / "activities" / "fuzz.yml").write_text(text, encoding="utf-8")
    try:
        check_loader_reports(fuzz_project, "activities/fuzz.yml")
    finally:
        (fuzz_project / "activities" / "fuzz.yml").unlink()


@FUZZ
@given(data=activity_like)
def test_loader_survives_any_structure(fuzz_project, data):
    (fuzz_project / "activities" / "fuzz.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        project = check_loader_reports(fuzz_project, "activities/fuzz.yml")
        fuzz_errors = [e for e in project.errors if e.path == "activities/fuzz.yml"]
        assert fuzz_errors or "1.1" in project.activities  # either it is valid or we are told why not
    finally:
        (fuzz_project / "activities" / "fuzz.yml").unlink()


# ---- forms ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    from tracker import create_app
    from tracker.db import get_db
    from tracker.demo import create_demo_data
    app = create_app(tracker_config(tmp_path_factory.mktemp("fuzz-app")))
    with app.app_context():
        app.config["DEMO_IDS"] = create_demo_data(get_db())
    return app


def snapshot(app):
    from tracker.db import get_db
    with app.app_context():
        db = get_db()
        return {t: db.execute(f"SELECT count(*), total(length(quote(t.rowid))) FROM {t} AS t").fetchone()
                for t in ("records", "evidence", "comments", "plan_items", "reflections", "pdp_versions",
                          "supervision_sessions", "supervision_actions", "users", "quiz_attempts", "account_tokens",
                          "reset_requests", "witness_requests", "mail_queue", "offline_receipts")}


# Digits that are not ASCII (str.isdigit() is true for all of them; int() refuses "²" and reads
# "٣" and "５"), control and invisible characters, and numbers too long for int() or SQLite.
ODD_DIGITS = "²³¹⁴½٣٠١۵५०５６"
CONTROL = "\x00\x01\x08\x0b\x1f\x7f\x85\u200b\u202e\u2028\t\r\n "
numberish = st.one_of(st.text(alphabet="0123456789" + ODD_DIGITS + CONTROL, min_size=1, max_size=8),
                      st.sampled_from(["²", "٣", "５", "१२", "1²", "0", "-1", "+1", " 1", "1\x00", "0x10", "1e3",
                                       "9" * 19, "9" * 5000]))
field_text = st.one_of(st.text(max_size=50), st.text(alphabet="0123456789-/", max_size=12), numberish,
                       st.text(alphabet=string.printable + ODD_DIGITS + CONTROL, max_size=30),
                       st.sampled_from(["", " ", "2026-13-45", "yes", "no", "true", "-1", "9999", "\x00",
                                        "'; DROP TABLE users; --"]),
                       st.text(min_size=3000, max_size=6000))
ENDPOINTS = [
    ("inductee@example.org", "/records/{d}/1.4/notes", ["notes"]),
    ("inductee@example.org", "/records/{d}/1.4/evidence/text", ["body"]),
    ("inductee@example.org", "/records/{d}/1.4/evidence/witness", ["witness_name", "witness_role", "statement"]),
    # the record page is one form: any of its buttons may carry every field on it
    ("inductee@example.org", "/records/{d}/1.4/evidence/text",
     ["notes", "body", "description", "witness_name", "statement"]),
    ("inductee@example.org", "/records/{d}/1.4/save-and-check",
     ["notes", "body", "witness_name", "witness_role", "statement"]),
    ("inductee@example.org", "/records/{d}/1.3/done", ["notes", "body", "description", "witness_name", "statement"]),
    ("inductee@example.org", "/records/{d}/1.4/submit", ["confirm"]),
    ("inductee@example.org", "/records/{d}/1.4/witness-requests",  # a witness link (tracker/witness.py)
     ["ask-witness_name", "ask-witness_email", "ask-purpose", "ask-language"]),
    ("inductee@example.org", "/plan/{d}",
     ["start_date", "notes", "target-1-4", "priority-1-4", "not-required-1-4", "reason-1-4"]),
    ("inductee@example.org", "/reflections/new",
     ["entry_date", "title", "what", "so_what", "now_what", "activity_id", "supervision_id", "confirmed"]),
    ("inductee@example.org", "/quizzes/values-and-principles", ["q0", "q1", "q2", "q3", "q9"]),
    ("inductee@example.org", "/pdp/{d}",
     ["strengths", "objective-0-objective", "objective-0-status", "objective-9-when", "supervision_id"]),
    ("manager@example.org", "/records/{d}/2.1/return", ["comment"]),
    ("manager@example.org", "/plan/{d}", ["start_date", "not-required-1-6", "reason-1-6", "target-1-6"]),
    ("manager@example.org", "/supervision/{d}/sessions/new",
     ["session_date", "agenda", "next_date", "done", "action-0-description", "action-0-owner", "action-0-due"]),
    ("manager@example.org", "/supervision/{d}/agreement", ["purpose", "timing", "recording"]),
    ("admin@example.org", "/admin/users/new", ["name", "email", "role", "managers"]),
    ("admin@example.org", "/admin/users/{d}/invitation", []),  # re-send an invitation (tracker/account_links.py)
    ("admin@example.org", "/admin/users/{c}/reset-password", []),  # an administrator's reset (its form: a token)
    ("admin@example.org", "/admin/users/{d}/erase", ["confirm_email"]),
    ("inductee@example.org", "/language", ["lang", "next"]),  # the language switch (tracker/i18n.py)
    ("manager@example.org", "/account/notifications", ["notify"]),  # email choice (tracker/notifications/)
    ("inductee@example.org", "/account/calendar", []),  # make or reset the calendar link (tracker/calendar_feed.py)
    # what a phone kept offline, sent later (tracker/offline/): any key, person, fingerprint or choice
    ("inductee@example.org", "/offline/records/{d}/1.4",
     ["key", "person", "base", "choice", "notes", "body", "description", "witness_name", "statement"]),
    ("inductee@example.org", "/offline/reflections",
     ["key", "person", "entry_date", "title", "what", "so_what", "now_what", "activity_id", "confirmed"]),
]


@pytest.mark.parametrize("email,url,fields", ENDPOINTS, ids=[e[1] for e in ENDPOINTS])
def test_forms_never_answer_500_and_refusals_write_nothing(fuzz_app, email, url, fields):
    client = signed_in_client(fuzz_app, email)
    token = csrf_token(client.get("/account/password").get_data(as_text=True))
    path = url.format(d=fuzz_app.config["DEMO_IDS"]["inductee@example.org"],
                      c=fuzz_app.config["DEMO_IDS"]["inductee2@example.org"])

    @FUZZ
    @given(form=st.dictionaries(st.sampled_from(fields + ["unexpected"]), field_text, max_size=len(fields) + 1))
    def run(form):
        if "erase" in path and form.get("confirm_email") == "inductee@example.org":
            return
        before = snapshot(fuzz_app)
        response = client.post(path, data={"csrf_token": token, **form})
        assert response.status_code < 500, (path, form)
        if response.status_code >= 400:
            assert snapshot(fuzz_app) == before, "a refused form changed the database"

    run()


@pytest.mark.parametrize("url,fields", [
    ("/offline/records/{d}/1.4", ["base", "choice", "notes", "body", "description", "witness_name", "statement"]),
    ("/offline/reflections", ["entry_date", "title", "what", "so_what", "now_what", "activity_id", "confirmed"]),
], ids=["record", "reflection"])
def test_what_a_phone_sends_later_never_answers_500(fuzz_app, url, fields):
    """Sent with a good key and the person's own key, so that what was kept is read: any text in it is saved,
    refused with a reason, or found changed meanwhile; a refusal writes nothing."""
    import secrets

    from tracker import offline

    client = signed_in_client(fuzz_app, "inductee@example.org")
    answer = client.get("/offline/token").get_json()
    path = url.format(d=fuzz_app.config["DEMO_IDS"]["inductee@example.org"])

    @FUZZ
    @given(form=st.dictionaries(st.sampled_from(fields), field_text, max_size=len(fields)))
    def run(form):
        before = snapshot(fuzz_app)
        response = client.post(path, data={"key": secrets.token_hex(16), "person": answer["person"], **form},
                               headers={"X-CSRFToken": answer["token"]})
        assert response.status_code < 500, (path, form)
        assert response.get_json()["status"] in ("saved", "failed", "conflict", "check")
        if response.status_code >= 400:
            assert snapshot(fuzz_app) == before, "a refused send changed the database"
        assert offline.KEEP_HEADER not in response.headers

    run()


# Forms with number fields, with everything else valid so the numbers are read.
NUMBER_FIELDS = [
    ("inductee@example.org", "/quizzes/values-and-principles", {}, ["q0", "q1", "q2", "q3"]),
    ("manager@example.org", "/supervision/{d}/sessions/new",
     {"session_date": "2026-11-24", "agenda": "Plan"}, ["done"]),
    ("inductee@example.org", "/reflections/new", {"entry_date": "2026-11-20", "title": "t", "what": "w", "so_what": "s",
                                                  "now_what": "n"}, ["supervision_id"]),
    ("inductee@example.org", "/pdp/{d}", {"strengths": "Listening"}, ["supervision_id"]),
    ("admin@example.org", "/admin/users/{d}/managers", {}, ["managers"]),
    ("admin@example.org", "/admin/users/new", {"name": "N", "email": "n@example.org", "role": "inductee"},
     ["managers"]),
]


@pytest.mark.parametrize("email,url,valid,fields", NUMBER_FIELDS, ids=[e[1] for e in NUMBER_FIELDS])
def test_number_fields_take_any_characters(fuzz_app, email, url, valid, fields):
    client = signed_in_client(fuzz_app, email)
    token = csrf_token(client.get("/account/password").get_data(as_text=True))
    path = url.format(d=fuzz_app.config["DEMO_IDS"]["inductee@example.org"])

    @FUZZ
    @given(numbers=st.dictionaries(st.sampled_from(fields), st.lists(numberish, min_size=1, max_size=3), min_size=1))
    def run(numbers):
        response = client.post(path, data={"csrf_token": token, **valid, **numbers})
        assert response.status_code < 500, (path, numbers)

    run()


@FUZZ
@given(number=numberish, template=st.sampled_from(["/records/{n}/1.4", "/reflections/{n}", "/evidence/{n}/file",
                                                    "/supervision/sessions/{n}", "/plan/{n}", "/portfolio/{n}",
                                                    "/witness/{n}", "/witness-requests/{n}", "/calendar/{n}.ics",
                                                    "/supervision/sessions/{n}/calendar.ics",
                                                    "/account/set-password/{n}", "/admin/users/{n}/reset-password"]))
def test_ids_in_addresses_take_any_characters(fuzz_app, number, template):
    from urllib.parse import quote
    client = fuzz_app.test_client()
    with client.session_transaction() as session:  # signed in as the inductee, without hashing a password each time
        from tracker import accounts
        from tracker.db import get_db
        with fuzz_app.app_context():
            row = accounts.find_by_email(get_db(), "inductee@example.org")
        session["_user_id"] = f"{row['id']}:{row['session_version']}"
    response = client.get(template.format(n=quote(number, safe="")))
    assert response.status_code < 500, (template, number)


def witness_request(app, address: str) -> tuple[int, str]:
    """A witness request of the demo inductee's, and its token read from the email the witness is sent."""
    import re

    from tracker import content, mail, mail_worker, witness
    from tracker.db import get_db
    with app.app_context():
        request_id = witness.create(get_db(), app.config["DEMO_IDS"]["inductee@example.org"], "1.4",
                                    content.activity("1.4").title, witness_name="W", witness_email=address,
                                    purpose="That I ran the meeting.", days=14)
        mail_worker.work(get_db())
        [text] = [message.get_body(("plain",)).get_content() for message in map(mail.read_outbox, mail.outbox_names())
                  if message["To"] == address]
    return request_id, re.search(r"/witness/([A-Za-z0-9_-]+)", text)[1]


def test_the_witness_form_never_answers_500_and_refusals_write_nothing(fuzz_app):
    """The one form anyone may send without an account: a witness's statement (tracker/witness.py)."""
    fuzz_app.config["WITNESS_MAX_FAILED_POSTS"] = 10_000
    _, token = witness_request(fuzz_app, "statement.fuzz@example.org")
    client = fuzz_app.test_client()
    csrf = csrf_token(client.get(f"/witness/{token}").get_data(as_text=True))

    @FUZZ
    @given(form=st.dictionaries(st.sampled_from(["witness_role", "statement", "confirm", "unexpected"]), field_text))
    def run(form):
        before = snapshot(fuzz_app)
        response = client.post(f"/witness/{token}", data={"csrf_token": csrf, **form})
        assert response.status_code < 500, form
        if response.status_code >= 400:
            assert snapshot(fuzz_app) == before, "a refused statement changed the database"

    run()


@pytest.mark.parametrize("action", ["resend", "revoke"])
def test_witness_request_buttons_take_any_address_and_refusals_write_nothing(fuzz_app, action):
    """The request page's buttons (tracker/witness.py), posted to addresses whose request id is odd."""
    request_id, _ = witness_request(fuzz_app, f"{action}.fuzz@example.org")
    client = signed_in_client(fuzz_app, "inductee@example.org")
    token = csrf_token(client.get("/account/password").get_data(as_text=True))

    @FUZZ
    @given(number=st.one_of(numberish, st.just(str(request_id))))
    def run(number):
        from urllib.parse import quote
        before = snapshot(fuzz_app)
        response = client.post(f"/witness-requests/{quote(number, safe='')}/{action}", data={"csrf_token": token})
        assert response.status_code < 500, number
        if response.status_code >= 400:
            assert snapshot(fuzz_app) == before, "a refused button changed the database"

    run()


@pytest.mark.parametrize("form_path", ["/account/forgotten-password", "choose"])
def test_the_password_link_forms_never_answer_500_and_refusals_write_nothing(fuzz_app, form_path):
    """The forms anyone may send without signing in (tracker/account_links.py): asking for a reset link,
    and choosing a password with an invitation's link."""
    from tracker import account_links, accounts
    from tracker.db import get_db, writing
    fuzz_app.config.update(RESET_MIN_SECONDS=0, RESET_MAX_PER_CLIENT=10_000)
    path, fields = form_path, ["email"]
    if form_path == "choose":
        with fuzz_app.app_context():
            person = accounts.create_user(get_db(), email=f"fuzz.invited.{len(form_path)}@example.org", name="F",
                                          role="inductee", password=None)
            with writing(get_db()):
                token, _ = account_links.issue(get_db(), person, "invite", dt.timedelta(hours=1), None)
        path, fields = f"/account/set-password/{token}", ["new_password", "confirm_password"]
    client = fuzz_app.test_client()
    csrf = csrf_token(client.get(path).get_data(as_text=True))

    @FUZZ
    @given(form=st.dictionaries(st.sampled_from(fields + ["unexpected"]), field_text))
    def run(form):
        before = snapshot(fuzz_app)
        response = client.post(path, data={"csrf_token": csrf, **form})
        assert response.status_code < 500, form
        if response.status_code >= 400:
            assert snapshot(fuzz_app) == before, "a refused form changed the database"

    run()


# ---- council sign-in (tracker/oidc.py): its answers come from outside, and the break-glass form is public ----

@pytest.fixture(scope="module")
def council_fuzz_app(tmp_path_factory):
    """Council sign-in on, its provider's address answering nothing (a wrong state is refused before any
    request to it; a right one fails at the token request), and local passwords off, so the break-glass
    form is live."""
    from helpers import free_port
    from tracker import accounts, create_app
    from tracker.db import get_db
    app = create_app(tracker_config(tmp_path_factory.mktemp("fuzz-oidc"), OIDC_ISSUER=f"http://127.0.0.1:{free_port()}",
                                    OIDC_CLIENT_ID="tracker", LOCAL_PASSWORDS=False,
                                    BREAK_GLASS_ADMIN="admin@example.org"))
    with app.app_context():
        accounts.create_user(get_db(), email="admin@example.org", name="A", role="admin", password="long-enough-pw")
    return app


@FUZZ
@given(answer=st.dictionaries(st.sampled_from(["code", "state", "error", "error_description", "iss", "unexpected"]),
                              st.one_of(field_text, st.just("under-way")), max_size=5))
def test_the_council_sign_in_callback_takes_any_answer(council_fuzz_app, answer):
    import time
    client = council_fuzz_app.test_client()
    with client.session_transaction() as session:  # a sign-in under way (Authlib's record of it), state "under-way"
        session["_state_council_under-way"] = {"exp": time.time() + 600, "data": {
            "redirect_uri": "http://localhost/login/oidc/callback", "nonce": "n", "code_verifier": "v" * 48}}
    response = client.get("/login/oidc/callback", query_string=answer)
    assert response.status_code in (400, 403), (answer, response.status_code)
    with client.session_transaction() as session:
        assert "_user_id" not in session


@FUZZ
@given(form=st.dictionaries(st.sampled_from(["email", "password", "unexpected"]), field_text, max_size=3))
def test_the_break_glass_form_takes_any_input(council_fuzz_app, form):
    client = council_fuzz_app.test_client()
    token = csrf_token(client.get("/login/break-glass").get_data(as_text=True))
    response = client.post("/login/break-glass", data={"csrf_token": token, **form})
    assert response.status_code < 500, form
