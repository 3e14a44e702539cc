"""Welsh spelling: every word of the Welsh files is in a maintained Welsh dictionary (GNU Aspell's
Welsh, Debian's aspell-cy, which scripts/setup.sh installs) or in the project's word list,
handbook/locale/cy/words.txt (names, places, codes, English names of bodies, Welsh words the
dictionary lacks).

What is read is the Welsh prose (handbook/prose.py): the text fields of the YAML files and the front
matter, the Markdown without its code, URLs, link targets and HTML (but for aria-label, alt and
title), the site's words in mkdocs.cy.yml and the msgstr of the generator's catalogue. Text marked
lang="en" is English and is not read; the sources a Welsh page does not translate are not in its file.

A word is known when the dictionary or the list has it or, as the dictionary lists few mutated forms,
a word it could be the mutation of (*Nghymru*, *Gymru* < *Cymru*; handbook/welsh_search.radicals). The
clitics after an apostrophe (*Mae'r*, *sy'n*, *i'w*) are not words of their own. A word in the list
in lower case matches it in any case; one with capitals only as written.

All the words of all the files go to one `aspell list` (twice: the words, then the radicals of the
ones it does not know), so the check takes a fraction of a second. An unknown word is an error at its
file and line; `build.py check` prints the share of words the dictionary does not know (the list
carries them), and `--spelling-report` that share file by file.
"""
from __future__ import annotations

import functools
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .prose import Field, line_of, markdown_text, yaml_fields, yaml_prose
from .terms import catalogue_text, display_path, welsh_files
from .welsh_search import radicals
from .yamlsource import ContentError, YamlDocument, read_source_text

WORDS_FILE = Path(__file__).resolve().parent / "locale" / "cy" / "words.txt"
LANGUAGE = "cy"
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
ROMAN = re.compile(r"(?=[ivxlcdm])m*(?:c[md]|d?c{0,3})(?:x[cl]|l?x{0,3})(?:i[xv]|v?i{0,3})$"
                   r"|(?=[IVXLCDM])M*(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})$")  # pages iv to v
CLITICS = frozenset({"r", "n", "i", "u", "w", "m", "th", "ch", "s", "t", "d"})  # after an apostrophe
# mkdocs.cy.yml: the keys whose values are words the site shows (the rest is configuration)
SITE_TEXT = frozenset({"site_name", "site_description", "site_author", "copyright", "name", "short_name",
                       "officer", "officer_short", "work", "country"})
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd%]|\{\w*\}|\\[nt\"]|^[ \t]*msgstr(?:\[\d+\])?|\"", re.M)


class AspellMissing(Exception):
    """Aspell or its Welsh dictionary is not installed."""


@dataclass
class FileWords:
    path: str
    words: list[tuple[str, int]] = field(default_factory=list)  # (word, line)
    unknown_to_dictionary: int = 0
    unknown: list[tuple[str, int]] = field(default_factory=list)  # to the dictionary and the list

    @property
    def rate(self) -> float:
        return self.unknown_to_dictionary / len(self.words) if self.words else 0.0


@dataclass
class Report:
    files: list[FileWords]
    errors: list[ContentError]

    @property
    def total(self) -> int:
        return sum(len(f.words) for f in self.files)

    @property
    def unknown_to_dictionary(self) -> int:
        return sum(f.unknown_to_dictionary for f in self.files)

    def summary(self) -> str:
        rate = self.unknown_to_dictionary / self.total if self.total else 0.0
        return (f"spelling Cymraeg (cy): {rate:.1%} of {self.total:,} words in {len(self.files)} files are not in"
                f" the dictionary ({self.unknown_to_dictionary:,}; the word list has the rest),"
                f" {len(self.errors)} unknown to both")

    def per_file(self) -> str:
        lines = ["spelling by file: not in the dictionary, of the words; unknown to both"]
        for item in sorted(self.files, key=lambda f: (-f.rate, f.path)):
            lines.append(f"  {item.rate:6.1%}  {item.unknown_to_dictionary:>4} of {len(item.words):<6,}"
                         f" {len(item.unknown):>3}  {item.path}")
        return "\n".join(lines)


# ---- the Welsh prose of each kind of file ------------------------------------------------------------

