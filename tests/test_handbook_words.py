"""Every fixed word the page generator writes has Welsh (handbook/locale/cy/LC_MESSAGES/handbook.po)."""
from __future__ import annotations

import re

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from handbook import words
from helpers import ROOT

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def extracted() -> set[str]:
    """The strings in the code and templates, found by Babel with handbook/babel.cfg's rules."""
    method_map = [("handbook/**.py", "python"), ("build.py", "python"), ("handbook/templates/site/**.j2", "jinja2")]
    options = {"handbook/templates/site/**.j2": {"extensions": "jinja2.ext.i18n"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options, keywords=keywords):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def welsh_catalogue():
    with open(words.catalogue_file("cy"), "rb") as handle:
        return read_po(handle, locale="cy")


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
