"""Outgoing email against a real SMTP server on 127.0.0.1 (aiosmtpd), with and without STARTTLS and
authentication, and the embedded default: the outbox folder and its administrators' page."""
from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import re

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from helpers import Inbox, csrf_token, free_port
from tracker import mail
from tracker.db import get_db

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


def test_a_message_reaches_a_real_smtp_server_in_text_and_html(tracker_app, smtp_server):
    controller, inbox = smtp_server
    tracker_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_SECURITY="none",
                              MAIL_FROM="EWS tracker <tracker@example.org>")
    with tracker_app.app_context():
        mail.send_to_user(user(tracker_app, "inductee@example.org"), "test_message")
    message = inbox.wait_for(1)[0]
    assert message["To"] == "inductee@example.org"
    assert message["From"] == "EWS tracker <tracker@example.org>"
    assert message["Auto-Submitted"] == "auto-generated"
    text, html = parts(message)
    assert "test message" in text and "test message" in html
    with tracker_app.app_context():
        assert mail.outbox_names() == []  # sent, not kept


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
        with tracker_app.app_context():
            mail.send("someone@example.org", ["en"], "test_message")
        assert inbox.wait_for(1)[0]["Subject"] == ENGLISH_SUBJECT
        assert logins == [(b"tracker", b"s3cret-pass")]

        tracker_app.config["MAIL_PASSWORD"] = "wrong"
        with tracker_app.app_context(), pytest.raises(mail.MailError):
            mail.send("someone@example.org", ["en"], "test_message")
        tracker_app.config.update(MAIL_PASSWORD="s3cret-pass", MAIL_CA_FILE="")  # a certificate nobody vouches for
        with tracker_app.app_context(), pytest.raises(mail.MailError):
            mail.send("someone@example.org", ["en"], "test_message")
        assert len(inbox.messages) == 1
    finally:
        controller.stop()


def test_an_unreachable_server_is_an_error_that_names_nobody(tracker_app, caplog):
    tracker_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_SECURITY="none", MAIL_TIMEOUT=5)
    caplog.set_level(logging.DEBUG)
    with tracker_app.app_context(), pytest.raises(mail.MailError):
        mail.send_to_user(user(tracker_app, "inductee@example.org"), "test_message")
    assert "inductee@example.org" not in caplog.text and "Dafydd" not in caplog.text


def test_without_a_server_messages_go_to_the_outbox_in_both_languages_welsh_first(tracker_app):
    with tracker_app.app_context():
        person = user(tracker_app, "inductee@example.org")
        assert person["language"] is None
        mail.send_to_user(person, "test_message")
        [name] = mail.outbox_names()
        message = mail.read_outbox(name)
    assert message["Subject"] == f"{WELSH_SUBJECT} / {ENGLISH_SUBJECT}"
    text, html = parts(message)
    assert text.index("Neges brawf yw hon") < text.index("This is a test message")
    assert html.index('lang="cy"') < html.index('lang="en-GB"')


def test_a_person_who_chose_welsh_gets_welsh_only(tracker_app):
    with tracker_app.app_context():
        mail.send_to_user(user(tracker_app, "cymraeg@example.org"), "test_message")
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
    assert "A test message was sent to admin@example.org" in listing
    with tracker_app.app_context():
        [name] = mail.outbox_names()
    assert f"/admin/outbox/{name}" in listing
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
    with tracker_app.app_context():
        assert mail.external_url("auth.login") == "https://tracker.example.org/ews/login"


def test_the_outbox_shows_a_message_with_its_links_followable_and_its_date_readable(tracker_app, signed_in):
    with tracker_app.app_context():
        mail.send("witness@example.org", ["en"], "witness_request", inductee_name="Dafydd Morgan",
                  activity_title="The reasons behind absence", purpose="That I chaired it <b>well</b>.",
                  witness_name="Siân", link="http://localhost/witness/abc?x=1&y=2", expires_at="2026-12-16T09:00:00Z")
        [name] = mail.outbox_names()
    page = signed_in("admin@example.org").get(f"/admin/outbox/{name}").get_data(as_text=True)
    assert '<a class="govuk-link" href="http://localhost/witness/abc?x=1&amp;y=2">' in page
    assert "That I chaired it &lt;b&gt;well&lt;/b&gt;." in page  # the message's text is text
    assert re.search(r"\d{1,2} [A-Z][a-z]+ 20\d\d at \d\d:\d\d", page)