def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def _yaml_prose(text: str, path: str, keep=None) -> str:
    doc = YamlDocument(path, None, text)
    try:
        if doc.root is None:
            return ""
    except yaml.YAMLError:
        return ""  # the loader reports it
    fields = keep(doc) if keep else yaml_fields(doc)
    return yaml_prose(doc, fields)[0]


def _site_fields(doc: YamlDocument) -> list[Field]:
    found = []

    def walk(node, loc):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(value, yaml.ScalarNode) and key.value in SITE_TEXT:
                    found.append(Field((*loc, key.value), value.start_mark.index, value.end_mark.index))
                else:
                    walk(value, (*loc, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*loc, index))

    walk(doc.root, ())
    return found


def _page_prose(text: str, path: str) -> str:
    from .loader import FRONT_MATTER

    match = FRONT_MATTER.match(text)
    if not match:
        return markdown_text(text).prose
    start, end = match.span(1) if match.group(1) else (match.end(), match.end())
    meta = _yaml_prose(text[start:end], path) or _blank(text[start:end])
    return _blank(text[:start]) + meta + _blank(text[end:match.end()]) + markdown_text(text[match.end():]).prose


def _catalogue_prose(text: str) -> str:
    """The msgstr text of a gettext catalogue, without its header, placeholders and quotes."""
    lines = catalogue_text(text).split("\n")  # its lines, not its offsets, are the file's
    header = re.search(r'^msgid ""\nmsgstr ""\n(?:".*"\n)*', text, re.M)
    if header:
        count = text[:header.end()].count("\n")
        lines[:count] = [""] * count
    return PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), "\n".join(lines))


def welsh_prose(file: Path, text: str, path: str) -> str:
    """A Welsh file's text with everything but its Welsh prose blanked, lines kept."""
    if file.suffix == ".po":
        return _catalogue_prose(text)
    if file.suffix == ".md":
        return _page_prose(text, path)
    if file.name.startswith("mkdocs."):
        return _yaml_prose(text, path, keep=_site_fields)
    return _yaml_prose(text, path)


def words_of(prose: str, names: re.Pattern[str] | None = None) -> list[tuple[str, int]]:
    """(word, line) of each word: a hyphenated compound is one word; the clitics after an apostrophe,
    single letters, roman numerals, letters joined to digits (s444, ss437) and the listed names of
    several words are left out."""
    if names is not None:
        prose = names.sub(lambda m: _blank(m.group(0)), prose)  # a name may run onto the next line
    found = []
    for match in WORD.finditer(prose):
        start, end = match.span()
        if start and prose[start - 1].isdigit() or end < len(prose) and prose[end].isdigit():
            continue
        parts = match.group(0).replace("’", "'").split("'")
        line = line_of(prose, start)
        found += [(part, line) for index, part in enumerate(parts)
                  if len(part) > 1 and not (index and part.lower() in CLITICS) and not ROMAN.match(part)]
    return found


def _parts(word: str) -> list[str]:
    return [part for part in word.split("-") if len(part) > 1]


# ---- the dictionary and the word list -------------------------------------------------------------

def load_word_list(file: Path | None = None) -> tuple[set[str], re.Pattern[str] | None]:
    """The listed words, and a pattern for the listed names of several words (Prospect Education and
    Children's Services Group): their words pass only together, so the list need not accept *and*."""
    words, names = set(), []
    file = file or WORDS_FILE
    if file.exists():
        for line in file.read_text(encoding="utf-8").splitlines():
            entry = " ".join(line.split("#", 1)[0].split())
            if " " in entry:
                names.append(entry)
            elif entry:
                words.add(entry)
    if not names:
        return words, None
    alternatives = "|".join(r"\s+".join(map(re.escape, name.replace("'", "’").split())).replace("’", "['’]")
                            for name in sorted(names, key=len, reverse=True))
    return words, re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def in_list(word: str, listed: set[str]) -> bool:
    return word in listed or word.lower() in listed


@functools.lru_cache(maxsize=4096)
def _file_words(name: str, text: str, path: str, names: re.Pattern[str] | None) -> tuple:
    """words_of a file's Welsh prose, kept while its text is the same: the preview checks every file on each save."""
    return tuple(words_of(welsh_prose(Path(name), text, path), names))


