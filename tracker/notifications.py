"""Email notifications and daily reminders.

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

import datetime as dt
import logging
from dataclasses import dataclass, field

import click
from flask import Blueprint, current_app, flash, g, has_request_context, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlite_utils import Database
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf

from . import accounts, content, mail
from .access import role_required
from .db import get_db, writing

log = logging.getLogger(__name__)
bp = Blueprint("notifications", __name__, cli_group=None)

PREFERENCES = ("now", "daily", "none")  # the schema's CHECK on users.notify and notifications.delivery
DEFAULTS = {"manager": "daily", "inductee": "now"}  # administrators are told nothing
REMINDER_DAYS = 7  # a target date, action or session due within this many days is reminded of
# What each kind of event says, and where its link goes (the recipient's view of it).
TO_MANAGERS = ("record_submitted", "reflection_shared", "session_confirmed")
TO_INDUCTEE = ("record_signed_off", "record_returned", "record_comment", "reflection_comment", "pdp_comment",
               "session_recorded")
RECORD_ACTIONS = {"submit": "record_submitted", "sign_off": "record_signed_off", "return": "record_returned"}


def preference(user: dict) -> str:
    return user.get("notify") or DEFAULTS.get(user["role"], "none")


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---- queueing: inside the transaction of the change -----------------------------------------

def queue(db: Database, kind: str, recipient_ids, actor_id: int | None, event: str, *, inductee_id: int,
          record_id: int | None = None, reflection_id: int | None = None, session_id: int | None = None) -> int:
    """Queue one notification per recipient (not the actor, not an inactive account). `event` makes the
    key unique to this event: the same event queued again is ignored. Returns how many were queued."""
    if not db.conn.in_transaction:
        raise RuntimeError("notifications.queue must be called inside the write transaction of the change")
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
            (recipient_id, kind, f"{kind}:{event}", actor_id, inductee_id, record_id, reflection_id, session_id,
             delivery, _now() if skipped else None, "skipped" if skipped else None))
        queued += cursor.rowcount
        if cursor.rowcount and delivery == "now" and has_request_context():
            g.notifications_waiting = True  # delivered once the request's transaction has committed
    return queued


def to_managers(db: Database, kind: str, inductee_id: int, actor_id: int, event, **ids) -> int:
    managers = [m["id"] for m in accounts.managers_of(db, inductee_id)]
    return queue(db, kind, managers, actor_id, str(event), inductee_id=inductee_id, **ids)


def to_inductee(db: Database, kind: str, inductee_id: int, actor_id: int, event, **ids) -> int:
    return queue(db, kind, [inductee_id], actor_id, str(event), inductee_id=inductee_id, **ids)


def last_audit_entry(db: Database) -> int:
    """The audit entry the change just wrote: an event's unique number."""
    return db.execute("SELECT max(id) FROM audit_log").fetchone()[0] or 0


def record_changed(db: Database, record: dict, action: str, actor_id: int, with_comment: bool) -> None:
    """records.transition's events: submitted (managers), signed off or returned (the inductee), and a
    comment with any other change (reopening) for the inductee."""
    kind = RECORD_ACTIONS.get(action) or ("record_comment" if with_comment else None)
    if kind is None:
        return
    send = to_managers if kind in TO_MANAGERS else to_inductee
    send(db, kind, record["inductee_id"], actor_id, f"{record['id']}:{last_audit_entry(db)}", record_id=record["id"])


# ---- delivery ------------------------------------------------------------------------------

def deliver_pending(db: Database) -> int:
    """Turn every 'now' notification not yet sent into a queued email (the mail worker runs this, never a
    request). Each is claimed, rendered and queued in one transaction, so it becomes exactly one email.
    Returns how many were queued."""
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
        if not _claim_in_transaction(db, [notification_id]):
            return 0  # another worker has it
        row = next(db.query("SELECT * FROM notifications WHERE id = ?", [notification_id]))
        recipient = accounts.get_user(db, row["recipient_id"])
        if not recipient["active"] or preference(recipient) == "none":  # switched off, or chose none since
            _mark_skipped(db, [notification_id])
            return 0
        mail.queue_to_user(db, recipient, "notification", about_id=row["inductee_id"], item=describe(db, row),
                           sentence=sentence, settings_link=_settings_link())
    return 1


def _mark_skipped(db: Database, ids: list[int]) -> None:
    """Inside the caller's transaction."""
    db.conn.executemany("UPDATE notifications SET outcome = 'skipped' WHERE id = ?", [(i,) for i in ids])


@bp.after_app_request
def deliver_after_change(response):
    """After a request that queued 'now' notifications (its transaction has committed): wake the mail
    worker, which makes and sends their emails. Nothing is sent on this thread."""
    if g.pop("notifications_waiting", False):
        from .mail_worker import worker
        found = worker(current_app._get_current_object())
        if found is not None:
            found.wake()
    return response


def _settings_link() -> str | None:
    return mail.link_or_none("notifications.settings")


