"""Council sign-in by OpenID Connect (tracker/oidc.py), driven end to end against real providers on 127.0.0.1:
oidc-provider-mock in its own process, and a small strict provider of our own (below) for what the mock
cannot do wrong on purpose (a token for another audience, a bad signature, another issuer) and to check
that the tracker sends PKCE, a state and a nonce. Also: local passwords switched off, and the break-glass
administrator."""
from __future__ import annotations

import base64
import contextlib
import hashlib
import logging
import secrets
import subprocess
import sys
import threading
import time
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from flask import Flask, jsonify, redirect
from flask import request as provider_request
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server

from factories import set_user
from helpers import DEMO_PASSWORD, csrf_token, free_port, login, post, query
from tracker import config, password_policy

CLIENT_ID, CLIENT_SECRET = "ews-tracker", "a-client-secret"
DEADLINE = 60  # seconds for a provider to start answering: the machine is shared


def wait_for_discovery(issuer: str, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            pytest.fail(f"the provider exited: {process.stderr.read().decode()[-2000:]}")
        try:
            if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=5).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    pytest.fail(f"no discovery document at {issuer} after {DEADLINE} s")


@pytest.fixture(scope="module")
def mock_provider():
    with running_mock_provider() as issuer:
        yield issuer


@contextlib.contextmanager
def running_mock_provider():
    """oidc-provider-mock (`python -m oidc_provider_mock`), a real OpenID provider, on a free port."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    issuer = f"http://127.0.0.1:{port}"
    try:
        wait_for_discovery(issuer, process)
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=30)


def person_at(issuer: str, sub: str, **claims) -> str:
    """Tell the mock who `sub` is (its claims in the ID token); returns sub."""
    assert requests.put(f"{issuer}/users/{sub}", json=claims, timeout=10).status_code == 204
    return sub


class StrictProvider:
    """A small OpenID provider: discovery, authorization (no form: it signs the same person in at once),
    token and keys. It insists on PKCE S256 and the client's secret, and signs each ID token with
    `claims` (over the usual ones) using `signing_key`: the published key unless a test swaps it."""

    def __init__(self):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.key = RSAKey.generate_key(2048, parameters={"kid": "council-1"}, private=True)
        self.signing_key = self.key
        self.discovered_issuer = self.issuer
        self.claims: dict = {}
        self.authorizations: list[dict] = []  # the tracker's authorization requests
        self.token_requests: list[dict] = []
        self.codes: dict[str, dict] = {}
        app = Flask("strict-provider")
        app.add_url_rule("/.well-known/openid-configuration", view_func=self.discovery)
        app.add_url_rule("/authorize", view_func=self.authorize)
        app.add_url_rule("/token", view_func=self.token, methods=["POST"])
        app.add_url_rule("/jwks", view_func=self.jwks)
        self.server = make_server("127.0.0.1", self.port, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def discovery(self):
        return jsonify({"issuer": self.discovered_issuer, "authorization_endpoint": f"{self.issuer}/authorize",
                        "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/jwks",
                        "response_types_supported": ["code"], "subject_types_supported": ["public"],
                        "id_token_signing_alg_values_supported": ["RS256"],
                        "code_challenge_methods_supported": ["S256"]})

    def jwks(self):
        return jsonify(KeySet([self.key]).as_dict(private=False))

    def authorize(self):
        args = provider_request.args.to_dict()
        self.authorizations.append(args)
        code = secrets.token_urlsafe(16)
        self.codes[code] = args
        return redirect(f"{args['redirect_uri']}?{urlencode({'code': code, 'state': args['state']})}")

    def token(self):
        form = provider_request.form.to_dict()
        self.token_requests.append(form)
        asked = self.codes.pop(form.get("code", ""), None)
        auth = provider_request.authorization
        challenge = base64.urlsafe_b64encode(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
        if (asked is None or form.get("redirect_uri") != asked["redirect_uri"] or auth is None
                or (auth.username, auth.password) != (CLIENT_ID, CLIENT_SECRET)
                or asked.get("code_challenge_method") != "S256"
                or challenge.rstrip(b"=").decode() != asked.get("code_challenge")):
            return jsonify({"error": "invalid_grant"}), 400
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": "council-person-1", "aud": CLIENT_ID, "iat": now, "exp": now + 300,
                  "nonce": asked.get("nonce"), **self.claims}
        id_token = jwt.encode({"alg": "RS256", "kid": "council-1"}, claims, self.signing_key)
        return jsonify({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 300,
                        "id_token": id_token})


@pytest.fixture
def strict_provider():
    provider = StrictProvider()
    provider.thread.start()
    wait_for_discovery(provider.issuer)
    try:
        yield provider
    finally:
        provider.server.shutdown()
        provider.server.server_close()
        provider.thread.join(timeout=10)


def council_sign_in(app, issuer: str, **settings):
    """Council sign-in switched on for `app` (the client is made from the settings on first use)."""
    app.config.update(OIDC_ISSUER=issuer, OIDC_CLIENT_ID=CLIENT_ID, OIDC_CLIENT_SECRET=CLIENT_SECRET,
                      OIDC_PROVIDER_NAME="Cyngor Sir Example / Example Council", **settings)
    return app


@pytest.fixture
def council_app(tracker_app, mock_provider):
    return council_sign_in(tracker_app, mock_provider)


def to_the_provider(client, start: str = "/login/oidc"):
    response = client.get(start)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.location


def at_the_tracker(client, provider_location: str):
    """Follow the provider's redirect back to the tracker's callback, in this client."""
    parts = urlsplit(provider_location)
    assert parts.path == "/login/oidc/callback"
    return client.get(f"{parts.path}?{parts.query}")


def through_the_mock(client, sub: str, start: str = "/login/oidc"):
    """Click the council button, sign in as `sub` on the mock's form (a real HTTP POST), come back.
    Returns (the tracker's answer at the callback, the callback address)."""
    authorize = to_the_provider(client, start)
    answer = requests.post(authorize, data={"sub": sub}, allow_redirects=False, timeout=30)
    assert answer.status_code == 302, answer.text
    return at_the_tracker(client, answer.headers["location"]), answer.headers["location"]


def signed_in_as(client) -> str | None:
    page = client.get("/account/export")
    return page.get_json()["account"]["email"] if page.status_code == 200 else None


# ---- the whole flow ------------------------------------------------------------------------

def test_the_sign_in_page_offers_the_council_button(council_app):
    page = council_app.test_client().get("/login?next=/reflections").get_data(as_text=True)
    assert "Sign in with Cyngor Sir Example / Example Council" in page
    assert 'href="/login/oidc?next=/reflections"' in page
    assert 'name="password"' in page  # local passwords are still on
    assert "Or sign in with a password" in page


def test_an_inductee_signs_in_through_the_council(council_app, mock_provider):
    client = council_app.test_client()
    sub = person_at(mock_provider, "dafydd-1", email="Inductee@Example.ORG", email_verified=True, name="D M")
    answer, _ = through_the_mock(client, sub)
    assert answer.status_code == 302 and answer.location == "/"
    assert signed_in_as(client) == "inductee@example.org"  # matched whatever the case
    dashboard = client.get("/my-induction")
    assert dashboard.status_code == 200 and "Dafydd Morgan" in dashboard.get_data(as_text=True)
    with client.session_transaction() as session:
        assert session.permanent  # the idle timeout applies, as after a password sign-in
        assert not [key for key in session if key.startswith("_state_")]  # nothing of the trip left over
    assert query(council_app, "SELECT role FROM users WHERE email = 'inductee@example.org'") == [{"role": "inductee"}]


def test_roles_stay_the_trackers_and_next_is_kept(council_app, mock_provider):
    client = council_app.test_client()
    sub = person_at(mock_provider, "rhian-1", email="manager@example.org", email_verified=True,
                    roles=["admin"], groups=["Tracker Admins"])  # whatever the council says
    answer, _ = through_the_mock(client, sub, start="/login/oidc?next=/reflections")
    assert answer.location == "/reflections"
    assert client.get("/team").status_code == 200 and client.get("/admin/users").status_code == 403
    evil = council_app.test_client()
    answer, _ = through_the_mock(evil, sub, start="/login/oidc?next=//evil.example/")
    assert answer.location == "/"


def test_the_language_chosen_on_the_way_in_is_kept(council_app, mock_provider):
    client = council_app.test_client()
    client.get("/login?lang=cy")
    sub = person_at(mock_provider, "dafydd-cy", email="inductee@example.org", email_verified=True)
    answer, _ = through_the_mock(client, sub)
    assert answer.status_code == 302
    assert 'lang="cy"' in client.get("/my-induction").get_data(as_text=True)


def test_the_authorization_request_uses_pkce_state_and_nonce(tracker_app, strict_provider):
    council_sign_in(tracker_app, strict_provider.issuer)
    strict_provider.claims = {"email": "inductee@example.org", "email_verified": True}
    client = tracker_app.test_client()
    answer = at_the_tracker(client, requests.get(to_the_provider(client), allow_redirects=False,
                                                 timeout=30).headers["location"])
    assert answer.status_code == 302 and signed_in_as(client) == "inductee@example.org"
    asked = strict_provider.authorizations[-1]
    assert asked["response_type"] == "code" and asked["client_id"] == CLIENT_ID
    assert asked["code_challenge_method"] == "S256" and len(asked["code_challenge"]) == 43
    assert len(asked["state"]) >= 20 and len(asked["nonce"]) >= 20
    assert set(asked["scope"].split()) == {"openid", "email", "profile"}
    assert asked["redirect_uri"] == "http://localhost/login/oidc/callback"
    assert "code_verifier" in strict_provider.token_requests[-1]  # and the provider checked it against the challenge


def test_the_redirect_address_comes_from_public_url_when_set(tracker_app, strict_provider):
    council_sign_in(tracker_app, strict_provider.issuer, PUBLIC_URL="https://ews.example.gov.wales/tracker")
    asked = parse_qs(urlsplit(to_the_provider(tracker_app.test_client())).query)
    assert asked["redirect_uri"] == ["https://ews.example.gov.wales/tracker/login/oidc/callback"]  # as registered


# ---- refusals --------------------------------------------------------------------------------

def refused(answer, status: int, title: str) -> str:
    html = unescape(answer.get_data(as_text=True))
    assert answer.status_code == status, html
    assert f'<h1 class="govuk-heading-l">{title}</h1>' in html
    assert "Go to the sign-in page" in html
    return html


def strict_sign_in(client, provider: StrictProvider):
    location = requests.get(to_the_provider(client), allow_redirects=False, timeout=30).headers["location"]
    return at_the_tracker(client, location)


TAMPERED = {
    "for another audience": lambda p: p.claims.update(aud="another-service"),
    "for several audiences, not ours": lambda p: p.claims.update(aud=["another-service", "a-third"]),
    "with a bad signature": lambda p: setattr(p, "signing_key", RSAKey.generate_key(
        2048, parameters={"kid": "council-1"}, private=True)),  # the published key's id, another key
    "signed with an unpublished key": lambda p: setattr(p, "signing_key", RSAKey.generate_key(
        2048, parameters={"kid": "not-published"}, private=True)),
    "from another issuer": lambda p: p.claims.update(iss="https://login.example.net"),
    "for another sign-in (nonce)": lambda p: p.claims.update(nonce="someone-elses-nonce"),
    "that has expired": lambda p: p.claims.update(exp=int(time.time()) - 3600, iat=int(time.time()) - 7200),
}


@pytest.mark.parametrize("tamper", TAMPERED.values(), ids=TAMPERED.keys())
def test_an_id_token_that_does_not_check_out_is_refused(tracker_app, strict_provider, tamper, caplog):
    council_sign_in(tracker_app, strict_provider.issuer)
    strict_provider.claims = {"email": "inductee@example.org", "email_verified": True}
    tamper(strict_provider)
    client = tracker_app.test_client()
    with caplog.at_level(logging.WARNING, logger="tracker.oidc"):
        refused(strict_sign_in(client, strict_provider), 400, "Your sign-in could not be checked")
    assert signed_in_as(client) is None
    assert "council sign-in refused: token" in caplog.text and "inductee@example.org" not in caplog.text


def test_a_replayed_or_missing_state_is_refused(council_app, mock_provider):
    client = council_app.test_client()
    sub = person_at(mock_provider, "dafydd-replay", email="inductee@example.org", email_verified=True)
    answer, callback = through_the_mock(client, sub)
    assert answer.status_code == 302
    assert post(client, "/logout", {}).status_code == 302
    refused(at_the_tracker(client, callback), 400, "Your sign-in has expired")  # the same browser, again
    other = council_app.test_client()
    refused(at_the_tracker(other, callback), 400, "Your sign-in has expired")  # someone else's browser
    assert signed_in_as(client) is None and signed_in_as(other) is None
    refused(other.get("/login/oidc/callback?code=abc"), 400, "Your sign-in has expired")
    to_the_provider(other)  # a sign-in under way in this browser, but not this one
    refused(other.get("/login/oidc/callback?code=abc&state=forged"), 400, "Your sign-in has expired")


def test_an_unverified_email_is_refused(council_app, mock_provider, caplog):
    for number, claims in enumerate([{"email": "inductee@example.org", "email_verified": False},
                                     {"email": "inductee@example.org"}, {"email_verified": True}]):
        client = council_app.test_client()
        with caplog.at_level(logging.WARNING, logger="tracker.oidc"):
            answer, _ = through_the_mock(client, person_at(mock_provider, f"unverified-{number}", **claims))
        refused(answer, 403, "Your email address is not verified")
        assert signed_in_as(client) is None
    assert "inductee@example.org" not in caplog.text


@pytest.mark.parametrize("claims,signed_in", [
    ({"xms_edov": True}, True),  # Entra ID: no email_verified, the domain's owner verified by the tenant
    ({"xms_edov": False}, False),
    ({"email_verified": False, "xms_edov": True}, False),  # an explicit "not verified" wins
    ({"email_verified": "true"}, True),  # some providers send it as a string
], ids=["xms_edov", "xms_edov false", "email_verified false wins", "email_verified as a string"])
def test_microsoft_entras_domain_owner_claim_stands_for_email_verified(tracker_app, strict_provider, claims,
                                                                       signed_in):
    council_sign_in(tracker_app, strict_provider.issuer)
    strict_provider.claims = {"email": "inductee@example.org", **claims}
    client = tracker_app.test_client()
    answer = strict_sign_in(client, strict_provider)
    if signed_in:
        assert answer.status_code == 302 and signed_in_as(client) == "inductee@example.org"
    else:
        refused(answer, 403, "Your email address is not verified")


def test_an_unknown_person_is_refused_and_no_account_is_made(council_app, mock_provider, caplog):
    users = len(query(council_app, "SELECT id FROM users"))
    client = council_app.test_client()
    sub = person_at(mock_provider, "stranger", email="stranger@example.gov.wales", email_verified=True)
    with caplog.at_level(logging.WARNING, logger="tracker.oidc"):
        answer, _ = through_the_mock(client, sub)
    html = refused(answer, 403, "You do not have a tracker account")
    assert "stranger@example.gov.wales" in html  # shown to them, to pass on to their administrator
    assert "stranger" not in caplog.text and "council sign-in refused: unknown" in caplog.text
    assert len(query(council_app, "SELECT id FROM users")) == users and signed_in_as(client) is None


def test_an_inactive_account_is_refused(council_app, mock_provider):
    [ceri] = query(council_app, "SELECT id FROM users WHERE email = 'inductee2@example.org'")
    set_user(council_app, ceri["id"], active=0)
    client = council_app.test_client()
    answer, _ = through_the_mock(client, person_at(mock_provider, "ceri", email="inductee2@example.org",
                                                   email_verified=True))
    refused(answer, 403, "Your tracker account is switched off")
    assert signed_in_as(client) is None


def test_an_error_from_the_provider_is_refused(council_app, mock_provider):
    client = council_app.test_client()
    denied = requests.post(to_the_provider(client), data={"action": "deny"}, allow_redirects=False, timeout=30)
    assert "error=access_denied" in denied.headers["location"]
    refused(at_the_tracker(client, denied.headers["location"]), 400,
            "The council's sign-in service did not sign you in")
    assert signed_in_as(client) is None


def test_a_provider_that_does_not_answer_is_refused(tracker_app, strict_provider):
    council_sign_in(tracker_app, f"http://127.0.0.1:{free_port()}")  # nothing listens there
    refused(tracker_app.test_client().get("/login/oidc"), 400, "The council's sign-in service is not available")
    council_sign_in(tracker_app, strict_provider.issuer)
    tracker_app.extensions.pop("tracker_oidc")  # the client again, from the new settings
    strict_provider.claims = {"email": "inductee@example.org", "email_verified": True}
    client = tracker_app.test_client()
    location = requests.get(to_the_provider(client), allow_redirects=False, timeout=30).headers["location"]
    strict_provider.server.shutdown()  # gone between the two halves of the sign-in
    strict_provider.server.server_close()
    refused(at_the_tracker(client, location), 400, "The council's sign-in service is not available")


def test_a_discovery_document_for_another_issuer_is_refused(tracker_app, strict_provider):
    council_sign_in(tracker_app, strict_provider.issuer)
    strict_provider.discovered_issuer = "https://login.example.net"
    refused(tracker_app.test_client().get("/login/oidc"), 400, "The council's sign-in service is not available")
    assert strict_provider.authorizations == []


def test_refusals_are_in_welsh_for_a_welsh_speaker(council_app, mock_provider):
    client = council_app.test_client()
    client.get("/login?lang=cy")
    answer, _ = through_the_mock(client, person_at(mock_provider, "stranger-cy", email="dieithryn@example.org",
                                                   email_verified=True))
    html = answer.get_data(as_text=True)
    assert answer.status_code == 403 and 'lang="cy"' in html
    assert "Nid oes gennych gyfrif ar y traciwr" in html and "dieithryn@example.org" in html


# ---- accounts made by signing in --------------------------------------------------------------

def test_accounts_are_made_only_for_the_named_domain(council_app, mock_provider):
    council_app.config["OIDC_CREATE_ACCOUNTS_DOMAIN"] = "Example.Gov.Wales"
    client = council_app.test_client()
    answer, _ = through_the_mock(client, person_at(mock_provider, "newcomer", email="Newydd@example.gov.wales",
                                                   email_verified=True, name="Nia Newydd"))
    assert answer.status_code == 302 and signed_in_as(client) == "Newydd@example.gov.wales"
    [made] = query(council_app, "SELECT * FROM users WHERE email = 'newydd@example.gov.wales'")
    assert (made["role"], made["name"], made["active"]) == ("inductee", "Nia Newydd", 1)
    assert query(council_app, "SELECT * FROM team_members WHERE inductee_id = ?", [made["id"]]) == []
    created = query(council_app, "SELECT actor_id FROM audit_log WHERE subject_id = ? AND action = 'user.created'",
                    [made["id"]])
    assert created == [{"actor_id": None}]  # audited, as made by no one
    outsider = council_app.test_client()
    answer, _ = through_the_mock(outsider, person_at(mock_provider, "outsider", email="someone@example.org.uk",
                                                     email_verified=True))
    refused(answer, 403, "You do not have a tracker account")
    lookalike = council_app.test_client()
    answer, _ = through_the_mock(lookalike, person_at(mock_provider, "lookalike", email="x@evil-example.gov.wales",
                                                      email_verified=True))
    refused(answer, 403, "You do not have a tracker account")


# ---- council sign-in off, and visitors already signed in -----------------------------------------

def test_with_council_sign_in_off_its_routes_lead_to_the_sign_in_page(tracker_app):
    client = tracker_app.test_client()
    assert "/login/oidc" not in client.get("/login").get_data(as_text=True)
    for path in ("/login/oidc", "/login/oidc/callback?code=a&state=b", "/login/break-glass"):
        response = client.get(path)
        assert response.status_code == 302 and response.location == "/login", path


def test_someone_signed_in_is_sent_home(council_app):
    client = council_app.test_client()
    assert login(client, "inductee@example.org").status_code == 302
    for path in ("/login/oidc", "/login/oidc/callback?code=a&state=b"):
        response = client.get(path)
        assert response.status_code == 302 and response.location == "/", path


# ---- local passwords off ----------------------------------------------------------------------

@pytest.fixture
def passwords_off(council_app):
    council_app.config.update(LOCAL_PASSWORDS=False, BREAK_GLASS_ADMIN="Admin@example.org")
    return council_app


def test_with_passwords_off_the_sign_in_page_shows_only_the_council_button(passwords_off):
    page = passwords_off.test_client().get("/login").get_data(as_text=True)
    assert "Sign in with Cyngor Sir Example / Example Council" in page
    assert 'name="password"' not in page and 'href="/login/break-glass"' in page


def test_with_passwords_off_no_one_else_signs_in_with_a_password(passwords_off):
    for path in ("/login", "/login/break-glass"):
        client = passwords_off.test_client()
        token = csrf_token(client.get("/login/break-glass").get_data(as_text=True))
        answer = client.post(path, data={"email": "inductee@example.org", "password": DEMO_PASSWORD,
                                         "csrf_token": token})
        assert answer.status_code == 400
        assert "Enter a correct email address and password" in answer.get_data(as_text=True)  # as for a wrong one
        assert signed_in_as(client) is None


def test_the_break_glass_administrator_still_can(passwords_off):
    client = passwords_off.test_client()
    page = client.get("/login/break-glass")
    assert page.status_code == 200 and "Break-glass sign-in" in page.get_data(as_text=True)
    answer = client.post("/login/break-glass", data={"email": "admin@example.org", "password": DEMO_PASSWORD,
                                                     "csrf_token": csrf_token(page.get_data(as_text=True))})
    assert answer.status_code == 302 and signed_in_as(client) == "admin@example.org"
    assert 'name="new_password"' in client.get("/account/password").get_data(as_text=True)


def test_with_passwords_off_a_password_cannot_be_changed(passwords_off, mock_provider):
    client = passwords_off.test_client()
    through_the_mock(client, person_at(mock_provider, "dafydd-nopw", email="inductee@example.org",
                                       email_verified=True))
    page = client.get("/account/password")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'name="new_password"' not in html
    assert "You sign in through the council" in html and "/account/export" in html
    before = query(passwords_off, "SELECT password_hash FROM users WHERE email = 'inductee@example.org'")
    answer = client.post("/account/password", data={
        "csrf_token": csrf_token(html), "current_password": DEMO_PASSWORD,
        "new_password": "a-new-long-password-2", "confirm_password": "a-new-long-password-2"})
    assert answer.status_code == 403
    assert query(passwords_off, "SELECT password_hash FROM users WHERE email = 'inductee@example.org'") == before


def test_local_passwords_allowed(passwords_off):
    with passwords_off.test_request_context():
        assert password_policy.local_passwords_allowed("admin@EXAMPLE.org ")
        assert not password_policy.local_passwords_allowed("inductee@example.org")
        assert not password_policy.local_passwords_allowed("")
        passwords_off.config["BREAK_GLASS_ADMIN"] = "manager@example.org"  # not an administrator: refused
        assert not password_policy.local_passwords_allowed("manager@example.org")
        passwords_off.config["LOCAL_PASSWORDS"] = "true"  # as from the environment
        assert password_policy.local_passwords_allowed("inductee@example.org")
        values = ("false", "0", "no", "off", False, "yes", True)
        assert [config.setting_on(v) for v in values] == [False] * 5 + [True] * 2


def test_the_callback_never_answers_500(council_app):
    client = council_app.test_client()
    to_the_provider(client)
    for query_string in ("", "code=", "state=", "error=", "error=x&error_description=%00", "code=a&state=%ff%fe",
                         "code=" + "a" * 5000 + "&state=b", "state[]=a", "error=access_denied&state=x"):
        assert client.get(f"/login/oidc/callback?{query_string}").status_code < 500, query_string
