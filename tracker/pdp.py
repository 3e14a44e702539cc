"""Personal development plan (the induction pack's template, section 6.b). Each save is a
new version; earlier versions are kept. Managers comment on a version."""
from __future__ import annotations

import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from . import audit, notifications
from .access import inductee_or_404, role_required
from .audit_actions import Action
from .db import get_db, writing
from .forms import Rows, ascii_int, read_rows

bp = Blueprint("pdp", __name__)
TEXT_LIMIT = 5000
OBJECTIVE_ROWS = 5
OBJECTIVE_COLUMNS = {"objective": _l("Objective"), "action": _l("Action"), "resources": _l("Resources"),
                     "when": _l("When"), "status": _l("Status")}
STATUSES = ["Not started", "In progress", "Done"]  # stored as written here; shown in the page's language
STATUS_LABELS = {"Not started": _l("Not started"), "In progress": _l("In progress"), "Done": _l("Done")}


class PdpForm(FlaskForm):
    strengths = TextAreaField(_l("My strengths"), validators=[Length(max=TEXT_LIMIT)])
    areas_to_develop = TextAreaField(_l("Areas I want to develop"), validators=[Length(max=TEXT_LIMIT)])
    more_confident = TextAreaField(_l("I want to become more confident at"), validators=[Length(max=TEXT_LIMIT)])
    helped_by = TextAreaField(_l("I would be helped by"), validators=[Length(max=TEXT_LIMIT)])
    next_three_months = TextAreaField(_l("In the next three months I want to"), validators=[Length(max=TEXT_LIMIT)])
    next_twelve_months = TextAreaField(_l("In the next twelve months I want to"), validators=[Length(max=TEXT_LIMIT)])
    supervision_id = SelectField(_l("Discussed at supervision (optional)"), validators=[Optional()])


class PdpCommentForm(FlaskForm):
    body = TextAreaField(_l("Your comment"), validators=[DataRequired(_l("Enter a comment")), Length(max=5000)])


def optional_id(value: str | None) -> int | None:
    """An optional select's id; blank (even whitespace) means none."""
    return ascii_int((value or "").strip())


TEXT_FIELDS = ["strengths", "areas_to_develop", "more_confident", "helped_by", "next_three_months",
               "next_twelve_months"]


def versions_of(db, inductee_id: int) -> list[dict]:
    return list(db.query("SELECT * FROM pdp_versions WHERE inductee_id = ? ORDER BY version DESC", [inductee_id]))


def version_of(db, inductee_id: int, version: int | None = None) -> dict | None:
    if version is None:
        return next(db.query("SELECT * FROM pdp_versions WHERE inductee_id = ?"
                             " ORDER BY version DESC LIMIT 1", [inductee_id]), None)
    return next(db.query("SELECT * FROM pdp_versions WHERE inductee_id = ? AND version = ?",
                         [inductee_id, version]), None)


def objectives_from(form_data) -> Rows:
    return read_rows(form_data, "objective", OBJECTIVE_ROWS, tuple(OBJECTIVE_COLUMNS), required="objective",
                     missing=gettext("Write objective %(n)s, or clear its row"),
                     too_long=gettext("Objective %(n)s must be %(limit)s characters or fewer"),
                     choices={"status": STATUSES})


def _sessions(db, inductee_id: int) -> list[SelectChoice]:
    sessions = db.query("SELECT id, session_date FROM supervision_sessions WHERE inductee_id = ?"
                        " ORDER BY session_date DESC", [inductee_id])
    return [SelectChoice("", gettext("None"))] + [SelectChoice(str(s["id"]), gettext("Supervision on %(date)s",
                                                                                   date=s["session_date"]))
                                         for s in sessions]


def _comments(db, inductee_id: int) -> list[dict]:
    return list(db.query(
        "SELECT c.*, u.name AS author_name FROM pdp_comments c JOIN users u ON u.id = c.author_id"
        " WHERE c.inductee_id = ? ORDER BY c.id DESC", [inductee_id]))


@bp.route("/pdp/<int:inductee_id>", methods=["GET", "POST"])
@role_required("inductee", "manager")
def plan(inductee_id: int):
    inductee = inductee_or_404(inductee_id)
    db = get_db()
    latest = version_of(db, inductee_id)
    own = current_user.id == inductee_id
    if request.method == "POST" and not own:
        abort(403)
    form = PdpForm(data={**(latest or {}), "supervision_id": str((latest or {}).get("supervision_id") or "")})
    form.supervision_id.choices = _sessions(db, inductee_id)
    objectives = json.loads(latest["objectives"]) if latest else []
    objective_errors: list[tuple[str, str]] = []
    if request.method == "POST":
        rows = objectives_from(request.form)
        objectives, objective_errors = rows.typed, rows.errors  # shown again in their places if refused
        if form.validate_on_submit() and not objective_errors:
            version = (latest["version"] + 1) if latest else 1
            values = {f: getattr(form, f).data or "" for f in TEXT_FIELDS}
            with writing(db):
                db.conn.execute(
                    f"INSERT INTO pdp_versions (inductee_id, version, {', '.join(values)},"
                    " objectives, supervision_id, created_by)"
                    f" VALUES (?, ?, {', '.join('?' for _ in values)}, ?, ?, ?)",
                    (inductee_id, version, *values.values(), json.dumps(rows.filled),
                     optional_id(form.supervision_id.data), current_user.id))
                audit.log(db, current_user.id, Action.PDP_SAVED, subject_id=inductee_id, detail=f"version {version}")
            flash(gettext("Development plan saved as version %(version)s. Earlier versions are kept.", version=version),
                  "success")
            return redirect(url_for(".plan", inductee_id=inductee_id))
    status = 400 if (form.errors or objective_errors) else 200
    return render_template("pdp/plan.html", inductee=inductee, form=form, latest=latest, own=own,
                           objectives=objectives, objective_errors=objective_errors, columns=OBJECTIVE_COLUMNS,
                           status_labels=STATUS_LABELS,
                           statuses=STATUSES, rows=OBJECTIVE_ROWS, versions=versions_of(db, inductee_id),
                           comments=_comments(db, inductee_id), comment_form=PdpCommentForm()), status


@bp.route("/pdp/<int:inductee_id>/versions/<int:version>")
@role_required("inductee", "manager")
def version(inductee_id: int, version: int):
    inductee = inductee_or_404(inductee_id)
    row = version_of(get_db(), inductee_id, version)
    if row is None:
        abort(404)
    return render_template("pdp/version.html", inductee=inductee, pdp=row, objectives=json.loads(row["objectives"]),
                           columns=OBJECTIVE_COLUMNS, status_labels=STATUS_LABELS)


@bp.route("/pdp/<int:inductee_id>/comments", methods=["POST"])
@role_required("manager")
def comment(inductee_id: int):
    inductee_or_404(inductee_id)
    db = get_db()
    latest = version_of(db, inductee_id)
    if latest is None:
        abort(404)
    form = PdpCommentForm()
    if not form.validate():
        flash(gettext("Enter a comment before you add it."), "warning")
        return redirect(url_for(".plan", inductee_id=inductee_id) + "#comments"), 303
    with writing(db):
        cursor = db.conn.execute("INSERT INTO pdp_comments (inductee_id, version, author_id, body) VALUES (?, ?, ?, ?)",
                                 (inductee_id, latest["version"], current_user.id, form.body.data))
        notifications.notify(db, notifications.kinds.PDP_COMMENT, inductee_id, current_user.id, cursor.lastrowid)
    flash(gettext("Comment added."), "success")
    return redirect(url_for(".plan", inductee_id=inductee_id) + "#comments")
