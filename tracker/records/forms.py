"""The record page's forms: notes, evidence, submit, and the manager's sign-off, return and reopen."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

NOTES_LIMIT = 20_000


class NotesForm(FlaskForm):
    notes = TextAreaField("Notes and reflections", description=(
        "What you did and what you learned."
        " Do not name children or families, or include details that could identify them."),
        validators=[Length(max=NOTES_LIMIT, message=f"Notes must be {NOTES_LIMIT:,} characters or fewer")])


class TextEvidenceForm(FlaskForm):
    body = TextAreaField("Written evidence", validators=[
        DataRequired("Enter the written evidence"),
        Length(max=NOTES_LIMIT, message=f"Evidence must be {NOTES_LIMIT:,} characters or fewer")])


class FileEvidenceForm(FlaskForm):
    upload = FileField("Upload a file", description="A photograph, document or audio recording, up to 10 MB")
    description = StringField("What this file shows",
                              validators=[DataRequired("Say what the file shows"), Length(max=500)])


class WitnessForm(FlaskForm):
    witness_name = StringField("Witness name", validators=[DataRequired("Enter the witness's name"), Length(max=200)])
    witness_role = StringField("Witness role", description="For example, head of year or senior colleague",
                               validators=[DataRequired("Enter the witness's role"), Length(max=200)])
    # Not 'body': the record page is one form, and written evidence has a 'body' field.
    statement = TextAreaField("Witness statement",
                              validators=[DataRequired("Enter what the witness saw"), Length(max=NOTES_LIMIT)])


class SubmitForm(FlaskForm):
    confirm = BooleanField("I confirm this record is my own work and identifies no child or family",
                           validators=[DataRequired("Confirm the record is your own work"
                                                    " and identifies no child or family")])


class SignOffForm(FlaskForm):
    comment = TextAreaField("Comment (optional)", validators=[Length(max=5000)])


class ReturnForm(FlaskForm):
    comment = TextAreaField("What needs to change", validators=[
        DataRequired("Say what the inductee needs to change"), Length(max=5000)])


class ReopenForm(FlaskForm):
    comment = TextAreaField("Why are you reopening this record?", validators=[
        DataRequired("Give a reason for reopening the record"), Length(max=5000)])
