"""Dates as the tracker takes them and keeps them: YYYY-MM-DD, and nothing else.

A browser's date input sends YYYY-MM-DD, and every date column holds exactly that, so that SQL comparing
stored dates as text agrees with Python comparing them as dates. Python's date.fromisoformat reads much more
of ISO 8601 (20261201, 2026W491), and str.isdigit and a regular expression's \\d take digits that are not
ASCII (٢, ２), so neither is used here. Timestamps (2026-12-01T10:00:00Z) are a different thing, not read here."""
from __future__ import annotations

import datetime as dt
import functools
import re

from babel.dates import format_date
from flask_babel import gettext
from wtforms import DateField
from wtforms.validators import StopValidation

EARLIEST_YEAR, LATEST_YEAR = 1900, 2199  # far outside any induction; and date arithmetic near year 9999 overflows
_STRICT = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# ISO 8601's other ways of writing a day, which the tracker once stored as typed: basic (20261201),
# week (2026W491, 2026-W49-1) and ordinal (2026335, 2026-335) dates.
_BASIC = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_WEEK = re.compile(r"([0-9]{4})W([0-9]{2})([1-7])|([0-9]{4})-W([0-9]{2})-([1-7])")
_ORDINAL = re.compile(r"([0-9]{4})-?([0-9]{3})")


class DateError(ValueError):
    """Text that is not a date written YYYY-MM-DD, a real day from EARLIEST_YEAR to LATEST_YEAR."""


def _in_range(day: dt.date) -> dt.date:
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise DateError(f"the year must be from {EARLIEST_YEAR} to {LATEST_YEAR}")
    return day


def parse_date(text) -> dt.date:
    """The date written YYYY-MM-DD (ASCII digits; spaces around it are ignored), or DateError saying why not.
    The message never repeats the text: it may be anything a person typed."""
    match = _STRICT.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise DateError("not a date written YYYY-MM-DD, like 2027-01-15")
    try:
        day = dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise DateError("not a real date (no such month or day)") from None
    return _in_range(day)


def is_date(text) -> bool:
    try:
        parse_date(text)
    except DateError:
        return False
    return True


def as_date(value) -> dt.date | None:
    """A stored date, or None when there is none or what is stored is not a date (it shows as no date)."""
    return _stored(value) if value and isinstance(value, str) else None


@functools.lru_cache(maxsize=8192)  # pages read the same few hundred stored dates many times (every plan's targets)
def _stored(text: str) -> dt.date | None:
    try:
        return parse_date(text)
    except DateError:
        return None


def from_other_iso_form(text) -> dt.date | None:
    """The day that text written in another of ISO 8601's forms (basic, week or ordinal) means, when it means
    exactly one real day in range; else None. Only for putting right what was stored before dates were strict."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    try:
        if match := _BASIC.fullmatch(text):
            return _in_range(dt.date(*(int(part) for part in match.groups())))
        if match := _WEEK.fullmatch(text):
            year, week, weekday = (int(part) for part in match.groups() if part is not None)
            return _in_range(dt.date.fromisocalendar(year, week, weekday))
        if match := _ORDINAL.fullmatch(text):
            year, number = int(match.group(1)), int(match.group(2))
            day = dt.date(year, 1, 1) + dt.timedelta(days=number - 1)
            return _in_range(day) if number >= 1 and day.year == year else None
    except ValueError:  # no such day (20260230, week 53 of a year of 52, year 0), or out of range
        return None
    return None


class IsoDateField(DateField):
    """A WTForms date field read by parse_date: what a browser's date input sends. A value that is no such
    date gets one message, `invalid` (the form's own words), instead of WTForms' English "Not a valid date
    value." followed by the field's "required" message."""

    def __init__(self, label=None, validators=None, *, invalid, **kwargs):
        super().__init__(label, validators, format="%Y-%m-%d", **kwargs)
        self.invalid = invalid

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.data = None
        if valuelist[0].strip():  # nothing typed: the field's DataRequired or Optional decides
            try:
                self.data = parse_date(valuelist[0])
            except DateError:
                raise ValueError(str(self.invalid)) from None

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # the message above is the only one


def shown(value, language: str) -> str:
    """A stored date or timestamp as a reader sees it, month names in their language (Babel's CLDR data):
    "5 March 2026", "5 Mawrth 2026", "5 March 2026 at 14:30". What is stored but is no date is shown as it is
    (a date the date migration could not put right)."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = (dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if "T" in value
                     else parse_date(value))
        except ValueError:
            return value
    day = format_date(value, "d MMMM y", locale=language)
    if isinstance(value, dt.datetime):
        return gettext("%(date)s at %(time)s", date=day, time=value.strftime("%H:%M"))
    return day
