"""Activity records: the inductee records notes and evidence and submits; the manager
signs off or returns with comments; a manager can reopen a signed-off record."""
from __future__ import annotations

from flask import (Blueprint, abort, flash, redirect, render_template, request, send_file, url_for)
from flask_login import current_user

from . import accounts, audit, content, files, records
from .access import can_manage_induction, inductee_or_404, role_required
from .db import get_db
from .forms import (DoneForm, FileEvidenceForm, NotesForm, ReopenForm, ReturnForm, SignOffForm, SubmitForm,
                    TextEvidenceForm, WitnessForm)

bp = Blueprint("activities", __name__)
EVIDENCE_FORMS = {"text": TextEvidenceForm, "file": FileEvidenceForm, "witness": WitnessForm}


@bp.route("/activities/<activity_id>")
@role_required("inductee", "manager")
def activity(activity_id: str):
    """Where the handbook's 'Record this activity' link lands."""
    if current_user.is_inductee:
        return redirect(url_for(".record", inductee_id=current_user.id, activity_id=activity_id))
    db = get_db()
    team = accounts.team_of(db, current_user.id)
    rows = {r["inductee_id"]: r for r in db.query(
        "SELECT r.* FROM records r JOIN team_members t ON t.inductee_id = r.inductee_id"
        " WHERE t.manager_id = ? AND r.activity_id = ?", [current_user.id, activity_id])}
    item = content.activity(activity_id)
    if item is None and not rows:
        abort(404)
    return render_template("activities/team_activity.html", activity=item, activity_id=activity_id,
                           team=team, rows=rows)


def _context(inductee_id: int, activity_id: str) -> dict:
    """Everything a record page shows. 404 if the viewer may not see it or the activity is unknown."""
    inductee = inductee_or_404(inductee_id)
    db = get_db()
    item = content.activity(activity_id)
    record = records.get(db, inductee_id, activity_id)
    if item is None and record is None:
        abort(404)
    return {
        "inductee": inductee, "activity": item, "activity_id": activity_id, "record": record,
        "title": item.title if item else record["activity_title"],
        "state": record["state"] if record else "not_started",
        "evidence": records.evidence_of(db, record["id"]) if record else [],
        "comments": records.comments_of(db, record["id"]) if record else [],
        "history": audit.entries_for_record(db, record["id"]) if record else [],
        "quiz_passes": records.passed_quizzes(db, inductee_id, activity_id),
        "handbook_url": content.handbook_url(activity_id),
        "is_owner": current_user.id == inductee_id,
        "is_manager": can_manage_induction(inductee_id),
    }


def _render(ctx: dict, status: int = 200, **forms):
    editable = ctx["is_owner"] and ctx["state"] in records.EDITABLE and ctx["activity"] is not None
    notes_form = forms.pop("notes_form", None) or NotesForm(notes=ctx["record"]["notes"] if ctx["record"] else "")
    defaults = {"text_form": TextEvidenceForm(), "file_form": FileEvidenceForm(), "witness_form": WitnessForm(),
                "done_form": DoneForm(),
                "sign_off_form": SignOffForm(), "return_form": ReturnForm(), "reopen_form": ReopenForm()}
    defaults.update(forms)
    return render_template("activities/record.html", editable=editable, notes_form=notes_form,
                           **defaults, **ctx), status


@bp.route("/records/<int:inductee_id>/<activity_id>")
@role_required("inductee", "manager")
def record(inductee_id: int, activity_id: str):
    return _render(_context(inductee_id, activity_id))


def _owner_context(inductee_id: int, activity_id: str) -> dict:
    ctx = _context(inductee_id, activity_id)
    if not ctx["is_owner"]:
        abort(403)
    if ctx["activity"] is None:
        abort(404)
    return ctx


@bp.route("/records/<int:inductee_id>/<activity_id>/notes", methods=["POST"])
@role_required("inductee")
def save_notes(inductee_id: int, activity_id: str):
    ctx = _owner_context(inductee_id, activity_id)
    form = NotesForm()
    if not form.validate():
        return _render(ctx, 400, notes_form=form)
    try:
        records.save_notes(get_db(), inductee_id, activity_id, ctx["title"], form.notes.data or "", current_user.id)
    except records.TransitionError:
        return _locked(inductee_id, activity_id)
    flash("Your notes have been saved.", "success")
    return redirect(url_for(".record", inductee_id=inductee_id, activity_id=activity_id))


@bp.route("/records/<int:inductee_id>/<activity_id>/evidence/<kind>", methods=["POST"])
@role_required("inductee")
def add_evidence(inductee_id: int, activity_id: str, kind: str):
    if kind not in EVIDENCE_FORMS:
        abort(404)
    ctx = _owner_context(inductee_id, activity_id)
    form = EVIDENCE_FORMS[kind]()
    if not form.validate():
        return _render(ctx, 400, **{f"{kind}_form": form})
    fields = {"kind": kind}
    if kind == "text":
        fields["body"] = form.body.data
    elif kind == "witness":
        fields.update(body=form.body.data, witness_name=form.witness_name.data, witness_role=form.witness_role.data)
    else:
        try:
            stored = files.check_and_store(request.files.get("upload") or _no_file())
        except files.UploadError as error:
            form.upload.errors = [str(error)]
            return _render(ctx, 400, file_form=form)
        fields.update(body=form.description.data, file_name=stored.file_name, stored_name=stored.stored_name,
                      content_type=stored.content_type, size=stored.size)
    try:
        records.add_evidence(get_db(), inductee_id, activity_id, ctx["title"], current_user.id, **fields)
    except records.TransitionError:
        if kind == "file":
            files.remove(fields["stored_name"])
        return _locked(inductee_id, activity_id)
    flash("Evidence added.", "success")
    return redirect(url_for(".record", inductee_id=inductee_id, activity_id=activity_id) + "#evidence")


