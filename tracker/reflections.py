"""Reflective log: Borton's model (What? So what? Now what?). Private by default;
the author may share an entry with their managers, who can then comment."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from . import accounts, audit, content, notifications
from .access import role_required
from .audit_actions import Action
from .dates import IsoDateField, as_date
from .db import get_db, writing
from .pdp import optional_id
from .privacy import identifying_details
from .template_helpers import lang_of

bp = Blueprint("reflections", __name__)
TEXT_LIMIT = 10_000
ENTRY_DATE = _l("Enter the date as a real date, like 2026-11-24")  # none typed, or not a date


class ReflectionForm(FlaskForm):
    entry_date = IsoDateField(_l("Date"), validators=[DataRequired(ENTRY_DATE)], invalid=ENTRY_DATE)
    title = StringField(_l("Title"), description=_l("A few words to help you find this entry again"),
                        validators=[DataRequired(_l("Enter a title")), Length(max=200)])
    what = TextAreaField(_l("What?"), description=_l("What happened? What did you do, see and feel?"),
                         validators=[DataRequired(_l("Describe what happened")), Length(max=TEXT_LIMIT)])
    so_what = TextAreaField(_l("So what?"),
                            description=_l("What does it mean? What did you learn about your practice?"),
                            validators=[DataRequired(_l("Say what it means for your practice")),
                                        Length(max=TEXT_LIMIT)])
    now_what = TextAreaField(_l("Now what?"), description=_l("What will you do differently or next?"),
                             validators=[DataRequired(_l("Say what you will do next")), Length(max=TEXT_LIMIT)])
    activity_id = SelectField(_l("Linked activity (optional)"), validators=[Optional()])
    supervision_id = SelectField(_l("Linked supervision session (optional)"), validators=[Optional()])
    confirmed = HiddenField()


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Your comment"), validators=[DataRequired(_l("Enter a comment")), Length(max=5000)])


def set_choices(form: ReflectionForm, author_id: int) -> None:
    form.activity_id.choices = [SelectChoice("", gettext("None"))] + [
        SelectChoice(a.id, f"{a.id} {a.title}", render_kw={"lang": "en"} if lang_of("activity", a.id) else None)
        for a in content.activities()]
    sessions = get_db().query("SELECT id, session_date FROM supervision_sessions WHERE inductee_id = ?"
                              " ORDER BY session_date DESC", [author_id])
    form.supervision_id.choices = [SelectChoice("", gettext("None"))] + [
        SelectChoice(str(s["id"]), gettext("Supervision on %(date)s", date=s["session_date"])) for s in sessions]


def reflection_or_404(reflection_id: int, *, for_editing: bool = False) -> dict:
    """The author sees their own entries; a manager sees an entry only once it is shared with them."""
    row = next(get_db().query("SELECT r.*, u.name AS author_name FROM reflections r JOIN users u ON u.id = r.author_id"
                              " WHERE r.id = ?", [reflection_id]), None)
    if row is None:
        abort(404)
    if row["author_id"] == current_user.id:
        return row
    if not for_editing and row["shared_at"] and current_user.is_manager \
            and accounts.manages(get_db(), current_user.id, row["author_id"]):
        return row
    abort(404)


def values_of(form: ReflectionForm) -> dict:
    return {
        "entry_date": form.entry_date.data.isoformat(), "title": form.title.data.strip(),
        "what": form.what.data, "so_what": form.so_what.data, "now_what": form.now_what.data,
        "activity_id": (form.activity_id.data or "").strip() or None,
        "supervision_id": optional_id(form.supervision_id.data),
    }


def insert(db, author_id: int, values: dict) -> int:
    """A new entry, inside the caller's write transaction (offline saves add their receipt to it)."""
    columns, marks = ", ".join(values), ", ".join("?" for _ in values)
    return db.conn.execute(f"INSERT INTO reflections (author_id, {columns}) VALUES (?, {marks})",
                           (author_id, *values.values())).lastrowid


