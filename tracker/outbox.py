"""The outbox, for administrators: the messages the tracker wrote instead of sending (no SMTP server
configured), and a test message to check the email settings (page and `flask send-test-email`)."""
from __future__ import annotations

import email.utils
import re

import click
from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup, escape

from . import mail
from .access import role_required

bp = Blueprint("outbox", __name__, url_prefix="/admin/outbox")


@bp.route("/")
@role_required("admin")
def index():
    messages = [summary(name) for name in mail.outbox_names()]
    return render_template("outbox/index.html", messages=messages, smtp_server=current_app.config["MAIL_SERVER"])


@bp.route("/<name>")
@role_required("admin")
def message(name: str):
    found = mail.read_outbox(name)
    if found is None:
        abort(404)
    return render_template("outbox/message.html", name=name, message=summary(name, found),
                           text=with_links(found.get_body(("plain",)).get_content()))


@bp.route("/test", methods=["POST"])
@role_required("admin")
def send_test():
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        mail.send_to_user(current_user.row, "test_message")
    except mail.MailError:
        flash(gettext("The email server did not take the message. Check the MAIL_ settings and the server's log."),
              "error")
    else:
        flash(gettext("A test message was sent to %(email)s.", email=current_user.row["email"]), "success")
    return redirect(url_for("outbox.index"))


def summary(name: str, found=None) -> dict:
    found = found if found is not None else mail.read_outbox(name)
    return {"name": name, "to": found["To"], "subject": found["Subject"],
            "sent_at": email.utils.parsedate_to_datetime(found["Date"])}


URL = re.compile(r"https?://[^\s<>\"]+")


def with_links(text: str) -> Markup:
    """The message's text, escaped, with its web addresses as links: in the demo, an invitation or a
    reset is followed from here."""
    parts, last = [], 0
    for match in URL.finditer(text):
        parts += [escape(text[last:match.start()]),
                  Markup('<a class="govuk-link" href="{0}">{0}</a>').format(match.group(0))]
        last = match.end()
    return Markup("").join([*parts, escape(text[last:])])


def init_cli(app) -> None:
    @app.cli.command("send-test-email")
    @click.argument("address")
    def send_test_email_command(address):
        """Send a test message (both languages) to ADDRESS with the configured email settings."""
        try:
            mail.send(address, ["cy", "en"], "test_message")
        except mail.MailError as error:
            raise click.ClickException(f"the email server did not take the message ({error})") from error
        where = app.config["MAIL_SERVER"] or app.config["OUTBOX_FOLDER"]
        click.echo(f"Sent a test message through {where}")
