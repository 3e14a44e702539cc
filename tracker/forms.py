"""What every feature's forms share: reading numbers safely, and the email and password checks.

Each feature keeps its own forms (Flask-WTF: validation and CSRF) beside its routes.
Messages follow GOV.UK style: say what to do."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext
from werkzeug.routing import IntegerConverter
from wtforms.validators import ValidationError

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
        raise ValidationError(gettext("Enter an email address in the correct format, like name@example.org"))


def strong_password(form, field):
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


ROW_TEXT_LIMIT = 1000


@dataclass
class Rows:
    """A table of repeated form rows (development plan objectives, supervision actions)."""
    typed: list[dict] = field(default_factory=list)  # every row in its place, as typed: to show the form again
    filled: list[dict] = field(default_factory=list)  # the rows with something typed in them: to save
    errors: list[tuple[str, str]] = field(default_factory=list)  # (field id, message)


def read_rows(form_data, prefix: str, count: int, fields: tuple[str, ...], *, required: str,
              missing: str, noun: str = "row", too_long: str | None = None,
              choices: dict[str, list[str]] | None = None) -> Rows:
    """The one rule for repeated rows: fields `{prefix}-{n}-{field}`, trimmed; a row with nothing typed
    is ignored (a choice alone does not count); a typed row needs its `required` field; text over
    ROW_TEXT_LIMIT is refused, never cut; a choice not offered falls back to the first offered.
    Translated messages: too_long with %(n)s (the row's number) and %(limit)s, and then missing with %(n)s;
    without too_long, missing has {n} and the English "<Noun> n must be ... or fewer" is used."""
    choices = choices or {}
    rows = Rows()
    for n in range(count):
        row = {key: (form_data.get(f"{prefix}-{n}-{key}") or "").strip() for key in fields}
        for key, offered in choices.items():
            if row[key] not in offered:
                row[key] = offered[0]
        rows.typed.append(row)
        if not any(row[key] for key in fields if key not in choices):
            continue
        if not row[required]:
            rows.errors.append((f"{prefix}-{n}-{required}", missing % {"n": n + 1} if too_long else
                                missing.format(n=n + 1)))
        for key in fields:
            if len(row[key]) > ROW_TEXT_LIMIT:
                rows.errors.append((f"{prefix}-{n}-{key}",
                                    too_long % {"n": n + 1, "limit": f"{ROW_TEXT_LIMIT:,}"} if too_long else
                                    f"{noun.capitalize()} {n + 1} must be {ROW_TEXT_LIMIT:,} characters or fewer"))
        rows.filled.append(row)
    return rows