# ---- what a notification or reminder says ----------------------------------------------------

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
    if row["kind"] == "pdp_comment":
        link = mail.link_or_none("pdp.plan", inductee_id=row["inductee_id"])
        item["link"] = link and link + "#comments"
    return item


def activity_title(item: dict) -> str:
    """The activity's title in the language being rendered (the record's own if it left the handbook)."""
    activity = content.activity(item["activity_id"]) if item.get("activity_id") else None
    return activity.title if activity else item.get("english_title", "")


def sentence(item: dict) -> str:
    """One notification or reminder in the language being rendered: what happened, never what was written."""
    from .template_helpers import _format_date as date

    kind, values = item["kind"], {"name": item.get("actor") or item.get("name", ""),
                                  "activity": item.get("activity_id", ""), "title": activity_title(item),
                                  "date": date(item.get("date")), "due": date(item.get("due"))}
    sentences = {
        "record_submitted": _l("%(name)s submitted their record for activity %(activity)s “%(title)s” for sign-off."),
        "record_signed_off": _l("%(name)s signed off your record for activity %(activity)s “%(title)s”."),
        "record_returned": _l("%(name)s returned your record for activity %(activity)s “%(title)s” for changes."),
        "record_comment": _l("%(name)s commented on your record for activity %(activity)s “%(title)s”."),
        "reflection_shared": _l("%(name)s shared a reflection from their reflective log with you."),
        "reflection_comment": _l("%(name)s commented on a reflection you shared."),
        "pdp_comment": _l("%(name)s commented on your personal development plan."),
        "session_recorded": _l("%(name)s recorded your supervision session of %(date)s. Check it and confirm it."),
        "session_confirmed": _l("%(name)s confirmed the record of their supervision session of %(date)s."),
        "target_soon": _l("Activity %(activity)s “%(title)s” is due by %(due)s."),
        "target_overdue": _l("Activity %(activity)s “%(title)s” was due by %(due)s and is overdue."),
        "team_overdue": _l("%(name)s: activity %(activity)s “%(title)s” was due by %(due)s and is overdue."),
        "action_soon": _l("A supervision action from the session of %(date)s is due by %(due)s."),
        "action_overdue": _l("A supervision action from the session of %(date)s was due by %(due)s and is overdue."),
        "team_action_soon": _l("An action for you from %(name)s's supervision session of %(date)s is due by %(due)s."),
        "team_action_overdue": _l("An action for you from %(name)s's supervision session of %(date)s was due by"
                                  " %(due)s and is overdue."),
        "session_soon": _l("Supervision with %(name)s is due by %(due)s."),
        "session_overdue": _l("Supervision with %(name)s was due by %(due)s and is overdue."),
        "session_to_arrange": _l("No supervision session is recorded yet for %(name)s: arrange the first one."),
    }
    return str(sentences[kind]) % values


# ---- reminders -----------------------------------------------------------------------------

def reminders_for(db: Database, user: dict, today: dt.date) -> list[dict]:
    """Everything due that this person should be reminded of today (before checking what was sent)."""
    if user["role"] == "inductee":
        return _targets(db, user, today, own=True) + _actions(db, [user], "inductee", today, own=True)
    if user["role"] == "manager":
        team = accounts.team_of(db, user["id"])
        return _sessions_due(db, team, today) + _actions(db, team, "manager", today, own=False) + [
            item for member in team for item in _targets(db, member, today, own=False)]
    return []


def _when(due: dt.date, today: dt.date) -> str | None:
    if due < today:
        return "overdue"
    return "soon" if due <= today + dt.timedelta(days=REMINDER_DAYS) else None


def _targets(db: Database, inductee: dict, today: dt.date, own: bool) -> list[dict]:
    """Plan target dates in the next REMINDER_DAYS days (for the inductee) and overdue (for both)."""
    from .progress import is_overdue
    from .supervision import as_date

    items = []
    for row in db.query(
            "SELECT p.activity_id, p.target_date, r.state, r.activity_title FROM plan_items p"
            " LEFT JOIN records r ON r.inductee_id = p.inductee_id AND r.activity_id = p.activity_id"
            " WHERE p.inductee_id = ? AND p.target_date IS NOT NULL AND p.target_date != '' AND NOT p.not_required"
            " ORDER BY p.target_date, p.activity_id", [inductee["id"]]):
        activity, due = content.activity(row["activity_id"]), as_date(row["target_date"])
        if activity is None or due is None:
            continue
        state = row["state"] or "not_started"
        if is_overdue(due, state, activity.sign_off, today):
            when = "overdue"
        elif _when(due, today) == "soon" and is_overdue(due, state, activity.sign_off, due + dt.timedelta(days=1)):
            when = "soon"  # not yet due, and would be overdue were the date passed (not complete, not submitted)
        else:
            continue
        if not own and when == "soon":
            continue  # a manager hears of the team's targets once they are overdue
        kind = f"target_{when}" if own else "team_overdue"
        items.append({"kind": kind, "item": f"{inductee['id']}:{row['activity_id']}", "due": due.isoformat(),
                      "name": inductee["name"], "activity_id": row["activity_id"],
                      "english_title": row["activity_title"] or activity.title,
                      "link": mail.link_or_none("records.record", inductee_id=inductee["id"],
                                                activity_id=row["activity_id"])})
    return items


