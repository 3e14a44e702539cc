"""Password reset from the sign-in page (tracker/account_links.py): the same page and at least the same time
whether or not the address has an account, a single-use link that expires, read out of the message that
reaches a real SMTP server on 127.0.0.1, throttled per address and per client, every session ended."""
from __future__ import annotations

import time

from helpers import DEMO_PASSWORD, choose_password, csrf_token, login, query, set_password_path, use_smtp
from tracker.db import get_db, writing

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
    with tracker_app.app_context(), writing(get_db()) as db:
        db.conn.execute("UPDATE account_tokens SET expires_at = '2020-01-01T00:00:00Z'")
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
