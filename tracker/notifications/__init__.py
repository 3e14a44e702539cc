"""Email notifications and daily reminders.

The package: kinds (every kind, its audience and sentence), events (queueing, inside the change),
delivery (the mail worker makes emails), wording, reminders, summary (the daily email), routes (each
person's choice, and `flask send-reminders`).

An event (a record submitted, returned or signed off, a comment, a reflection shared, a supervision
session recorded or confirmed) is queued with `queue()` inside the write transaction that makes the
change: one row per recipient in `notifications`, holding ids only, never text, under a key unique to
the event, so the same event can never be queued twice. The person who acted is never told.

Each person chooses (users.notify; NULL is their role's default): 'now' (made into an email by the mail
worker soon after the change, `deliver_pending`), 'daily' (in the daily summary sent by `flask
send-reminders`) or 'none' (queued as skipped). A row is claimed (sent_at set where it was NULL) in the
same transaction that queues its email (tracker/mail.py), so it becomes exactly one email, which waits in
the mail queue until the email server takes it.

`flask send-reminders` (daily, from cron or a systemd timer) sends each person one summary: their daily
notifications and reminders (plan target dates in the next 7 days and overdue, supervision actions due,
supervision sessions due). Each reminder goes once per item and due date (`reminders_sent`), so running
it twice sends nothing new. Emails name people and activities only where the recipient may see them, and
never hold what anyone wrote (reflections, comments, supervision notes): they link to the page instead.
"""
from __future__ import annotations

from . import kinds
from .events import last_audit_entry, notify, preference, queue, record_changed

__all__ = ["kinds", "last_audit_entry", "notify", "preference", "queue", "record_changed"]
