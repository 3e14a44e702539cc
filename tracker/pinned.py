"""Pinned content: a record keeps the activity as it was when it was started, submitted and
signed off, so that years later it shows what was asked at the time, not today's edited text.

Each activity version the tracker meets (handbook/versions.py: a hash of what the activity asks)
is kept once in content_snapshots, which never changes; a record names the versions in
started_version, submitted_version and signed_off_version. Editing or removing the activity in
the handbook never changes a snapshot.
"""
from __future__ import annotations

import difflib
import json
import re

import markdown
from flask import current_app, has_app_context
from markupsafe import Markup
from sqlite_utils import Database

from handbook.versions import activity_version

# which record column a move pins, by the action that makes it
PINS = {"submit": "submitted_version", "sign_off": "signed_off_version", "mark_done": "submitted_version"}


def current(activity_id: str) -> tuple[str, dict] | None:
    """(version, canonical form) of the activity as the handbook has it now (English, the source)."""
    if not has_app_context() or "handbook" not in current_app.extensions:
        return None
    project = current_app.extensions["handbook"]
    activity = project.activities.get(activity_id)
    return activity_version(activity, project) if activity else None


def snapshot(db: Database, activity_id: str) -> str | None:
    """Keep the activity's current version (once) and return it; None if the handbook no longer has it."""
    found = current(activity_id)
    if found is None:
        return None
    version, canonical = found
    db.conn.execute("INSERT OR IGNORE INTO content_snapshots (version, kind, item_id, canonical) VALUES (?, ?, ?, ?)",
                    (version, "activity", activity_id, json.dumps(canonical, sort_keys=True, ensure_ascii=False)))
    return version


def pin(db: Database, record: dict, action: str) -> None:
    """Inside the move's transaction: note the version the record was started or moved against."""
    columns = []
    if not record.get("started_version"):
        columns.append("started_version")
    if action in PINS:
        columns.append(PINS[action])
    if not columns:
        return
    version = snapshot(db, record["activity_id"])
    if version is None:
        return
    assignments = ", ".join(f"{column} = ?" for column in columns)
    db.conn.execute(f"UPDATE records SET {assignments} WHERE id = ?", (*([version] * len(columns)), record["id"]))


def pinned(db: Database, version: str | None) -> dict | None:
    """The activity as it was at that version (canonical form), or None."""
    if not version:
        return None
    row = db.execute("SELECT canonical FROM content_snapshots WHERE version = ?", [version]).fetchone()
    return json.loads(row[0]) if row else None


def asked(canonical: dict) -> list[str]:
    """What an activity asks, one line each: the lines a reader compares."""
    lines = [canonical.get("title", ""), canonical.get("summary", "").strip()]
    for part in canonical.get("parts", []):
        lines.append(f"{part['title']}:")
        lines += [f"  {prompt.strip()}" for prompt in part["prompts"]]
    lines += [f"Evidence: {item.strip()}" for item in canonical.get("evidence", [])]
    lines.append("Manager sign-off: " + ("required" if canonical.get("sign_off", True) else "not required"))
    return [" ".join(line.split()) if not line.startswith("  ") else "  " + " ".join(line.split()) for line in lines]


def changes(then: dict, now: dict | None) -> list[tuple[str, str]]:
    """A readable diff of what the activity asks: ('removed' | 'added', line) pairs; [] if unchanged.
    An activity removed from the handbook (now None) shows every line as removed."""
    before, after = asked(then), asked(now) if now else []
    found = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if tag in ("replace", "delete"):
            found += [("removed", line) for line in before[i1:i2]]
        if tag in ("replace", "insert"):
            found += [("added", line) for line in after[j1:j2]]
    return found


def changed_since_sign_off(db: Database, inductee_ids: list[int]) -> list[dict]:
    """Signed-off records of these inductees whose activity has changed (or gone) since."""
    if not inductee_ids:
        return []
    marks = ",".join("?" for _ in inductee_ids)
    rows = db.query(f"SELECT * FROM records WHERE state = 'signed_off' AND signed_off_version IS NOT NULL"
                    f" AND inductee_id IN ({marks}) ORDER BY signed_off_at", inductee_ids)
    changed = []
    for record in rows:
        now = current(record["activity_id"])
        if now is None or now[0] != record["signed_off_version"]:
            changed.append({**record, "current_version": now[0] if now else None})
    return changed


def view(db: Database, record: dict | None) -> dict | None:
    """What a record page or portfolio shows of the pinned activity: the version it was signed off
    (or submitted, or marked done) against, what it asked then, and what has changed since."""
    if not record:
        return None
    column = "signed_off_version" if record.get("signed_off_version") else (
        "submitted_version" if record.get("state") in ("submitted", "done") else None)
    if column is None:
        return None
    then = pinned(db, record[column])
    if then is None:
        return None
    now = current(record["activity_id"])
    return {"version": record[column], "when": "signed_off" if column == "signed_off_version" else record["state"],
            "asked": asked(then), "title": then.get("title", ""), "removed": now is None, "activity": layout(then),
            "changes": [] if now and now[0] == record[column] else changes(then, now[1] if now else None)}


# GOV.UK Frontend's classes on the HTML that Markdown makes of an activity's text (the page's styles are by class)
# (a wide table scrolls sideways in its own box, which the keyboard can reach, rather than widening the page).
PROSE_CLASSES = {"<p>": '<p class="govuk-body">', "<ul>": '<ul class="govuk-list govuk-list--bullet">',
                 "<ol>": '<ol class="govuk-list govuk-list--number">', "</table>": "</table></div>",
                 "<table>": '<div class="tracker-table-scroll" tabindex="0"><table class="govuk-table">',
                 "<tr>": '<tr class="govuk-table__row">', "<th>": '<th scope="col" class="govuk-table__header">',
                 "<td>": '<td class="govuk-table__cell">'}


def prose(text: str | None) -> Markup:
    """An activity's or case study's text as the handbook shows it: its Markdown (paragraphs, lists, bold, tables)
    as HTML. The text comes from the handbook's own files, but any HTML in it is shown as text, never run."""
    source = (text or "").replace("&", "&amp;").replace("<", "&lt;")
    html = markdown.markdown(source, extensions=["tables"], extension_configs={"tables": {"use_align_attribute": True}})
    return Markup(re.sub("|".join(re.escape(tag) for tag in PROSE_CLASSES), lambda m: PROSE_CLASSES[m[0]], html))


def layout(canonical: dict) -> dict:
    """The pinned activity as the handbook lays it out (records/_pinned.html): its summary, its parts with
    their prompts, its case studies with their questions, the evidence to record and the sign-off rule.
    A snapshot made before a field existed lacks it: each is optional."""
    return {
        "summary": prose(canonical.get("summary")), "time": canonical.get("time", ""),
        "sign_off": canonical.get("sign_off", True), "evidence": canonical.get("evidence", []),
        "parts": [{"title": part.get("title", ""), "intro": prose(part.get("intro")),
                   "prompts": part.get("prompts", [])} for part in canonical.get("parts", [])],
        "case_studies": [{
            "title": case.get("title", ""), "story": prose(case.get("story")),
            "questions": case.get("questions", []), "source": case.get("source"),
            "parts": [{"title": part.get("title", ""), "text": prose(part.get("text")),
                       "questions": part.get("questions", [])} for part in case.get("parts", [])],
        } for case in canonical.get("case_studies", [])],
    }
