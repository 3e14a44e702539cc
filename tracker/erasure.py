"""Erasure (UK GDPR): an administrator removes everything about a person, their files (evidence, and
email written to the outbox to them or about them) and the copies SQLite would otherwise keep on disk.
Audited; the audit log keeps ids, not text."""
from __future__ import annotations

import logging
import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlite_utils import Database

from . import accounts, audit
from .access import role_required
from .accounts import hash_password
from .audit_actions import Action
from .db import checkpoint, get_db, writing
from .personal_data import delete_about, files_about

bp = Blueprint("erasure", __name__)


def erase_person(db: Database, person_id: int, actor_id: int) -> int:
    """Delete everything about the person; keep an anonymous account row so that what they
    wrote on other people's records still has an author ("Erased user"). Returns files removed.

    The audit log keeps its entries (it is append-only and holds ids and actions, no free text)."""
    with writing(db):
        stored = files_about(db, accounts.get_user(db, person_id))  # found by the rows deleted next
        delete_about(db, person_id)
        db.conn.execute(
            "UPDATE users SET name = 'Erased user', email = ?, password_hash = ?, active = 0,"
            " session_version = session_version + 1, failed_logins = 0, locked_until = NULL WHERE id = ?",
            (f"erased-{person_id}@erased.invalid", hash_password(secrets.token_urlsafe(32)), person_id))
        audit.log(db, actor_id, Action.USER_ERASED, subject_id=person_id)
    for path in stored:
        path.unlink(missing_ok=True)
    # secure_delete (set on every connection) zeroed the deleted rows in the pages written to the
    # log; copying those pages into the database file and emptying the log leaves no old copy.
    if not checkpoint(db):
        logging.getLogger(__name__).warning("erasure: the write-ahead log was busy and is not yet emptied")
    return len(stored)


@bp.route("/admin/users/<int:user_id>/erase", methods=["GET", "POST"])
@role_required("admin")
def erase(user_id: int):
    db = get_db()
    user = accounts.get_user(db, user_id)
    if user is None or user["id"] == current_user.id or user["email"].endswith("@erased.invalid"):
        abort(404)
    error = None
    if request.method == "POST":
        if request.form.get("confirm_email", "").strip().lower() != user["email"].lower():
            error = gettext("Type the person's email address exactly to confirm")
        else:
            erase_person(db, user_id, current_user.id)
            flash(gettext("The person's data has been erased. The audit log records that this was done."), "success")
            return redirect(url_for("admin.users"))
    return render_template("erasure/confirm.html", user=user, error=error), 400 if error else 200
