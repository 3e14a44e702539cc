"""The handbook's activities and quizzes, read through the same loader as the site."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app
from flask_babel import gettext

from handbook import model, site
from handbook.loader import Project, load_project
from handbook.service import load_service
from handbook.siteconfig import site_languages

from .i18n import current_language

bp = Blueprint("content", __name__)


def load(state) -> None:
    """The handbook's content, loaded once as the app is made (it does not change while running)."""
    app = state.app
    project = load_project(Path(app.config["CONTENT_ROOT"]), check_links=False)
    if project.errors:
        # The tracker still starts with the valid content; `build.py check` names the problems.
        app.logger.warning("handbook content has %d errors; run 'python build.py check'", len(project.errors))
    app.extensions["handbook"] = project


bp.record_once(load)


def project(language: str | None = None) -> Project:
    """The handbook in the page's language (or `language`): Welsh text where a Welsh translation exists,
    English elsewhere; the same ids and structure in every language."""
    language = language or current_language()
    english = current_app.extensions["handbook"]
    if language == "en":
        return english
    cache = current_app.extensions.setdefault("handbook_languages", {})
    if language not in cache:
        cache[language] = english.in_language(language)
    return cache[language]


def english_project() -> Project:
    return current_app.extensions["handbook"]


def kept_title(activity_id: str) -> str:
    """The title a record keeps of its activity, shown only once the activity has left the handbook:
    the handbook's own (English), whatever language the page was in when the record was made."""
    activity = english_project().activities.get(activity_id)
    return activity.title if activity else activity_id


def activities() -> list[model.Activity]:
    """Every activity in handbook order (sorted once per language: the content does not change while running)."""
    cache = current_app.extensions.setdefault("handbook_sorted", {})
    key = ("activities", current_language())
    if key not in cache:
        cache[key] = sorted(project().activities.values(), key=lambda a: a.number)
    return cache[key]


def activity(activity_id: str) -> model.Activity | None:
    return project().activities.get(activity_id)


def sections() -> list[model.Section]:
    cache = current_app.extensions.setdefault("handbook_sorted", {})
    key = ("sections", current_language())
    if key not in cache:
        cache[key] = sorted(project().sections.values(), key=lambda s: model.section_order(s.id))
    return cache[key]


def section_title(section_id: str) -> str:
    section = project().sections.get(section_id)
    return f"{section_label(section)}: {section.title}" if section else gettext("Section %(id)s", id=section_id)


def section_label(section: model.Section) -> str:
    """'Section 1' / 'Adran 1' (model.Section.label, in the page's language)."""
    return (gettext("Section %(id)s", id=section.id) if section.id.isdigit()
            else gettext("Appendix %(id)s", id=section.id))


def service(language: str | None = None):
    """The service's name and words in the page's language: extra.service of that language's site
    configuration (mkdocs.cy.yml with its INHERIT, read as the build reads it: handbook/service.py).
    A configuration with a problem leaves the English words, and the problem in the log (build.py
    check reports it too): a page never fails for it."""
    language = language or current_language()
    english = project("en").service
    if language == "en":
        return english
    cache = current_app.extensions.setdefault("handbook_services", {})
    if language not in cache:
        cache[language] = english
        root = Path(current_app.config["CONTENT_ROOT"])
        if language in site_languages(root):
            words, errors = load_service(root, language)
            for error in errors:
                current_app.logger.warning("%s (the tracker shows the English service's words in %s)", error,
                                           language)
            if not errors:
                cache[language] = words
    return cache[language]


def handbook_home() -> str:
    """The handbook's home page in the page's language: the Welsh handbook is at SITE_URL/cy/."""
    base = current_app.config["SITE_URL"]
    language = current_language()
    return f"{base.rstrip('/')}/{language}/" if language != "en" else base


def handbook_url(activity_id: str) -> str | None:
    """Link to the activity's page in the built handbook, when SITE_URL is configured."""
    base = current_app.config["SITE_URL"]
    if not base or not model.ACTIVITY_ID.match(activity_id):
        return None
    language = "" if current_language() == "en" else f"{current_language()}/"  # the Welsh handbook is at /cy/
    return f"{base.rstrip('/')}/{language}{site.page_url(site.activity_page_for_id(activity_id))}"
