"""The record page's forms: notes, evidence, submit, and the manager's sign-off, return and reopen; and how
what the page sends is read (the record page's own routes, and saving offline: tracker/offline/)."""
from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

NOTES_LIMIT = 20_000


class NotesForm(FlaskForm):
    notes = TextAreaField(_l("Notes and reflections"), description=_l(
        "What you did and what you learned."
        " Do not name children or families, or include details that could identify them."),
        validators=[Length(max=NOTES_LIMIT, message=_l("Notes must be %(limit)s characters or fewer",
                                                       limit=f"{NOTES_LIMIT:,}"))])


class TextEvidenceForm(FlaskForm):
    body = TextAreaField(_l("Written evidence"), validators=[
        DataRequired(_l("Enter the written evidence")),
        Length(max=NOTES_LIMIT, message=_l("Evidence must be %(limit)s characters or fewer",
                                           limit=f"{NOTES_LIMIT:,}"))])


class FileEvidenceForm(FlaskForm):
    upload = FileField(_l("Upload a file"), description=_l("A photograph, document or audio recording, up to 10 MB"))
    description = StringField(_l("What this file shows"),
                              validators=[DataRequired(_l("Say what the file shows")), Length(max=500)])


class WitnessForm(FlaskForm):
    witness_name = StringField(_l("Witness name"),
                               validators=[DataRequired(_l("Enter the witness's name")), Length(max=200)])
    witness_role = StringField(_l("Witness role"), description=_l("For example, head of year or senior colleague"),
                               validators=[DataRequired(_l("Enter the witness's role")), Length(max=200)])
    # Not 'body': the record page is one form, and written evidence has a 'body' field.
    statement = TextAreaField(_l("Witness statement"),
                              validators=[DataRequired(_l("Enter what the witness saw")), Length(max=NOTES_LIMIT)])


class SubmitForm(FlaskForm):
    confirm = BooleanField(_l("I confirm this record is my own work and identifies no child or family"),
                           validators=[DataRequired(_l("Confirm the record is your own work"
                                                       " and identifies no child or family"))])


class SignOffForm(FlaskForm):
    comment = TextAreaField(_l("Comment (optional)"), validators=[Length(max=5000)])


class ReturnForm(FlaskForm):
    comment = TextAreaField(_l("What needs to change"), validators=[
        DataRequired(_l("Say what the inductee needs to change")), Length(max=5000)])


class ReopenForm(FlaskForm):
    comment = TextAreaField(_l("Why are you reopening this record?"), validators=[
        DataRequired(_l("Give a reason for reopening the record")), Length(max=5000)])


EVIDENCE_FORMS = {"text": TextEvidenceForm, "file": FileEvidenceForm, "witness": WitnessForm}


def typed(kind: str, form) -> bool:
    """Whether anything was typed (or a file chosen) in this kind of evidence's part of the page."""
    if kind == "text":
        return bool((form.body.data or "").strip())
    if kind == "witness":
        return any((f.data or "").strip() for f in (form.witness_name, form.witness_role, form.statement))
    upload = request.files.get("upload")
    return bool(upload and upload.filename) or bool((form.description.data or "").strip())


def uploaded_file() -> FileStorage:
    """The file chosen on the page; an empty one if none, which files.check_and_store refuses ("Select a file")."""
    return request.files.get("upload") or FileStorage()


def read_page(required: str | None = None) -> tuple[NotesForm | None, dict, list[str], list[str]]:
    """The record page's one form as sent: its notes form (None: no notes were sent), every evidence form,
    the kinds to add (the one `required`, and any other with something typed), and those that need fixing
    (the notes as "notes")."""
    notes_form = NotesForm() if "notes" in request.form else None
    forms = {kind: form_class() for kind, form_class in EVIDENCE_FORMS.items()}
    wanted = [kind for kind, form in forms.items() if kind == required or typed(kind, form)]
    invalid = [kind for kind in wanted if not forms[kind].validate()]
    if notes_form is not None and not notes_form.validate():
        invalid.append("notes")
    return notes_form, forms, wanted, invalid


def evidence_fields(kind: str, form, stored=None) -> dict:
    """The evidence row's fields for a kind of evidence (a file's once stored: files.check_and_store)."""
    if kind == "text":
        return {"kind": kind, "body": form.body.data}
    if kind == "witness":
        return {"kind": kind, "body": form.statement.data, "witness_name": form.witness_name.data,
                "witness_role": form.witness_role.data}
    return {"kind": kind, "body": form.description.data, "file_name": stored.file_name,
            "stored_name": stored.stored_name, "content_type": stored.content_type, "size": stored.size}
