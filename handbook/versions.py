"""Content versions: a stable fingerprint of what an activity or quiz asks, so that a record in
the tracker can be pinned to the text it was started, submitted and signed off against.

The version is the SHA-256 (first 16 hex digits) of the item's canonical form: its fields as
plain data with referenced case studies written out, as sorted JSON. Anything a reader sees
changes it (a prompt, an evidence item, the sign-off rule, a case study's story); re-ordering the
keys of a YAML file, its comments, its tags, its further-reading links, its usual timing (`due`) and the
standards it evidences do not. It is computed from the English source (the source of truth); a translation
never changes a version.
"""
from __future__ import annotations

import hashlib
import json

from . import model

VERSION_LENGTH = 16
# How an item is found, what else to read and when it is usually done: not what it asks.
METADATA = {"tags", "links", "due", "standards"}


def canonical_activity(activity: model.Activity, project) -> dict:
    """What an activity asks, with its case studies written out (a changed case study is a changed activity)."""
    data = activity.model_dump(mode="json", exclude=METADATA)
    data["case_studies"] = [project.case_study(c).model_dump(mode="json") for c in activity.case_studies
                            if not isinstance(c, model.CaseStudyRef) or c.ref in project.case_studies]
    return data


def canonical_quiz(quiz: model.Quiz) -> dict:
    return quiz.model_dump(mode="json", exclude=METADATA)


def fingerprint(canonical: dict) -> str:
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:VERSION_LENGTH]


def activity_version(activity: model.Activity, project) -> tuple[str, dict]:
    """(version, canonical form) of an activity."""
    canonical = canonical_activity(activity, project)
    return fingerprint(canonical), canonical


def quiz_version(quiz: model.Quiz) -> tuple[str, dict]:
    canonical = canonical_quiz(quiz)
    return fingerprint(canonical), canonical


def content_versions(project) -> dict[str, dict[str, str]]:
    """{'activities': {'1.1': version}, 'quizzes': {'legal-powers': version}} for the whole project."""
    return {
        "activities": {key: activity_version(a, project)[0] for key, a in sorted(project.activities.items())},
        "quizzes": {key: quiz_version(q)[0] for key, q in sorted(project.quizzes.items())},
    }
