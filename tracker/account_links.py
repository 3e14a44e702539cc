"""Accounts without chosen passwords: invitations and password reset, both by an emailed link.

An administrator makes an account (form, CSV import or `flask create-user`) with no password; the
tracker emails the person a link to choose their own (INVITATION_HOURS, 72 by default). Anyone may ask
for a reset link from the sign-in page (RESET_MINUTES, 60 by default): the same page and the same time
whether or not the address has an account, and at most RESET_MAX_PER_ADDRESS / RESET_MAX_PER_CLIENT
requests an hour.

A link is a capability: a random token of which only the SHA-256 is stored (account_tokens). Opening it
(GET) never uses it up, so link scanners cannot burn it; choosing a password does, in the same
transaction that stores the password, ends every session of the person and writes the audit entry.
A new link for the same purpose replaces the older ones. The token is in the address, so log lines
redact it (tracker/log_redaction.py) and these pages send Referrer-Policy: no-referrer.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
import time
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user
from flask_wtf import FlaskForm
from sqlite_utils import Database
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo

from . import accounts, audit, i18n, mail, password_policy
from .access import role_required
from .accounts import MIN_PASSWORD_LENGTH
from .audit_actions import Action
from .db import get_db, writing
from .forms import strong_password

bp = Blueprint("account_links", __name__)
log = logging.getLogger(__name__)
PURPOSES = ("invite", "reset")
STAMP = "%Y-%m-%dT%H:%M:%SZ"
WALES = ZoneInfo("Europe/London")


class ChoosePasswordForm(FlaskForm):
    new_password = PasswordField(
        _l("New password"), description=_l("At least %(count)s characters", count=MIN_PASSWORD_LENGTH),
        validators=[DataRequired(_l("Enter a new password")), strong_password])
    confirm_password = PasswordField(_l("Confirm new password"), validators=[
        DataRequired(_l("Enter the new password again")), EqualTo("new_password", _l("The passwords do not match"))])


class ForgottenForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(_l("Enter your email address"))])


# ---- tokens -----------------------------------------------------------------------------------

def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def stamp(moment: dt.datetime) -> str:
    return moment.strftime(STAMP)


def issue(db: Database, user_id: int, purpose: str, lifetime: dt.timedelta, actor_id: int | None) -> tuple[str, str]:
    """Inside the caller's transaction: a new link for this person and purpose, replacing the older ones,
    audited (no token, no address). Returns the token (never stored) and when it expires."""
    token, current = secrets.token_urlsafe(32), now()
    expires = stamp(current + lifetime)
    db.conn.execute("UPDATE account_tokens SET replaced_at = ? WHERE user_id = ? AND purpose = ?"
                    " AND used_at IS NULL AND replaced_at IS NULL", (stamp(current), user_id, purpose))
    db.conn.execute("INSERT INTO account_tokens (purpose, user_id, token_hash, expires_at) VALUES (?, ?, ?, ?)",
                    (purpose, user_id, token_hash(token), expires))
    audit.log(db, actor_id, Action.USER_INVITED if purpose == "invite" else Action.USER_RESET_REQUESTED,
              subject_id=user_id)
    return token, expires


def find(db: Database, token: str) -> dict | None:
    return next(db.query("SELECT * FROM account_tokens WHERE token_hash = ?", [token_hash(token)]), None)


def state(row: dict | None, at: str | None = None) -> str:
    """open, used, replaced, expired or unknown."""
    if row is None:
        return "unknown"
    if row["used_at"]:
        return "used"
    if row["replaced_at"]:
        return "replaced"
    if row["expires_at"] <= (at or stamp(now())):
        return "expired"
    return "open"


def use(db: Database, token: str, password: str) -> int | None:
    """Choose the password with this link: the password stored, every session of the person ended, this
    link and any other open one of theirs closed, audited, in one transaction. The user's id, or None if
    the link is no longer open (checked again inside the transaction: two tabs cannot both use it)."""
    with writing(db):
        row = find(db, token)  # read again under the write lock
        if state(row) != "open":
            return None
        db.conn.execute("UPDATE account_tokens SET used_at = ? WHERE id = ?", (stamp(now()), row["id"]))
        accounts.store_password(db, row["user_id"], password)  # ends the person's other links and sessions
        audit.log(db, None, Action.USER_PASSWORD_SET_BY_LINK, subject_id=row["user_id"],
                  detail=f"purpose={row['purpose']}")
    return row["user_id"]


def invitation_states(db: Database) -> dict[int, dict]:
    """For the Users page: {user_id: {"state": "invited" | "reset" | "expired", "expires_at": ...}} for each
    person who has no password now (not chosen yet, or reset by an administrator) and was sent a link."""
    rows = db.query("SELECT t.user_id, t.purpose, t.expires_at,"
                    " (t.used_at IS NULL AND t.replaced_at IS NULL AND t.expires_at > ?) AS open"
                    " FROM account_tokens t JOIN users u ON u.id = t.user_id"
                    " WHERE u.password_hash = ? ORDER BY t.id", [stamp(now()), accounts.NO_PASSWORD])
    states = {}
    for r in rows:  # the newest link decides
        state = ("invited" if r["purpose"] == "invite" else "reset") if r["open"] else "expired"
        states[r["user_id"]] = {"state": state, "purpose": r["purpose"], "expires_at": r["expires_at"]}
    return states


# ---- the emails ---------------------------------------------------------------------------------

def local_time(expires_at: str) -> dt.datetime:
    """When a link expires, as a clock in Wales reads it (the emails say a date and a time)."""
    return dt.datetime.strptime(expires_at, STAMP).replace(tzinfo=dt.UTC).astimezone(WALES)


def invite(db: Database, user_id: int, actor_id: int | None) -> str:
    """Queue (or queue again) the person's invitation, with its link, in one transaction. Returns the link,
    for the command line only. Raises mail.NoPublicAddress (nothing written) when PUBLIC_URL is not set."""
    hours = int(current_app.config["INVITATION_HOURS"])
    with writing(db):
        user = accounts.get_user(db, user_id)
        token, expires = issue(db, user_id, "invite", dt.timedelta(hours=hours), actor_id)
        link = mail.external_url("account_links.choose_password", token=token)
        mail.queue_to_user(db, user, "invitation", link=link, expires_at=local_time(expires))
    return link


def invite_or_problem(db: Database, user_id: int, actor_id: int | None) -> str | None:
    """Invite, or say why no invitation went: council sign-in only, or no public address for its link."""
    user = accounts.get_user(db, user_id)
    if not password_policy.local_passwords_allowed(user["email"]):
        return gettext("%(name)s signs in through the council, so no invitation was sent", name=user["name"])
    try:
        invite(db, user_id, actor_id)
    except mail.NoPublicAddress:
        return no_public_address_problem()
    return None


def no_public_address_problem() -> str:
    log.warning("account links: PUBLIC_URL is not set, so no link was emailed")
    return gettext("the tracker's web address (TRACKER_PUBLIC_URL) is not set, so no link can be emailed:"
                   " ask the person who runs the server to set it")


def send_reset(db: Database, user: dict, actor_id: int | None = None) -> None:
    """Inside the caller's transaction: a new reset link, queued by email. Raises mail.NoPublicAddress."""
    minutes = int(current_app.config["RESET_MINUTES"])
    token, expires = issue(db, user["id"], "reset", dt.timedelta(minutes=minutes), actor_id)
    mail.queue_to_user(db, user, "password_reset", link=mail.external_url("account_links.choose_password", token=token),
                       expires_at=local_time(expires), minutes=minutes)


