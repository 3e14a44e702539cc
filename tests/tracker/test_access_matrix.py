"""Authorization matrix: every tracker route for every kind of visitor.

Visitors: anonymous, the inductee (Dafydd), another inductee (Ceri, same team),
their manager (Rhian), another manager (with a team of their own), an admin and the service lead (Siân Davies,
who reads every team's induction on /reports/ and may change nothing, nor read a reflection).
A denied request must change nothing in the database."""
from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

from conftest import demo_app
from helpers import DEMO_PASSWORD, PNG, csrf_token, tracker_config
from tracker import account_links, accounts, mail, offline, records, witness
from tracker.db import get_db

VISITORS = ["anonymous", "inductee", "other_inductee", "manager", "other_manager", "admin", "lead"]
EMAILS = {
    "inductee": "inductee@example.org", "other_inductee": "inductee2@example.org",
    "manager": "manager@example.org", "other_manager": "other.manager@example.org", "admin": "admin@example.org",
    "lead": "lead@example.org",
}
ALL_SIGNED_IN = set(VISITORS) - {"anonymous"}
PASSWORD_HASH = accounts.hash_password(DEMO_PASSWORD)


@pytest.fixture(scope="module")
def world_made_once(tmp_path_factory, demo_database) -> tuple[Path, dict]:
    """The world below, made once in a folder of its own (the database, the uploaded file, the outbox's message):
    each of the matrix's hundreds of cases starts from a copy of it."""
    folder = tmp_path_factory.mktemp("matrix-world")
    app = demo_app(folder, demo_database)
    made = make_world(app)
    with app.app_context():
        get_db().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return folder, made


@pytest.fixture
def tracker_app(tmp_path, demo_database, world_made_once):
    """The real tracker on a copy of the world's files (tracker_app of tests/conftest.py, with the world in it)."""
    from tracker import create_app

    shutil.copytree(world_made_once[0], tmp_path, dirs_exist_ok=True)
    app = create_app(tracker_config(tmp_path))
    app.config["DEMO_IDS"] = demo_database[1]
    return app


@pytest.fixture
def world(world_made_once) -> dict:
    return world_made_once[1]


def make_world(tracker_app) -> dict:
    """The demo data plus another manager with an inductee of their own, and a file of evidence."""
    with tracker_app.app_context():
        db = get_db()
        # Inserted directly with one precomputed hash: hashing is slow by design.
        other = db["users"].insert({"email": EMAILS["other_manager"], "name": "Owen Other", "role": "manager",
                                    "password_hash": PASSWORD_HASH}).last_pk
        theirs = db["users"].insert({"email": "their.inductee@example.org", "name": "Tia Theirs", "role": "inductee",
                                     "password_hash": PASSWORD_HASH}).last_pk
        db["team_members"].insert({"manager_id": other, "inductee_id": theirs})
        ids = dict(tracker_app.config["DEMO_IDS"])
        dafydd = ids["inductee@example.org"]
        records.save_notes(db, dafydd, "1.4", "The reasons behind absence", "notes", dafydd)
        uploads = Path(tracker_app.config["UPLOAD_FOLDER"])
        uploads.mkdir(parents=True, exist_ok=True)
        (uploads / "0123456789abcdef0123456789abcdef").write_bytes(PNG)
        file_id = records.add_evidence(db, dafydd, "1.4", "The reasons behind absence", dafydd, kind="file",
                                       body="photo", file_name="lists.png",
                                       stored_name="0123456789abcdef0123456789abcdef",
                                       content_type="image/png", size=len(PNG))
        text_id = records.add_evidence(db, dafydd, "1.4", "The reasons behind absence", dafydd, kind="text", body="x")
        private = db["reflections"].insert({"author_id": dafydd, "entry_date": "2026-11-20", "title": "Private",
                                            "what": "a", "so_what": "b", "now_what": "c"}).last_pk
        shared = db.execute("SELECT id FROM reflections WHERE author_id = ? AND shared_at IS NOT NULL",
                            [dafydd]).fetchone()[0]
        attempt = db["quiz_attempts"].insert({"inductee_id": dafydd, "quiz_id": "values-and-principles",
                                              "quiz_title": "Q", "score": 1, "total": 2, "percent": 50,
                                              "pass_mark": 70, "passed": 0, "answers": "[]"}).last_pk
        db["pdp_versions"].insert({"inductee_id": dafydd, "version": 1, "strengths": "Listening", "created_by": dafydd})
        session = db.execute("SELECT id FROM supervision_sessions WHERE inductee_id = ?", [dafydd]).fetchone()[0]
        # a witness request; its email to the witness (queued with it) is sent to the outbox: the outbox's message
        witness_request = witness.create(db, dafydd, "1.4", "The reasons behind absence", witness_name="W",
                                         witness_email="w@example.org", purpose="That I ran it.", days=14)
        mail.send_waiting(db)
        [message] = mail.outbox_names()
        invited = accounts.create_user(db, email="invited@example.org", name="Ina Invited", role="inductee",
                                       password=None)
        account_links.invite(db, invited, None)
    with tracker_app.app_context():
        person = offline.person_key(tracker_app.secret_key, dafydd)
        base = offline.fingerprint(records.get(get_db(), dafydd, "1.4"))
    return {"dafydd": dafydd, "person": person, "base": base, "file": file_id, "text": text_id, "private": private,
            "shared": shared, "attempt": attempt, "session": session, "message": message,
            "witness_request": witness_request, "invited": invited}


