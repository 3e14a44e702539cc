"""Witness testimony by one-time link: an inductee asks a named witness (a head of year who saw them
run a meeting) to confirm something about one record. The witness opens the link with no account,
sees only the activity's title and what they are asked to confirm, and writes a statement, which
becomes witness evidence on the record, marked "confirmed by link", and an entry in the audit chain.

The link is a capability for the witness alone: the tracker emails it to the witness's address (in
the language the inductee chose for it, or both) and keeps only its SHA-256. The inductee never sees it,
so they cannot write their own testimony: they see the request's state (sent, opened, given, expired,
revoked) and may send it again, which makes a new link and ends the old one. Opening it (GET) never uses
it up, so link scanners in mail systems cannot burn it (it is marked opened); only submitting a
statement does. It ends given, revoked (by the inductee or their manager) or expired (WITNESS_LINK_DAYS,
14 by default). The token is in the address, so log lines redact it (tracker/log_redaction.py) and these
pages send Referrer-Policy: no-referrer.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
import time
from collections import defaultdict, deque

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlite_utils import Database
from wtforms import BooleanField, EmailField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length

from . import accounts, audit, content, mail, records
from .access import can_manage_induction, inductee_or_404, role_required
from .account_links import no_public_address_problem
from .audit_actions import Action
from .db import get_db, writing
from .forms import email_address
from .records import panels
from .records.forms import NOTES_LIMIT
from .records.routes import record_page_with

bp = Blueprint("witness", __name__)
OPEN_STATES = records.EDITABLE | {"submitted"}  # a statement may join a record until it is signed off
WAITING = ("sent", "opened")  # a request whose link still works
LANGUAGE_CHOICES = {"": _l("Welsh and English"), "cy": _l("Welsh (Cymraeg)"), "en": _l("English")}


class RequestForm(FlaskForm):
    """On the record page, beside the form for witness testimony typed in by the inductee: its fields are
    prefixed "ask-" so that no two fields share an id."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="ask", **kwargs)

    witness_name = StringField(_l("Witness's name"), validators=[
        DataRequired(_l("Enter the witness's name")), Length(max=200)])
    witness_email = EmailField(_l("Witness's email address"), validators=[
        DataRequired(_l("Enter the witness's email address")), email_address])
    purpose = TextAreaField(
        _l("What should they confirm?"),
        description=_l("The witness sees this and the activity's title, nothing else from your record. "
                       "For example: that I chaired the attendance review meeting on 12 March."),
        validators=[DataRequired(_l("Say what the witness should confirm")), Length(max=1000)])
    language = RadioField(_l("Which language should the email be in?"), default="",
                          choices=[SelectChoice(value, label) for value, label in LANGUAGE_CHOICES.items()],
                          validate_choice=False, validators=[AnyOf(tuple(LANGUAGE_CHOICES),
                                                                    message=_l("Choose the email's language"))])


class StatementForm(FlaskForm):
    witness_role = StringField(_l("Your role"), description=_l("For example, head of year at Ysgol y Bryn"),
                               validators=[DataRequired(_l("Enter your role")), Length(max=200)])
    statement = TextAreaField(_l("Your statement"), description=_l("What you saw, in your own words."),
                              validators=[DataRequired(_l("Write your statement")), Length(max=NOTES_LIMIT)])
    confirm = BooleanField(_l("I confirm that this statement is true and that I wrote it"),
                           validators=[DataRequired(_l("Confirm that the statement is true and yours"))])


class RevokeForm(FlaskForm):
    pass


class Closed(Exception):
    """The link can no longer be used: its status says why."""

    def __init__(self, status: str):
        super().__init__(status)
        self.status = status


# ---- queries ----------------------------------------------------------------------------------

def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def status(row: dict, at: str | None = None) -> str:
    """sent, opened (by the witness, or a link scanner), given, revoked or expired."""
    if row["used_at"]:
        return "given"
    if row["revoked_at"]:
        return "revoked"
    if row["expires_at"] <= (at or now()):
        return "expired"
    return "opened" if row["opened_at"] else "sent"


