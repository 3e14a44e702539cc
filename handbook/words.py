"""The fixed words the page generator writes, in each language the handbook is built in.

English is written in the code and the templates (`_("Time estimate")`); the Welsh comes
from a gettext catalogue, handbook/locale/cy/LC_MESSAGES/handbook.po, read with Babel at
build time (no compile step). tests/handbook/test_handbook_words.py fails on any string without Welsh.

    .venv/bin/python -m handbook.words     # after adding a string: extract, merge, list what to translate
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


def extract_strings(root: Path = LOCALE_DIR.parent.parent):
    """Every string the generator writes, as a Babel catalogue without translations: Python with
    _, gettext, ngettext and N_, and the Jinja templates."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    template = Catalog(project="EWS induction handbook", domain=DOMAIN)
    method_map = [("handbook/**.py", "python"), ("build.py", "python"), ("handbook/templates/site/**.j2", "jinja2")]
    options = {"handbook/templates/site/**.j2": {"extensions": "jinja2.ext.i18n"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    for _file, _line, message, _comments, _context in extract_from_dir(str(root), method_map, options,
                                                                        keywords=keywords):
        template.add(message, flags=("python-format",) if "%(" in str(message) else ())
    return template


def update_catalogues(root: Path = LOCALE_DIR.parent.parent) -> list[str]:
    """Extract the generator's strings into handbook/locale/handbook.pot and merge them into each
    language's catalogue (new strings empty, removed ones dropped); return the strings with no
    translation. `python -m handbook.words` runs it."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po, write_po

    template = Catalog(project="EWS induction handbook", domain=DOMAIN)
    method_map = [("handbook/**.py", "python"), ("build.py", "python"), ("handbook/templates/site/**.j2", "jinja2")]
    options = {"handbook/templates/site/**.j2": {"extensions": "jinja2.ext.i18n"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    for _file, _line, message, _comments, _context in extract_from_dir(str(root), method_map, options,
                                                                        keywords=keywords):
        template.add(message, flags=("python-format",) if "%(" in str(message) else ())
    with open(LOCALE_DIR / f"{DOMAIN}.pot", "wb") as handle:
        write_po(handle, template, omit_header=True, sort_output=True, include_lineno=False)
    untranslated = []
    for language in LANGUAGES[1:]:
        with open(catalogue_file(language), "rb") as handle:
            catalog = read_po(handle, locale=language)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        with open(catalogue_file(language), "wb") as handle:
            write_po(handle, catalog, sort_output=True, include_lineno=False)
        untranslated += [f"{language}: {m.id}" for m in catalog if m.id and not all(
            m.string if isinstance(m.string, tuple) else (m.string,))]
    return untranslated


if __name__ == "__main__":
    missing = update_catalogues()
    print("\n".join(f"to translate in {line}" for line in missing) or "every string is translated")
