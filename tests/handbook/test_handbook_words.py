"""Every fixed word the page generator writes has Welsh (handbook/locale/cy/LC_MESSAGES/handbook.po)."""
from __future__ import annotations

import re

from babel.messages.pofile import read_po

from handbook import words
from helpers import ROOT

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def extracted() -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in words.extract_strings(ROOT) if m.id}


def welsh_catalogue():
    with open(words.catalogue_file("cy"), "rb") as handle:
        return read_po(handle, locale="cy")


def test_the_checked_in_template_is_current():
    """handbook/locale/handbook.pot holds what the code says (python -m handbook.words rewrites it)."""
    with open(words.LOCALE_DIR / "handbook.pot", "rb") as handle:
        checked_in = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert checked_in == extracted()


def test_every_generated_word_has_welsh():
    catalogue = welsh_catalogue()
    missing, empty, fuzzy, placeholders = [], [], [], []
    for msgid in sorted(extracted()):
        message = catalogue.get(msgid)
        if message is None:
            missing.append(msgid)
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            empty.append(msgid)
        if message.fuzzy:
            fuzzy.append(msgid)
        if any(set(PLACEHOLDER.findall(s)) != set(PLACEHOLDER.findall(msgid)) for s in strings):
            placeholders.append(msgid)
    assert (missing, empty, fuzzy, placeholders) == ([], [], [], [])


def test_the_check_would_catch_a_new_english_string():
    catalogue = welsh_catalogue()
    assert catalogue.get("Time estimate").string == "Amser bras"
    assert catalogue.get("A string nobody translated") is None
    found = extracted()
    assert {"Time estimate", "Show answer", "Individual activity", "Last reviewed:"} <= found  # templates, N_, build.py


def test_welsh_words_come_through_gettext_with_welsh_plurals():
    welsh = words.translations("cy")
    assert welsh.gettext("Sources") == "Ffynonellau"
    assert welsh.ngettext("%(num)s question", "%(num)s questions", 3) % {"num": 3} == "3 cwestiwn"
    assert words.translations("en").gettext("Sources") == "Sources"
