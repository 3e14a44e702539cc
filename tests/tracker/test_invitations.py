"""Invitations (tracker/account_links.py): an administrator makes an account by form, CSV import or the
command line, never sees or sets a password, and the person is emailed a single-use link that expires,
read here out of the message that reaches a real SMTP server on 127.0.0.1."""
from __future__ import annotations

import io
import logging
import threading

import requests
from werkzeug.serving import make_server

from factories import expire_account_links
from helpers import choose_password, csrf_token, login, post, query, set_password_path, use_smtp
from tracker import accounts, audit
from tracker.db import get_db

NEW_PASSWORD = "my-own-password-42"


def invite_by_form(tracker_app, name="Nia New", email="nia@example.org"):
    admin = tracker_app.test_client()
    login(admin, "admin@example.org")
    response = post(admin, "/admin/users/new", {"name": name, "email": email, "role": "inductee"})
    assert response.status_code == 302
    return admin


def test_an_invited_person_chooses_their_password_and_is_signed_in(tracker_app, smtp_server):
    controller, inbox = smtp_server
    use_smtp(tracker_app, controller)
    admin = invite_by_form(tracker_app)
    [message] = inbox.wait_for(1)
    assert message["To"] == "nia@example.org"
    text = message.get_body(("plain",)).get_content()
    assert "Dear Nia New," in text and "Annwyl Nia New," in text  # no language chosen yet: Welsh, then English
    assert "The link works once, until" in text
    path = set_password_path(message)
    token = path.rsplit("/", 1)[1]
    assert "Invited (expires" in admin.get("/admin/users").get_data(as_text=True)

    person = tracker_app.test_client()
    for _ in range(2):  # opening the link (a mail system's scanner, say) does not use it up
        page = person.get(path)
        assert page.status_code == 200 and "nia@example.org" in page.get_data(as_text=True)
        assert page.headers["Referrer-Policy"] == "no-referrer"
    answer = choose_password(person, path, NEW_PASSWORD)
    assert answer.status_code == 302
    assert "Dafydd" not in person.get(answer.location, follow_redirects=True).get_data(as_text=True)
    assert person.get("/my-induction").status_code == 200  # signed in, on their own dashboard
    assert login(tracker_app.test_client(), "nia@example.org", NEW_PASSWORD).status_code == 302
    assert "Active" in admin.get("/admin/users").get_data(as_text=True)

    again = tracker_app.test_client().get(path)  # single use
    assert again.status_code == 410 and "already been chosen" in again.get_data(as_text=True)
    stored = query(tracker_app, "SELECT * FROM account_tokens")
    assert token not in str(stored)  # only the hash is kept
    actions = [(r["action"], r["detail"]) for r in query(tracker_app, "SELECT action, detail FROM audit_log")]
    assert "user.invited" in [a for a, _ in actions] and ("user.password_set_by_link", "purpose=invite") in actions
    assert "nia@example.org" not in str(actions) and token not in str(actions)
    result = tracker_app.test_cli_runner().invoke(args=["verify-audit"])
    assert result.exit_code == 0, result.output


def test_resending_an_invitation_stops_the_old_link(tracker_app, smtp_server):
    controller, inbox = smtp_server
    use_smtp(tracker_app, controller)
    admin = invite_by_form(tracker_app)
    first = set_password_path(inbox.wait_for(1)[0])
    nia = query(tracker_app, "SELECT id FROM users WHERE email = 'nia@example.org'")[0]["id"]
    users_page = admin.get("/admin/users").get_data(as_text=True)
    assert f"/admin/users/{nia}/invitation" in users_page and "Re-send invitation" in users_page
    assert post(admin, f"/admin/users/{nia}/invitation").status_code == 302
    second = set_password_path(inbox.wait_for(2)[1])
    assert first != second
    old = tracker_app.test_client().get(first)
    assert old.status_code == 410 and "a newer link was sent since" in old.get_data(as_text=True)
    assert choose_password(tracker_app.test_client(), second, NEW_PASSWORD).status_code == 302
    # someone with a password is not invited again
    assert post(admin, f"/admin/users/{nia}/invitation").status_code == 404


def test_an_expired_invitation_says_so_and_can_be_sent_again(tracker_app, smtp_server):
    controller, inbox = smtp_server
    use_smtp(tracker_app, controller)
    admin = invite_by_form(tracker_app)
    path = set_password_path(inbox.wait_for(1)[0])
    expire_account_links(tracker_app)  # the clock moved on: past expires_at in the file
    page = tracker_app.test_client().get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 410 and "The link has expired." in html and "send the invitation again" in html
    assert "Invitation expired" in admin.get("/admin/users").get_data(as_text=True)
    refused = tracker_app.test_client().post(path, data={"new_password": NEW_PASSWORD,
                                                         "confirm_password": NEW_PASSWORD})
    assert refused.status_code in (400, 410)
    assert query(tracker_app, "SELECT password_hash FROM users WHERE email = 'nia@example.org'")[0][
        "password_hash"] == accounts.NO_PASSWORD


