"""The induction portfolio: one page and one PDF per inductee, for induction sign-off
(induction_sign_off.py) and later accreditation."""
from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request

from . import accounts, content, pdp, pinned, progress, records, supervision
from .access import can_manage_induction, inductee_or_404, role_required
from .db import get_db
from .forms import ascii_int

bp = Blueprint("portfolio", __name__)


def gather(db, inductee: dict) -> dict:
    inductee_id = inductee["id"]
    # Completed: signed off, or marked done when the activity needs no sign-off.
    signed = [r for r in db.query(
        "SELECT r.*, u.name AS signed_off_by_name FROM records r LEFT JOIN users u ON u.id = r.signed_off_by"
        " WHERE r.inductee_id = ? AND r.state IN ('signed_off', 'done')", [inductee_id])
        if records.is_complete(r["state"], _needs_sign_off(r["activity_id"]))]
    signed.sort(key=lambda r: tuple(ascii_int(p) or 0 for p in r["activity_id"].split(".")))
    evidence: dict[int, list[dict]] = {}
    for item in db.query("SELECT e.* FROM evidence e JOIN records r ON r.id = e.record_id"
                         " WHERE r.inductee_id = ? ORDER BY e.id", [inductee_id]):
        evidence.setdefault(item["record_id"], []).append(item)
    passes: dict[str, list[dict]] = {}
    for attempt in db.query("SELECT * FROM quiz_attempts WHERE inductee_id = ? AND passed ORDER BY id", [inductee_id]):
        passes.setdefault(attempt["activity_id"], []).append(attempt)
    for record in signed:
        record["evidence"] = evidence.get(record["id"], [])
        record["quizzes"] = passes.get(record["activity_id"], [])
        record["pin"] = pinned.view(db, record)
    reflections = list(db.query("SELECT * FROM reflections WHERE author_id = ? AND shared_at IS NOT NULL"
                                " ORDER BY entry_date, id", [inductee_id]))
    attempts = list(db.query("SELECT * FROM quiz_attempts WHERE inductee_id = ?"
                             " ORDER BY created_at, id", [inductee_id]))
    latest_pdp = pdp.version_of(db, inductee_id)
    sessions = sorted(supervision.sessions_of(db, inductee_id), key=lambda s: s["session_date"])
    return {
        "inductee": inductee,
        "managers": accounts.managers_of(db, inductee_id),
        "induction": progress.summary(db, inductee),
        "signed": signed,
        "reflections": reflections,
        "attempts": attempts,
        "pdp": latest_pdp,
        "objectives": json.loads(latest_pdp["objectives"]) if latest_pdp else [],
        "columns": pdp.OBJECTIVE_COLUMNS,
        "sessions": sessions,
        "actions": supervision.actions_by_session(db, inductee_id),
        "agreement": supervision.agreement_of(db, inductee_id),
        "signoff": next(db.query("SELECT s.*, u.name AS manager_name FROM induction_signoffs s JOIN users u"
                                 " ON u.id = s.signed_off_by WHERE s.inductee_id = ?", [inductee_id]), None),
    }


def _needs_sign_off(activity_id: str) -> bool:
    activity = content.activity(activity_id)
    return activity.sign_off if activity else True


@bp.route("/portfolio/<int:inductee_id>")
@role_required("inductee", "manager")
def page(inductee_id: int):
    inductee = inductee_or_404(inductee_id)
    return render_template("portfolio/page.html", **gather(get_db(), inductee),
                           can_sign_off=can_manage_induction(inductee_id))


@bp.route("/portfolio/<int:inductee_id>/pdf")
@role_required("inductee", "manager")
def pdf(inductee_id: int):
    inductee = inductee_or_404(inductee_id)
    from weasyprint import HTML  # imported here: it is slow to load and only this route needs it
    html = render_template("portfolio/pdf.html", **gather(get_db(), inductee))
    document = HTML(string=html, base_url=request.url_root).write_pdf()
    filename = f"induction-portfolio-{inductee_id}.pdf"
    return Response(document, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
