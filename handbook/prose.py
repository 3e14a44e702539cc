"""The words of a content file a reader reads, each kept at its place in the file, so that a finding
about them can name its line: the ground shared by the fact check (handbook/facts.py) and the spelling
check (handbook/spelling.py).

A Markdown body becomes a text of the same length in which everything that is not prose is blanked
(newlines kept): code, URLs, web addresses and link targets, HTML tags (except the words of their
aria-label, alt and title), heading attributes, admonition markers, footnote labels, and any element marked
`lang="en"` (English quoted in a Welsh page: it is not a translation of anything, and it is not
Welsh). An HTML entity becomes its character (&pound;60 is £60). The link targets, URLs and ids it
blanks are collected on the side. A YAML file becomes a text
of the same length that keeps only its text fields (translations.TEXT_FIELDS), read the same way.
"""
from __future__ import annotations

import html
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator

import yaml

from .translations import EXTRA_FIELDS, FREE_LENGTH, MATCH_KEYS, NESTED_FIELDS, TEXT_FIELDS
from .yamlsource import YamlDocument

FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(?!`)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", re.S)
CODE_ELEMENT = re.compile(r"<code\b[^>]*>(.*?)</code\s*>", re.S | re.I)
COMMENT = re.compile(r"<!--.*?-->", re.S)
ENGLISH_ELEMENT = re.compile(r"""<([A-Za-z][\w-]*)\b[^>]*?\slang\s*=\s*["']?en(?:-[A-Za-z]+)?\b["']?[^>]*>""")
AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>", re.I)
TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
ATTRIBUTE = re.compile(r"""([\w:-]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")
PROSE_ATTRIBUTES = frozenset({"aria-label", "alt", "title"})  # their words are read (by screen readers)
LINK_ATTRIBUTES = frozenset({"href", "src"})
# ](target "title"): the target of an inline link or image; the text in [...] before it stays prose.
LINK_TARGET = re.compile(r"""\]\(\s*(<[^>\n]*>|[^)\s]+)(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\)))?\s*\)""")
LINK_LABEL = re.compile(r"\]\[[^\]\n]*\]")  # [text][label]
LINK_DEFINITION = re.compile(r"""^[ \t]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*<?([^\s>]+)>?.*$""", re.M)
URL = re.compile(r"\b(?:https?|ftp)://[^\s<>()\[\]{}\"'`|]+", re.I)
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# a web address without its scheme (gov.wales, llyw.cymru/perthyn): not prose, and no link either
DOMAIN = re.compile(r"(?<![\w@./-])(?:[A-Za-z0-9-]+\.)+(?:wales|cymru|uk|com|org|net|gov|info|eu)\b(?:/[^\s)\]]*)?")
ENTITY = re.compile(r"&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);")
ATTR_LIST = re.compile(r"\{:?[ \t]*(?:[#.][\w-]|[\w-]+=)[^}\n]*\}")
HEADING = re.compile(r"^[ \t]*(#{1,6})[ \t]+(.*?)[ \t]*$", re.M)
EXPLICIT_ID = re.compile(r"\{[^}\n]*?#([\w-]+)[^}\n]*\}[ \t]*#*[ \t]*$")
ADMONITION = re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?|===\+?)(?:[ \t]+[\w-]+)*", re.M)
FOOTNOTE = re.compile(r"\[\^[^\]\n]+\]:?")
ABBREVIATION = re.compile(r"^(\*\[)[^\]\n]+(\]:)", re.M)


@dataclass
class MarkdownText:
    prose: str  # the body, everything but prose blanked: the same offsets and lines
    links: list[tuple[str, int]] = field(default_factory=list)  # link targets and URLs: (target, offset)
    anchors: list[tuple[str, int]] = field(default_factory=list)  # ids a link can point at: (id, offset)
    headings: list[tuple[int, str]] = field(default_factory=list)  # (offset, id): where each part begins


class _Blanker:
    """A text whose spans are blanked one by one, newlines kept, so every offset stays right."""

    def __init__(self, text: str):
        self.text = text
        self.chars = list(text)

    def blank(self, start: int, end: int) -> None:
        for index in range(start, end):
            if self.chars[index] != "\n":
                self.chars[index] = " "

    def current(self) -> str:
        return "".join(self.chars)


def line_of(text: str, offset: int) -> int:
    """The 1-based line of an offset in a text."""
    return bisect_left(_newlines(text), offset) + 1


@lru_cache(maxsize=16)
def _newlines(text: str) -> list[int]:
    """Where a text's lines end: found once for the many words and facts of one file."""
    return [match.start() for match in re.finditer("\n", text)]