def test_an_unknown_link_answers_404_with_what_to_do(tracker_app):
    page = tracker_app.test_client().get("/account/set-password/" + "x" * 43)
    assert page.status_code == 404 and "Check that you copied the whole link" in page.get_data(as_text=True)


def test_the_password_form_checks_what_was_typed(tracker_app, smtp_server):
    controller, inbox = smtp_server
    use_smtp(tracker_app, controller)
    invite_by_form(tracker_app)
    path = set_password_path(inbox.wait_for(1)[0])
    client = tracker_app.test_client()
    token = csrf_token(client.get(path).get_data(as_text=True))
    short = client.post(path, data={"csrf_token": token, "new_password": "short", "confirm_password": "short"})
    assert short.status_code == 400 and "at least 10 characters" in short.get_data(as_text=True)
    differ = client.post(path, data={"csrf_token": token, "new_password": NEW_PASSWORD, "confirm_password": "other"})
    assert differ.status_code == 400 and "The passwords do not match" in differ.get_data(as_text=True)
    assert client.get(path).status_code == 200  # still open


def test_csv_rows_without_a_password_are_invited(tracker_app, smtp_server):
    controller, inbox = smtp_server
    use_smtp(tracker_app, controller)
    admin = tracker_app.test_client()
    login(admin, "admin@example.org")
    csv_text = ("email,name,role,managers\n"
                "one@example.org,One Person,inductee,manager@example.org\n"
                "two@example.org,Two Person,manager,\n")
    page = post(admin, "/admin/users/import", {"csv_file": (io.BytesIO(csv_text.encode()), "users.csv")},
                content_type="multipart/form-data").get_data(as_text=True)
    assert "2 users imported" in page
    messages = inbox.wait_for(2)
    assert sorted(m["To"] for m in messages) == ["one@example.org", "two@example.org"]
    assert choose_password(tracker_app.test_client(), set_password_path(messages[0]), NEW_PASSWORD).status_code == 302


def test_the_command_line_invites_without_a_password_and_prints_the_link(tracker_app):
    """With no MAIL_SERVER the invitation goes to the outbox; the link is printed for the operator only."""
    runner = tracker_app.test_cli_runner()
    result = runner.invoke(args=["create-user", "--email", "cli@example.org", "--name", "Cli Person",
                                 "--role", "admin"])
    assert result.exit_code == 0, result.output
    assert "/account/set-password/" in result.output
    from tracker import mail
    with tracker_app.app_context():
        [name] = mail.outbox_names()
        message = mail.read_outbox(name)
    path = set_password_path(message)
    assert path in result.output
    assert choose_password(tracker_app.test_client(), path, NEW_PASSWORD).status_code == 302
    # the first administrator on a machine with no email: a password typed at the prompt, no invitation
    typed = runner.invoke(args=["create-user", "--email", "first@example.org", "--name", "First Admin",
                                "--role", "admin", "--password"], input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert typed.exit_code == 0, typed.output
    assert "/account/set-password/" not in typed.output
    assert login(tracker_app.test_client(), "first@example.org", NEW_PASSWORD).status_code == 302


def test_no_invitation_offers_a_password_when_passwords_are_off(tracker_app, smtp_server):
    controller, inbox = smtp_server
    use_smtp(tracker_app, controller)
    admin = tracker_app.test_client()
    login(admin, "admin@example.org")
    tracker_app.config.update(LOCAL_PASSWORDS=False, BREAK_GLASS_ADMIN="admin@example.org")
    response = post(admin, "/admin/users/new", {"name": "Nia New", "email": "nia@example.org", "role": "inductee"})
    assert "signs in through the council" in admin.get(response.location).get_data(as_text=True)
    assert inbox.messages == []


def test_the_token_never_reaches_the_request_log(tracker_app, smtp_server, caplog):
    controller, inbox = smtp_server
    use_smtp(tracker_app, controller)
    invite_by_form(tracker_app)
    path = set_password_path(inbox.wait_for(1)[0])
    server = make_server("127.0.0.1", 0, tracker_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            assert requests.get(f"http://127.0.0.1:{server.server_port}{path}", timeout=60).status_code == 200
    finally:
        server.shutdown()
        server.server_close()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "/account/set-password/[token]" in logged
    assert path.rsplit("/", 1)[1] not in logged


def test_the_audit_chain_verifies_after_invitations(tracker_app):
    with tracker_app.app_context():
        assert audit.verify(get_db(), audit.app_keys()[1]) == []
