"""Outgoing email: every message in plain text and HTML, in the recipient's language (both, Welsh
first, when they have not chosen).

A message is never sent on the thread that answers a request. `queue()` renders it and stores it,
encrypted, in `mail_queue` inside the write transaction of the change that sends it (an invitation and
its token, a notification and its claim), so a crash between the change and the send loses nothing and a
slow or dead mail server slows nobody's page. A worker sends what is waiting (tracker/mail_worker.py):
a thread in each tracker process, or `flask --app tracker send-mail` run by a timer. It delivers through
SMTP or, with no server configured, writes a .eml file to the outbox folder that the administrators'
Outbox page lists (tokens hidden there).

A message is three templates under templates/mail/: <name>.subject.txt, <name>.txt and <name>.html
(which extends mail/_layout.html). Links in a message come only from PUBLIC_URL (external_url), never
from the request being answered: a forged Host header cannot put someone else's server in a link.
"""
from __future__ import annotations

import base64
import datetime as dt
import email.parser
import email.policy
import email.utils
import hashlib
import logging
import os
import secrets
import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app, render_template
from flask_babel import force_locale
from sqlite_utils import Database

from . import signals
from .db import writing
from .i18n import language_for

log = logging.getLogger(__name__)
SECURITY_MODES = ("starttls", "ssl", "none")
# RFC 5322 allows 998 characters a line. At the default 78 Python folds a long (bilingual) subject
# straight after "Subject:", and readers then see it with a leading space.
POLICY = email.policy.SMTP.clone(max_line_length=998)
STAMP = "%Y-%m-%dT%H:%M:%SZ"
CLAIM_MINUTES = 10  # a message being sent is someone's for this long; after a crash, another worker sends it
# Outbox files only (never sent): whom a message is to and about, so that erasure finds it.
PEOPLE_HEADERS = ("X-Tracker-Recipient", "X-Tracker-About")


class MailError(Exception):
    """The SMTP server refused the message or could not be reached (the text names no person)."""


class NoPublicAddress(Exception):
    """PUBLIC_URL is not set, so no link for a message can be made (never from the request's Host)."""


# ---- building and queueing --------------------------------------------------------------------

def languages_of(user) -> list[str]:
    return [language_for(user)] if language_for(user) else ["cy", "en"]


def queue_to_user(db: Database, user, template: str, *, about_id: int | None = None, **context) -> int:
    """Queue templates/mail/<template>.* to a person, in their language (inside the change's transaction)."""
    return queue(db, user["email"], languages_of(user), template, recipient_id=user["id"], about_id=about_id,
                 recipient=user, **context)


def queue(db: Database, address: str, languages: list[str], template: str, *, recipient_id: int | None = None,
          about_id: int | None = None, **context) -> int:
    """Render the message now (its language and links are decided by the change) and store it for the
    worker, inside the caller's write transaction. Returns the queued message's id."""
    if not db.conn.in_transaction:
        raise RuntimeError("mail.queue must be called inside the write transaction of the change it belongs to")
    message = build(address, languages, template, **context)
    queued = db.conn.execute(
        "INSERT INTO mail_queue (recipient_id, about_id, template, message) VALUES (?, ?, ?, ?)",
        (recipient_id, about_id, template, seal(message.as_bytes()))).lastrowid
    signals.work_queued.send(db)  # the mail worker sends it once the change has committed
    return queued


def build(address: str, languages: list[str], template: str, **context) -> EmailMessage:
    """The message in each language (in that order), for one address."""
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
    return message


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


# ---- the queue's encryption: a queued message may hold a sign-in link -------------------------

def _fernet() -> Fernet:
    """A key made from SECRET_KEY (kept outside the database): a copy of the database alone, such as a
    backup taken while a reset email waits, does not give away the link in it."""
    secret = current_app.config["SECRET_KEY"].encode()
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"tracker mail queue\n" + secret).digest()))


