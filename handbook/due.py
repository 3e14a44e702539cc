"""When in an induction an activity is usually done, counted from the inductee's start date.

Authors write `due: week 2`, `due: weeks 1-2`, `due: day 3` or `due: days 1-5` on an activity, or on a
section as the default for its activities. Week 1 is the seven days from the start date; day 1 is the
start date itself. The tracker turns this into a target date: the last day of the window, moved back to
the Friday before when it falls on a weekend (a target is a working day).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .words import N_

DUE = re.compile(r"^(?P<unit>week|day)s?\s+(?P<first>\d{1,2})(?:\s*(?:-|–|to)\s*(?P<last>\d{1,2}))?$")
LIMITS = {"week": 52, "day": 365}
PHRASES = {  # (unit, is a range): the sentence shown on the activity page
    ("week", False): N_("Usually done in week %(first)s"),
    ("week", True): N_("Usually done in weeks %(first)s to %(last)s"),
    ("day", False): N_("Usually done on day %(first)s"),
    ("day", True): N_("Usually done on days %(first)s to %(last)s"),
}


@dataclass(frozen=True)
class Due:
    unit: str  # 'week' or 'day'
    first: int
    last: int

    @property
    def days_after_start(self) -> int:
        """Days from the start date to the last day of the window (week 2 ends 13 days after the start)."""
        return self.last * 7 - 1 if self.unit == "week" else self.last - 1

    def target_date(self, start: dt.date) -> dt.date:
        target = start + dt.timedelta(days=self.days_after_start)
        if target.weekday() >= 5:  # Saturday or Sunday: the Friday before, never before the start date
            target = max(start, target - dt.timedelta(days=target.weekday() - 4))
        return target

    def describe(self, gettext) -> str:
        phrase = PHRASES[(self.unit, self.last != self.first)]
        return gettext(phrase) % {"first": self.first, "last": self.last}


def parse_due(text: str) -> Due:
    """'weeks 1-2' -> Due('week', 1, 2); a ValueError saying what is expected otherwise."""
    match = DUE.match(str(text).strip().lower())
    if not match:
        raise ValueError(f"due {text!r} is not a timing: write it like 'week 2', 'weeks 1-2' or 'day 3'")
    unit, first = match["unit"], int(match["first"])
    last = int(match["last"]) if match["last"] else first
    if first < 1 or last < first:
        raise ValueError(f"due {text!r}: count from 1, the earlier number first (like 'weeks 1-2')")
    if last > LIMITS[unit]:
        raise ValueError(f"due {text!r}: at most {unit} {LIMITS[unit]}")
    return Due(unit, first, last)
