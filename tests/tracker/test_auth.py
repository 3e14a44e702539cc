"""Sign-in and sessions: signing in and out, lockout per address and client, passwords (argon2, changing
them ends other sessions), session cookies and idle timeout, no open redirects, nothing that tells an
unknown address from a wrong password or a lockout."""
from __future__ import annotations

from helpers import DEMO_PASSWORD, csrf_token, login, post
from tracker import accounts
from tracker.db import get_db


def test_sign_in_and_out(tracker_app):
    client = tracker_app.test_client()
    assert client.get("/my-induction").status_code == 302
    response = login(client, "inductee@example.org")
    assert response.status_code == 302 and response.location == "/"
    assert "My induction" in client.get("/my-induction").get_data(as_text=True)
    assert post(client, "/logout", {}).status_code == 302
    assert client.get("/my-induction").status_code == 302


def test_wrong_password_gives_a_message_and_keeps_the_email(tracker_app):
    client = tracker_app.test_client()
    response = login(client, "inductee@example.org", "not-the-password")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter a correct email address and password" in html
    assert 'value="inductee@example.org"' in html


def client_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_failures_lock_that_address_from_that_client_only(tracker_app):
    cheap_hashes(tracker_app)
    attacker, colleague = client_at(tracker_app, "203.0.113.9"), client_at(tracker_app, "198.51.100.7")
    for _ in range(tracker_app.config["LOGIN_MAX_FAILURES"]):
        assert login(attacker, "inductee@example.org", "wrong-password").status_code == 400
    refused = login(attacker, "inductee@example.org")  # even the right password, from there
    assert refused.status_code == 400 and "wait 15 minutes" in refused.get_data(as_text=True)
    assert login(colleague, "inductee@example.org").status_code == 302  # the real user, elsewhere: signed in
    assert login(client_at(tracker_app, "203.0.113.9"), "inductee2@example.org").status_code == 302  # other accounts
    with tracker_app.app_context():
        db = get_db()
        dafydd = tracker_app.config["DEMO_IDS"]["inductee@example.org"]
        locked = list(db.query("SELECT * FROM audit_log WHERE action = 'user.locked_out'"))
        assert [e["subject_id"] for e in locked] == [dafydd]
        rows = db.execute("SELECT * FROM login_failures").fetchall()
        assert "inductee@example.org" not in repr(rows) and "203.0.113.9" not in repr(rows)  # keyed hashes only
        db.execute("UPDATE login_failures SET locked_until = '2000-01-01T00:00:00+00:00'")
        db.conn.commit()
    assert login(client_at(tracker_app, "203.0.113.9"), "inductee@example.org").status_code == 302  # the lock expires


def test_behind_a_trusted_proxy_the_client_is_the_forwarded_address(tracker_app):
    from tracker import create_app
    cheap_hashes(tracker_app)
    behind = create_app({**tracker_app.config, "TRUSTED_PROXIES": 1})
    for _ in range(behind.config["LOGIN_MAX_FAILURES"]):
        assert _login_via(behind, "203.0.113.9", "wrong-password").status_code == 400
    assert _login_via(behind, "203.0.113.9", DEMO_PASSWORD).status_code == 400  # locked for that client
    assert _login_via(behind, "198.51.100.7", DEMO_PASSWORD).status_code == 302  # same proxy, other client


def _login_via(app, forwarded_for: str, password: str):
    client = client_at(app, "127.0.0.1")  # every request comes from the proxy
    client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return login(client, "inductee@example.org", password)


def test_sign_in_starts_a_new_session(tracker_app):
    client = tracker_app.test_client()
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, "inductee@example.org")
    with client.session_transaction() as session:
        assert "planted" not in session


def test_session_cookie_is_httponly_and_samesite(tracker_app):
    client = tracker_app.test_client()
    response = login(client, "inductee@example.org")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_change_password_ends_other_sessions(tracker_app):
    first, second = tracker_app.test_client(), tracker_app.test_client()
    login(first, "inductee@example.org")
    login(second, "inductee@example.org")
    response = post(first, "/account/password", {
        "current_password": DEMO_PASSWORD, "new_password": "a-brand-new-password",
        "confirm_password": "a-brand-new-password"})
    assert response.status_code == 302
    assert first.get("/my-induction").status_code == 200
    assert second.get("/my-induction").status_code == 302  # signed out
    assert login(tracker_app.test_client(), "inductee@example.org", "a-brand-new-password").status_code == 302


