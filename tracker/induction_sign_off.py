"""Whole-induction sign-off: a manager signs off an inductee's induction once every required
activity is complete. It is shown on the portfolio page and in the PDF."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user

from . import audit, progress
from .access import can_manage_induction, inductee_or_404, role_required
from .db import get_db, writing

bp = Blueprint("induction_sign_off", __name__)


@bp.route("/portfolio/<int:inductee_id>/sign-off", methods=["POST"])
@role_required("manager")
def sign_off(inductee_id: int):
    inductee = inductee_or_404(inductee_id)
    if not can_manage_induction(inductee_id):
        abort(403)
    db = get_db()
    induction = progress.summary(db, inductee)
    if not induction.complete:
        flash(gettext("The induction can be signed off only when every required activity is complete."), "warning")
        return redirect(url_for("portfolio.page", inductee_id=inductee_id)), 303
    with writing(db):
        db.conn.execute("INSERT OR IGNORE INTO induction_signoffs (inductee_id, signed_off_by, comment)"
                        " VALUES (?, ?, ?)",
                        (inductee_id, current_user.id, request.form.get("comment", "")[:2000]))
        audit.log(db, current_user.id, "induction.signed_off", subject_id=inductee_id)
    flash(gettext("%(name)s's induction is signed off.", name=inductee["name"]), "success")
    return redirect(url_for("portfolio.page", inductee_id=inductee_id))