def snapshot(app) -> dict:
    with app.app_context():
        db = get_db()
        tables = ["users", "team_members", "plans", "plan_items", "records", "evidence", "comments", "reflections",
                  "reflection_reads", "reflection_comments", "quiz_attempts", "pdp_versions", "pdp_comments",
                  "supervision_agreements", "supervision_sessions", "supervision_actions", "induction_signoffs",
                  "notifications", "reminders_sent", "calendar_feeds", "account_tokens", "witness_requests",
                  "mail_queue", "offline_receipts"]
        return {t: list(db.query(f"SELECT * FROM {t} ORDER BY rowid")) for t in tables}


def client_for(app, visitor: str):
    """A client signed in as the visitor. The session is set directly, as Flask-Login would
    after a sign-in (the sign-in form itself is tested in test_auth.py): this keeps
    the matrix fast, since password hashing is slow by design."""
    client = app.test_client()
    if visitor != "anonymous":
        with app.app_context():
            row = accounts.find_by_email(get_db(), EMAILS[visitor])
        with client.session_transaction() as session:
            session["_user_id"] = f"{row['id']}:{row['session_version']}"
            session["_fresh"] = True
    return client


def token_for(client) -> str:
    page = client.get("/account/password")
    return csrf_token(page.get_data(as_text=True)) if page.status_code == 200 else "no-session"


