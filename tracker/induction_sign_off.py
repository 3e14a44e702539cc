"""Whole-induction sign-off: a manager signs off an inductee's induction once every required
activity is complete. It is shown on the portfolio page and in the PDF. An induction is signed off
once: a second sign-off (a second click, another manager) changes nothing and is not audited again."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlite_utils import Database

from . import audit, progress
from .access import can_manage_induction, inductee_or_404, role_required
from .audit_actions import Action
from .db import get_db, writing

bp = Blueprint("induction_sign_off", __name__)
COMMENT_LIMIT = 2000


class NotComplete(Exception):
    """A required activity is not yet complete."""


class AlreadySignedOff(Exception):
    """The induction was signed off before."""


def sign_off_induction(db: Database, inductee: dict, manager_id: int, comment: str = "") -> None:
    """Record the sign-off and audit it, in one transaction; refuse an incomplete or already signed-off one."""
    if not progress.summary(db, inductee).complete:
        raise NotComplete()
    with writing(db):
        made = db.conn.execute("INSERT OR IGNORE INTO induction_signoffs (inductee_id, signed_off_by, comment)"
                               " VALUES (?, ?, ?)", (inductee["id"], manager_id, comment[:COMMENT_LIMIT])).rowcount
        if not made:
            raise AlreadySignedOff()
        audit.log(db, manager_id, Action.INDUCTION_SIGNED_OFF, subject_id=inductee["id"])


@bp.route("/portfolio/<int:inductee_id>/sign-off", methods=["POST"])
@role_required("manager")
def sign_off(inductee_id: int):
    inductee = inductee_or_404(inductee_id)
    if not can_manage_induction(inductee_id):
        abort(403)
    try:
        sign_off_induction(get_db(), inductee, current_user.id, request.form.get("comment", ""))
    except NotComplete:
        flash(gettext("The induction can be signed off only when every required activity is complete."), "warning")
        return redirect(url_for("portfolio.page", inductee_id=inductee_id)), 303
    except AlreadySignedOff:
        flash(gettext("%(name)s's induction was already signed off: nothing was changed.", name=inductee["name"]),
              "warning")
        return redirect(url_for("portfolio.page", inductee_id=inductee_id)), 303
    flash(gettext("%(name)s's induction is signed off.", name=inductee["name"]), "success")
    return redirect(url_for("portfolio.page", inductee_id=inductee_id))