# ---- reset throttling ----------------------------------------------------------------------------

def request_keys(secret_key: str, email: str, client: str) -> tuple[str, str]:
    """Keyed hashes of the address and of the client: neither is stored in clear."""
    def keyed(text: str) -> str:
        return hmac.new(secret_key.encode(), text.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()
    return keyed("reset-address\n" + email.strip().casefold()), keyed("reset-client\n" + client)


def note_request(db: Database, address_key: str, client_key: str, per_address: int, per_client: int) -> bool:
    """Count one reset request against the address and the client; True if both are within the hour's limit."""
    current = now()
    hour_ago = stamp(current - dt.timedelta(hours=1))
    with writing(db):
        db.conn.execute("DELETE FROM reset_requests WHERE requested_at <= ?", (hour_ago,))
        counts = [db.conn.execute("SELECT count(*) FROM reset_requests WHERE key = ?", (key,)).fetchone()[0]
                  for key in (address_key, client_key)]
        db.conn.executemany("INSERT INTO reset_requests (key, requested_at) VALUES (?, ?)",
                            [(address_key, stamp(current)), (client_key, stamp(current))])
    return counts[0] < per_address and counts[1] < per_client


# ---- pages ------------------------------------------------------------------------------------

def no_referrer(response):
    response.headers["Referrer-Policy"] = "no-referrer"  # the token must not leave in a Referer header
    return response


@bp.route("/account/forgotten-password", methods=["GET", "POST"])
def forgotten():
    form = ForgottenForm()
    if form.validate_on_submit():
        started = time.monotonic()
        request_reset(form.email.data)
        # The same time whatever happened: pad to a fixed floor (the work is alike on every path too).
        time.sleep(max(0.0, float(current_app.config["RESET_MIN_SECONDS"]) - (time.monotonic() - started)))
        return render_template("account_links/reset_sent.html",
                               minutes=int(current_app.config["RESET_MINUTES"]))
    return render_template("account_links/forgotten.html", form=form), 400 if form.errors else 200


def request_reset(email: str) -> None:
    """Send a reset link if the address has an active account that may use a password and neither the
    address nor the client has asked too often; otherwise nothing. The caller says the same either way."""
    config, db = current_app.config, get_db()
    address_key, client_key = request_keys(config["SECRET_KEY"], email, request.remote_addr or "unknown")
    within = note_request(db, address_key, client_key, int(config["RESET_MAX_PER_ADDRESS"]),
                          int(config["RESET_MAX_PER_CLIENT"]))
    user = accounts.find_by_email(db, email)
    if not within:
        log.info("password reset: over the hourly limit, nothing sent")
        return
    if user is None or not user["active"] or not password_policy.local_passwords_allowed(user["email"]):
        return
    try:
        with writing(db):
            send_reset(db, user)
    except mail.NoPublicAddress:
        no_public_address_problem()  # logged; the page says the same either way


@bp.route("/account/set-password/<token>", methods=["GET", "POST"])
def choose_password(token: str):
    db = get_db()
    row = find(db, token)
    user = accounts.get_user(db, row["user_id"]) if row else None
    link_state = state(row) if user and user["active"] else "unknown"
    if link_state != "open":
        return no_referrer(closed_page(link_state, row))
    if not password_policy.local_passwords_allowed(user["email"]):
        return no_referrer(current_app.make_response(password_policy.no_local_password_page()))
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        user_id = use(db, token, form.new_password.data)
        if user_id is None:  # used in another tab meanwhile
            return no_referrer(closed_page(state(find(db, token)), row))
        sign_in(accounts.get_user(db, user_id))
        flash(gettext("Your password has been set. You are signed in."), "success")
        return redirect(url_for("home"))
    html = render_template("account_links/choose_password.html", form=form, person=user, purpose=row["purpose"])
    return no_referrer(current_app.make_response((html, 400 if form.errors else 200)))


def closed_page(link_state: str, row: dict | None):
    purpose = row["purpose"] if row else None
    html = render_template("account_links/closed.html", link_state=link_state, purpose=purpose)
    return current_app.make_response((html, 404 if link_state == "unknown" else 410))


def sign_in(user: dict) -> None:
    language = session.get(i18n.SESSION_KEY)
    session.clear()  # a fresh session: no fixation
    if language:
        i18n.choose_for_session(language)
    login_user(accounts.User(user))
    session.permanent = True


def reset_by_admin(db: Database, user_id: int, actor_id: int) -> None:
    """An administrator resets an account: the password stops working, every session and open link ends,
    and a new reset link is emailed to the person, all in one transaction (nothing at all without
    PUBLIC_URL: mail.NoPublicAddress). The administrator never sees the link."""
    with writing(db):
        user = accounts.get_user(db, user_id)
        db.conn.execute("UPDATE users SET password_hash = ?, session_version = session_version + 1 WHERE id = ?",
                        (accounts.NO_PASSWORD, user_id))
        accounts.end_links(db, user_id)
        audit.log(db, actor_id, Action.USER_PASSWORD_RESET_BY_ADMIN, subject_id=user_id)
        send_reset(db, user, actor_id)


@bp.route("/admin/users/<int:user_id>/reset-password", methods=["GET", "POST"])
@role_required("admin")
def admin_reset(user_id: int):
    db = get_db()
    user = accounts.get_user(db, user_id)
    if (user is None or not user["active"] or user["email"].endswith("@erased.invalid") or user_id == current_user.id
            or not password_policy.local_passwords_allowed(user["email"])):
        abort(404)  # council sign-in accounts have no password to reset; your own is changed, not reset
    form = FlaskForm()
    if form.validate_on_submit():
        try:
            reset_by_admin(db, user_id, current_user.id)
        except mail.NoPublicAddress:
            flash(gettext("Nothing was changed: %(problem)s.", problem=no_public_address_problem()), "error")
        else:
            flash(gettext("%(name)s's password has been reset and a link to choose a new one emailed to them.",
                          name=user["name"]), "success")
        return redirect(url_for("admin.users"))
    return render_template("account_links/admin_reset.html", person=user, form=form)


@bp.route("/admin/users/<int:user_id>/invitation", methods=["POST"])
@role_required("admin")
def resend_invitation(user_id: int):
    db = get_db()
    user = accounts.get_user(db, user_id)
    if (user is None or user["password_hash"] != accounts.NO_PASSWORD or not user["active"]
            or invitation_states(db).get(user_id, {}).get("purpose") == "reset"):
        abort(404)  # only someone who has never chosen a password is invited; after a reset, reset again
    problem = invite_or_problem(db, user_id, current_user.id)
    if problem:
        flash(problem, "error")
    else:
        flash(gettext("Invitation sent again to %(name)s. The earlier link no longer works.", name=user["name"]),
              "success")
    return redirect(url_for("admin.users"))
