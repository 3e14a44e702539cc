"""Queueing a notification: inside the write transaction of the change it tells of.

One row per recipient in `notifications`, holding ids only, never text, under a key unique to the event,
so the same event can never be queued twice. The person who acted is never told, nor an inactive account."""
from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from .. import accounts, signals
from . import kinds
from .kinds import Kind

PREFERENCES = ("now", "daily", "none")  # the schema's CHECK on users.notify and notifications.delivery
DEFAULTS = {"manager": "daily", "inductee": "now"}  # administrators are told nothing
# A record's change of state -> what its people hear (records.transition's actions).
RECORD_ACTIONS = {"submit": kinds.RECORD_SUBMITTED, "sign_off": kinds.RECORD_SIGNED_OFF,
                  "return": kinds.RECORD_RETURNED}


def preference(user: dict) -> str:
    return user.get("notify") or DEFAULTS.get(user["role"], "none")


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def queue(db: Database, kind: Kind | str, recipient_ids, actor_id: int | None, event: str, *, inductee_id: int,
          record_id: int | None = None, reflection_id: int | None = None, session_id: int | None = None) -> int:
    """Queue one notification per recipient (not the actor, not an inactive account). `event` makes the
    key unique to this event: the same event queued again is ignored. Returns how many were queued."""
    if not db.conn.in_transaction:
        raise RuntimeError("notifications.queue must be called inside the write transaction of the change")
    kind = kinds.named(kind)
    queued = 0
    for recipient_id in dict.fromkeys(recipient_ids):
        recipient = accounts.get_user(db, recipient_id)
        if recipient_id == actor_id or recipient is None or not recipient["active"]:
            continue
        delivery = preference(recipient)
        skipped = delivery == "none"
        cursor = db.conn.execute(
            "INSERT OR IGNORE INTO notifications (recipient_id, kind, event_key, actor_id, inductee_id, record_id,"
            " reflection_id, session_id, delivery, sent_at, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (recipient_id, kind.name, f"{kind.name}:{event}", actor_id, inductee_id, record_id, reflection_id,
             session_id, delivery, now() if skipped else None, "skipped" if skipped else None))
        queued += cursor.rowcount
        if cursor.rowcount and delivery == "now":
            signals.work_queued.send(db)  # the mail worker makes the email once the change has committed
    return queued


def notify(db: Database, kind: Kind, inductee_id: int, actor_id: int, event, **ids) -> int:
    """Tell the people the kind is for (the inductee, or the inductee's managers) about this inductee's event."""
    if kind.audience == "managers":
        recipients = [m["id"] for m in accounts.managers_of(db, inductee_id)]
    elif kind.audience == "inductee":
        recipients = [inductee_id]
    else:
        raise ValueError(f"{kind.name} is a reminder, not an event")
    return queue(db, kind, recipients, actor_id, str(event), inductee_id=inductee_id, **ids)


def last_audit_entry(db: Database) -> int:
    """The audit entry the change just wrote: an event's unique number."""
    return db.execute("SELECT max(id) FROM audit_log").fetchone()[0] or 0


def record_changed(db: Database, record: dict, action: str, actor_id: int, with_comment: bool) -> None:
    """records.transition's events: submitted (managers), signed off or returned (the inductee), and a
    comment with any other change (reopening) for the inductee."""
    kind = RECORD_ACTIONS.get(action) or (kinds.RECORD_COMMENT if with_comment else None)
    if kind is not None:
        notify(db, kind, record["inductee_id"], actor_id, f"{record['id']}:{last_audit_entry(db)}",
               record_id=record["id"])