def seal(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def unseal(data: bytes) -> bytes:
    return _fernet().decrypt(data)


# ---- sending what is waiting (the worker's side) -------------------------------------------

def _stamp(moment: dt.datetime) -> str:
    return moment.strftime(STAMP)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 2, 4 ... minutes after each failure, at most an hour apart."""
    return dt.timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def claim_next(db: Database) -> dict | None:
    """The next message due, claimed for CLAIM_MINUTES (so no other worker sends it meanwhile), or None."""
    current = _now()
    with writing(db):
        row = db.conn.execute(
            "SELECT id FROM mail_queue WHERE failed_at IS NULL AND next_attempt_at <= ?"
            " AND (claimed_until IS NULL OR claimed_until <= ?) ORDER BY id LIMIT 1",
            (_stamp(current), _stamp(current))).fetchone()
        if row is None:
            return None
        db.conn.execute("UPDATE mail_queue SET claimed_until = ?, attempts = attempts + 1 WHERE id = ?",
                        (_stamp(current + dt.timedelta(minutes=CLAIM_MINUTES)), row[0]))
    return next(db.query("SELECT * FROM mail_queue WHERE id = ?", [row[0]]), None)


def send_waiting(db: Database, limit: int | None = None) -> tuple[int, int]:
    """Send the messages that are due, oldest first, until none is left or one fails (a server that is down
    is not asked again for each waiting message). Returns (sent, failed)."""
    sent = failed = 0
    while limit is None or sent + failed < limit:
        row = claim_next(db)
        if row is None:
            break
        if send_one(db, row):
            sent += 1
        else:
            failed += 1
            break
    return sent, failed


def send_one(db: Database, row: dict) -> bool:
    try:
        message = email.message_from_bytes(unseal(row["message"]), policy=POLICY)
        deliver(message, people=(row["recipient_id"], row["about_id"]))
    except (MailError, InvalidToken, OSError) as error:
        reason = "the secret key changed since it was queued" if isinstance(error, InvalidToken) else \
            type(error.__cause__ or error).__name__
        attempts = row["attempts"]
        give_up = isinstance(error, InvalidToken) or attempts >= int(current_app.config["MAIL_MAX_ATTEMPTS"])
        with writing(db):
            db.conn.execute(
                "UPDATE mail_queue SET claimed_until = NULL, last_error = ?, next_attempt_at = ?, failed_at = ?"
                " WHERE id = ?", (reason, _stamp(_now() + retry_delay(attempts)),
                                  _stamp(_now()) if give_up else None, row["id"]))
        log.warning("mail: message %s not sent (attempt %s): %s%s", row["id"], attempts, reason,
                    "; giving up" if give_up else "")
        return False
    with writing(db):
        db.conn.execute("DELETE FROM mail_queue WHERE id = ?", (row["id"],))
    return True


def waiting(db: Database) -> list[dict]:
    """For the Outbox page: messages not sent yet, and those given up on (no content: it is encrypted)."""
    return list(db.query("SELECT q.id, q.template, q.created_at, q.attempts, q.last_error, q.failed_at,"
                         " u.email AS recipient_email FROM mail_queue q LEFT JOIN users u ON u.id = q.recipient_id"
                         " ORDER BY q.id"))


def deliver(message: EmailMessage, people: tuple = ()) -> None:
    config = current_app.config
    if not config["MAIL_SERVER"]:
        path = write_to_outbox(message, people)
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


def write_to_outbox(message: EmailMessage, people: tuple = ()) -> Path:
    folder = outbox_folder()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for header, person in zip(PEOPLE_HEADERS, people, strict=False):
        del message[header]
        if person:
            message[header] = str(person)
    name = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%fZ}-{secrets.token_hex(4)}.eml"
    fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # it holds links that sign in
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(message.as_bytes())
    except BaseException:
        (folder / name).unlink(missing_ok=True)  # a full disk leaves no half-written message
        raise
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


def outbox_files_about(person: dict) -> list[Path]:
    """The outbox's messages to or about a person (for erasure): by the ids the tracker wrote in them, or
    sent to their address."""
    folder = outbox_folder()
    found = []
    for path in sorted(folder.glob("*.eml")) if folder.is_dir() else []:
        with open(path, "rb") as handle:
            headers = email.parser.BytesHeaderParser(policy=email.policy.default).parse(handle)
        ids = {headers.get(name, "").strip() for name in PEOPLE_HEADERS}
        addresses = {a.casefold() for _, a in email.utils.getaddresses([headers.get("To", "")])}
        if str(person["id"]) in ids or person["email"].casefold() in addresses:
            found.append(path)
    return found


# ---- links in messages -----------------------------------------------------------------------

def external_url(endpoint: str, **values) -> str:
    """An absolute link for a message, from PUBLIC_URL only. Raises NoPublicAddress when it is not set."""
    public = current_app.config["PUBLIC_URL"]
    if not public:
        raise NoPublicAddress("PUBLIC_URL is not set")
    parts = urlsplit(public)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)


def link_or_none(endpoint: str, **values) -> str | None:
    """A link for a message whose words stand without it (a notification): None without PUBLIC_URL."""
    try:
        return external_url(endpoint, **values)
    except NoPublicAddress:
        return None


def _domain(address: str) -> str:
    return email.utils.parseaddr(address)[1].rpartition("@")[2] or "localhost"
