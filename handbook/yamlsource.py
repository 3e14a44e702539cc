"""Read YAML with line numbers kept, so errors can name file, line and field.

The fast path parses with libyaml and builds plain Python values; the node
tree is kept so that a validation error's location (('parts', 1, 'prompts'))
can be turned into a line number only when there is an error to report.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ContentLoader(_BaseLoader):
    """SafeLoader that keeps 1.4 and 1.10 as text: ids must never become floats."""


ContentLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:float"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


@dataclass
class ContentError:
    path: str  # relative to the project root, e.g. activities/1-4.yml
    line: int | None
    field: str  # e.g. parts[1].prompts; '' for the whole file
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        field = f" {self.field}:" if self.field else ""
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}{field} {prefix}{self.message}"


@dataclass
class YamlDocument:
    path: str
    data: Any
    text: str
    line_offset: int = 0  # for YAML front matter inside a Markdown file

    @cached_property
    def root(self) -> yaml.Node | None:
        """The node tree, composed again only when an error needs a line number.

        Keeping thousands of node trees alive costs memory and garbage-collector time.
        """
        return _compose(self.text)

    def locate(self, loc: tuple) -> tuple[int | None, str]:
        """Line number and dotted field path for a validation location."""
        node, line, path = self.root, 1, ""
        if node is not None:
            line = node.start_mark.line + 1
        for index, key in enumerate(loc):
            last = index == len(loc) - 1
            if isinstance(node, yaml.MappingNode) and isinstance(key, str):
                for key_node, value_node in node.value:
                    if key_node.value == key:
                        # A bad key (extra field) is reported at the key itself.
                        node = value_node
                        line = (key_node if last else value_node).start_mark.line + 1
                        path = f"{path}.{key}" if path else key
                        break
                else:
                    if last and not _is_union_tag(node, key):  # a missing field: report where it belongs
                        path = f"{path}.{key}" if path else key
                    # otherwise a union tag such as 'single' that is not a key
                    continue
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
                if 0 <= key < len(node.value):
                    node = node.value[key]
                    line = node.start_mark.line + 1
                path = f"{path}[{key}]"
            else:
                path = f"{path}.{key}" if path and isinstance(key, str) else (
                    f"{path}[{key}]" if isinstance(key, int) else path or str(key))
        return line + self.line_offset, path

    def error(self, loc: tuple, message: str, severity: str = "error") -> ContentError:
        line, field = self.locate(loc)
        return ContentError(self.path, line, field, message, severity)


def _compose(text: str, construct: bool = False):
    """The node tree; with construct, (the tree, the values, whether a key may be repeated somewhere)."""
    loader = ContentLoader(text)
    try:
        root = loader.get_single_node()
        if not construct:
            return root
        if root is None:
            return root, None, False
        values = _Values(loader)
        try:
            return root, values.of(root), values.unsure
        except RecursionError:  # no content needs a value that holds itself, and nothing could print it
            raise yaml.YAMLError("an alias inside its own anchor (a value that holds itself)") from None
    finally:
        loader.dispose()


STR, SEQ, MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


class _Values:
    """A document's values as the loader's own constructor makes them, but quicker: text, lists and mappings
    (nearly all of a content file) are built here straight from the composed nodes, anything else (numbers,
    dates, booleans, merge keys) by the constructor. PyYAML's constructor is Python even over libyaml, and
    was most of the time validating a pack took. `unsure` is set where a key may be repeated (a mapping that
    came out shorter than it was written, or one left to the constructor), so that the slower check that
    names repeated keys runs only then."""

    def __init__(self, loader):
        self.loader = loader
        self.unsure = False

    def of(self, node: yaml.Node):
        tag = node.tag
        if tag == STR and isinstance(node, yaml.ScalarNode):
            return node.value
        if tag == SEQ and isinstance(node, yaml.SequenceNode):
            return [self.of(item) for item in node.value]
        if tag == MAP and isinstance(node, yaml.MappingNode) and all(
                isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge" for key, _ in node.value):
            mapping = {self.of(key): self.of(value) for key, value in node.value}
            self.unsure = self.unsure or len(mapping) != len(node.value)
            return mapping
        if not isinstance(node, yaml.ScalarNode):  # a number or a date holds no keys
            self.unsure = True
        return self.loader.construct_object(node, deep=True)


def _is_union_tag(node: yaml.MappingNode, key: str) -> bool:
    """pydantic names the chosen member of a tagged union ('single') in error locations."""
    return any(k.value == "kind" and getattr(v, "value", None) == key for k, v in node.value)


def _duplicate_keys(node: yaml.Node, path: str, found: list[ContentError], doc_path: str, offset: int) -> None:
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                found.append(ContentError(doc_path, key_node.start_mark.line + 1 + offset,
                                          f"{path}.{key}" if path else str(key), "duplicate key"))
            seen.add(key)
            _duplicate_keys(value_node, f"{path}.{key}" if path else str(key), found, doc_path, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _duplicate_keys(item, f"{path}[{index}]", found, doc_path, offset)


class ParseCache:
    """The parsed YAML of each file (or front matter), reused while its text stays the same.

    For the preview (handbook/preview.py), which checks the whole project on every save: with
    this a save re-parses one file, not all of them. Parsing is most of the time a check takes;
    validation, cross-references and links are still done in full (they are quick). parse_yaml
    consults the cache only inside `with cache.active():`; the build and the tracker never do.
    """

    def __init__(self):
        self.entries: dict[tuple[str, int], tuple[str, tuple]] = {}  # (path, line offset) -> (text, result)

    def parse(self, text: str, path: str, line_offset: int = 0) -> tuple[YamlDocument | None, list[ContentError]]:
        key = (path, line_offset)
        entry = self.entries.get(key)
        if entry is None or entry[0] != text:
            entry = self.entries[key] = (text, _parse(text, path, line_offset))
        return entry[1]

    @contextmanager
    def active(self):
        global _active_cache
        previous, _active_cache = _active_cache, self
        try:
            yield self
        finally:
            _active_cache = previous


_active_cache: ParseCache | None = None


def parse_yaml(text: str, path: str, line_offset: int = 0) -> tuple[YamlDocument | None, list[ContentError]]:
    """Parse one YAML document. Returns the document or the errors that stop it."""
    if _active_cache is not None:
        return _active_cache.parse(text, path, line_offset)
    return _parse(text, path, line_offset)


def _parse(text: str, path: str, line_offset: int) -> tuple[YamlDocument | None, list[ContentError]]:
    try:
        root, data, unsure = _compose(text, construct=True)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        problem = " ".join(filter(None, [exc.context, exc.problem]))
        return None, [ContentError(path, line, "", f"YAML syntax error: {problem}")]
    except yaml.YAMLError as exc:
        return None, [ContentError(path, None, "", f"YAML error: {exc}")]
    errors: list[ContentError] = []
    if unsure:
        _duplicate_keys(root, "", errors, path, line_offset)
    return YamlDocument(path, data, text, line_offset), errors


MAX_SOURCE_BYTES = 1_000_000  # a real page or activity is a few KB; a huge file is a mistake, refused at once


def read_source_text(file: Path, relative: str) -> tuple[str | None, list[ContentError]]:
    """A content file's text, or an error naming the file (and the line of a bad byte)."""
    size = file.stat().st_size
    if size > MAX_SOURCE_BYTES:
        return None, [ContentError(relative, None, "", f"file is {size:,} bytes; the limit is {MAX_SOURCE_BYTES:,} "
                                                         "(split it, or move data out of the content)")]
    data = file.read_bytes()
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [ContentError(relative, line, "", f"not UTF-8 text: byte 0x{data[exc.start]:02x} at column "
                                                       f"{column} (save the file as UTF-8)")]


def read_yaml_file(file: Path, project_root: Path) -> tuple[YamlDocument | None, list[ContentError]]:
    relative = file.relative_to(project_root).as_posix()
    text, errors = read_source_text(file, relative)
    if text is None:
        return None, errors
    return parse_yaml(text, relative)
