"""The site's configuration: mkdocs.yml, and mkdocs.<language>.yml for each other language's site.

The one reader of these files, for the build, the preview, the content loader (the service's
words) and the tracker, so that they all see the same settings. A language's file names the file
it builds on with INHERIT (mkdocs.cy.yml: `INHERIT: mkdocs.yml`), resolved as MkDocs and Zensical
resolve it: mappings merged key by key, anything else replaced. A file that cannot be read raises
ConfigError naming the file, and the line where YAML gives one: never a traceback.

Plain YAML only: build.py writes the configuration out again for the builder, so a tag such as
!ENV would not survive, and it is refused here rather than dropped without a word.
"""
from __future__ import annotations

import os
from pathlib import Path

import yaml

from . import words
from .yamlsource import ContentError, read_source_text

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ConfigError(Exception):
    """A site configuration that cannot be read, or that asks for something a builder would not do."""

    def __init__(self, message: str, path: str = "", line: int | None = None, field: str = ""):
        self.path, self.line, self.field, self.message = path, line, field, message
        super().__init__(str(self.content_error()) if path else message)

    def content_error(self) -> ContentError:
        """The problem as `build.py check` reports a content file's: file:line field: message."""
        return ContentError(self.path, self.line, self.field, self.message)


def config_file(root: Path, language: str = "en") -> Path:
    return root / ("mkdocs.yml" if language == words.LANGUAGES[0] else f"mkdocs.{language}.yml")


def site_languages(root: Path) -> tuple[str, ...]:
    """English, and every language with its own configuration (mkdocs.cy.yml) beside mkdocs.yml."""
    return (words.LANGUAGES[0], *(code for code in words.LANGUAGES[1:] if config_file(root, code).exists()))


def site_config(root: Path, language: str = "en") -> dict:
    """mkdocs.yml, or a language's mkdocs.<language>.yml with its INHERIT resolved."""
    return merged(config_chain(root, language))


def config_chain(root: Path, language: str = "en") -> list[tuple[str, dict]]:
    """The files that make a language's configuration, the one it inherits from first:
    [("mkdocs.yml", its settings), ("mkdocs.cy.yml", its own settings without INHERIT)]."""
    chain: list[tuple[str, dict]] = []
    file = config_file(root, language)
    while True:
        name = _relative(file, root)
        if not file.is_file():
            if chain:
                raise ConfigError(f"names {name}, which does not exist", chain[0][0], field="INHERIT")
            raise ConfigError("does not exist", name)
        if any(name == seen for seen, _ in chain):
            raise ConfigError(f"leads back to {name} (a file cannot inherit from itself)", chain[0][0],
                              field="INHERIT")
        settings = _read(file, name)
        parent = settings.pop("INHERIT", None)
        chain.insert(0, (name, settings))
        if parent is None:
            return chain
        if not isinstance(parent, str) or not parent:
            raise ConfigError("expected the name of one file, e.g. INHERIT: mkdocs.yml", name, field="INHERIT")
        file = file.parent / parent


def merged(chain: list[tuple[str, dict]]) -> dict:
    config: dict = {}
    for _, settings in chain:
        config = merge_config(config, settings)
    return config


def merge_config(base: dict, override: dict) -> dict:
    """INHERIT as MkDocs and Zensical read it: mappings merged key by key, anything else replaced."""
    result = dict(base)
    for key, value in override.items():
        result[key] = merge_config(result[key], value) if isinstance(value, dict) and isinstance(
            result.get(key), dict) else value
    return result


def origin(chain: list[tuple[str, dict]], *keys: str) -> str:
    """The file a setting (extra, service, name) comes from: the last of the chain that sets it,
    else the language's own file."""
    for name, settings in reversed(chain):
        value = settings
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if value is not None:
            return name
    return chain[-1][0]


def _relative(file: Path, root: Path) -> str:
    """mkdocs.cy.yml, or ../shared/base.yml: as the author wrote it, symbolic links not followed."""
    return Path(os.path.relpath(file, root)).as_posix()


def _read(file: Path, name: str) -> dict:
    text, errors = read_source_text(file, name)
    if text is None:
        raise ConfigError(errors[0].message, name, errors[0].line)
    try:
        settings = yaml.load(text, Loader=_Loader)
    except yaml.constructor.ConstructorError as exc:  # a tag: !ENV, !!python/name:...
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise ConfigError(f"{exc.problem} (write plain YAML: build.py writes this file out again for the builder)",
                          name, line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(filter(None, [exc.context, exc.problem]))
        raise ConfigError(f"YAML syntax error: {problem}", name, mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"YAML error: {exc}", name) from None
    if settings is None:
        return {}
    if not isinstance(settings, dict):
        raise ConfigError("expected a mapping of settings at the top level", name, 1)
    return settings
