"""Warn (never block) when text looks like it identifies a child or family.

Reflective logs are about the worker's own practice. These checks are deliberately
simple and will miss things and flag some harmless text: they prompt a second look."""
from __future__ import annotations

import re

from flask_babel import gettext

POSTCODE = re.compile(r"\b(?:[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]?)\s*[0-9][ABD-HJLNP-UW-Z]{2}\b", re.I)
DATE = re.compile(r"\b(?:[0-3]?\d[/.-][01]?\d[/.-](?:19|20)?\d\d"
                  r"|[0-3]?\d(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
                  r" (?:19|20)\d\d)\b", re.I)
BIRTH_WORDS = re.compile(r"\b(?:d\.?o\.?b\.?|date of birth|born on)\b", re.I)
CAPITALISED_PAIR = re.compile(r"\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?) ([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")
# Capitalised words that often come in pairs in this work without naming a person.
NOT_NAMES = set("""
I The A An And But So Now What When Where Why How My Our Your Their His Her This That These Those It We They You He She
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September
October November December Welsh Wales English England British Government Council County Borough City Education Welfare
Officer Officers Service Services School Schools Primary Secondary Comprehensive High Junior Infant Academy Year Team
Family Families First Social Care Children Child Young People Health Board Local Authority
National Assembly Senedd Act Order
Section Code Framework Attendance All Safeguarding Procedures Keeping Learners Safe Support Youth Justice Police Court
Magistrates Head Teacher Deputy Manager Senior Designated Person Borton Belonging Engaging Participating Additional
Learning Needs Tribunal Mental Centre Unit Pupil Referral Inclusion Team Around Flying Start Mrs Mr Ms Miss Dr
""".split())


def identifying_details(*texts: str) -> list[str]:
    """Plain-language warnings for anything that looks identifying, e.g. 'a postcode (CF10 1AA)'."""
    text = "\n".join(t for t in texts if t)
    warnings = []
    for match in POSTCODE.finditer(text):
        warnings.append(gettext("a postcode (%(text)s)", text=match.group(0)))
    for match in DATE.finditer(text):
        warnings.append(gettext("a date that could be a date of birth (%(text)s)", text=match.group(0)))
    if BIRTH_WORDS.search(text):
        warnings.append(gettext("a mention of a date of birth"))
    for first, second in CAPITALISED_PAIR.findall(text):
        if first not in NOT_NAMES and second not in NOT_NAMES:
            warnings.append(gettext("what may be a full name (%(text)s)", text=f"{first} {second}"))
    return list(dict.fromkeys(warnings))
