"""Where each generated page lives in the built site. Shared by the generator,
the link checker and the tracker (which links back to activity pages)."""
from __future__ import annotations

from . import model

CATALOGUE = "activities/index.md"
QUIZ_INDEX = "quizzes/index.md"
TAGS_PAGE = "tags.md"
GLOSSARY_PAGE = "reference/glossary.md"


def section_overview(section: model.Section) -> str:
    return f"{section.slug}/index.md"


def section_activity_index(section_slug: str) -> str:
    return f"{section_slug}/activities/index.md"


def activity_page(activity: model.Activity) -> str:
    return activity_page_for_id(activity.id)


def activity_page_for_id(activity_id: str) -> str:
    section, item = activity_id.split(".")
    return f"section-{section}/activities/{section}-{int(item):02d}.md"


def quiz_page(quiz: model.Quiz) -> str:
    return f"quizzes/{quiz.id}.md"


def page_url(markdown_path: str) -> str:
    """The URL of a built page, relative to the site root (use_directory_urls is off)."""
    return markdown_path[: -len(".md")] + ".html"


def generated_pages(project) -> set[str]:
    pages = {CATALOGUE, QUIZ_INDEX, TAGS_PAGE}
    if project.glossary:
        pages.add(GLOSSARY_PAGE)
    for section in project.sections.values():
        pages.add(section_overview(section))
        pages.add(section_activity_index(section.slug))
    pages.update(activity_page(a) for a in project.activities.values())
    pages.update(activity_page_for_id(i) for i in project.invalid_ids.get("activity", ())
                 if model.ACTIVITY_ID.match(i))
    pages.update(quiz_page(q) for q in project.quizzes.values())
    return pages
