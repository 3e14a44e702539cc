"""Parse the pack's time estimates ('10 minutes', 'half a day', 'a few days') to minutes.

A vague estimate becomes a range. Decisions (see docs/decisions.md):
a working day counts as 7.5 hours and a working week as 5 days;
'a few' means 2 to 4, 'several' 3 to 6, and 'at least X' means X to 2X.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

MINUTES_PER_UNIT = {
    "minute": 1,
    "hour": 60,
    "day": 450,  # 7.5-hour working day
    "week": 5 * 450,
}
UNIT_ALIASES = {
    "min": "minute", "mins": "minute", "minute": "minute", "minutes": "minute",
    "hr": "hour", "hrs": "hour", "hour": "hour", "hours": "hour",
    "day": "day", "days": "day", "week": "week", "weeks": "week",
}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "half a": 0.5, "half an": 0.5,
}
VAGUE_WORDS = {"a few": (2, 4), "a couple of": (2, 2), "several": (3, 6)}

_NUMBER = r"(\d+(?:\.\d+)?|half an?|an?|one|two|three|four|five|six|seven|eight|nine|ten)"
_UNIT = r"(mins?|minutes?|hrs?|hours?|days?|weeks?)"
_QUANTITY = re.compile(rf"^{_NUMBER}\s+{_UNIT}$")
_RANGE = re.compile(rf"^(\d+(?:\.\d+)?)\s*(?:-|–|to)\s*(\d+(?:\.\d+)?)\s+{_UNIT}$")
_VAGUE = re.compile(rf"^(a few|a couple of|several)\s+{_UNIT}$")
_COMPOUND = re.compile(r"^(\S+ (?:days?|hours?|hrs?))\s+(?:and\s+)?(\d+ \S+)$")
_HALF = re.compile(r"^half\s+(?:a|an)\s+(hour|day|week)$")


class TimeEstimateError(ValueError):
    pass


@dataclass(frozen=True)
class TimeEstimate:
    text: str
    min_minutes: int
    max_minutes: int

    @property
    def is_range(self) -> bool:
        return self.min_minutes != self.max_minutes


def _number(word: str) -> float:
    return float(word) if word[0].isdigit() else NUMBER_WORDS[word]


def _minutes(amount: float, unit: str) -> int:
    return round(amount * MINUTES_PER_UNIT[UNIT_ALIASES[unit]])


def _parse_simple(text: str) -> tuple[int, int]:
    """One quantity, a numeric range, or a vague amount of one unit."""
    if m := _HALF.match(text):
        value = _minutes(0.5, m.group(1))
        return value, value
    if m := _QUANTITY.match(text):
        value = _minutes(_number(m.group(1)), m.group(2))
        return value, value
    if m := _RANGE.match(text):
        low, high = _minutes(float(m.group(1)), m.group(3)), _minutes(float(m.group(2)), m.group(3))
        if low > high:
            raise TimeEstimateError(f"range {text!r} runs backwards")
        return low, high
    if m := _VAGUE.match(text):
        low, high = VAGUE_WORDS[m.group(1)]
        return _minutes(low, m.group(2)), _minutes(high, m.group(2))
    raise TimeEstimateError(
        f"cannot read time estimate {text!r}: write e.g. '10 minutes', '1 hour', "
        "'2 to 3 hours', 'half a day', 'a few days' or 'at least a day'"
    )


@lru_cache(maxsize=4096)  # pure, and called for every activity on every dashboard
def parse_time_estimate(text: str) -> TimeEstimate:
    if not isinstance(text, str) or not text.strip():
        raise TimeEstimateError("time estimate is empty")
    normal = " ".join(text.strip().lower().split())
    if normal.startswith("at least "):
        low, _ = _parse_simple(normal[len("at least "):])
        return TimeEstimate(text, low, 2 * low)
    if normal.startswith("about "):
        normal = normal[len("about "):]
    # '1 hour 30 minutes' / '1 hour and 30 minutes'
    if m := _COMPOUND.match(normal):
        (low1, high1), (low2, high2) = _parse_simple(m.group(1)), _parse_simple(m.group(2))
        return TimeEstimate(text, low1 + low2, high1 + high2)
    low, high = _parse_simple(normal)
    if high <= 0:
        raise TimeEstimateError(f"time estimate {text!r} is zero")
    return TimeEstimate(text, low, high)


# Short units for totals, by language. Welsh: munud (minute), awr (hour), diwrnod (day); a
# number before a Welsh noun takes the singular (2 awr, 3 diwrnod), so one form serves.
SHORT_UNITS = {
    "en": {"min": "min", "h": "h", "days": "days", "to": "to", "decimal": "."},
    "cy": {"min": "munud", "h": "awr", "days": "diwrnod", "to": "i", "decimal": "."},
}


def describe_minutes(minutes: int, language: str = "en") -> str:
    """Readable total for dashboards: '45 min', '3 h 30 min', '2.5 days' ('3 awr 30 munud' in Welsh)."""
    units = SHORT_UNITS.get(language, SHORT_UNITS["en"])
    if minutes < 60:
        return f"{minutes} {units['min']}"
    if minutes < MINUTES_PER_UNIT["day"]:
        hours, rest = divmod(minutes, 60)
        return f"{hours} {units['h']} {rest} {units['min']}" if rest else f"{hours} {units['h']}"
    days = f"{minutes / MINUTES_PER_UNIT['day']:.1f}".removesuffix(".0")
    return f"{days} {units['days']}"


def describe_range(low: int, high: int, language: str = "en") -> str:
    """'2 h' or '2 h to 3 h 30 min': the one way a range of minutes is written."""
    low_text, high_text = describe_minutes(low, language), describe_minutes(high, language)
    to = SHORT_UNITS.get(language, SHORT_UNITS["en"])["to"]
    return low_text if low_text == high_text else f"{low_text} {to} {high_text}"


# Welsh for the estimates authors write ('1 hour', 'half a day', 'a few days', 'at least a day').
# After a numeral a Welsh noun stays singular: 2 awr, 3 diwrnod, 10 munud. Vague amounts take the
# plural with its mutation: ychydig ddyddiau (a few days), sawl awr (several hours).
WELSH_UNITS = {"minute": "munud", "hour": "awr", "day": "diwrnod", "week": "wythnos"}
WELSH_ONE = {"minute": "1 munud", "hour": "1 awr", "day": "1 diwrnod", "week": "1 wythnos"}
WELSH_HALF = {"hour": "hanner awr", "day": "hanner diwrnod", "week": "hanner wythnos"}
WELSH_VAGUE = {
    ("a few", "minute"): "ychydig funudau", ("a few", "hour"): "ychydig oriau",
    ("a few", "day"): "ychydig ddyddiau", ("a few", "week"): "ychydig wythnosau",
    ("a couple of", "minute"): "cwpl o funudau", ("a couple of", "hour"): "cwpl o oriau",
    ("a couple of", "day"): "cwpl o ddyddiau", ("a couple of", "week"): "cwpl o wythnosau",
    ("several", "minute"): "sawl munud", ("several", "hour"): "sawl awr",
    ("several", "day"): "sawl diwrnod", ("several", "week"): "sawl wythnos",
}


def _welsh_simple(text: str) -> str:
    if m := _HALF.match(text):
        return WELSH_HALF[m.group(1)]
    if m := _QUANTITY.match(text):
        number, unit = m.group(1), UNIT_ALIASES[m.group(2)]
        if number in ("a", "an", "one"):
            return WELSH_ONE[unit]
        if number in ("half a", "half an"):
            return WELSH_HALF[unit]
        amount = number if number[0].isdigit() else str(NUMBER_WORDS[number])
        return f"{amount} {WELSH_UNITS[unit]}"
    if m := _RANGE.match(text):
        return f"{m.group(1)} i {m.group(2)} {WELSH_UNITS[UNIT_ALIASES[m.group(3)]]}"
    if m := _VAGUE.match(text):
        return WELSH_VAGUE[(m.group(1), UNIT_ALIASES[m.group(2)])]
    raise TimeEstimateError(f"cannot read time estimate {text!r}")


@lru_cache(maxsize=1024)
def in_language(text: str, language: str = "en") -> str:
    """An author's estimate as a reader of `language` should see it: '1 hour' -> '1 awr'."""
    if language != "cy":
        return text
    parse_time_estimate(text)  # raises on anything the English reader would not accept either
    normal = " ".join(text.strip().lower().split())
    for english, welsh in (("at least ", "o leiaf "), ("about ", "tua ")):
        if normal.startswith(english):
            return welsh + in_language(normal[len(english):], language)
    if m := _COMPOUND.match(normal):
        return f"{_welsh_simple(m.group(1))} {_welsh_simple(m.group(2))}"
    return _welsh_simple(normal)
