"""Record pages: the inductee records notes and evidence and submits; the manager
signs off or returns with comments; a manager can reopen a signed-off record."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext
from flask_login import current_user

from .. import accounts, audit, content, files, pagecache, pinned, records
from ..access import can_manage_induction, inductee_or_404, role_required
from ..db import get_db
from . import panels
from .forms import (
    EVIDENCE_FORMS,
    FileEvidenceForm,
    NotesForm,
    ReopenForm,
    ReturnForm,
    SignOffForm,
    SubmitForm,
    TextEvidenceForm,
    WitnessForm,
    evidence_fields,
    read_page,
    uploaded_file,
)

bp = Blueprint("records", __name__)


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
    return render_template("records/team_activity.html", activity=item, activity_id=activity_id,
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
        "pin": pinned.view(db, record),
        **panels.context(db, record),
        "handbook_url": content.handbook_url(activity_id),
        "is_owner": current_user.id == inductee_id,
        "is_manager": can_manage_induction(inductee_id),
    }


def _render(ctx: dict, status: int = 200, **forms):
    editable = ctx["is_owner"] and ctx["state"] in records.EDITABLE and ctx["activity"] is not None
    notes_form = forms.pop("notes_form", None) or NotesForm(notes=ctx["record"]["notes"] if ctx["record"] else "")
    defaults = {"text_form": TextEvidenceForm(), "file_form": FileEvidenceForm(), "witness_form": WitnessForm(),
                "sign_off_form": SignOffForm(), "return_form": ReturnForm(), "reopen_form": ReopenForm()}
    panel_forms = panels.blank_forms()
    defaults.update(panel_forms)
    defaults.update(forms)
    return render_template("records/record.html", editable=editable, notes_form=notes_form,
                           panels=panels.PANELS.values(), panel_forms=[defaults[name] for name in panel_forms],
                           **defaults, **ctx), status


@bp.route("/records/<int:inductee_id>/<activity_id>")
@role_required("inductee", "manager")
def record(inductee_id: int, activity_id: str):
    inductee_or_404(inductee_id)  # the access check comes before a kept page is looked for
    # a witness link's status turns to expired at its moment, with no change to the data: kept a minute at most
    return pagecache.serve(lambda: _render(_context(inductee_id, activity_id)), within_seconds=60)


def record_page_with(inductee_id: int, activity_id: str, **forms):
    """The record page again, with a form that needs fixing (another feature's, such as a witness request)."""
    return _render(_owner_context(inductee_id, activity_id), 400, **forms)


def _owner_context(inductee_id: int, activity_id: str) -> dict:
    ctx = _context(inductee_id, activity_id)
    if not ctx["is_owner"]:
        abort(403)
    if ctx["activity"] is None:
        abort(404)
    return ctx


# ---- the record page's one form -----------------------------------------------------------
# The notes and every "add evidence" part are one form with a button for each action, so whichever
# button is pressed (or Enter in a field, which presses "Save notes") saves everything typed on the
# page: nothing typed is lost, without JavaScript. The button pressed decides which evidence must be
# complete; other evidence is added only if something was typed in it. All or nothing: if anything
# needs fixing, nothing is saved and the page shows everything typed again, with what to fix.

def _save_page(inductee_id: int, activity_id: str, *, required: str | None = None, remove: dict | None = None,
               then: str | None = None, anchor: str = "", go_to: str | None = None):
    """Save everything typed on the record page, then (optionally) mark it done or go on to check it."""
    ctx = _owner_context(inductee_id, activity_id)
    notes_form, forms, wanted, invalid = read_page(required)
    if invalid:
        return _refuse(ctx, notes_form, forms, file_kept=False)
    evidence = []
    for kind in wanted:
        if kind != "file":
            evidence.append(evidence_fields(kind, forms[kind]))
            continue
        try:
            stored = files.check_and_store(uploaded_file())
        except files.UploadError as error:
            forms[kind].upload.errors = [str(error)]
            return _refuse(ctx, notes_form, forms, file_kept=True)
        evidence.append(evidence_fields(kind, forms[kind], stored))
    stored_names = [e["stored_name"] for e in evidence if e.get("stored_name")]
    before = ctx["record"]["notes"] if ctx["record"] else ""
    notes = (notes_form.notes.data or "") if notes_form else None
    try:
        with files.removed_unless_saved(stored_names):
            records.save_page(get_db(), inductee_id, activity_id, content.kept_title(activity_id), current_user.id,
                              notes=notes, evidence=evidence, remove=remove, then=then)
    except records.NothingToSubmit:
        notes_form = notes_form or NotesForm(formdata=None, notes=before)
        notes_form.notes.errors = list(notes_form.notes.errors) + [
            gettext("Add notes or evidence before you mark this activity as done")]
        return _refuse(ctx, notes_form, forms, file_kept=True)
    except records.TransitionError:
        return _locked(inductee_id, activity_id)
    if remove and remove["stored_name"]:
        files.remove(remove["stored_name"])
    messages = []
    if then == "mark_done":
        messages.append(gettext("Marked as done. This activity needs no sign-off, so it is complete."))
    if evidence:
        messages.append(gettext("Evidence added."))
    if remove:
        messages.append(gettext("Evidence removed."))
    if notes is not None and (notes != before or not (evidence or remove or then)):
        messages.append(gettext("Your notes have been saved."))
    if messages and not go_to:  # the check page lists what was saved: a success banner there reads as "submitted"
        flash(" ".join(messages), "success")
    return redirect(go_to or url_for(".record", inductee_id=inductee_id, activity_id=activity_id) + anchor)


def _refuse(ctx: dict, notes_form, forms: dict, file_kept: bool):
    """Nothing saved: show the page again with everything typed and what to fix. A chosen file
    cannot be put back into the form by the server, so say so if it was not the problem."""
    upload = request.files.get("upload")
    if upload and upload.filename and not forms["file"].upload.errors and not file_kept:
        forms["file"].upload.errors = [
            gettext("Choose the file again: a file cannot be kept while something else needs fixing")]
    extra = {"notes_form": notes_form} if notes_form else {}
    return _render(ctx, 400, text_form=forms["text"], file_form=forms["file"], witness_form=forms["witness"], **extra)


@bp.route("/records/<int:inductee_id>/<activity_id>/notes", methods=["POST"])
@role_required("inductee")
def save_notes(inductee_id: int, activity_id: str):
    return _save_page(inductee_id, activity_id)


@bp.route("/records/<int:inductee_id>/<activity_id>/evidence/<kind>", methods=["POST"])
@role_required("inductee")
def add_evidence(inductee_id: int, activity_id: str, kind: str):
    if kind not in EVIDENCE_FORMS:
        abort(404)
    return _save_page(inductee_id, activity_id, required=kind, anchor="#evidence")


@bp.route("/records/<int:inductee_id>/<activity_id>/save-and-check", methods=["POST"])
@role_required("inductee")
def save_and_check(inductee_id: int, activity_id: str):
    """'Check and submit for sign-off' on the record page: save what was typed, then check it."""
    return _save_page(inductee_id, activity_id,
                      go_to=url_for(".submit", inductee_id=inductee_id, activity_id=activity_id))


@bp.route("/evidence/<int:evidence_id>/delete", methods=["POST"])
@role_required("inductee")
def remove_evidence(evidence_id: int):
    item = records.evidence_item(get_db(), evidence_id)
    if item is None or item["inductee_id"] != current_user.id:
        abort(404)
    return _save_page(item["inductee_id"], item["activity_id"], remove=item, anchor="#evidence")


@bp.route("/evidence/<int:evidence_id>/file")
@role_required("inductee", "manager", "lead")
def download(evidence_id: int):
    item = records.evidence_item(get_db(), evidence_id)
    if item is None or item["kind"] != "file":
        abort(404)
    if current_user.is_lead:  # reads every team, but a file only where the service allows it
        if not current_app.config["REPORTS_LEAD_SEES_EVIDENCE"]:
            abort(404)
    else:
        inductee_or_404(item["inductee_id"])
    try:
        path = files.path_of(item["stored_name"])
    except FileNotFoundError:
        abort(404)
    if not path.exists():
        abort(404)
    return send_file(path, mimetype=item["content_type"], as_attachment=True,
                     download_name=files.safe_name(item["file_name"], item["content_type"]))


@bp.route("/records/<int:inductee_id>/<activity_id>/done", methods=["POST"])
@role_required("inductee")
def mark_done(inductee_id: int, activity_id: str):
    """An activity that needs no manager sign-off is complete when the inductee marks it done
    (saving anything typed on the page with it)."""
    ctx = _owner_context(inductee_id, activity_id)
    if ctx["activity"].sign_off:
        flash(gettext("This activity needs your manager's sign-off: submit it for sign-off instead."), "warning")
        return redirect(url_for(".record", inductee_id=inductee_id, activity_id=activity_id)), 303
    return _save_page(inductee_id, activity_id, then="mark_done")


@bp.route("/records/<int:inductee_id>/<activity_id>/submit", methods=["GET", "POST"])
@role_required("inductee")
def submit(inductee_id: int, activity_id: str):
    """'Check your answers' before submitting for sign-off."""
    ctx = _owner_context(inductee_id, activity_id)
    if not ctx["activity"].sign_off:
        flash(gettext("This activity needs no sign-off: mark it as done when you have finished it."), "warning")
        return redirect(url_for(".record", inductee_id=inductee_id, activity_id=activity_id)), 303
    if not records.allowed("submit", ctx["state"]):
        return _locked(inductee_id, activity_id)
    form = SubmitForm()
    if request.method == "POST" and form.validate():
        try:
            records.transition(get_db(), ctx["record"]["id"], "submit", current_user.id)
        except records.NothingToSubmit:
            form.confirm.errors = [gettext("Add notes or evidence before you submit")]
        except records.TransitionError:
            form.confirm.errors = [gettext("This record cannot be submitted now")]
        else:
            flash(gettext("Submitted for sign-off. Your manager will review it."), "success")
            return redirect(url_for(".record", inductee_id=inductee_id, activity_id=activity_id))
    status = 400 if form.errors else 200
    return render_template("records/check.html", form=form, **ctx), status


def _manager_action(inductee_id: int, activity_id: str, action: str, form_class, message: str):
    # The same checks as the page's (_context), without making the page: it is made only if the form needs fixing.
    inductee_or_404(inductee_id)
    record = records.get(get_db(), inductee_id, activity_id)
    if record is None and content.activity(activity_id) is None:
        abort(404)
    if not can_manage_induction(inductee_id):
        abort(403)
    form = form_class()
    if not form.validate():
        return _render(_context(inductee_id, activity_id), 400, **{f"{action}_form": form})
    if record is None:
        return _locked(inductee_id, activity_id)
    try:
        records.transition(get_db(), record["id"], action, current_user.id, (form.comment.data or "").strip())
    except records.TransitionError:
        return _locked(inductee_id, activity_id)
    flash(str(message), "success")
    return redirect(url_for(".record", inductee_id=inductee_id, activity_id=activity_id))


@bp.route("/records/<int:inductee_id>/<activity_id>/sign-off", methods=["POST"])
@role_required("manager")
def sign_off(inductee_id: int, activity_id: str):
    return _manager_action(inductee_id, activity_id, "sign_off", SignOffForm, gettext("Signed off."))


@bp.route("/records/<int:inductee_id>/<activity_id>/return", methods=["POST"])
@role_required("manager")
def return_record(inductee_id: int, activity_id: str):
    return _manager_action(inductee_id, activity_id, "return", ReturnForm,
                           gettext("Returned to the inductee with your comments."))


@bp.route("/records/<int:inductee_id>/<activity_id>/reopen", methods=["POST"])
@role_required("manager")
def reopen(inductee_id: int, activity_id: str):
    return _manager_action(inductee_id, activity_id, "reopen", ReopenForm,
                           gettext("Reopened. The inductee can edit it again."))


def _locked(inductee_id: int, activity_id: str):
    flash(gettext("That change was not made: the record's status has changed. Check the status below."), "warning")
    return redirect(url_for(".record", inductee_id=inductee_id, activity_id=activity_id)), 303