def _expiry(days: int) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def create(db: Database, inductee_id: int, activity_id: str, title: str, *, witness_name: str, witness_email: str,
           purpose: str, days: int, language: str | None = None) -> int:
    """A new request, its link emailed to the witness, in one transaction (the link is never stored or
    shown). The inductee asks, so they are the actor. Raises mail.NoPublicAddress (nothing written)."""
    token = secrets.token_urlsafe(32)
    with writing(db):
        record = records.ensure(db, inductee_id, activity_id, title)
        if record["state"] not in OPEN_STATES:
            raise records.TransitionError("witness")
        records.note_started(db, record, inductee_id)
        request_id = db.conn.execute(
            "INSERT INTO witness_requests (record_id, inductee_id, witness_name, witness_email, purpose, token_hash,"
            " expires_at, language, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (record["id"], inductee_id, witness_name, witness_email, purpose, token_hash(token), _expiry(days),
             language or None, now())).lastrowid
        audit.log(db, inductee_id, Action.WITNESS_REQUESTED, subject_id=inductee_id, activity_id=activity_id,
                  record_id=record["id"], detail=f"request={request_id}")
        _email_witness(db, get_request(db, request_id), token, title)
    return request_id


def resend(db: Database, request_id: int, actor_id: int, days: int) -> None:
    """A new link for the same request, emailed again; the old link stops working (its hash is replaced).
    Allowed while the request waits or after it expired, not once given or revoked."""
    token = secrets.token_urlsafe(32)
    with writing(db):
        row = get_request(db, request_id)
        if row is None or row["status"] not in (*WAITING, "expired"):
            raise Closed(row["status"] if row else "unknown")
        record = records.get_by_id(db, row["record_id"])
        if record["state"] not in OPEN_STATES:
            raise Closed("closed")
        db.conn.execute("UPDATE witness_requests SET token_hash = ?, expires_at = ?, sent_at = ?, opened_at = NULL,"
                        " failed_posts = 0 WHERE id = ?", (token_hash(token), _expiry(days), now(), request_id))
        audit.log(db, actor_id, Action.WITNESS_RESENT, subject_id=row["inductee_id"], activity_id=record["activity_id"],
                  record_id=record["id"], detail=f"request={request_id}")
        _email_witness(db, get_request(db, request_id), token, _title(record))


def _email_witness(db: Database, row: dict, token: str, title: str) -> None:
    """Inside the caller's transaction: queue the link to the witness, in the chosen language or both."""
    inductee = accounts.get_user(db, row["inductee_id"])
    languages = [row["language"]] if row["language"] else ["cy", "en"]
    mail.queue(db, row["witness_email"], languages, "witness_request", about_id=row["inductee_id"],
               inductee_name=inductee["name"], activity_title=title, purpose=row["purpose"],
               witness_name=row["witness_name"], link=mail.external_url("witness.give", token=token),
               expires_at=row["expires_at"])


def note_opened(db: Database, request_id: int) -> None:
    with writing(db):
        db.conn.execute("UPDATE witness_requests SET opened_at = ? WHERE id = ? AND opened_at IS NULL",
                        (now(), request_id))


def requests_for(db: Database, record_id: int) -> list[dict]:
    rows = [dict(r) for r in db.query("SELECT * FROM witness_requests WHERE record_id = ? ORDER BY id DESC",
                                      [record_id])]
    for row in rows:
        row["status"] = status(row)
    return rows


panels.register(panels.Panel(
    "witness", "witness/_requests.html",
    context=lambda db, record: {"witness_requests": requests_for(db, record["id"]) if record else []},
    forms=lambda: {"witness_request_form": RequestForm()}))


def get_request(db: Database, request_id: int) -> dict | None:
    row = next(db.query("SELECT * FROM witness_requests WHERE id = ?", [request_id]), None)
    return dict(row, status=status(row)) if row else None


def by_token(db: Database, token: str) -> dict | None:
    row = next(db.query("SELECT * FROM witness_requests WHERE token_hash = ?", [token_hash(token)]), None)
    return dict(row, status=status(row)) if row else None


def revoke(db: Database, request_id: int, actor_id: int) -> None:
    with writing(db):
        row = get_request(db, request_id)
        if row is None or row["status"] not in WAITING:
            raise Closed(row["status"] if row else "unknown")
        db.conn.execute("UPDATE witness_requests SET revoked_at = ?, revoked_by = ? WHERE id = ?",
                        (now(), actor_id, request_id))
        record = records.get_by_id(db, row["record_id"])
        audit.log(db, actor_id, Action.WITNESS_REVOKED, subject_id=row["inductee_id"],
                  activity_id=record["activity_id"], record_id=record["id"], detail=f"request={request_id}")