# (method, url template, form data, visitors allowed)
ROUTES = [
    ("GET", "/my-induction", None, {"inductee", "other_inductee"}),
    ("GET", "/team", None, {"manager", "other_manager"}),
    ("GET", "/team/{dafydd}", None, {"manager"}),
    ("GET", "/plan/{dafydd}", None, {"inductee", "manager"}),
    ("POST", "/plan/{dafydd}", {"start_date": "2026-12-01", "target-1-4": "2026-12-20"}, {"inductee", "manager"}),
    ("GET", "/activities/1.4", None, {"inductee", "other_inductee", "manager", "other_manager"}),
    ("GET", "/records/{dafydd}/1.4", None, {"inductee", "manager"}),
    ("GET", "/records/{dafydd}/1.4/submit", None, {"inductee"}),
    ("POST", "/records/{dafydd}/1.4/submit", {"confirm": "y"}, {"inductee"}),
    # witness testimony by one-time link: asked for by the inductee, seen and revoked by them or their manager,
    # its link sent again (a new one) by the inductee only
    ("POST", "/records/{dafydd}/1.4/witness-requests",
     {"ask-witness_name": "W", "ask-witness_email": "w@example.org", "ask-purpose": "That I ran it."}, {"inductee"}),
    ("GET", "/witness-requests/{witness_request}", None, {"inductee", "manager"}),
    ("POST", "/witness-requests/{witness_request}/revoke", {}, {"inductee", "manager"}),
    ("POST", "/witness-requests/{witness_request}/resend", {}, {"inductee"}),
    ("POST", "/records/{dafydd}/1.4/notes", {"notes": "changed"}, {"inductee"}),
    ("POST", "/records/{dafydd}/1.4/evidence/text", {"body": "more"}, {"inductee"}),
    ("POST", "/records/{dafydd}/1.4/evidence/witness",
     {"witness_name": "W", "witness_role": "EWO", "statement": "saw it"}, {"inductee"}),
    ("POST", "/evidence/{text}/delete", {}, {"inductee"}),
    ("GET", "/evidence/{file}/file", None, {"inductee", "manager"}),
    ("POST", "/records/{dafydd}/2.1/sign-off", {"comment": ""}, {"manager"}),
    ("POST", "/records/{dafydd}/2.1/return", {"comment": "Add more"}, {"manager"}),
    ("POST", "/records/{dafydd}/1.3/done", {}, {"inductee"}),
    ("POST", "/records/{dafydd}/1.4/save-and-check", {"notes": "checked"}, {"inductee"}),
    ("POST", "/records/{dafydd}/1.1/reopen", {"comment": "Redo it"}, {"manager"}),
    # the service lead's view of every team (tracker/reports/): hers alone, and read only
    ("GET", "/reports/", None, {"lead"}),
    ("GET", "/reports/inductees/{dafydd}", None, {"lead"}),
    ("GET", "/reports/induction.csv", None, {"lead"}),
    ("GET", "/reports/induction.xlsx", None, {"lead"}),
    ("GET", "/reports/quality-assurance.pdf", None, {"lead"}),
    ("GET", "/admin/users", None, {"admin"}),
    ("GET", "/admin/users/new", None, {"admin"}),
    ("POST", "/admin/users/new", {"name": "New Person", "email": "new@example.org", "role": "inductee"}, {"admin"}),
    # sends a new invitation to someone who has not chosen a password yet (tracker/account_links.py)
    ("POST", "/admin/users/{invited}/invitation", {}, {"admin"}),
    # an administrator's reset of someone's password: a confirmation page, then the reset (the link goes to them)
    ("GET", "/admin/users/{dafydd}/reset-password", None, {"admin"}),
    ("POST", "/admin/users/{dafydd}/reset-password", {}, {"admin"}),
    ("GET", "/admin/users/import", None, {"admin"}),
    ("POST", "/admin/users/import", "csv", {"admin"}),
    ("GET", "/admin/users/{dafydd}/managers", None, {"admin"}),
    ("POST", "/admin/users/{dafydd}/managers", {}, {"admin"}),
    # the outbox (messages written instead of sent) and a test message
    ("GET", "/admin/outbox/", None, {"admin"}),
    ("GET", "/admin/outbox/{message}", None, {"admin"}),
    ("POST", "/admin/outbox/test", {}, {"admin"}),
    # each person's choice of emails (tracker/notifications/): inductees and managers, for themselves
    ("GET", "/account/notifications", None, {"inductee", "other_inductee", "manager", "other_manager"}),
    ("POST", "/account/notifications", {"notify": "none"}, {"inductee", "other_inductee", "manager", "other_manager"}),
    # each person's calendar link (tracker/calendar_feed.py): inductees and managers, for themselves; one session
    # as an .ics file for whoever may see the session. The feed itself is in PUBLIC_ENDPOINTS.
    ("GET", "/account/calendar", None, {"inductee", "other_inductee", "manager", "other_manager"}),
    ("POST", "/account/calendar", {}, {"inductee", "other_inductee", "manager", "other_manager"}),
    ("GET", "/supervision/sessions/{session}/calendar.ics", None, {"inductee", "manager"}),
    # saving offline (tracker/offline/): a fresh token, then what the inductee's phone kept, sent to their own
    # record or reflective log, once ({person}: the key of the person who saved it, Dafydd)
    ("GET", "/offline/token", None, {"inductee", "other_inductee"}),
    ("POST", "/offline/records/{dafydd}/1.4",
     {"key": "0123456789abcdef0123", "person": "{person}", "base": "{base}", "body": "Kept offline."}, {"inductee"}),
    ("POST", "/offline/reflections", {"key": "0123456789abcdef0124", "person": "{person}", "entry_date": "2026-11-21",
                                      "title": "T", "what": "w", "so_what": "s", "now_what": "n"}, {"inductee"}),
    # reflective log
    ("GET", "/reflections", None, {"inductee", "other_inductee", "manager", "other_manager"}),
    ("GET", "/reflections/new", None, {"inductee", "other_inductee"}),
    ("POST", "/reflections/new",
     {"entry_date": "2026-11-21", "title": "T", "what": "w", "so_what": "s", "now_what": "n"},
     {"inductee", "other_inductee"}),
    ("GET", "/reflections/{shared}", None, {"inductee", "manager"}),
    ("GET", "/reflections/{private}", None, {"inductee"}),
    ("GET", "/reflections/{shared}/edit", None, {"inductee"}),
    ("POST", "/reflections/{shared}/edit",
     {"entry_date": "2026-11-21", "title": "T", "what": "w", "so_what": "s", "now_what": "n"},
     {"inductee"}),
    ("POST", "/reflections/{private}/share", {"share": "yes"}, {"inductee"}),
    ("POST", "/reflections/{shared}/comments", {"body": "Thoughtful."}, {"inductee", "manager"}),
    ("POST", "/reflections/{private}/comments", {"body": "Note to self."}, {"inductee"}),
    ("POST", "/reflections/{private}/delete", {}, {"inductee"}),
    # quizzes
    ("GET", "/quizzes", None, {"inductee", "other_inductee", "manager", "other_manager"}),
    ("GET", "/quizzes/values-and-principles", None, {"inductee", "other_inductee"}),
    ("POST", "/quizzes/values-and-principles", {"q0": "0", "q1": "0", "q2": "true", "q3": "x"},  # every question
     {"inductee", "other_inductee"}),
    ("GET", "/quizzes/values-and-principles/attempts/{attempt}", None, {"inductee", "manager"}),
    # personal development plan
    ("GET", "/pdp/{dafydd}", None, {"inductee", "manager"}),
    ("POST", "/pdp/{dafydd}", {"strengths": "Patience"}, {"inductee"}),
    ("GET", "/pdp/{dafydd}/versions/1", None, {"inductee", "manager"}),
    ("POST", "/pdp/{dafydd}/comments", {"body": "Good start."}, {"manager"}),
    # supervision
    ("GET", "/supervision", None, {"manager", "other_manager"}),
    ("GET", "/supervision/{dafydd}", None, {"inductee", "manager"}),
    ("GET", "/supervision/{dafydd}/agreement", None, {"inductee", "manager"}),
    ("POST", "/supervision/{dafydd}/agreement", {"purpose": "Support"}, {"inductee", "manager"}),
    ("POST", "/supervision/{dafydd}/agreement/agree", {}, {"inductee", "manager"}),
    ("GET", "/supervision/{dafydd}/sessions/new", None, {"manager"}),
    ("POST", "/supervision/{dafydd}/sessions/new", {"session_date": "2026-11-24", "agenda": "Plan"}, {"manager"}),
    ("GET", "/supervision/sessions/{session}", None, {"inductee", "manager"}),
    ("POST", "/supervision/sessions/{session}/confirm", {}, {"inductee"}),
    ("GET", "/supervision/{dafydd}/print", None, {"inductee", "manager"}),
    # portfolio and personal data
    ("GET", "/portfolio/{dafydd}", None, {"inductee", "manager"}),
    ("GET", "/portfolio/{dafydd}/pdf", None, {"inductee", "manager"}),
    ("GET", "/portfolio/{dafydd}/signed.json", None, {"inductee", "manager"}),
    ("POST", "/portfolio/{dafydd}/sign-off", {}, {"manager"}),
    ("GET", "/account/export", None, ALL_SIGNED_IN),
    ("GET", "/admin/users/{dafydd}/export", None, {"admin"}),
    ("GET", "/admin/users/{dafydd}/erase", None, {"admin"}),
    ("POST", "/admin/users/{dafydd}/erase", {"confirm_email": "inductee@example.org"}, {"admin"}),
    ("GET", "/account/password", None, ALL_SIGNED_IN),
    ("POST", "/account/password", {"current_password": DEMO_PASSWORD, "new_password": "a-new-long-password-2",
                                   "confirm_password": "a-new-long-password-2"}, ALL_SIGNED_IN),
    ("POST", "/logout", {}, ALL_SIGNED_IN),
    # the language switch: stores the choice on the account (anyone may post it with a session's CSRF token;
    # a visitor not signed in uses ?lang= links, and the matrix's anonymous visitor has no token)
    ("POST", "/language", {"lang": "cy", "next": "/my-induction"}, ALL_SIGNED_IN),
    # council sign-in (tracker/oidc.py), here switched off as in the demo: a visitor not signed in is sent to
    # the sign-in page, someone signed in to their dashboard. The flow itself, with a real provider, and the
    # break-glass page with local passwords off, are in tests/tracker/test_oidc.py.
    ("GET", "/login/oidc", None, ALL_SIGNED_IN),
    ("GET", "/login/oidc/callback", None, ALL_SIGNED_IN),
    ("GET", "/login/break-glass", None, ALL_SIGNED_IN),
    ("POST", "/login/break-glass", {"email": "admin@example.org", "password": DEMO_PASSWORD}, ALL_SIGNED_IN),
]
CASES = [(method, url, data, allowed, visitor) for method, url, data, allowed in ROUTES for visitor in VISITORS]