def test_change_password_errors(tracker_app):
    client = tracker_app.test_client()
    login(client, "inductee@example.org")
    html = post(client, "/account/password", {
        "current_password": "wrong", "new_password": "short", "confirm_password": "different"}).get_data(as_text=True)
    assert "Password must be at least 10 characters" in html
    assert "The passwords do not match" in html


def test_passwords_are_hashed_with_argon2(tracker_app):
    with tracker_app.app_context():
        row = accounts.find_by_email(get_db(), "inductee@example.org")
    assert row["password_hash"].startswith("$argon2id$") and DEMO_PASSWORD not in row["password_hash"]


def test_idle_sessions_time_out(tracker_app):
    import datetime as dt
    import time
    tracker_app.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(seconds=1)
    client = tracker_app.test_client()
    login(client, "inductee@example.org")
    assert client.get("/my-induction").status_code == 200
    time.sleep(2.1)
    assert client.get("/my-induction").status_code == 302


def test_secure_cookie_setting_marks_the_session_cookie_secure(tracker_app):
    tracker_app.config["SESSION_COOKIE_SECURE"] = True
    response = login(tracker_app.test_client(), "inductee@example.org")
    assert "Secure" in response.headers["Set-Cookie"]


# ---- redirects, sign-out and what a failed sign-in gives away --------------------------------------

OPEN_REDIRECTS = [
    "//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example", "/\\/evil.example",
    "/\t/evil.example", "/%09/evil.example", "\t//evil.example", " //evil.example", "/ /evil.example",
    "/\n/evil.example", "/\r\n/evil.example", "/\x00/evil.example", "/\x0b/evil.example", "/\u3000/evil.example",
    "/\u200b/evil.example", "/\u00a0/evil.example", "http://evil.example", "https:evil.example", "HTTP://evil.example",
    "javascript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)", "//evil.example/%2F..", "evil.example",
    "/\r\nSet-Cookie: planted=1", "\r\nLocation: http://evil.example", "%2F%2Fevil.example", "",
]


def browser_target(location: str) -> tuple[str, str]:
    """The scheme and host a browser would go to from this Location (WHATWG URL parsing drops
    tabs and newlines, strips leading spaces and control characters and reads \\ as /)."""
    from urllib.parse import urlsplit
    cleaned = "".join(c for c in location if c not in "\t\n\r").lstrip("".join(map(chr, range(33)))).replace("\\", "/")
    parts = urlsplit(cleaned)
    return parts.scheme, parts.netloc


def cheap_hashes(app) -> None:
    """Give the demo accounts argon2 hashes with small parameters (verification reads them from
    the hash), for tests that sign in many times and are not about hashing."""
    from argon2 import PasswordHasher
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(DEMO_PASSWORD)
    with app.app_context():
        get_db().execute("UPDATE users SET password_hash = ?", [cheap])
        get_db().conn.commit()


def test_sign_in_never_redirects_off_the_site(tracker_app):
    cheap_hashes(tracker_app)
    for target in OPEN_REDIRECTS:
        client = tracker_app.test_client()
        token = csrf_token(client.get("/login").get_data(as_text=True))
        response = client.post("/login", query_string={"next": target},
                               data={"email": "inductee@example.org", "password": DEMO_PASSWORD, "csrf_token": token})
        assert response.status_code == 302, (target, response.status_code)
        location = response.headers["Location"]
        assert location.startswith("/") and not location.startswith("//"), (target, location)
        assert browser_target(location) == ("", ""), (target, location)
        assert not any(c in location for c in "\r\n\t\\"), (target, location)
    client = tracker_app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    kept = client.post("/login", query_string={"next": "/records/1/1.4?tab=evidence"},
                       data={"email": "inductee@example.org", "password": DEMO_PASSWORD, "csrf_token": token})
    assert kept.headers["Location"] == "/records/1/1.4?tab=evidence"  # a local path is kept