def _fenced_blocks(text: str) -> list[tuple[int, int, int, int]]:
    """(block start, content start, content end, block end) of each fenced code block."""
    blocks, offset, opening = [], 0, None
    for line in text.splitlines(keepends=True):
        match = FENCE.match(line)
        if opening is None and match:
            opening = (offset, offset + len(line), match.group(2))
        elif opening is not None and match and match.group(2)[0] == opening[2][0] \
                and len(match.group(2)) >= len(opening[2]) and not line[match.end():].strip():
            blocks.append((opening[0], opening[1], offset, offset + len(line)))
            opening = None
        offset += len(line)
    if opening is not None:  # an unclosed fence runs to the end, as Markdown reads it
        blocks.append((opening[0], opening[1], len(text), len(text)))
    return blocks


def _english_elements(text: str) -> Iterator[tuple[int, int]]:
    """The spans of the elements marked lang="en", from the opening tag to the matching closing one."""
    position = 0
    while match := ENGLISH_ELEMENT.search(text, position):
        name = match.group(1)
        if match.group(0).endswith("/>"):
            yield match.start(), match.end()
            position = match.end()
            continue
        depth, end = 1, len(text)
        for tag in re.finditer(rf"<(/?){re.escape(name)}\b[^>]*>", text[match.end():]):
            depth += -1 if tag.group(1) else (0 if tag.group(0).endswith("/>") else 1)
            if depth == 0:
                end = match.end() + tag.end()
                break
        yield match.start(), end
        position = end


def heading_text(raw: str) -> str:
    """A heading's text as the table of contents reads it: no attribute list, link target, code mark,
    emphasis or tag."""
    text = re.sub(r"\{[^}\n]*\}[ \t]*#*$", "", raw).rstrip("# \t")
    text = LINK_TARGET.sub("", text)
    text = TAG.sub("", text)
    return re.sub(r"[`*_\[\]]", "", text).strip()


def _slug(text: str, used: set[str]) -> str:
    from markdown.extensions.toc import slugify, unique  # as the builders' toc extension makes ids

    return unique(slugify(text, "-"), used)


def markdown_text(body: str, keep_code: bool = False) -> MarkdownText:
    """The prose of a Markdown body (code kept when `keep_code`, for the fact check: a figure in code
    is still a figure), its link targets, its ids and its headings."""
    out, found = _Blanker(body), MarkdownText("")
    code = _blank_code(out)
    for match in ENTITY.finditer(out.current()):  # &pound;60 is £60: the character, then spaces
        character = html.unescape(match.group(0))
        if len(character) == 1:
            out.chars[match.start():match.end()] = character.ljust(match.end() - match.start())
    for match in COMMENT.finditer(out.current()):
        out.blank(match.start(), match.end())
    for start, end in list(_english_elements(out.current())):
        out.blank(start, end)
    headings = _read_headings(out, found)
    _read_links(out, found)
    text = out.current()
    for match in ATTR_LIST.finditer(text):
        if not any(start <= match.start() < end for start, end in headings):  # a heading's id is noted
            found.anchors.extend((anchor, match.start()) for anchor in re.findall(r"#([\w-]+)", match.group(0)))
        out.blank(match.start(), match.end())
    for pattern in (ADMONITION, DOMAIN, LINK_LABEL, FOOTNOTE):
        for match in pattern.finditer(text):
            out.blank(match.start(), match.end())
    for match in ABBREVIATION.finditer(text):
        out.blank(*match.span(1))
        out.blank(*match.span(2))
    if keep_code:
        for start, end in code:
            out.chars[start:end] = body[start:end]
    found.prose = out.current()
    found.links.sort(key=lambda item: item[1])
    found.anchors.sort(key=lambda item: item[1])
    return found


def _blank_code(out: _Blanker) -> list[tuple[int, int]]:
    """Blank fenced blocks, code spans and <code> elements; the spans of their content."""
    code = []
    for start, inner_start, inner_end, end in _fenced_blocks(out.text):
        out.blank(start, end)
        code.append((inner_start, inner_end))
    for pattern, group in ((CODE_ELEMENT, 1), (CODE_SPAN, 2)):
        for match in pattern.finditer(out.current()):
            out.blank(match.start(), match.end())
            code.append(match.span(group))
    return code


def _read_headings(out: _Blanker, found: MarkdownText) -> list[tuple[int, int]]:
    """Note each heading's id (its own, or the one the table of contents gives it); blank its #s."""
    used: set[str] = set()
    spans = []
    for match in HEADING.finditer(out.current()):
        spans.append(match.span())
        explicit = EXPLICIT_ID.search(match.group(2))
        anchor = explicit.group(1) if explicit else _slug(heading_text(match.group(2)), used)
        used.add(anchor)
        found.anchors.append((anchor, match.start()))
        found.headings.append((match.start(), anchor))
        out.blank(*match.span(1))
    return spans


