"""The fixed words the page generator writes, in each language the handbook is built in.

English is written in the code and the templates (`_("Time estimate")`); the Welsh comes
from a gettext catalogue, handbook/locale/cy/LC_MESSAGES/handbook.po, read with Babel at
build time (no compile step). tests/test_handbook_words.py fails on any string without Welsh.

    pybabel extract -F handbook/babel.cfg -o handbook/locale/handbook.pot handbook
    pybabel update -i handbook/locale/handbook.pot -d handbook/locale -D handbook
"""
from __future__ import annotations

import gettext
from functools import lru_cache
from io import BytesIO
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "handbook"
LANGUAGES = ("en", "cy")  # the first is the language of the sources
SITE_FOLDER = {"en": "", "cy": "cy"}  # where each language's site lives inside site/
LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg"}
HTML_LANG = {"en": "en", "cy": "cy"}


def N_(text: str) -> str:
    """Marks a word for the catalogue where it is defined; it is translated where it is shown."""
    return text


def catalogue_file(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=None)
def translations(language: str) -> gettext.NullTranslations:
    """gettext translations for `language` (English: the words as written)."""
    if language == LANGUAGES[0]:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(catalogue_file(language), "rb") as handle:
        catalog = read_po(handle, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def gettext_for(language: str):
    return translations(language).gettext


def format_date(value, language: str) -> str:
    """'24 November 2026' / '24 Tachwedd 2026' (Babel's month names)."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, "d MMMM y", locale="en_GB" if language == "en" else language)
