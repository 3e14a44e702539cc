"""Accounts, for administrators: list, create (form, CLI) and bulk CSV import."""
from __future__ import annotations

import click
from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import EmailField, RadioField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from . import account_links, accounts, mail_worker, password_policy
from .access import role_required
from .accounts import ROLE_LABELS
from .db import get_db
from .forms import ascii_id, email_address
from .portfolio import signing_key
from .signing import key_id, public_key_text

bp = Blueprint("admin", __name__, url_prefix="/admin", cli_group=None)


class UserForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter the person's full name")), Length(max=200)])
    email = EmailField(_l("Email address"), validators=[
        DataRequired(_l("Enter an email address")), email_address])
    role = RadioField(_l("Role"), choices=[SelectChoice(value, label) for value, label in ROLE_LABELS.items()],
                      validators=[DataRequired(_l("Select a role"))])
    managers = SelectMultipleField(_l("Managers"), coerce=ascii_id,
                                   description=_l("For inductees: who supervises and signs off their induction"))


class ManagersForm(FlaskForm):
    managers = SelectMultipleField(_l("Managers"), coerce=ascii_id)


class ImportForm(FlaskForm):
    csv_file = FileField(_l("CSV file"),
                         description=_l("Columns: email, name, role, managers (manager emails separated by ;)."
                                        " Each person is emailed an invitation to choose their own password."))


@bp.route("/users")
@role_required("admin")
def users():
    public = public_key_text(signing_key())
    db = get_db()
    return render_template("admin/users.html", users=accounts.all_users(db), public_key=public,
                           public_key_id=key_id(public), invitations=account_links.invitation_states(db),
                           no_password=accounts.NO_PASSWORD,
                           local_passwords_allowed=password_policy.local_passwords_allowed)


def _manager_choices(form) -> None:
    form.managers.choices = [SelectChoice(m["id"], f"{m['name']} ({m['email']})") for m in accounts.managers(get_db())]


@bp.route("/users/new", methods=["GET", "POST"])
@role_required("admin")
def new_user():
    db = get_db()
    form = UserForm()
    _manager_choices(form)
    if form.validate_on_submit():
        if accounts.find_by_email(db, form.email.data):
            form.email.errors.append(gettext("An account with this email address already exists"))
        elif form.role.data != "inductee" and form.managers.data:
            form.managers.errors.append(gettext("Only inductees have managers"))
        else:
            user_id = accounts.create_user(db, email=form.email.data, name=form.name.data, role=form.role.data,
                                           password=None, manager_ids=form.managers.data, actor_id=current_user.id)
            problem = account_links.invite_or_problem(db, user_id, current_user.id)
            if problem:
                flash(gettext("Account created for %(name)s, but %(problem)s.", name=form.name.data, problem=problem),
                      "info")
            else:
                flash(gettext("Account created for %(name)s. They have been emailed an invitation to choose"
                              " their password.", name=form.name.data), "success")
            return redirect(url_for(".users"))
    return render_template("admin/new_user.html", form=form), 400 if form.errors else 200


@bp.route("/users/<int:user_id>/managers", methods=["GET", "POST"])
@role_required("admin")
def user_managers(user_id: int):
    db = get_db()
    user = accounts.get_user(db, user_id)
    if user is None or user["role"] != "inductee":
        abort(404)
    form = ManagersForm(managers=[m["id"] for m in accounts.managers_of(db, user_id)])
    _manager_choices(form)
    if form.validate_on_submit():
        if accounts.set_managers(db, user_id, form.managers.data, current_user.id):
            flash(gettext("Managers updated for %(name)s. They and the managers before and after the change have"
                          " been emailed.", name=user["name"]), "success")
        else:
            flash(gettext("Nothing changed: %(name)s has the same managers.", name=user["name"]), "info")
        return redirect(url_for(".users"))
    return render_template("admin/managers.html", form=form, user=user), 400 if form.errors else 200


@bp.route("/users/import", methods=["GET", "POST"])
@role_required("admin")
def import_users():
    form = ImportForm()
    result = None
    if form.validate_on_submit():
        upload = form.csv_file.data
        if not upload or not upload.filename:
            form.csv_file.errors = [gettext("Select a CSV file")]
        else:
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                form.csv_file.errors = [gettext("The file must be a CSV file saved as UTF-8 text")]
            else:
                db = get_db()
                result = accounts.import_csv(
                    db, text, current_user.id, invite=lambda user_id: account_links.invite_or_problem(
                        db, user_id, current_user.id))
    status = 400 if form.errors else 200
    return render_template("admin/import.html", form=form, result=result), status


@bp.cli.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(accounts.ROLES), required=True)
@click.option("--manager", "manager_emails", multiple=True, help="email of a manager (inductees only)")
@click.option("--password", prompt=True, prompt_required=False, hide_input=True, confirmation_prompt=True,
              default=None, help="set a password now (asked for when no value follows) instead of inviting:"
              " the first administrator on a machine that cannot send email yet")
def create_user_command(email, name, role, manager_emails, password):
    """Create an account. Without --password, the person is emailed an invitation to choose one
    (with no MAIL_SERVER it goes to the outbox; its link is printed here too)."""
    db = get_db()
    problem = accounts.row_problem(db, {"email": email, "name": name, "role": role, "password": password}, set())
    manager_ids = []
    for manager_email in manager_emails:
        manager = accounts.find_by_email(db, manager_email)
        if not manager or manager["role"] != "manager":
            problem = problem or f"{manager_email} is not a manager account"
        else:
            manager_ids.append(manager["id"])
    if problem:
        raise click.ClickException(problem)
    user_id = accounts.create_user(db, email=email, name=name, role=role, password=password,
                                   manager_ids=manager_ids)
    click.echo(f"Created {role} {email}")
    if not password:
        try:
            link = account_links.invite(db, user_id, None)
        except account_links.mail.NoPublicAddress as error:
            raise click.ClickException("no invitation was sent: set TRACKER_PUBLIC_URL, the tracker's address"
                                       " for links in emails, then re-send it from the Users page") from error
        sent, failed = mail_worker.work(db)
        # Only here, for the operator with shell access (who could read the outbox anyway).
        click.echo(f"Invitation {'queued (the email server refused it for now)' if failed else 'sent'};"
                   f" its link (valid {current_app.config['INVITATION_HOURS']} hours): {link}")

@bp.cli.command("import-users")
@click.argument("csv_file", type=click.File("r", encoding="utf-8-sig"))
def import_users_command(csv_file):
    """Import accounts from a CSV file (email,name,role[,password][,managers]); rows with no password
    are invited by email."""
    db = get_db()
    result = accounts.import_csv(db, csv_file.read(), None,
                                 invite=lambda user_id: account_links.invite_or_problem(db, user_id, None))
    mail_worker.work(db)  # a command sends what it queued before it exits
    for email in result.created:
        click.echo(f"created {email}")
    for problem in result.problems:
        click.echo(f"skipped {problem}", err=True)
    click.echo(f"{len(result.created)} imported, {len(result.problems)} rows with problems")