def confirm(db: Database, token: str, *, witness_role: str, statement: str) -> int:
    """The witness's statement becomes evidence and the link is used up, in one transaction. The witness
    has no account: the audit entry has no actor, and the evidence is the inductee's, marked by the link."""
    with writing(db):
        row = by_token(db, token)
        if row is None or row["status"] not in WAITING:
            raise Closed(row["status"] if row else "unknown")
        record = records.get_by_id(db, row["record_id"])
        if record["state"] not in OPEN_STATES:
            raise Closed("closed")
        evidence_id = db.conn.execute(
            "INSERT INTO evidence (record_id, created_by, kind, body, witness_name, witness_role, witness_request_id)"
            " VALUES (?, ?, 'witness', ?, ?, ?, ?)",
            (record["id"], row["inductee_id"], statement, row["witness_name"], witness_role, row["id"])).lastrowid
        db.conn.execute("UPDATE witness_requests SET used_at = ? WHERE id = ?", (now(), row["id"]))
        audit.log(db, None, Action.WITNESS_CONFIRMED, subject_id=row["inductee_id"], activity_id=record["activity_id"],
                  record_id=record["id"], detail=f"request={row['id']} evidence={evidence_id}")
    return evidence_id


def note_failed_post(db: Database, request_id: int) -> int:
    with writing(db):
        db.conn.execute("UPDATE witness_requests SET failed_posts = failed_posts + 1 WHERE id = ?", (request_id,))
        return db.execute("SELECT failed_posts FROM witness_requests WHERE id = ?", [request_id]).fetchone()[0]


# ---- rate limit: links that do not work, per client ---------------------------------------------

class ClientLimit:
    """At most `limit` lookups of unknown or closed links per client address in an hour, in this process's
    memory (no address is stored anywhere). A guessed token has 256 bits, so this only stops noise."""

    def __init__(self):
        self.lock = threading.Lock()
        self.seen: dict[str, deque] = defaultdict(deque)

    def exceeded(self, client: str, limit: int) -> bool:
        with self.lock:
            times = self.seen[client]
            while times and times[0] < time.monotonic() - 3600:
                times.popleft()
            return len(times) >= limit

    def note(self, client: str) -> None:
        with self.lock:
            self.seen[client].append(time.monotonic())


def client_limit() -> ClientLimit:
    """This app's limit: kept per app, so one app's (or one test's) misses do not count against another's."""
    return current_app.extensions.setdefault("witness_client_limit", ClientLimit())


def _client() -> str:
    return hashlib.sha256(f"{current_app.config['SECRET_KEY']}:{request.remote_addr}".encode()).hexdigest()


# ---- the inductee's and manager's side ----------------------------------------------------------

@bp.route("/records/<int:inductee_id>/<activity_id>/witness-requests", methods=["POST"])
@role_required("inductee")
def ask(inductee_id: int, activity_id: str):
    if current_user.id != inductee_id:
        abort(403)
    item = content.activity(activity_id)
    if item is None:
        abort(404)
    form = RequestForm()
    if not form.validate_on_submit():
        return record_page_with(inductee_id, activity_id, witness_request_form=form)
    db = get_db()
    try:
        request_id = create(
            db, inductee_id, activity_id, item.title, witness_name=form.witness_name.data.strip(),
            witness_email=form.witness_email.data.strip(), purpose=form.purpose.data.strip(),
            days=int(current_app.config["WITNESS_LINK_DAYS"]), language=form.language.data)
    except records.TransitionError:
        flash(gettext("This record has been signed off, so no more evidence can be added."), "error")
        return redirect(url_for("records.record", inductee_id=inductee_id, activity_id=activity_id))
    except mail.NoPublicAddress:
        form.witness_name.errors = list(form.witness_name.errors) + [
            gettext("Nothing was sent: %(problem)s", problem=no_public_address_problem())]
        return record_page_with(inductee_id, activity_id, witness_request_form=form)
    flash(gettext("The request was emailed to %(name)s. You will see here when they open it and when they give"
                  " their statement.", name=form.witness_name.data.strip()), "success")
    return redirect(url_for(".request_page", request_id=request_id))


def _request_or_404(request_id: int) -> tuple[dict, dict]:
    db = get_db()
    row = get_request(db, request_id)
    if row is None:
        abort(404)
    inductee_or_404(row["inductee_id"])  # the inductee themselves or their manager; 404 for anyone else
    return row, records.get_by_id(db, row["record_id"])


