"""Each person's choice of emails (/account/notifications), and the daily command."""
from __future__ import annotations

import click
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf

from .. import accounts
from ..access import role_required
from ..db import get_db, writing
from .events import DEFAULTS, PREFERENCES, preference
from .summary import send_reminders

bp = Blueprint("notifications", __name__, cli_group=None)

CHOICE_LABELS = {
    "now": _l("Straight away: one email for each thing that happens"),
    "daily": _l("Once a day: one summary email"),
    "none": _l("No emails"),
}


class SettingsForm(FlaskForm):
    notify = RadioField(_l("When should the tracker email you about your induction work?"),
                        choices=[SelectChoice(value, label) for value, label in CHOICE_LABELS.items()],
                        validate_choice=False,
                        validators=[AnyOf(PREFERENCES, message=_l("Choose when the tracker should email you"))])


@bp.route("/account/notifications", methods=["GET", "POST"])
@role_required("inductee", "manager")
def settings():
    db = get_db()
    person = accounts.get_user(db, current_user.id)
    form = SettingsForm() if request.method == "POST" else SettingsForm(data={"notify": preference(person)})
    if form.validate_on_submit():
        with writing(db):
            db.conn.execute("UPDATE users SET notify = ? WHERE id = ?", (form.notify.data, current_user.id))
        flash(gettext("Your email choice is saved."), "success")
        return redirect(url_for(".settings"))
    form.notify.description = gettext("If you do not choose, the tracker uses: %(choice)s",
                                      choice=CHOICE_LABELS[DEFAULTS[person["role"]]])
    return render_template("notifications/settings.html", form=form), 400 if form.errors else 200


@bp.cli.command("send-reminders")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day to remind for (YYYY-MM-DD); default today.")
def send_reminders_command(today):
    """Send the daily summaries and reminders (run once a day; running it again sends nothing new)."""
    report = send_reminders(get_db(), today.date() if today else None)
    click.echo(str(report))
    if report.failed:
        raise SystemExit(1)
