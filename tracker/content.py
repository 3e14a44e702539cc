"""The handbook's activities and quizzes, read through the same loader as the site."""
from __future__ import annotations

from pathlib import Path

from flask import current_app

from handbook import model, site
from handbook.loader import Project, load_project


def init_app(app) -> None:
    project = load_project(Path(app.config["CONTENT_ROOT"]), check_links=False)
    if project.errors:
        # The tracker still starts with the valid content; `build.py check` names the problems.
        app.logger.warning("handbook content has %d errors; run 'python build.py check'", len(project.errors))
    app.extensions["handbook"] = project


def project() -> Project:
    return current_app.extensions["handbook"]


def activities() -> list[model.Activity]:
    """Every activity in handbook order (sorted once: the content does not change while running)."""
    cache = current_app.extensions.setdefault("handbook_sorted", {})
    if "activities" not in cache:
        cache["activities"] = sorted(project().activities.values(), key=lambda a: a.number)
    return cache["activities"]


def activity(activity_id: str) -> model.Activity | None:
    return project().activities.get(activity_id)


def sections() -> list[model.Section]:
    cache = current_app.extensions.setdefault("handbook_sorted", {})
    if "sections" not in cache:
        cache["sections"] = sorted(project().sections.values(), key=lambda s: model.section_order(s.id))
    return cache["sections"]


def section_title(section_id: str) -> str:
    section = project().sections.get(section_id)
    return f"{section.label}: {section.title}" if section else f"Section {section_id}"


def handbook_url(activity_id: str) -> str | None:
    """Link to the activity's page in the built handbook, when SITE_URL is configured."""
    base = current_app.config.get("SITE_URL", "")
    if not base or not model.ACTIVITY_ID.match(activity_id):
        return None
    return f"{base.rstrip('/')}/{site.page_url(site.activity_page_for_id(activity_id))}"
