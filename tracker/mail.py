"""Outgoing email: every message in plain text and HTML, in the recipient's language (both, Welsh
first, when they have not chosen), sent through SMTP, or, with no server configured, written to the
outbox folder as a .eml file that the administrators' Outbox page lists.

A message is three templates under templates/mail/: <name>.subject.txt, <name>.txt and <name>.html
(which extends mail/_layout.html). Templates get the context given to send_to_user plus `recipient`
(the users row). Links in a message come from external_url(), which works from the command line too.
"""
from __future__ import annotations

import datetime as dt
import email.policy
import email.utils
import logging
import os
import secrets
import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale

from .i18n import language_for

log = logging.getLogger(__name__)
SECURITY_MODES = ("starttls", "ssl", "none")
# RFC 5322 allows 998 characters a line. At the default 78 Python folds a long (bilingual) subject
# straight after "Subject:", and readers then see it with a leading space.
POLICY = email.policy.SMTP.clone(max_line_length=998)


class MailError(Exception):
    """The SMTP server refused the message or could not be reached (the text names no person)."""


def send_to_user(user: Mapping, template: str, **context) -> str:
    """Send templates/mail/<template>.* to a person, in their language. Returns the Message-ID."""
    languages = [language_for(user)] if language_for(user) else ["cy", "en"]
    return send(user["email"], languages, template, recipient=user, **context)


def send(address: str, languages: list[str], template: str, **context) -> str:
    """Render the message in each language (in that order) and deliver it to one address."""
    parts = [render(template, language, **context) for language in languages]
    message = EmailMessage(policy=POLICY)
    message["Subject"] = " / ".join(part["subject"] for part in parts)
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = address
    message["Date"] = email.utils.formatdate(localtime=False)
    message["Message-ID"] = email.utils.make_msgid(domain=_domain(current_app.config["MAIL_FROM"]))
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: out-of-office replies are not sent back
    message.set_content(_join_text(parts))
    message.add_alternative(render_template("mail/_layout.html", parts=parts), subtype="html")
    message["Content-Language"] = ", ".join(languages)  # after the body: setting content clears Content-*
    deliver(message)
    return message["Message-ID"]


def render(template: str, language: str, **context) -> dict:
    with force_locale(language):
        return {
            "language": language,
            "subject": " ".join(render_template(f"mail/{template}.subject.txt", **context).split()),
            "text": render_template(f"mail/{template}.txt", **context).strip(),
            "html": render_template(f"mail/{template}.html", **context),
        }


def _join_text(parts: list[dict]) -> str:
    return "\n\n----------\n\n".join(part["text"] for part in parts) + "\n"


def deliver(message: EmailMessage) -> None:
    config = current_app.config
    if not config["MAIL_SERVER"]:
        path = write_to_outbox(message)
        log.info("mail: written to the outbox as %s", path.name)
        return
    try:
        with _smtp(config) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("mail: the SMTP server did not take a message: %s", type(error).__name__)
        raise MailError(type(error).__name__) from error
    log.info("mail: sent through %s", config["MAIL_SERVER"])


def _smtp(config) -> smtplib.SMTP:
    security = config["MAIL_SECURITY"]
    if security not in SECURITY_MODES:
        raise MailError(f"MAIL_SECURITY must be one of {', '.join(SECURITY_MODES)}")
    host, port, timeout = config["MAIL_SERVER"], int(config["MAIL_PORT"]), float(config["MAIL_TIMEOUT"])
    context = ssl.create_default_context(cafile=config["MAIL_CA_FILE"] or None)
    if security == "ssl":
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
        if security == "starttls":
            smtp.starttls(context=context)
    if config["MAIL_USERNAME"]:
        smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    return smtp


# ---- the outbox: where messages go with no SMTP server ----------------------------------------

def outbox_folder() -> Path:
    return Path(current_app.config["OUTBOX_FOLDER"])


def write_to_outbox(message: EmailMessage) -> Path:
    folder = outbox_folder()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%fZ}-{secrets.token_hex(4)}.eml"
    fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # it holds links that sign in
    with os.fdopen(fd, "wb") as handle:
        handle.write(message.as_bytes())
    return folder / name


def outbox_names() -> list[str]:
    """The outbox's messages, newest first."""
    folder = outbox_folder()
    return sorted((path.name for path in folder.glob("*.eml")), reverse=True) if folder.is_dir() else []


def read_outbox(name: str) -> EmailMessage | None:
    if name not in outbox_names():  # only a listed name: no path from the address bar is opened
        return None
    with open(outbox_folder() / name, "rb") as handle:
        return email.message_from_binary_file(handle, policy=email.policy.default)


# ---- links in messages -----------------------------------------------------------------------

def external_url(endpoint: str, **values) -> str:
    """An absolute link for a message: from PUBLIC_URL when set (always, for messages sent by the
    command line), else from the request being answered."""
    public = current_app.config["PUBLIC_URL"]
    if not public and has_request_context():
        return url_for(endpoint, _external=True, **values)
    parts = urlsplit(public or "http://localhost:5000")
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)


def _domain(address: str) -> str:
    return email.utils.parseaddr(address)[1].rpartition("@")[2] or "localhost"