def _read_links(out: _Blanker, found: MarkdownText) -> None:
    """Note and blank the link targets, URLs and email addresses, and the HTML tags."""
    for match in AUTOLINK.finditer(out.current()):
        found.links.append((match.group(1), match.start()))
        out.blank(match.start(), match.end())
    for match in TAG.finditer(out.current()):
        _read_tag(match, out, found)
    for pattern, group in ((LINK_TARGET, 1), (LINK_DEFINITION, 1)):
        for match in pattern.finditer(out.current()):
            found.links.append((match.group(group).strip("<>"), match.start(group)))
            out.blank(match.start(), match.end())
    for pattern in (URL, EMAIL):
        for match in pattern.finditer(out.current()):
            target = match.group(0).rstrip(".,;:!?")
            found.links.append((target, match.start()))
            out.blank(match.start(), match.start() + len(target))


def _read_tag(match: re.Match, out: _Blanker, found: MarkdownText) -> None:
    """Blank a tag but the words of its prose attributes; note its id and link."""
    keep = []
    for attribute in ATTRIBUTE.finditer(match.group(0), 1):
        name, value = attribute.group(1).lower(), attribute.group(2)
        if value is None:
            continue
        start = match.start() + attribute.start(2)
        inner = value.strip("\"'")
        inner_start = start + (1 if value[:1] in "\"'" else 0)
        if name in PROSE_ATTRIBUTES:
            keep.append((inner_start, inner_start + len(inner)))
        elif name == "id":
            found.anchors.append((inner, inner_start))
        elif name in LINK_ATTRIBUTES:
            found.links.append((inner, inner_start))
    position = match.start()
    for start, end in keep:
        out.blank(position, start)
        position = end
    out.blank(position, match.end())


# ---- YAML ---------------------------------------------------------------------------------------

@dataclass
class Field:
    """One text value of a YAML file: where it is (its location, as the overlay pairs the two files)
    and its span in the file's text."""

    loc: tuple
    start: int
    end: int
    free: bool = False  # one entry of a list whose length the translation chooses (tags, accepted)
    extra: bool = False  # a field only the translation has (a Welsh abbreviation)
    label: bool = False  # a tag: a label the translation chooses for itself, not a sentence


def yaml_fields(doc: YamlDocument) -> list[Field]:
    """The text values of a content file or front matter, each with its span in doc.text."""
    found: list[Field] = []
    if doc.root is not None:
        _fields(doc.text, doc.root, (), found, text=False, free=False)
    return found


def _fields(source: str, node: yaml.Node, loc: tuple, found: list[Field], text: bool, free: bool) -> None:
    if isinstance(node, yaml.ScalarNode):
        if text and node.tag == "tag:yaml.org,2002:str" and node.value.strip():
            start = node.start_mark.index  # characters, with the C loader too
            if node.style in ("|", ">"):  # the text begins on the line after the indicator
                start = source.find("\n", start) + 1 or start
            found.append(Field(loc, start, node.end_mark.index, free, label="tags" in loc))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _fields(source, item, (*loc, index), found, text, free)
    elif isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            key = key_node.value
            if not loc and key == "translation" or key in MATCH_KEYS:
                continue
            if key in EXTRA_FIELDS:
                if isinstance(value, yaml.ScalarNode):
                    found.append(Field((*loc, key), value.start_mark.index, value.end_mark.index, extra=True))
                continue
            if text or key in TEXT_FIELDS:
                _fields(source, value, (*loc, key), found, True, free or key in FREE_LENGTH)
            elif key in NESTED_FIELDS:
                _fields(source, value, (*loc, key), found, False, free)


MARKUP = re.compile(r"[\[<`{#!*@&]|://|\w\.\w|^[ \t]*(?:!!!|\?\?\?|===)", re.M)  # nothing to read as Markdown without


def yaml_prose(doc: YamlDocument, fields: list[Field], keep_code: bool = False) -> tuple[str, list[tuple[str, int]]]:
    """doc.text with everything but the prose of its text fields blanked (each field read as Markdown,
    since the generator writes them into Markdown pages), and the link targets in them with their
    offsets in doc.text."""
    out = _Blanker(doc.text)
    links, position = [], 0
    for item in sorted(fields, key=lambda f: f.start):
        out.blank(position, item.start)
        value = doc.text[item.start:item.end]
        if MARKUP.search(value):
            read = markdown_text(value, keep_code)
            out.chars[item.start:item.end] = read.prose
            links += [(target, item.start + offset) for target, offset in read.links]
        position = max(position, item.end)
    out.blank(position, len(doc.text))
    return out.current(), links
