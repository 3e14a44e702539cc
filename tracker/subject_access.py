"""Subject access (UK GDPR): a JSON copy of everything held about a person. The person can
always download their own, complete; an administrator's copy leaves out what only the person
may see (the text of private reflections). Both are audited."""
from __future__ import annotations

import datetime as dt
import json

from flask import Blueprint, Response, abort
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlite_utils import Database

from . import accounts, audit, i18n
from .access import role_required
from .audit_actions import Action
from .db import get_db, writing
from .personal_data import ABOUT_PERSON, rows_about

bp = Blueprint("subject_access", __name__)


def export(db: Database, person_id: int) -> dict:
    """Every row that is about the person or written by them, by table."""
    user = next(db.query("SELECT * FROM users WHERE id = ?", [person_id]))
    user = {k: v for k, v in user.items() if k not in ("password_hash", "session_version")}
    data = {"exported_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "account": user,
            # an anchor: a later rewrite of the audit log contradicts every export already handed out
            "audit_chain_head": str(audit.head(db))}
    for table, holds in ABOUT_PERSON.items():
        if holds.about:
            data[table] = [{k: v for k, v in row.items() if k not in holds.withheld}
                           for row in rows_about(db, table, holds.about, person_id)]
    record_ids = [r["id"] for r in data["records"]]
    if record_ids:
        marks = ",".join("?" for _ in record_ids)
        data["evidence"] = list(db.query(f"SELECT * FROM evidence WHERE record_id IN ({marks})"
                                         " ORDER BY id", record_ids))
        data["comments_on_records"] = list(db.query(f"SELECT * FROM comments WHERE record_id IN ({marks})"
                                                    " ORDER BY id", record_ids))
    else:
        data["evidence"], data["comments_on_records"] = [], []
    reflection_ids = [r["id"] for r in data["reflections"]]
    marks = ",".join("?" for _ in reflection_ids)
    data["comments_on_reflections"] = list(db.query(
        f"SELECT * FROM reflection_comments WHERE reflection_id IN ({marks})"
        " ORDER BY id", reflection_ids)) if reflection_ids else []
    return data


PRIVATE_REFLECTION_TEXT = ("title", "what", "so_what", "now_what")
WITHHELD_NOTE = _l("This copy was made by an administrator. The text of private reflections (never shared with a"
                   " manager) is left out: only the person can see it. They can download a complete copy themselves"
                   " (Change password, then 'Download everything this service holds about you').")
# The export's keys are table and column names, the same in every language (machine-readable, stable);
# "about" says in words, in the person's language, what each part is (docs/decisions.md).
PARTS = {
    "exported_at": _l("When this copy was made (UTC)"),
    "account": _l("Your account: name, email address, role, language and when it was created"),
    "records": _l("Your records of induction activities: notes, status and dates"),
    "evidence": _l("Evidence added to your records (text, witness statements and the names of files)"),
    "comments_on_records": _l("Comments on your records, by you and your managers"),
    "plan_items": _l("Your induction plan: target dates and priorities for each activity"),
    "plans": _l("Your induction plan: start date and notes"),
    "quiz_attempts": _l("Your quiz attempts and their answers"),
    "reflections": _l("Your reflective log"),
    "comments_on_reflections": _l("Comments on your reflections"),
    "reflection_comments": _l("Comments you wrote on reflections"),
    "pdp_comments": _l("Comments on your personal development plan, or by you on someone else's"),
    "pdp_versions": _l("Every version of your personal development plan"),
    "supervision_actions": _l("Actions agreed at supervision"),
    "supervision_sessions": _l("Records of supervision sessions"),
    "supervision_agreements": _l("Your supervision agreement"),
    "induction_signoffs": _l("The sign-off of your whole induction"),
    "team_members": _l("Who manages whom"),
    "reflection_reads": _l("When you read reflections shared with you (managers)"),
    "comments": _l("Comments you wrote on records"),
    "audit_log": _l("The audit log of what was done and when (no free text)"),
    "notifications": _l("Emails the tracker sent or is to send about your induction (what happened, never text)"),
    "reminders_sent": _l("Reminders the tracker sent you, so that each is sent once"),
    "mail_queue": _l("Emails waiting to be sent to you or about you (what is in them is encrypted until they are"
                     " sent, so it is not in this copy)"),
    "withheld": _l("What this copy leaves out, and why"),
}


def describe(data: dict, language: str) -> dict:
    """The export's "about" block: what the file is and what each part holds, in `language`."""
    with force_locale(language):
        return {"language": language,
                "description": gettext("Everything this service holds about %(name)s, as this service stores it."
                                       " The names of the parts and fields are the same in every language.",
                                       name=data["account"]["name"]),
                "parts": {key: str(PARTS[key]) for key in data if key in PARTS}}


def export_for_administrator(db: Database, person_id: int) -> tuple[dict, int]:
    """What an administrator may download for someone (subject access): everything in export()
    except what no one but the person can see, the text of private reflections and the comments
    on them. Their dates and ids stay, so the person can be told what was left out.
    Returns the data and how many reflections were withheld."""
    data = export(db, person_id)
    private = {r["id"] for r in data["reflections"] if not r["shared_at"]}
    for reflection in data["reflections"]:
        if reflection["id"] in private:
            reflection.update({field: None for field in PRIVATE_REFLECTION_TEXT}, withheld=True)
    for key in ("reflection_comments", "comments_on_reflections"):
        data[key] = [c for c in data[key] if c["reflection_id"] not in private]
    with force_locale(_language_of(data)):
        data["withheld"] = {"private_reflections": len(private), "note": str(WITHHELD_NOTE)}
    return data, len(private)


def _language_of(data: dict) -> str:
    """The person's own language if they chose one, else the language of the page it was asked for from."""
    return i18n.language_for(data["account"]) or i18n.current_language()


def _json_download(data: dict, person_id: int) -> Response:
    data = {"about": describe(data, _language_of(data)), **data}
    return Response(json.dumps(data, indent=2, ensure_ascii=False, default=str), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="personal-data-{person_id}.json"'})


@bp.route("/account/export")
@role_required("inductee", "manager", "admin", "lead")
def export_mine():
    db = get_db()
    with writing(db):
        audit.log(db, current_user.id, Action.USER_DATA_EXPORTED, subject_id=current_user.id)
    return _json_download(export(db, current_user.id), current_user.id)


@bp.route("/admin/users/<int:user_id>/export")
@role_required("admin")
def export_for(user_id: int):
    db = get_db()
    if accounts.get_user(db, user_id) is None:
        abort(404)
    data, withheld = export_for_administrator(db, user_id)  # no private reflections: least privilege
    with writing(db):
        audit.log(db, current_user.id, Action.ADMIN_DATA_EXPORTED, subject_id=user_id,
                  detail=f"private_reflections_withheld={withheld}")
    return _json_download(data, user_id)
