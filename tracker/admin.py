"""Accounts, for administrators: list, create (form, CLI) and bulk CSV import."""
from __future__ import annotations

import click
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import EmailField, PasswordField, RadioField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from . import accounts
from .access import role_required
from .accounts import MIN_PASSWORD_LENGTH, ROLE_LABELS
from .db import get_db
from .forms import ascii_id, email_address, strong_password

bp = Blueprint("admin", __name__, url_prefix="/admin")


class UserForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter the person's full name")), Length(max=200)])
    email = EmailField(_l("Email address"), validators=[
        DataRequired(_l("Enter an email address")), email_address])
    role = RadioField(_l("Role"), choices=[SelectChoice(value, label) for value, label in ROLE_LABELS.items()],
                      validators=[DataRequired(_l("Select a role"))])
    managers = SelectMultipleField(_l("Managers"), coerce=ascii_id,
                                   description=_l("For inductees: who supervises and signs off their induction"))
    password = PasswordField(_l("Temporary password"),
                             description=_l("At least %(count)s characters. Give it to the person securely.",
                                            count=MIN_PASSWORD_LENGTH),
                             validators=[DataRequired(_l("Enter a temporary password")), strong_password])


class ManagersForm(FlaskForm):
    managers = SelectMultipleField(_l("Managers"), coerce=ascii_id)


class ImportForm(FlaskForm):
    csv_file = FileField(_l("CSV file"),
                         description=_l("Columns: email, name, role, password, managers"
                                        " (manager emails separated by ;)"))


@bp.route("/users")
@role_required("admin")
def users():
    from .portfolio import signing_key
    from .signing import key_id, public_key_text
    public = public_key_text(signing_key())
    return render_template("admin/users.html", users=accounts.all_users(get_db()), public_key=public,
                           public_key_id=key_id(public))


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
            accounts.create_user(db, email=form.email.data, name=form.name.data, role=form.role.data,
                                 password=form.password.data, manager_ids=form.managers.data, actor_id=current_user.id)
            flash(gettext("Account created for %(name)s.", name=form.name.data), "success")
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
        accounts.set_managers(db, user_id, form.managers.data, current_user.id)
        flash(gettext("Managers updated for %(name)s.", name=user["name"]), "success")
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
                result = accounts.import_csv(get_db(), text, current_user.id)
    status = 400 if form.errors else 200
    return render_template("admin/import.html", form=form, result=result), status


def init_cli(app) -> None:
    @app.cli.command("create-user")
    @click.option("--email", required=True)
    @click.option("--name", required=True)
    @click.option("--role", type=click.Choice(accounts.ROLES), required=True)
    @click.option("--manager", "manager_emails", multiple=True, help="email of a manager (inductees only)")
    @click.password_option()
    def create_user_command(email, name, role, manager_emails, password):
        """Create an account."""
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
        accounts.create_user(db, email=email, name=name, role=role, password=password, manager_ids=manager_ids)
        click.echo(f"Created {role} {email}")

    @app.cli.command("import-users")
    @click.argument("csv_file", type=click.File("r", encoding="utf-8-sig"))
    def import_users_command(csv_file):
        """Import accounts from a CSV file (email,name,role,password,managers)."""
        result = accounts.import_csv(get_db(), csv_file.read(), None)
        for email in result.created:
            click.echo(f"created {email}")
        for problem in result.problems:
            click.echo(f"skipped {problem}", err=True)
        click.echo(f"{len(result.created)} imported, {len(result.problems)} rows with problems")