def _actions(db: Database, inductees: list[dict], owner: str, today: dt.date, own: bool) -> list[dict]:
    """Open supervision actions of this owner due within REMINDER_DAYS days or overdue (never their text)."""
    from .supervision import as_date

    items = []
    for inductee in inductees:
        for action in db.query(
                "SELECT a.id, a.due_date, s.session_date FROM supervision_actions a"
                " JOIN supervision_sessions s ON s.id = a.session_id WHERE a.inductee_id = ? AND a.owner = ?"
                " AND a.done_at IS NULL AND a.due_date IS NOT NULL ORDER BY a.due_date, a.id", [inductee["id"], owner]):
            due = as_date(action["due_date"])
            when = _when(due, today) if due else None
            if when is None:
                continue
            items.append({"kind": f"{'action' if own else 'team_action'}_{when}", "item": str(action["id"]),
                          "due": due.isoformat(), "date": action["session_date"], "name": inductee["name"],
                          "link": mail.link_or_none("supervision.overview", inductee_id=inductee["id"])})
    return items


def _sessions_due(db: Database, team: list[dict], today: dt.date) -> list[dict]:
    """Supervision due within REMINDER_DAYS days or overdue, by the agreement's frequency (supervision.schedule)."""
    from .supervision import schedule

    items = []
    for row in schedule(db, team, today):
        if row["status"] == "later":
            continue
        kind = {"none": "session_to_arrange", "soon": "session_soon", "overdue": "session_overdue"}[row["status"]]
        due = row["due"].isoformat() if row["due"] else ""
        items.append({"kind": kind, "item": str(row["inductee_id"]), "due": due, "name": row["name"],
                      "link": mail.link_or_none("supervision.overview", inductee_id=row["inductee_id"])})
    return items


# ---- the daily summary -------------------------------------------------------------------

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
                _mark_skipped(db, _claim_in_transaction(db, waiting))
        return
    due = reminders_for(db, person, today)
    with writing(db):
        claimed = _claim_in_transaction(db, waiting)
        new = [item for item in due if db.conn.execute(
            "INSERT OR IGNORE INTO reminders_sent (user_id, kind, item, due, sent_on) VALUES (?, ?, ?, ?, ?)",
            (person["id"], item["kind"], item["item"], item["due"], today.isoformat())).rowcount == 1]
        if not claimed and not new:
            return
        items = [describe(db, row) for row in db.query(
            f"SELECT * FROM notifications WHERE id IN ({','.join('?' * len(claimed))}) ORDER BY id", claimed)] \
            if claimed else []
        mail.queue_to_user(db, person, "digest", items=items, reminders=new, today=today, sentence=sentence,
                           settings_link=_settings_link())
    report.summaries += 1
    report.notifications += len(claimed)
    report.reminders += len(new)
    report.people.add(person["id"])


def _claim_in_transaction(db: Database, ids: list[int]) -> list[int]:
    return [i for i in ids if db.conn.execute(
        "UPDATE notifications SET sent_at = ?, outcome = 'sent' WHERE id = ? AND sent_at IS NULL",
        (_now(), i)).rowcount == 1]


@bp.cli.command("send-reminders")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day to remind for (YYYY-MM-DD); default today.")
def send_reminders_command(today):
    """Send the daily summaries and reminders (run once a day; running it again sends nothing new)."""
    report = send_reminders(get_db(), today.date() if today else None)
    click.echo(str(report))
    if report.failed:
        raise SystemExit(1)


# ---- each person's choice -------------------------------------------------------------------

CHOICE_LABELS = {
    "now": _l("Straight away: one email for each thing that happens"),
    "daily": _l("Once a day: one summary email"),
    "none": _l("No emails"),
}


class SettingsForm(FlaskForm):
    notify = RadioField(_l("When should the tracker email you about your induction work?"),
                        choices=[SelectChoice(value, label) for value, label in CHOICE_LABELS.items()],
                        validate_choice=False,
                        validators=[AnyOf(PREFERENCES, message=_l("Choose when the tracker should email you"))])


@bp.route("/account/notifications", methods=["GET", "POST"])
@role_required("inductee", "manager")
def settings():
    db = get_db()
    person = accounts.get_user(db, current_user.id)
    form = SettingsForm() if request.method == "POST" else SettingsForm(data={"notify": preference(person)})
    if form.validate_on_submit():
        with writing(db):
            db.conn.execute("UPDATE users SET notify = ? WHERE id = ?", (form.notify.data, current_user.id))
        flash(gettext("Your email choice is saved."), "success")
        return redirect(url_for(".settings"))
    form.notify.description = gettext("If you do not choose, the tracker uses: %(choice)s",
                                      choice=CHOICE_LABELS[DEFAULTS[person["role"]]])
    return render_template("notifications/settings.html", form=form), 400 if form.errors else 200