@pytest.mark.parametrize("method,url,data,allowed,visitor", CASES,
                         ids=[f"{c[0]} {c[1]} as {c[4]}" for c in CASES])
def test_authorization_matrix(tracker_app, world, method, url, data, allowed, visitor):
    client = client_for(tracker_app, visitor)
    path = url.format(**world)
    before = snapshot(tracker_app)
    if method == "GET":
        response = client.get(path)
    else:
        form = {"csrf_token": token_for(client)}
        if data == "csv":
            form["csv_file"] = (io.BytesIO(b"email,name,role,password\n"
                                           b"x@example.org,X Y,inductee,long-enough-pw\n"), "u.csv")
        else:
            form.update({name: value.format(**world) for name, value in data.items()})
        response = client.post(path, data=form)
    if visitor in allowed:
        assert response.status_code in (200, 302, 303), response.status_code
        if response.status_code == 302 and path != "/logout":
            assert "/login" not in response.location
    elif visitor == "anonymous":
        # sent to sign in, or refused for lack of a session's CSRF token
        assert (response.status_code == 302 and "/login" in response.location) or response.status_code == 400
        assert snapshot(tracker_app) == before
    else:
        assert response.status_code in (403, 404), response.status_code
        assert snapshot(tracker_app) == before, "a denied request changed the database"