@bp.route("/witness-requests/<int:request_id>")
@role_required("inductee", "manager")
def request_page(request_id: int):
    row, record = _request_or_404(request_id)
    return render_template("witness/request.html", request_row=row, record=record, can_revoke=_may_revoke(row),
                           can_resend=_may_resend(row, record), revoke_form=RevokeForm(),
                           language_label=LANGUAGE_CHOICES[row["language"] or ""])


def _may_revoke(row: dict) -> bool:
    return row["status"] in WAITING and (current_user.id == row["inductee_id"]
                                         or can_manage_induction(row["inductee_id"]))


def _may_resend(row: dict, record: dict) -> bool:
    return (current_user.id == row["inductee_id"] and row["status"] in (*WAITING, "expired")
            and record["state"] in OPEN_STATES)


@bp.route("/witness-requests/<int:request_id>/resend", methods=["POST"])
@role_required("inductee")
def resend_request(request_id: int):
    row, record = _request_or_404(request_id)
    if current_user.id != row["inductee_id"]:
        abort(403)
    if not RevokeForm().validate_on_submit():
        abort(400)
    try:
        resend(get_db(), request_id, current_user.id, int(current_app.config["WITNESS_LINK_DAYS"]))
    except Closed:
        flash(gettext("This request has ended, so it cannot be sent again. Ask the witness again instead."), "info")
    except mail.NoPublicAddress:
        flash(gettext("Nothing was sent: %(problem)s", problem=no_public_address_problem()), "error")
    else:
        flash(gettext("A new link was emailed to %(name)s. The link sent before no longer works.",
                      name=row["witness_name"]), "success")
    return redirect(url_for(".request_page", request_id=request_id))


@bp.route("/witness-requests/<int:request_id>/revoke", methods=["POST"])
@role_required("inductee", "manager")
def revoke_request(request_id: int):
    row, record = _request_or_404(request_id)
    if not (current_user.id == row["inductee_id"] or can_manage_induction(row["inductee_id"])):
        abort(403)
    if not RevokeForm().validate_on_submit():
        abort(400)
    try:
        revoke(get_db(), request_id, current_user.id)
    except Closed:
        flash(gettext("This request had already ended, so there was nothing to revoke."), "info")
    else:
        flash(gettext("The link for %(name)s no longer works.", name=row["witness_name"]), "success")
    return redirect(url_for("records.record", inductee_id=record["inductee_id"], activity_id=record["activity_id"]))


# ---- the witness's side: no account ---------------------------------------------------------

@bp.route("/witness/<token>", methods=["GET", "POST"])
def give(token: str):
    db = get_db()
    config = current_app.config
    row = by_token(db, token) if len(token) <= 100 else None
    if row is None or row["status"] not in WAITING or row["failed_posts"] >= int(config["WITNESS_MAX_FAILED_POSTS"]):
        # Only links that do not work count against a client; a working link is never refused by them.
        client = _client()
        if client_limit().exceeded(client, int(config["WITNESS_CLIENT_LIMIT"])):
            return _private(render_template("witness/closed.html", reason="busy"), 429)
        client_limit().note(client)
        return _closed(row)
    record = records.get_by_id(db, row["record_id"])
    if record["state"] not in OPEN_STATES:
        return _closed(row, "closed")
    if not row["opened_at"]:
        note_opened(db, row["id"])
    form = StatementForm()
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                confirm(db, token, witness_role=form.witness_role.data.strip(), statement=form.statement.data.strip())
            except Closed as closed:
                return _closed(row, closed.status)
            return _private(render_template("witness/thanks.html", request_row=row))
        note_failed_post(db, row["id"])
    page = render_template("witness/give.html", form=form, request_row=row, activity_title=_title(record),
                           activity_id=record["activity_id"])
    return _private(page, 400 if form.errors else 200)


def _title(record: dict) -> str:
    item = content.activity(record["activity_id"])
    return item.title if item else record["activity_title"]


def _closed(row: dict | None, reason: str | None = None):
    reason = reason or ("unknown" if row is None else row["status"])
    if reason in WAITING:  # too many failed attempts
        reason = "locked"
    return _private(render_template("witness/closed.html", reason=reason), 404 if reason == "unknown" else 410)


def _private(page: str, status: int = 200):
    response = current_app.make_response((page, status))
    response.headers["Referrer-Policy"] = "no-referrer"  # the address holds the token
    return response