# (aspell program, language, word) -> unknown to its dictionary: a dictionary does not change while the process runs
_ASPELL_ANSWERS: dict[tuple[str, str, str], bool] = {}


def aspell_unknown(words: set[str], language: str = LANGUAGE) -> set[str]:
    """The words Aspell's dictionary for `language` does not know (one word a line in, so a compound
    is checked whole). Aspell is asked only about words it has not been asked about in this process."""
    if not words:
        return set()
    program = shutil.which("aspell")
    if program is None:
        raise AspellMissing("aspell is not installed: run scripts/setup.sh (it installs aspell and aspell-cy)")
    new = {word for word in words if (program, language, word) not in _ASPELL_ANSWERS}
    if new:
        unknown = _ask_aspell(program, new, language)
        _ASPELL_ANSWERS.update({(program, language, word): word in unknown for word in new})
    return {word for word in words if _ASPELL_ANSWERS[(program, language, word)]}


def _ask_aspell(program: str, words: set[str], language: str) -> set[str]:
    result = subprocess.run([program, "-l", language, "--encoding=utf-8", "list"], input="\n".join(sorted(words)),
                            capture_output=True, text=True, encoding="utf-8", timeout=120)
    if result.returncode != 0:
        raise AspellMissing(f"aspell cannot check {language}: {result.stderr.strip()} (run scripts/setup.sh:"
                            f" it installs aspell-{language})")
    return set(result.stdout.split())


def _radical_forms(word: str) -> list[str]:
    forms = radicals(word)[1:]
    if word[:1].isupper():
        forms = [form[:1].upper() + form[1:] for form in forms]
    return forms


def unknown_words(words: set[str], listed: set[str]) -> tuple[set[str], set[str]]:
    """(the words the dictionary does not know, the words neither it nor the list knows). A mutated
    form is known when a word it could come from is; a compound when it is known whole or each of
    its parts is."""
    queries = words | {part for word in words for part in _parts(word)}
    lacking = aspell_unknown(queries)
    forms = {q: _radical_forms(q) for q in lacking}
    lacking_forms = aspell_unknown({form for found in forms.values() for form in found})
    in_dictionary = {q for q in lacking if any(form not in lacking_forms for form in forms[q])}

    def known(query: str, listed_too: bool) -> bool:
        if query not in lacking or query in in_dictionary:
            return True
        return listed_too and any(in_list(form, listed) for form in (query, *forms[query]))

    def word_known(word: str, listed_too: bool) -> bool:
        parts = _parts(word)
        return known(word, listed_too) or (len(parts) > 1 and all(known(part, listed_too) for part in parts))

    return {w for w in words if not word_known(w, False)}, {w for w in words if not word_known(w, True)}


# ---- the check ----------------------------------------------------------------------------------

def spelling_report(root: Path, word_list: Path | None = None) -> Report:
    """Every Welsh file's words, the share the dictionary lacks, and an error for each word unknown to
    the dictionary and to the word list (or one error saying aspell is missing)."""
    word_list = word_list or WORDS_FILE
    listed, names = load_word_list(word_list)
    files = []
    for file in welsh_files(root):
        path = display_path(file, root)
        text, _ = read_source_text(file, path)
        if text is not None:  # an unreadable file is reported by the loader
            files.append(FileWords(path, list(_file_words(file.name, text, path, names))))
    try:
        not_in_dictionary, unknown = unknown_words({w for f in files for w, _ in f.words}, listed)
    except AspellMissing as exc:
        return Report(files, [ContentError(display_path(word_list, root), None, "", f"spelling: {exc}")])
    errors = []
    for item in files:
        item.unknown_to_dictionary = sum(w in not_in_dictionary for w, _ in item.words)
        seen = set()
        for word, line in item.words:
            if word in unknown and (word, line) not in seen:
                seen.add((word, line))
                item.unknown.append((word, line))
                errors.append(ContentError(item.path, line, "", f'spelling: "{word}" is not in the Welsh dictionary'
                                                                f" or {display_path(word_list, root)}"))
    return Report(files, errors)
