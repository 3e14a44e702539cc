"""What a notification or reminder says: the facts its sentence needs, and the sentence, in the language
being rendered. Never what anyone wrote (reflections, comments, supervision notes): a link instead."""
from __future__ import annotations

from sqlite_utils import Database

from .. import accounts, content, mail
from ..dates import shown
from ..i18n import current_language
from . import kinds


def settings_link() -> str | None:
    return mail.link_or_none("notifications.settings")


def _name(db: Database, user_id: int | None) -> str:
    user = accounts.get_user(db, user_id) if user_id else None
    return user["name"] if user else ""


def describe(db: Database, row: dict) -> dict:
    """A queued notification as the facts its sentence needs (ids, names, dates) and its link."""
    item = {"kind": row["kind"], "actor": _name(db, row["actor_id"]), "activity_id": "", "english_title": "",
            "date": "", "link": mail.link_or_none("home")}
    if row["record_id"]:
        record = next(db.query("SELECT inductee_id, activity_id, activity_title FROM records WHERE id = ?",
                               [row["record_id"]]))
        item.update(activity_id=record["activity_id"], english_title=record["activity_title"],
                    link=mail.link_or_none("records.record", inductee_id=record["inductee_id"],
                                           activity_id=record["activity_id"]))
    if row["reflection_id"]:
        item["link"] = mail.link_or_none("reflections.view", reflection_id=row["reflection_id"])
    if row["session_id"]:
        session = db.execute("SELECT session_date FROM supervision_sessions WHERE id = ?",
                             [row["session_id"]]).fetchone()
        item.update(date=session[0], link=mail.link_or_none("supervision.session", session_id=row["session_id"]))
    if row["kind"] == kinds.PDP_COMMENT.name:
        link = mail.link_or_none("pdp.plan", inductee_id=row["inductee_id"])
        item["link"] = link and link + "#comments"
    return item


def activity_title(item: dict) -> str:
    """The activity's title in the language being rendered (the record's own if it left the handbook)."""
    activity = content.activity(item["activity_id"]) if item.get("activity_id") else None
    return activity.title if activity else item.get("english_title", "")


def sentence(item: dict) -> str:
    """One notification or reminder in the language being rendered: what happened, never what was written."""
    language = current_language()
    values = {"name": item.get("actor") or item.get("name", ""), "activity": item.get("activity_id", ""),
              "title": activity_title(item), "date": shown(item.get("date"), language),
              "due": shown(item.get("due"), language)}
    return str(kinds.named(item["kind"]).words) % values