def test_pages_show_only_the_visitors_own_data(tracker_app, world):
    ceri = client_for(tracker_app, "other_inductee")
    page = ceri.get("/my-induction").get_data(as_text=True)
    assert "Ceri Williams" not in page or "Dafydd" not in page
    assert "Dafydd Morgan" not in page
    other = client_for(tracker_app, "other_manager")
    team = other.get("/team").get_data(as_text=True)
    assert "Tia Theirs" in team and "Dafydd Morgan" not in team and "Ceri Williams" not in team
    activity = other.get("/activities/1.4").get_data(as_text=True)
    assert "Dafydd Morgan" not in activity


def test_post_without_csrf_token_is_refused(tracker_app, world):
    client = client_for(tracker_app, "inductee")
    before = snapshot(tracker_app)
    response = client.post(f"/records/{world['dafydd']}/1.4/notes", data={"notes": "no token"})
    assert response.status_code == 400
    assert "Your form has expired" in response.get_data(as_text=True)
    assert snapshot(tracker_app) == before


def test_login_without_csrf_token_is_refused(tracker_app):
    client = tracker_app.test_client()
    response = client.post("/login", data={"email": EMAILS["inductee"], "password": DEMO_PASSWORD})
    assert response.status_code == 400
    assert client.get("/my-induction").status_code == 302


# Routes open to everyone by design, so not in the matrix: static files, the sign-in page, the home redirect.
# The witness's page is open to anyone holding its link (a capability: tests/tracker/test_witness.py).
# A calendar feed is open to anyone holding its secret address, as calendar apps cannot sign in (a capability:
# tests/tracker/test_calendar_feed.py checks unknown and reset addresses answer 404).
# Asking for a password-reset link is open to everyone (it says the same whatever the address), and choosing
# a password is open to anyone holding an invitation or reset link (a capability): tests/tracker/test_invitations.py
# and tests/tracker/test_password_reset.py.
# Saving offline: the service worker, the manifest, the page shown for a page never kept and the libraries are the
# same for everyone and name no one (tests/tracker/test_offline.py).
PUBLIC_ENDPOINTS = {"static", "govuk.govuk", "auth.login", "home", "witness.give", "calendar_feed.feed",
                    "account_links.forgotten", "account_links.choose_password",
                    "offline.worker", "offline.manifest", "offline.page", "offline.library"}


def _pattern(rule) -> re.Pattern:
    """A regular expression for a Flask rule: '/records/<int:inductee_id>/<activity_id>' matches the
    matrix's '/records/{dafydd}/1.4'."""
    parts = re.split(r"<[^>]+>", rule.rule)
    return re.compile("^" + "[^/]+".join(re.escape(p) for p in parts) + "$")


def test_every_route_has_a_row_in_the_matrix(tracker_app):
    rows = [(method, re.sub(r"\{[^}]+\}", "1", url)) for method, url, _, _ in ROUTES]
    missing = []
    for rule in tracker_app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        pattern = _pattern(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if not any(m == method and pattern.match(url) for m, url in rows):
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert missing == [], "add these to ROUTES, saying who may use them"
