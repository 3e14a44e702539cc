"""The daily summary (`flask send-reminders`, once a day from cron or a systemd timer): each person's
daily notifications and the reminders not yet sent, in one email. Each reminder goes once per item and
due date (`reminders_sent`), so running it twice sends nothing new."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlite_utils import Database

from .. import mail
from ..db import writing
from .delivery import claim, deliver_pending, mark_skipped
from .events import preference
from .reminders import reminders_for
from .wording import describe, sentence, settings_link


@dataclass
class Report:
    summaries: int = 0
    notifications: int = 0
    reminders: int = 0
    people: set = field(default_factory=set)
    failed: int = 0
    sent_now: int = 0

    def __str__(self) -> str:
        text = (f"send-reminders: {self.summaries} daily summaries ({self.notifications} notifications,"
                f" {self.reminders} reminders) to {len(self.people)} people")
        if self.sent_now:
            text += f"; {self.sent_now} waiting notifications sent"
        if self.failed:
            text += "; the email server refused a message: what waits is tried again later (send-mail, or the worker)"
        return text


def send_reminders(db: Database, today: dt.date | None = None) -> Report:
    """Each person's daily summary: their waiting daily notifications and the reminders not yet sent.
    Nothing new to say: no email. Each summary is queued in the transaction that claims what it holds,
    then the queue is sent (what the email server refuses waits in the queue for the next try)."""
    today = today or dt.date.today()
    report = Report(sent_now=deliver_pending(db))
    people = list(db.query("SELECT * FROM users WHERE active AND role IN ('inductee', 'manager') ORDER BY id"))
    for person in people:
        _summary_for(db, person, today, report)
    report.failed = mail.send_waiting(db)[1]
    return report


def _summary_for(db: Database, person: dict, today: dt.date, report: Report) -> None:
    waiting = [r[0] for r in db.execute("SELECT id FROM notifications WHERE recipient_id = ? AND delivery = 'daily'"
                                        " AND sent_at IS NULL ORDER BY id", [person["id"]]).fetchall()]
    if preference(person) == "none":  # chose no emails after these were queued
        if waiting:
            with writing(db):
                mark_skipped(db, claim(db, waiting))
        return
    due = reminders_for(db, person, today)
    with writing(db):
        claimed = claim(db, waiting)
        new = [item for item in due if db.conn.execute(
            "INSERT OR IGNORE INTO reminders_sent (user_id, kind, item, due, sent_on) VALUES (?, ?, ?, ?, ?)",
            (person["id"], item["kind"], item["item"], item["due"], today.isoformat())).rowcount == 1]
        if not claimed and not new:
            return
        items = [describe(db, row) for row in db.query(
            f"SELECT * FROM notifications WHERE id IN ({','.join('?' * len(claimed))}) ORDER BY id", claimed)] \
            if claimed else []
        mail.queue_to_user(db, person, "digest", items=items, reminders=new, today=today, sentence=sentence,
                           settings_link=settings_link())
    report.summaries += 1
    report.notifications += len(claimed)
    report.reminders += len(new)
    report.people.add(person["id"])
