"""What every feature's forms share: reading numbers safely, and the email and password checks.

Each feature keeps its own forms (Flask-WTF: validation and CSRF) beside its routes.
Messages follow GOV.UK style: say what to do."""
from __future__ import annotations

from wtforms.validators import ValidationError
from werkzeug.routing import IntegerConverter

from .accounts import password_problem, valid_email

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
