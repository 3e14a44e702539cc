"""Password reset from the sign-in page (tracker/account_links.py): the same page and at least the same time
whether or not the address has an account, a single-use link that expires, read out of the message that
reaches a real SMTP server on 127.0.0.1, throttled per address and per client, every session ended."""
from __future__ import annotations

import time

from factories import expire_account_links
from helpers import DEMO_PASSWORD, choose_password, csrf_token, login, post, query, set_password_path, use_smtp
from tracker.db import get_db

NEW_PASSWORD = "a-brand-new-password-7"
FLOOR = 0.4  # RESET_MIN_SECONDS in these tests


def ask_for_reset(app, email: str, client=None):
    client = client or app.test_client()
    page = client.get("/account/forgotten-password")
    started = time.monotonic()
    response = client.post("/account/forgotten-password",
                           data={"csrf_token": csrf_token(page.get_data(as_text=True)), "email": email})
    return response, time.monotonic() - started


def test_a_person_resets_their_password_and_every_other_session_ends(tracker_app, smtp_server):
    controller, inbox = smtp_server
    use_smtp(tracker_app, controller)
    tracker_app.config["RESET_MIN_SECONDS"] = FLOOR
    elsewhere = tracker_app.test_client()
    login(elsewhere, "inductee@example.org")
    assert elsewhere.get("/my-induction").status_code == 200
    assert 'href="/account/forgotten-password"' in tracker_app.test_client().get("/login").get_data(as_text=True)

    response, _ = ask_for_reset(tracker_app, "Inductee@Example.org")
    assert response.status_code == 200 and "If that address has an account" in response.get_data(as_text=True)
    [message] = inbox.wait_for(1)
    assert message["To"] == "inductee@example.org"
    text = message.get_body(("plain",)).get_content()
    assert "Dear Dafydd Morgan," in text and "60 minutes" in text
    path = set_password_path(message)
    page = tracker_app.test_client().get(path)
    assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"

    person = tracker_app.test_client()
    assert choose_password(person, path, NEW_PASSWORD).status_code == 302
    assert person.get("/my-induction").status_code == 200
    assert elsewhere.get("/my-induction").status_code == 302  # the other session was ended
    assert login(tracker_app.test_client(), "inductee@example.org", DEMO_PASSWORD).status_code != 302
    assert login(tracker_app.test_client(), "inductee@example.org", NEW_PASSWORD).status_code == 302
    assert tracker_app.test_client().get(path).status_code == 410  # single use
    actions = [r["action"] for r in query(tracker_app, "SELECT action FROM audit_log")]
    assert "user.reset_requested" in actions and "user.password_set_by_link" in actions
    assert tracker_app.test_cli_runner().invoke(args=["verify-audit"]).exit_code == 0


