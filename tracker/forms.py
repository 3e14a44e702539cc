"""Forms (Flask-WTF: validation and CSRF). Messages follow GOV.UK style: say what to do."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms.fields.choices import SelectChoice
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError
from werkzeug.routing import IntegerConverter

from .accounts import MIN_PASSWORD_LENGTH, ROLE_LABELS, password_problem, valid_email

NOTES_LIMIT = 20_000
MAX_ID_DIGITS = 18  # every id fits SQLite's 64-bit integers; a longer number is no id of ours


def ascii_int(value) -> int | None:
    """A whole number written in ASCII digits only ("12"), or None: the one way the tracker reads
    numbers from forms, URLs and cookies. str.isdigit() is true for "²", which int() refuses, and
    int() reads "٣" and "５" as 3 and 5, and refuses more than 4,300 digits; none of those is
    a number a page of ours sends."""
    if isinstance(value, str) and 0 < len(value) <= MAX_ID_DIGITS and value.isascii() and value.isdigit():
        return int(value)
    return None


def ascii_id(value) -> int:
    """coerce= for select fields of ids: ascii_int, raising ValueError (which WTForms reports)."""
    number = value if isinstance(value, int) else ascii_int(value)
    if number is None:
        raise ValueError("not an id")
    return number


class AsciiIntConverter(IntegerConverter):
    """<int:...> in routes: ASCII digits only, at most MAX_ID_DIGITS (Werkzeug's own takes any
    Unicode digit and any length, and SQLite refuses an integer over 64 bits with an error)."""
    regex = rf"[0-9]{{1,{MAX_ID_DIGITS}}}"


def email_address(form, field):
    """The same check as CSV import and the command line (accounts.valid_email)."""
    if field.data and not valid_email(field.data):
        raise ValidationError("Enter an email address in the correct format, like name@example.org")


def strong_password(form, field):
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class LoginForm(FlaskForm):
    email = EmailField("Email address", validators=[DataRequired("Enter your email address")])
    password = PasswordField("Password", validators=[DataRequired("Enter your password")])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired("Enter your current password")])
    new_password = PasswordField(
        "New password", description=f"At least {MIN_PASSWORD_LENGTH} characters",
        validators=[DataRequired("Enter a new password"), strong_password])
    confirm_password = PasswordField("Confirm new password", validators=[
        DataRequired("Enter the new password again"), EqualTo("new_password", "The passwords do not match")])


class UserForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired("Enter the person's full name"), Length(max=200)])
    email = EmailField("Email address", validators=[
        DataRequired("Enter an email address"), email_address])
    role = RadioField("Role", choices=[SelectChoice(value, label) for value, label in ROLE_LABELS.items()],
                      validators=[DataRequired("Select a role")])
    managers = SelectMultipleField("Managers", coerce=ascii_id, description="For inductees: who supervises and signs off their induction")
    password = PasswordField("Temporary password", description=f"At least {MIN_PASSWORD_LENGTH} characters. Give it to the person securely.",
                             validators=[DataRequired("Enter a temporary password"), strong_password])


class ManagersForm(FlaskForm):
    managers = SelectMultipleField("Managers", coerce=ascii_id)


class ImportForm(FlaskForm):
    csv_file = FileField("CSV file", description="Columns: email, name, role, password, managers (manager emails separated by ;)")


class NotesForm(FlaskForm):
    notes = TextAreaField("Notes and reflections", description=(
        "What you did and what you learned. Do not name children or families, or include details that could identify them."),
        validators=[Length(max=NOTES_LIMIT, message=f"Notes must be {NOTES_LIMIT:,} characters or fewer")])


class TextEvidenceForm(FlaskForm):
    body = TextAreaField("Written evidence", validators=[
        DataRequired("Enter the written evidence"), Length(max=NOTES_LIMIT, message=f"Evidence must be {NOTES_LIMIT:,} characters or fewer")])


class FileEvidenceForm(FlaskForm):
    upload = FileField("Upload a file", description="A photograph, document or audio recording, up to 10 MB")
    description = StringField("What this file shows", validators=[DataRequired("Say what the file shows"), Length(max=500)])


class WitnessForm(FlaskForm):
    witness_name = StringField("Witness name", validators=[DataRequired("Enter the witness's name"), Length(max=200)])
    witness_role = StringField("Witness role", description="For example, Senior EWO",
                               validators=[DataRequired("Enter the witness's role"), Length(max=200)])
    # Not 'body': the record page is one form, and written evidence has a 'body' field.
    statement = TextAreaField("Witness statement", validators=[DataRequired("Enter what the witness saw"), Length(max=NOTES_LIMIT)])


class SubmitForm(FlaskForm):
    confirm = BooleanField("I confirm this record is my own work and identifies no child or family",
                           validators=[DataRequired("Confirm the record is your own work and identifies no child or family")])


class SignOffForm(FlaskForm):
    comment = TextAreaField("Comment (optional)", validators=[Length(max=5000)])


class ReturnForm(FlaskForm):
    comment = TextAreaField("What needs to change", validators=[
        DataRequired("Say what the inductee needs to change"), Length(max=5000)])


class ReopenForm(FlaskForm):
    comment = TextAreaField("Why are you reopening this record?", validators=[
        DataRequired("Give a reason for reopening the record"), Length(max=5000)])
