"""Outgoing email against a real SMTP server on 127.0.0.1 (aiosmtpd), with and without STARTTLS and
authentication, and the embedded default: the outbox folder and its administrators' page. Every message
is queued in the database in the change's transaction and sent by the worker (deliver_mail here)."""
from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import re

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from factories import mail_due_now
from helpers import Inbox, csrf_token, deliver_mail, free_port, query
from tracker import mail
from tracker.db import get_db, writing

WELSH_SUBJECT = "Neges brawf gan y traciwr sefydlu"
ENGLISH_SUBJECT = "Test message from the induction tracker"


def self_signed_certificate(folder):
    """A certificate for 127.0.0.1 and its key, as PEM files (the test is its own CA)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
                   .not_valid_after(now + dt.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def parts(message) -> tuple[str, str]:
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def user(app, email_address: str) -> dict:
    with app.app_context():
        [row] = get_db()["users"].rows_where("email = ?", [email_address])
        return row


def queue_to(app, person: dict, template: str = "test_message", **context) -> None:
    with app.app_context():
        db = get_db()
        with writing(db):
            mail.queue_to_user(db, person, template, **context)


def queue_address(app, address: str, languages: list[str], template: str = "test_message", **context) -> None:
    with app.app_context():
        db = get_db()
        with writing(db):
            mail.queue(db, address, languages, template, **context)


def test_a_message_reaches_a_real_smtp_server_in_text_and_html(tracker_app, smtp_server):
    controller, inbox = smtp_server
    tracker_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_SECURITY="none",
                              MAIL_FROM="EWS tracker <tracker@example.org>")
    queue_to(tracker_app, user(tracker_app, "inductee@example.org"))
    assert deliver_mail(tracker_app) == (1, 0)
    message = inbox.wait_for(1)[0]
    assert message["To"] == "inductee@example.org"
    assert message["From"] == "EWS tracker <tracker@example.org>"
    assert message["Auto-Submitted"] == "auto-generated"
    text, html = parts(message)
    assert "test message" in text and "test message" in html
    with tracker_app.app_context():
        assert mail.outbox_names() == []  # sent, not kept
    assert query(tracker_app, "SELECT * FROM mail_queue") == []  # and gone from the queue


def test_starttls_and_authentication(tracker_app, tmp_path):
    import ssl

    cert_file, key_file = self_signed_certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.login == b"tracker" and auth_data.password == b"s3cret-pass")

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), tls_context=context,
                            require_starttls=True, authenticator=authenticator, auth_require_tls=True)
    controller.start()
    try:
        tracker_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_SECURITY="starttls",
                                  MAIL_CA_FILE=str(cert_file), MAIL_USERNAME="tracker", MAIL_PASSWORD="s3cret-pass")
        queue_address(tracker_app, "someone@example.org", ["en"])
        assert deliver_mail(tracker_app) == (1, 0)
        assert inbox.wait_for(1)[0]["Subject"] == ENGLISH_SUBJECT
        assert logins == [(b"tracker", b"s3cret-pass")]

        tracker_app.config["MAIL_PASSWORD"] = "wrong"
        message = mail.build  # the same message, built and delivered at once (as send-test-email does)
        with tracker_app.test_request_context(), pytest.raises(mail.MailError):
            mail.deliver(message("someone@example.org", ["en"], "test_message"))
        tracker_app.config.update(MAIL_PASSWORD="s3cret-pass", MAIL_CA_FILE="")  # a certificate nobody vouches for
        with tracker_app.test_request_context(), pytest.raises(mail.MailError):
            mail.deliver(message("someone@example.org", ["en"], "test_message"))
        assert len(inbox.messages) == 1
    finally:
        controller.stop()


def test_an_unreachable_server_keeps_the_message_queued_and_the_log_names_nobody(tracker_app, caplog, smtp_server):
    tracker_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_SECURITY="none", MAIL_TIMEOUT=5)
    caplog.set_level(logging.DEBUG)
    queue_to(tracker_app, user(tracker_app, "inductee@example.org"))
    assert deliver_mail(tracker_app) == (0, 1)
    assert "inductee@example.org" not in caplog.text and "Dafydd" not in caplog.text
    [row] = query(tracker_app, "SELECT * FROM mail_queue")
    assert row["attempts"] == 1 and row["last_error"] == "ConnectionRefusedError" and row["failed_at"] is None
    assert deliver_mail(tracker_app) == (0, 0)  # not due again yet: no server is asked once per page
    # the server is back: once the retry is due, the message goes, once
    controller, inbox = smtp_server
    tracker_app.config["MAIL_PORT"] = controller.port
    mail_due_now(tracker_app)
    assert deliver_mail(tracker_app) == (1, 0)
    assert len(inbox.wait_for(1)) == 1 and query(tracker_app, "SELECT * FROM mail_queue") == []


def test_a_message_is_given_up_after_the_set_number_of_tries_and_the_outbox_page_says_so(tracker_app, signed_in):
    tracker_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_SECURITY="none", MAIL_TIMEOUT=5,
                              MAIL_MAX_ATTEMPTS=2)
    queue_to(tracker_app, user(tracker_app, "inductee@example.org"))
    for _ in range(2):
        mail_due_now(tracker_app)
        assert deliver_mail(tracker_app) == (0, 1)
    [row] = query(tracker_app, "SELECT * FROM mail_queue")
    assert row["failed_at"] and row["attempts"] == 2
    page = signed_in("admin@example.org").get("/admin/outbox/").get_data(as_text=True)
    page = page.replace("<wbr>", "")  # the break points in addresses
    assert "Not sent" in page and "inductee@example.org" in page and "ConnectionRefusedError" in page


def test_a_queued_message_is_kept_encrypted(tracker_app):
    """A copy of the database alone (a backup taken while a reset email waits) does not give away its link."""
    queue_to(tracker_app, user(tracker_app, "inductee@example.org"), "password_reset",
             link="http://localhost/account/set-password/SECRET-TOKEN-VALUE", minutes=60,
             expires_at=dt.datetime(2026, 12, 8, 10, 0))
    raw = open(tracker_app.config["DATABASE"], "rb").read() + open(tracker_app.config["DATABASE"] + "-wal", "rb").read()
    assert b"SECRET-TOKEN-VALUE" not in raw and b"inductee@example.org\r\n" not in raw
    deliver_mail(tracker_app)
    with tracker_app.app_context():
        text = mail.read_outbox(mail.outbox_names()[0]).get_body(("plain",)).get_content()
    assert "SECRET-TOKEN-VALUE" in text


def test_without_a_server_messages_go_to_the_outbox_in_both_languages_welsh_first(tracker_app):
    person = user(tracker_app, "inductee@example.org")
    assert person["language"] is None
    queue_to(tracker_app, person)
    deliver_mail(tracker_app)
    with tracker_app.app_context():
        [name] = mail.outbox_names()
        message = mail.read_outbox(name)
    assert message["Subject"] == f"{WELSH_SUBJECT} / {ENGLISH_SUBJECT}"
    text, html = parts(message)
    assert text.index("Neges brawf yw hon") < text.index("This is a test message")
    assert html.index('lang="cy"') < html.index('lang="en-GB"')


def test_a_person_who_chose_welsh_gets_welsh_only(tracker_app):
    queue_to(tracker_app, user(tracker_app, "cymraeg@example.org"))
    deliver_mail(tracker_app)
    with tracker_app.app_context():
        message = mail.read_outbox(mail.outbox_names()[0])
    assert message["Subject"] == WELSH_SUBJECT
    assert message["Content-Language"] == "cy"
    assert "test message" not in parts(message)[0]


def test_the_outbox_page_lists_and_shows_messages_to_administrators_only(tracker_app, signed_in):
    admin = signed_in("admin@example.org")
    page = admin.get("/admin/outbox/")
    assert "No messages yet" in page.get_data(as_text=True)
    sent = admin.post("/admin/outbox/test", data={"csrf_token": csrf_token(page.get_data(as_text=True))},
                      follow_redirects=True)
    listing = sent.get_data(as_text=True)
    assert "A test message to admin@example.org is on its way" in listing
    assert "Waiting to be sent" in listing  # queued: the worker sends it, not the request
    deliver_mail(tracker_app)
    listing = admin.get("/admin/outbox/").get_data(as_text=True)
    with tracker_app.app_context():
        [name] = mail.outbox_names()
    assert f"/admin/outbox/{name}" in listing and "Waiting to be sent" not in listing
    shown = admin.get(f"/admin/outbox/{name}").get_data(as_text=True)
    assert "check that the tracker" in shown
    assert admin.get("/admin/outbox/..%2Fsecret_key").status_code == 404
    assert admin.get("/admin/outbox/nothing.eml").status_code == 404
    for other in ("inductee@example.org", "manager@example.org"):
        assert signed_in(other).get(f"/admin/outbox/{name}").status_code == 403


def test_send_test_email_command(tracker_app, smtp_server):
    controller, inbox = smtp_server
    tracker_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_SECURITY="none")
    result = tracker_app.test_cli_runner().invoke(args=["send-test-email", "check@example.org"])
    assert result.exit_code == 0, result.output
    assert inbox.wait_for(1)[0]["Subject"] == f"{WELSH_SUBJECT} / {ENGLISH_SUBJECT}"


def test_links_in_messages_use_the_public_address(tracker_app):
    tracker_app.config["PUBLIC_URL"] = "https://tracker.example.org/ews"
    with tracker_app.test_request_context(base_url="http://localhost/"):  # never the request's own address
        assert mail.external_url("auth.login") == "https://tracker.example.org/ews/login"
    tracker_app.config["PUBLIC_URL"] = ""
    with tracker_app.test_request_context(), pytest.raises(mail.NoPublicAddress):
        mail.external_url("auth.login")


def test_the_outbox_page_never_shows_a_usable_link(tracker_app, signed_in):
    """An administrator must not be able to follow someone's invitation, reset or witness link from the
    Outbox page; the .eml file on the server keeps it for the operator."""
    token = "Zq3tV9xY_k2LmN8pQr5sT7uVwX0yZa1bC3dE5fG7hI9"
    queue_address(tracker_app, "witness@example.org", ["en"], "witness_request", inductee_name="Dafydd Morgan",
                  activity_title="The reasons behind absence", purpose="That I chaired it <b>well</b>.",
                  witness_name="Siân", link=f"http://localhost/witness/{token}", expires_at="2026-12-16T09:00:00Z")
    deliver_mail(tracker_app)
    with tracker_app.app_context():
        [name] = mail.outbox_names()
        assert token in mail.read_outbox(name).get_body(("plain",)).get_content()  # on disk, for the operator
    page = signed_in("admin@example.org").get(f"/admin/outbox/{name}").get_data(as_text=True)
    assert token not in page and "http://localhost/witness/••••••" in page
    assert '<a class="govuk-link" href="http://localhost/witness' not in page
    assert "That I chaired it &lt;b&gt;well&lt;/b&gt;." in page  # the message's text is text
    assert re.search(r"\d{1,2} [A-Z][a-z]+ 20\d\d at \d\d:\d\d", page)
