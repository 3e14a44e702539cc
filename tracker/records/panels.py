"""Parts of the record page that other features add (the witness requests): each registers a Panel
here when it is imported, and the record page shows every registered panel. So the record page imports
none of those features; they import records, never the other way round."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True)
class Panel:
    name: str
    template: str  # included in records/record.html, below the inductee's own forms
    context: Callable[[Database, dict | None], dict]  # what the template needs for this record (None: none yet)
    forms: Callable[[], dict]  # the panel's blank forms by name; a form that needs fixing replaces its blank one


PANELS: dict[str, Panel] = {}


def register(panel: Panel) -> Panel:
    PANELS[panel.name] = panel
    return panel


def context(db: Database, record: dict | None) -> dict:
    values = {}
    for panel in PANELS.values():
        values.update(panel.context(db, record))
    return values


def blank_forms() -> dict:
    forms = {}
    for panel in PANELS.values():
        forms.update(panel.forms())
    return forms