def test_sign_out_ends_the_session_on_the_server(tracker_app):
    client = tracker_app.test_client()
    login(client, "inductee@example.org")
    dafydd = tracker_app.config["DEMO_IDS"]["inductee@example.org"]
    token = csrf_token(client.get("/account/password").get_data(as_text=True))
    copied = client.get_cookie("session").value  # what someone could have copied before sign-out
    assert post(client, "/logout", {}).status_code == 302
    replay = tracker_app.test_client()
    replay.set_cookie("session", copied)
    response = replay.get("/my-induction")
    assert response.status_code == 302 and "/login" in response.location
    with tracker_app.app_context():
        before = list(get_db().query("SELECT * FROM records ORDER BY id"))
    write = replay.post(f"/records/{dafydd}/1.4/notes", data={"csrf_token": token, "notes": "written after sign-out"})
    assert write.status_code == 302 and "/login" in write.location
    with tracker_app.app_context():
        assert list(get_db().query("SELECT * FROM records ORDER BY id")) == before
    assert login(tracker_app.test_client(), "inductee@example.org").status_code == 302  # signing in again works


def _normalised(html: str, email: str) -> str:
    """The page with what legitimately differs removed: the address typed and the CSRF token."""
    import re
    return re.sub(r'name="csrf_token" (type="hidden" )?value="[^"]+"', "", html).replace(email, "EMAIL")


def test_unknown_address_wrong_password_and_locked_look_the_same(tracker_app):
    cheap_hashes(tracker_app)
    for _ in range(tracker_app.config["LOGIN_MAX_FAILURES"]):
        login(client_at(tracker_app, "192.0.2.50"), "inductee2@example.org", "wrong-password")
    answers = {
        "unknown": (login(client_at(tracker_app, "192.0.2.10"), "nobody@example.org", "any-password-1"),
                    "nobody@example.org"),
        "wrong": (login(client_at(tracker_app, "192.0.2.11"), "inductee@example.org", "wrong-password"),
                  "inductee@example.org"),
        "locked": (login(client_at(tracker_app, "192.0.2.50"), "inductee2@example.org"), "inductee2@example.org"),
    }
    pages = {name: _normalised(response.get_data(as_text=True), email) for name, (response, email) in answers.items()}
    assert {response.status_code for response, _ in answers.values()} == {400}
    assert pages["unknown"] == pages["wrong"] == pages["locked"]
    assert "Enter a correct email address and password" in pages["unknown"] and "locked" not in pages["unknown"].lower()


def test_unknown_address_wrong_password_and_locked_take_the_same_time(tracker_app):
    """Real argon2 hashes and the configured failure delay. Medians of several tries, interleaved,
    with a wide tolerance: the machine may be busy, but a missing hash check or delay is a factor
    of two or more."""
    import statistics
    import time

    from tracker import DEFAULT_LOGIN_FAILURE_DELAY
    tracker_app.config["LOGIN_FAILURE_DELAY"] = DEFAULT_LOGIN_FAILURE_DELAY  # as configured for production
    tracker_app.config["LOGIN_MAX_FAILURES"] = 2
    for _ in range(2):
        login(client_at(tracker_app, "192.0.2.99"), "inductee2@example.org", "wrong-password")
    cases = {
        "unknown": lambda n: ("192.0.2.1", f"nobody{n}@example.org", "wrong-password"),
        "wrong": lambda n: (f"192.0.2.{20 + n}", "inductee@example.org", "wrong-password"),  # a new client each time
        "locked": lambda n: ("192.0.2.99", "inductee2@example.org", DEMO_PASSWORD),
        # invited, no password chosen yet: once answered in half the time, so an address could be found
        "invited": lambda n: (f"192.0.2.{40 + n}", "newstarter@example.org", "any-password-1"),
    }
    times = {name: [] for name in cases}
    for n in range(5):
        for name, case in cases.items():
            address, email, password = case(n)
            client = client_at(tracker_app, address)
            token = csrf_token(client.get("/login").get_data(as_text=True))
            started = time.perf_counter()
            response = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
            times[name].append(time.perf_counter() - started)
            assert response.status_code == 400, name
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name in ("unknown", "locked"):
        assert 0.5 <= medians[name] / medians["wrong"] <= 2, medians
    assert 0.75 <= medians["invited"] / medians["wrong"] <= 1.5, medians  # the same argon2 check and delay
