"""Notifications chosen 'straight away' become emails: the mail worker runs deliver_pending, never a
request. A row is claimed (sent_at set where it was NULL) in the same transaction that queues its email
(tracker/mail.py), so it becomes exactly one email, which waits in the mail queue until the server takes it."""
from __future__ import annotations

import logging

from sqlite_utils import Database

from .. import accounts, mail
from ..db import writing
from .events import now, preference
from .wording import describe, sentence, settings_link

log = logging.getLogger(__name__)


def deliver_pending(db: Database) -> int:
    """Turn every 'now' notification not yet sent into a queued email. Each is claimed, rendered and queued
    in one transaction, so it becomes exactly one email. Returns how many were queued."""
    pending = [r[0] for r in db.execute(
        "SELECT id FROM notifications WHERE delivery = 'now' AND sent_at IS NULL ORDER BY id").fetchall()]
    queued = 0
    for notification_id in pending:
        try:
            queued += _to_mail(db, notification_id)
        except Exception:  # noqa: BLE001 - one that cannot be made stays pending; the others still go
            log.exception("notifications: notification %s could not be made into an email", notification_id)
    return queued


def _to_mail(db: Database, notification_id: int) -> int:
    with writing(db):
        if not claim(db, [notification_id]):
            return 0  # another worker has it
        row = next(db.query("SELECT * FROM notifications WHERE id = ?", [notification_id]))
        recipient = accounts.get_user(db, row["recipient_id"])
        if not recipient["active"] or preference(recipient) == "none":  # switched off, or chose none since
            mark_skipped(db, [notification_id])
            return 0
        mail.queue_to_user(db, recipient, "notification", about_id=row["inductee_id"], item=describe(db, row),
                           sentence=sentence, settings_link=settings_link())
    return 1


def claim(db: Database, ids: list[int]) -> list[int]:
    """Inside the caller's transaction: mark these sent, returning those no one else had claimed."""
    return [i for i in ids if db.conn.execute(
        "UPDATE notifications SET sent_at = ?, outcome = 'sent' WHERE id = ? AND sent_at IS NULL",
        (now(), i)).rowcount == 1]


def mark_skipped(db: Database, ids: list[int]) -> None:
    """Inside the caller's transaction."""
    db.conn.executemany("UPDATE notifications SET outcome = 'skipped' WHERE id = ?", [(i,) for i in ids])