def _save(form: ReflectionForm, reflection_id: int | None):
    """Save, unless the text looks identifying and the author has not yet confirmed."""
    warnings = identifying_details(form.title.data, form.what.data, form.so_what.data, form.now_what.data)
    if warnings and form.confirmed.data != "yes":
        form.confirmed.data = "yes"
        return None, warnings
    db = get_db()
    values = values_of(form)
    with writing(db):
        if reflection_id is None:
            reflection_id = insert(db, current_user.id, values)
        else:
            assignments = ", ".join(f"{k} = ?" for k in values)
            db.conn.execute(f"UPDATE reflections SET {assignments}, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
                            " WHERE id = ? AND author_id = ?", (*values.values(), reflection_id, current_user.id))
    return reflection_id, []


@bp.route("/reflections")
@role_required("inductee", "manager")
def index():
    db = get_db()
    if current_user.is_manager:
        rows = list(db.query(
            "SELECT r.*, u.name AS author_name FROM reflections r JOIN users u ON u.id = r.author_id"
            " JOIN team_members t ON t.inductee_id = r.author_id"
            " WHERE t.manager_id = ? AND r.shared_at IS NOT NULL"
            " ORDER BY r.entry_date DESC, r.id DESC", [current_user.id]))
        return render_template("reflections/shared.html", reflections=rows)
    rows = list(db.query("SELECT * FROM reflections WHERE author_id = ?"
                         " ORDER BY entry_date DESC, id DESC", [current_user.id]))
    return render_template("reflections/index.html", reflections=rows)


def _form_page(form: ReflectionForm, row: dict | None, message: str):
    """Show the form, or save it (after the identifying-details check) and go to the entry."""
    set_choices(form, current_user.id)
    warnings = []
    if form.validate_on_submit():
        reflection_id, warnings = _save(form, row["id"] if row else None)
        if reflection_id:
            flash(message, "success")
            return redirect(url_for(".view", reflection_id=reflection_id))
    return (render_template("reflections/edit.html", form=form, warnings=warnings, reflection=row),
            400 if form.errors else 200)


@bp.route("/reflections/new", methods=["GET", "POST"])
@role_required("inductee")
def new():
    form = ReflectionForm()
    if request.method == "GET":
        form.entry_date.data = dt.date.today()
        form.activity_id.data = request.args.get("activity", "")
    return _form_page(form, None, gettext("Reflection saved. Only you can see it until you share it."))


@bp.route("/reflections/<int:reflection_id>/edit", methods=["GET", "POST"])
@role_required("inductee")
def edit(reflection_id: int):
    row = reflection_or_404(reflection_id, for_editing=True)
    # A stored date that is not one (kept by the date migration: the column needs a value) shows empty, to fill in.
    form = ReflectionForm(data={**row, "entry_date": as_date(row["entry_date"]),
                                "supervision_id": str(row["supervision_id"] or ""),
                                "activity_id": row["activity_id"] or ""})
    return _form_page(form, row, gettext("Reflection saved."))


def _render_view(row: dict, form: CommentForm, status: int = 200):
    comments = list(get_db().query(
        "SELECT c.*, u.name AS author_name FROM reflection_comments c JOIN users u ON u.id = c.author_id"
        " WHERE c.reflection_id = ? ORDER BY c.id", [row["id"]]))
    activity = content.activity(row["activity_id"]) if row["activity_id"] else None
    return render_template("reflections/view.html", reflection=row, comments=comments, form=form,
                           activity=activity), status


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def unread_by(db, manager_id: int) -> list[dict]:
    """Reflections shared by the manager's team that the manager has not read since they were shared
    or last changed, oldest first."""
    return list(db.query(
        "SELECT r.id, r.title, r.entry_date, r.shared_at, u.id AS author_id, u.name AS author_name"
        " FROM team_members t CROSS JOIN reflections r ON r.author_id = t.inductee_id"
        " JOIN users u ON u.id = r.author_id"
        " WHERE t.manager_id = ? AND r.shared_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM reflection_reads x"
        " WHERE x.reflection_id = r.id AND x.manager_id = t.manager_id AND x.read_at >= r.shared_at"
        " AND x.read_at >= r.updated_at) ORDER BY r.shared_at, r.id", [manager_id]))