def test_an_unknown_address_gets_the_same_page_in_at_least_the_same_time(tracker_app, smtp_server):
    controller, inbox = smtp_server
    use_smtp(tracker_app, controller)
    tracker_app.config["RESET_MIN_SECONDS"] = FLOOR
    known, known_took = ask_for_reset(tracker_app, "inductee2@example.org")
    unknown, unknown_took = ask_for_reset(tracker_app, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    strip = lambda r: r.get_data(as_text=True).split('name="csrf_token"')[0]  # noqa: E731
    assert strip(known) == strip(unknown)
    assert known_took >= FLOOR and unknown_took >= FLOOR
    assert [m["To"] for m in inbox.wait_for(1)] == ["inductee2@example.org"]
    time.sleep(0.5)
    assert len(inbox.messages) == 1


def test_requests_are_throttled_per_address_and_per_client(tracker_app, smtp_server):
    controller, inbox = smtp_server
    use_smtp(tracker_app, controller)
    tracker_app.config.update(RESET_MIN_SECONDS=0, RESET_MAX_PER_ADDRESS=2, RESET_MAX_PER_CLIENT=4)
    for _ in range(3):
        response, _ = ask_for_reset(tracker_app, "inductee@example.org")
        assert response.status_code == 200 and "If that address has an account" in response.get_data(as_text=True)
    inbox.wait_for(2)
    for email in ("inductee2@example.org", "manager@example.org"):  # the client's 4th and 5th requests
        ask_for_reset(tracker_app, email)
    messages = inbox.wait_for(3)
    time.sleep(0.5)
    assert [m["To"] for m in messages] == ["inductee@example.org"] * 2 + ["inductee2@example.org"]
    stored = str(query(tracker_app, "SELECT * FROM reset_requests"))
    assert "inductee" not in stored and "127.0.0.1" not in stored  # keyed hashes only


def test_an_expired_reset_link_says_so(tracker_app, smtp_server):
    controller, inbox = smtp_server
    use_smtp(tracker_app, controller)
    tracker_app.config["RESET_MIN_SECONDS"] = 0
    ask_for_reset(tracker_app, "inductee@example.org")
    path = set_password_path(inbox.wait_for(1)[0])
    expire_account_links(tracker_app)
    page = tracker_app.test_client().get(path)
    assert page.status_code == 410 and "The link has expired." in page.get_data(as_text=True)


def test_a_new_reset_link_replaces_the_older_one(tracker_app, smtp_server):
    controller, inbox = smtp_server
    use_smtp(tracker_app, controller)
    tracker_app.config["RESET_MIN_SECONDS"] = 0
    ask_for_reset(tracker_app, "inductee@example.org")
    ask_for_reset(tracker_app, "inductee@example.org")
    first, second = (set_password_path(m) for m in inbox.wait_for(2))
    assert tracker_app.test_client().get(first).status_code == 410
    assert tracker_app.test_client().get(second).status_code == 200


def test_no_reset_is_sent_when_passwords_are_off(tracker_app, smtp_server):
    controller, inbox = smtp_server
    use_smtp(tracker_app, controller)
    tracker_app.config.update(RESET_MIN_SECONDS=0, LOCAL_PASSWORDS=False, BREAK_GLASS_ADMIN="admin@example.org")
    response, _ = ask_for_reset(tracker_app, "inductee@example.org")
    assert response.status_code == 200
    time.sleep(0.5)
    assert inbox.messages == []


# ---- a reset link ends with the password it was asked for ---------------------------------------

def change_password(client, current: str, new: str):
    page = client.get("/account/password")
    return client.post("/account/password", data={"csrf_token": csrf_token(page.get_data(as_text=True)),
                                                  "current_password": current, "new_password": new,
                                                  "confirm_password": new})


def test_changing_the_password_ends_every_outstanding_reset_link(tracker_app, smtp_server):
    """A link asked for (by the person, or by someone who has read their email) before a password change
    must not be a way back in after it, nor after signing out."""
    controller, inbox = smtp_server
    use_smtp(tracker_app, controller)
    tracker_app.config["RESET_MIN_SECONDS"] = 0
    ask_for_reset(tracker_app, "inductee@example.org")
    path = set_password_path(inbox.wait_for(1)[0])
    person = tracker_app.test_client()
    login(person, "inductee@example.org")
    assert change_password(person, DEMO_PASSWORD, NEW_PASSWORD).status_code == 302
    page = tracker_app.test_client().get(path)
    assert page.status_code == 410 and "the password was changed" in page.get_data(as_text=True)
    assert login(tracker_app.test_client(), "inductee@example.org", NEW_PASSWORD).status_code == 302


def test_using_an_invitation_ends_an_outstanding_reset_link_and_the_other_way_round(tracker_app, smtp_server):
    controller, inbox = smtp_server
    use_smtp(tracker_app, controller)
    tracker_app.config["RESET_MIN_SECONDS"] = 0
    invited = query(tracker_app, "SELECT id FROM users WHERE email = 'newstarter@example.org'")[0]["id"]
    from tracker import account_links
    with tracker_app.test_request_context():
        account_links.invite(get_db(), invited, None)  # an invitation, and then a reset for the same person
    ask_for_reset(tracker_app, "newstarter@example.org")
    invitation, reset = (set_password_path(m) for m in inbox.wait_for(2))
    assert choose_password(tracker_app.test_client(), reset, NEW_PASSWORD).status_code == 302
    assert tracker_app.test_client().get(invitation).status_code == 410


def test_an_administrator_reset_ends_the_password_sessions_and_links_and_emails_only_the_person(
        tracker_app, smtp_server, signed_in):
    controller, inbox = smtp_server
    use_smtp(tracker_app, controller)
    tracker_app.config["RESET_MIN_SECONDS"] = 0
    ask_for_reset(tracker_app, "inductee@example.org")
    earlier = set_password_path(inbox.wait_for(1)[0])
    session = signed_in("inductee@example.org")
    admin = signed_in("admin@example.org")
    dafydd = query(tracker_app, "SELECT id FROM users WHERE email = 'inductee@example.org'")[0]["id"]
    confirm = admin.get(f"/admin/users/{dafydd}/reset-password")
    assert confirm.status_code == 200 and "You do not see the link" in confirm.get_data(as_text=True)
    done = admin.post(f"/admin/users/{dafydd}/reset-password",
                      data={"csrf_token": csrf_token(confirm.get_data(as_text=True))}, follow_redirects=True)
    shown = done.get_data(as_text=True)
    assert "password has been reset" in shown and "/account/set-password" not in shown
    messages = inbox.wait_for(2)
    assert [m["To"] for m in messages] == ["inductee@example.org", "inductee@example.org"]
    newest = set_password_path(messages[1])
    users = admin.get("/admin/users").get_data(as_text=True)
    assert "/account/set-password" not in users and "Password reset: link sent" in users
    # not an "invitation" to someone whose account exists: the Users page offers another reset instead
    assert f"/admin/users/{dafydd}/invitation" not in users and f"/admin/users/{dafydd}/reset-password" in users
    assert post(admin, f"/admin/users/{dafydd}/invitation").status_code == 404
    assert session.get("/my-induction").status_code == 302  # their session ended
    assert login(tracker_app.test_client(), "inductee@example.org").status_code == 400  # the old password too
    assert tracker_app.test_client().get(earlier).status_code == 410
    assert choose_password(tracker_app.test_client(), newest, NEW_PASSWORD).status_code == 302
    assert query(tracker_app, "SELECT * FROM audit_log WHERE action = 'user.password_reset_by_admin'"
                              " AND subject_id = ?", [dafydd])
    for other in ("manager@example.org", "inductee2@example.org"):
        assert signed_in(other).post(f"/admin/users/{dafydd}/reset-password").status_code in (400, 403)


# ---- the same cost whatever the address, and email never on the request's thread -----------------

def hung_smtp_server():
    """A server that accepts connections and never says a word: an SMTP client waits for its timeout."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(50)
    held = []

    def accept():
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            held.append(connection)

    threading.Thread(target=accept, daemon=True).start()
    return listener, held


def test_a_hung_mail_server_slows_no_page_and_known_and_unknown_addresses_take_the_same_time(tmp_path,
                                                                                            demo_database):
    """Behind an SMTP server that never answers, a reset for a known address once took the mail timeout
    (30 s against 1 s for an unknown one), and ten of them held every server thread. Now the request only
    queues the email; the worker thread waits on the server, not the person."""
    import statistics
    import threading

    from conftest import demo_app
    listener, held = hung_smtp_server()
    app = demo_app(tmp_path, demo_database)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=listener.getsockname()[1], MAIL_SECURITY="none",
                      MAIL_TIMEOUT=30, MAIL_WORKER="thread", RESET_MIN_SECONDS=FLOOR)
    try:
        times: dict[str, list[float]] = {"known": [], "unknown": []}
        addresses = ["inductee@example.org", "inductee2@example.org", "cymraeg@example.org", "manager@example.org",
                     "admin@example.org"]

        def ask(kind: str, email: str):
            response, took = ask_for_reset(app, email)
            assert response.status_code == 200
            times[kind].append(took)

        threads = [threading.Thread(target=ask, args=("known", a)) for a in addresses * 2]
        threads += [threading.Thread(target=ask, args=("unknown", f"nobody{n}@example.org")) for n in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert len(times["known"]) == len(times["unknown"]) == 10
        assert max(times["known"]) < FLOOR + 10 and max(times["unknown"]) < FLOOR + 10, times  # never the 30 s
        known, unknown = statistics.median(times["known"]), statistics.median(times["unknown"])
        assert 0.5 <= known / unknown <= 2, times
        started = time.monotonic()
        assert app.test_client().get("/login").status_code == 200
        assert time.monotonic() - started < 5
        assert query(app, "SELECT count(*) AS n FROM mail_queue")[0]["n"] >= 1  # waiting for a server that answers
    finally:
        if "mail_worker" in app.extensions:
            app.extensions["mail_worker"].stop(timeout=0)  # it ends once its attempt on the hung server fails
        listener.close()
        for connection in held:
            connection.close()
