"""The outbox, for administrators: the messages the tracker wrote instead of sending (no SMTP server
configured), the messages waiting to be sent or given up on, and a test message to check the email
settings (page and `flask send-test-email`).

The page never shows a usable link: invitation, reset, witness and calendar links are capabilities for
the person they were sent to, so their tokens are hidden here. An administrator who could open them
could get into any account. The .eml files on disk are for the operator who runs the server."""
from __future__ import annotations

import email.utils
import re

import click
from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm

from . import mail
from .access import role_required
from .db import get_db, writing

bp = Blueprint("outbox", __name__, url_prefix="/admin/outbox", cli_group=None)


@bp.route("/")
@role_required("admin")
def index():
    messages = [summary(name) for name in mail.outbox_names()]
    return render_template("outbox/index.html", messages=messages, smtp_server=current_app.config["MAIL_SERVER"],
                           queue=mail.waiting(get_db()))


@bp.route("/<name>")
@role_required("admin")
def message(name: str):
    found = mail.read_outbox(name)
    if found is None:
        abort(404)
    message = summary(name, found)
    text = redacted(found.get_body(("plain",)).get_content())
    return render_template("outbox/message.html", name=name, message=message,
                           parts=in_languages(text, SEPARATOR, message["languages"]))


@bp.route("/test", methods=["POST"])
@role_required("admin")
def send_test():
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    db = get_db()
    with writing(db):
        mail.queue_to_user(db, current_user.row, "test_message")
    flash(gettext("A test message to %(email)s is on its way. If it does not arrive, this page shows why under"
                  " “Waiting to be sent”.", email=current_user.row["email"]), "success")
    return redirect(url_for("outbox.index"))


def summary(name: str, found=None) -> dict:
    found = found if found is not None else mail.read_outbox(name)
    languages = [part.strip() for part in (found["Content-Language"] or "en").split(",")]
    return {"name": name, "to": found["To"], "subject": found["Subject"], "languages": languages,
            "subject_parts": in_languages(found["Subject"], " / ", languages),
            "sent_at": email.utils.parsedate_to_datetime(found["Date"])}


SEPARATOR = "\n\n----------\n\n"  # between a message's languages (mail._join_text)


def in_languages(text: str, separator: str, languages: list[str]) -> list[tuple[str, str]]:
    """A message's text (or subject) split into its languages, each with its lang attribute's value, so a
    page in another language marks it (a screen reader reads each part in its own language)."""
    parts = text.split(separator) if len(languages) > 1 else [text]
    if len(parts) != len(languages):
        return [("en" if languages[0] == "en" else languages[0], text)]
    return [(language, part) for language, part in zip(languages, parts, strict=True)]


URL = re.compile(r"https?://[^\s<>\"]+")
# A token is a long run of URL-safe characters in an address (token_urlsafe(32) gives 43); ids and words
# in paths are much shorter.
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,}")
HIDDEN = "••••••"  # the same in both languages


def redacted(text: str) -> str:
    """The message's text with every token in its web addresses hidden: nothing here opens an account,
    a witness statement or a calendar."""
    return URL.sub(lambda match: TOKEN.sub(HIDDEN, match.group(0)), text)


@bp.cli.command("send-test-email")
@click.argument("address")
def send_test_email_command(address):
    """Send a test message (both languages) to ADDRESS with the configured email settings."""
    try:
        mail.deliver(mail.build(address, ["cy", "en"], "test_message"))  # at once: the operator is waiting
    except mail.MailError as error:
        raise click.ClickException(f"the email server did not take the message ({error})") from error
    where = current_app.config["MAIL_SERVER"] or current_app.config["OUTBOX_FOLDER"]
    click.echo(f"Sent a test message through {where}")