def _no_file():
    from werkzeug.datastructures import FileStorage
    return FileStorage(filename="")


@bp.route("/evidence/<int:evidence_id>/delete", methods=["POST"])
@role_required("inductee")
def remove_evidence(evidence_id: int):
    db = get_db()
    item = records.evidence_item(db, evidence_id)
    if item is None or item["inductee_id"] != current_user.id:
        abort(404)
    try:
        records.remove_evidence(db, item, current_user.id)
    except records.TransitionError:
        return _locked(item["inductee_id"], item["activity_id"])
    if item["stored_name"]:
        files.remove(item["stored_name"])
    flash("Evidence removed.", "success")
    return redirect(url_for(".record", inductee_id=item["inductee_id"], activity_id=item["activity_id"]) + "#evidence")


@bp.route("/evidence/<int:evidence_id>/file")
@role_required("inductee", "manager")
def download(evidence_id: int):
    item = records.evidence_item(get_db(), evidence_id)
    if item is None or item["kind"] != "file":
        abort(404)
    inductee_or_404(item["inductee_id"])
    try:
        path = files.path_of(item["stored_name"])
    except FileNotFoundError:
        abort(404)
    if not path.exists():
        abort(404)
    return send_file(path, mimetype=item["content_type"], as_attachment=True, download_name=item["file_name"])


@bp.route("/records/<int:inductee_id>/<activity_id>/done", methods=["POST"])
@role_required("inductee")
def mark_done(inductee_id: int, activity_id: str):
    """An activity that needs no manager sign-off is complete when the inductee marks it done."""
    ctx = _owner_context(inductee_id, activity_id)
    if ctx["activity"].sign_off:
        flash("This activity needs your manager's sign-off: submit it for sign-off instead.", "warning")
        return redirect(url_for(".record", inductee_id=inductee_id, activity_id=activity_id)), 303
    form = DoneForm()
    if not form.validate() or ctx["record"] is None:
        return _locked(inductee_id, activity_id)
    try:
        records.transition(get_db(), ctx["record"]["id"], "mark_done", current_user.id)
    except records.TransitionError as error:
        if str(error) != "empty":
            return _locked(inductee_id, activity_id)
        notes_form = NotesForm(formdata=None, notes=ctx["record"]["notes"])
        notes_form.notes.errors = ["Add notes or evidence before you mark this activity as done"]
        return _render(ctx, 400, notes_form=notes_form)
    flash("Marked as done. This activity needs no sign-off, so it is complete.", "success")
    return redirect(url_for(".record", inductee_id=inductee_id, activity_id=activity_id))


@bp.route("/records/<int:inductee_id>/<activity_id>/submit", methods=["GET", "POST"])
@role_required("inductee")
def submit(inductee_id: int, activity_id: str):
    """'Check your answers' before submitting for sign-off."""
    ctx = _owner_context(inductee_id, activity_id)
    if not ctx["activity"].sign_off:
        flash("This activity needs no sign-off: mark it as done when you have finished it.", "warning")
        return redirect(url_for(".record", inductee_id=inductee_id, activity_id=activity_id)), 303
    if ctx["state"] not in ("in_progress", "returned", "done"):
        return _locked(inductee_id, activity_id)
    form = SubmitForm()
    if request.method == "POST" and form.validate():
        try:
            records.transition(get_db(), ctx["record"]["id"], "submit", current_user.id)
        except records.TransitionError as error:
            form.confirm.errors = ["Add notes or evidence before you submit" if str(error) == "empty"
                                   else "This record cannot be submitted now"]
        else:
            flash("Submitted for sign-off. Your manager will review it.", "success")
            return redirect(url_for(".record", inductee_id=inductee_id, activity_id=activity_id))
    status = 400 if form.errors else 200
    return render_template("activities/check.html", form=form, **ctx), status


def _manager_action(inductee_id: int, activity_id: str, action: str, form_class, message: str):
    ctx = _context(inductee_id, activity_id)
    if not ctx["is_manager"]:
        abort(403)
    form = form_class()
    if not form.validate():
        return _render(ctx, 400, **{f"{action}_form": form})
    if ctx["record"] is None:
        return _locked(inductee_id, activity_id)
    try:
        records.transition(get_db(), ctx["record"]["id"], action, current_user.id, (form.comment.data or "").strip())
    except records.TransitionError:
        return _locked(inductee_id, activity_id)
    flash(message, "success")
    return redirect(url_for(".record", inductee_id=inductee_id, activity_id=activity_id))


@bp.route("/records/<int:inductee_id>/<activity_id>/sign-off", methods=["POST"])
@role_required("manager")
def sign_off(inductee_id: int, activity_id: str):
    return _manager_action(inductee_id, activity_id, "sign_off", SignOffForm, "Signed off.")


@bp.route("/records/<int:inductee_id>/<activity_id>/return", methods=["POST"])
@role_required("manager")
def return_record(inductee_id: int, activity_id: str):
    return _manager_action(inductee_id, activity_id, "return", ReturnForm, "Returned to the inductee with your comments.")


@bp.route("/records/<int:inductee_id>/<activity_id>/reopen", methods=["POST"])
@role_required("manager")
def reopen(inductee_id: int, activity_id: str):
    return _manager_action(inductee_id, activity_id, "reopen", ReopenForm, "Reopened. The inductee can edit it again.")


def _locked(inductee_id: int, activity_id: str):
    flash("That change was not made: the record's status has changed. Check the status below.", "warning")
    return redirect(url_for(".record", inductee_id=inductee_id, activity_id=activity_id)), 303