def _note_read(row: dict) -> None:
    """A manager opening a shared reflection has read it (written only when that is news)."""
    db = get_db()
    seen = db.execute("SELECT read_at FROM reflection_reads WHERE reflection_id = ? AND manager_id = ?",
                      [row["id"], current_user.id]).fetchone()
    if seen and seen[0] >= row["shared_at"] and seen[0] >= row["updated_at"]:
        return
    with writing(db):
        db.conn.execute("INSERT INTO reflection_reads (reflection_id, manager_id, read_at) VALUES (?, ?, ?)"
                        " ON CONFLICT (reflection_id, manager_id) DO UPDATE SET read_at = excluded.read_at",
                        (row["id"], current_user.id, max(_now(), row["shared_at"], row["updated_at"])))


@bp.route("/reflections/<int:reflection_id>")
@role_required("inductee", "manager")
def view(reflection_id: int):
    row = reflection_or_404(reflection_id)
    if row["author_id"] != current_user.id:  # a manager, reaching a shared entry (reflection_or_404)
        _note_read(row)
    return _render_view(row, CommentForm())


@bp.route("/reflections/<int:reflection_id>/share", methods=["POST"])
@role_required("inductee")
def share(reflection_id: int):
    row = reflection_or_404(reflection_id, for_editing=True)
    sharing = request.form.get("share") == "yes"
    db = get_db()
    with writing(db):
        db.conn.execute("UPDATE reflections SET shared_at = ? WHERE id = ?",
                        (dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if sharing else None,
                         row["id"]))
        audit.log(db, current_user.id, Action.REFLECTION_SHARED if sharing else Action.REFLECTION_UNSHARED,
                  subject_id=current_user.id, detail=f"reflection {row['id']}")
        if sharing:
            notifications.notify(db, notifications.kinds.REFLECTION_SHARED, current_user.id, current_user.id,
                                 f"{row['id']}:{notifications.last_audit_entry(db)}", reflection_id=row["id"])
    flash(gettext("Shared with your manager.") if sharing else gettext("No longer shared: only you can see it."),
          "success")
    return redirect(url_for(".view", reflection_id=reflection_id))


@bp.route("/reflections/<int:reflection_id>/comments", methods=["POST"])
@role_required("inductee", "manager")
def comment(reflection_id: int):
    row = reflection_or_404(reflection_id)  # a manager only reaches a shared entry
    form = CommentForm()
    if not form.validate():
        return _render_view(row, form, 400)
    db = get_db()
    with writing(db):
        cursor = db.conn.execute("INSERT INTO reflection_comments (reflection_id, author_id, body) VALUES (?, ?, ?)",
                                 (reflection_id, current_user.id, form.body.data))
        notifications.notify(db, notifications.kinds.REFLECTION_COMMENT, row["author_id"], current_user.id,
                             cursor.lastrowid, reflection_id=reflection_id)
    flash(gettext("Comment added."), "success")
    return redirect(url_for(".view", reflection_id=reflection_id) + "#comments")


@bp.route("/reflections/<int:reflection_id>/delete", methods=["POST"])
@role_required("inductee")
def delete(reflection_id: int):
    row = reflection_or_404(reflection_id, for_editing=True)
    db = get_db()
    with writing(db):
        db.conn.execute("DELETE FROM reflections WHERE id = ?", (row["id"],))
        audit.log(db, current_user.id, Action.REFLECTION_DELETED, subject_id=current_user.id,
                  detail=f"reflection {row['id']}")
    flash(gettext("Reflection deleted."), "success")
    return redirect(url_for(".index"))
