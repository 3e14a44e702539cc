"""Sentences the tracker's pages choose between, chosen here rather than in long if/else chains in the templates:
each function picks the sentence (or the status tag) for a state and returns it in the page's language. The
English sentences are the catalogue's msgids, so the Welsh translations cover them wherever they are chosen.
Each is a global of every template (bp.app_template_global)."""
from __future__ import annotations

from flask import Blueprint, current_app
from flask_babel import gettext
from markupsafe import Markup

from .accounts import NO_PASSWORD
from .records import STATE_LABELS

bp = Blueprint("sentences", __name__)
TAG = Markup('<strong class="govuk-tag govuk-tag--{}">{}</strong>')
TAG_AND_DETAIL = Markup('<strong class="govuk-tag govuk-tag--{}">{}</strong> <span class="govuk-body-s">{}</span>')


def _date(value) -> str:
    """A stored date or timestamp as the pages write it: the templates' `date` filter."""
    return current_app.jinja_env.filters["date"](value)


# ---- supervision ---------------------------------------------------------------------------

@bp.app_template_global()
def supervision_due_hint(row: dict) -> str:
    """When a team member's next supervision is due, and why then (a row of supervision.schedule)."""
    if row["status"] == "none":
        return gettext("No session recorded yet")
    due = _date(row["due"])
    hint = (gettext("Next session was due %(date)s", date=due) if row["status"] == "overdue"
            else gettext("Next session due %(date)s", date=due))
    if not row["set_by_last_session"]:  # the date follows from the agreement's timing, or the default
        hint += " " + (gettext("(%(days)s days after the last, as the supervision agreement says)",
                               days=row["interval"]) if row["interval"] else gettext("(four weeks after the last)"))
    return hint + "; " + gettext("last session %(date)s", date=_date(row["last"]))


@bp.app_template_global()
def supervision_tag(status: str) -> Markup | str:
    """A supervision schedule status as a tag; 'later' (not due yet) as plain words."""
    if status == "soon":
        return TAG.format("yellow", gettext("Due soon"))
    if status == "overdue":
        return TAG.format("red", gettext("Overdue"))
    if status == "none":
        return TAG.format("blue", gettext("To arrange"))
    return gettext("Not due yet")


@bp.app_template_global()
def action_details(action: dict) -> str:
    """Who owns a supervision action and, if it has one, its due date: 'inductee, due 5 March 2026'."""
    owner = gettext("inductee") if action["owner"] == "inductee" else gettext("manager")
    if not action["due_date"]:
        return owner
    return owner + ", " + gettext("due %(date)s", date=_date(action["due_date"]))


@bp.app_template_global()
def agreement_status(agreement: dict | None) -> str:
    if not agreement:
        return gettext("No supervision agreement recorded.")
    if agreement["inductee_agreed_at"] and agreement["manager_agreed_at"]:
        return gettext("Supervision agreement agreed by both.")
    return gettext("Supervision agreement not yet agreed by both.")


# ---- records and evidence ------------------------------------------------------------------

@bp.app_template_global()
def sign_off_rule(activity, is_owner: bool) -> str:
    """Whether an activity needs the manager's sign-off, said to the inductee or to their manager."""
    if activity.sign_off:
        return gettext("Manager sign-off required")
    if is_owner:
        return gettext("Manager sign-off not required: it is complete when you mark it done")
    return gettext("Manager sign-off not required: complete when the inductee marks it done")


@bp.app_template_global()
def evidence_kind(kind: str) -> str:
    if kind == "text":
        return gettext("Written")
    if kind == "file":
        return gettext("File")
    if kind == "witness":
        return gettext("Witness testimony")
    return kind


@bp.app_template_global()
def history_change(entry: dict) -> str:
    """What one line of a record's history did: a change of state, or an action on its evidence."""
    if entry["to_state"]:  # a state no longer known (an older release's) shows as nothing, as it did in the template
        return f"{STATE_LABELS.get(entry['from_state'], '')} → {STATE_LABELS.get(entry['to_state'], '')}"
    action = entry["action"]
    if action == "evidence.added":
        return gettext("Evidence added")
    if action == "evidence.removed":
        return gettext("Evidence removed")
    if action == "witness.requested":
        return gettext("Witness asked to confirm by link")
    if action == "witness.confirmed":
        return gettext("Witness confirmed by link")
    if action == "witness.revoked":
        return gettext("Witness link revoked")
    if action == "witness.resent":
        return gettext("Witness sent a new link")
    return action


@bp.app_template_global()
def pin_change_warning(pin: dict) -> str:
    """How the handbook's activity differs from the one a record kept (pinned.view): removed or changed since the
    record was signed off, or since it was submitted."""
    signed_off = pin["when"] == "signed_off"
    if pin["removed"]:
        return (gettext("The activity has been removed from the handbook since this was signed off.") if signed_off
                else gettext("The activity has been removed from the handbook since this was submitted."))
    return (gettext("The activity has changed since this was signed off.") if signed_off
            else gettext("The activity has changed since this was submitted."))


@bp.app_template_global()
def portfolio_evidence(evidence: dict) -> str:
    """One piece of a completed activity's evidence, in the portfolio's list."""
    if evidence["kind"] == "file":
        return gettext("File: %(name)s (%(description)s)", name=evidence["file_name"], description=evidence["body"])
    if evidence["kind"] != "witness":
        return evidence["body"]
    said = gettext("Witness testimony from %(name)s, %(role)s: %(statement)s", name=evidence["witness_name"],
                   role=evidence["witness_role"], statement=evidence["body"])
    if not evidence["witness_request_id"]:
        return said
    return said + " (" + gettext("confirmed by link on %(date)s", date=_date(evidence["created_at"])) + ")"


# ---- witness links ---------------------------------------------------------------------------

@bp.app_template_global()
def witness_status(row: dict) -> Markup:
    """A witness request's state as the inductee and their manager see it (never its link)."""
    status = row["status"]
    if status == "sent":
        return TAG_AND_DETAIL.format("blue", gettext("Sent"), gettext(
            "%(date)s; works until %(until)s", date=_date(row["sent_at"]), until=_date(row["expires_at"])))
    if status == "opened":
        return TAG_AND_DETAIL.format("yellow", gettext("Opened"), gettext(
            "%(date)s; works until %(until)s", date=_date(row["opened_at"]), until=_date(row["expires_at"])))
    if status == "given":
        return TAG_AND_DETAIL.format("green", gettext("Statement given"), _date(row["used_at"]))
    if status == "revoked":
        return TAG_AND_DETAIL.format("grey", gettext("Revoked"), _date(row["revoked_at"]))
    return TAG_AND_DETAIL.format("grey", gettext("Expired"), _date(row["expires_at"]))


@bp.app_template_global()
def witness_closed_reason(reason: str) -> str:
    """Why a witness link no longer works, said to the witness."""
    if reason == "given":
        return gettext("A statement has already been sent with this link. Each link works once.")
    if reason == "revoked":
        return gettext("The person who asked for your statement has withdrawn the request.")
    if reason == "expired":
        return gettext("The link has expired.")
    if reason == "closed":
        return gettext("The record it belongs to has been signed off, so no more evidence can be added to it.")
    if reason == "locked":
        return gettext("The link was used too many times without a statement being sent, so it has been stopped.")
    if reason == "busy":
        return gettext("Too many links that do not work were opened from this connection. Wait an hour and try again.")
    return gettext("Check that you copied the whole link from the message you were sent.")


# ---- accounts and email ----------------------------------------------------------------------

@bp.app_template_global()
def link_closed_reason(link_state: str) -> str:
    """Why an invitation or password reset link no longer works."""
    if link_state == "used":
        return gettext("A password has already been chosen with this link. Each link works once.")
    if link_state == "replaced":
        return gettext("This link was ended: a newer link was sent since, or the password was changed or reset."
                       " If you still need one, use the link in the most recent message.")
    if link_state == "expired":
        return gettext("The link has expired.")
    return gettext("Check that you copied the whole link from the message you were sent.")


@bp.app_template_global()
def account_status(user: dict, invitation: dict | None) -> str:
    """An account's state on the Users page: switched off, waiting on its invitation or reset link, or in use.
    invitation: the user's latest link (account_links.invitation_states), if any."""
    if not user["active"]:
        return gettext("Inactive")
    if invitation and invitation["state"] == "invited":
        return gettext("Invited (expires %(date)s)", date=_date(invitation["expires_at"]))
    if invitation and invitation["state"] == "reset":
        return gettext("Password reset: link sent (expires %(date)s)", date=_date(invitation["expires_at"]))
    if invitation:
        return gettext("Invitation expired")
    if user["password_hash"] == NO_PASSWORD:
        return gettext("Not invited yet")
    return gettext("Active")


@bp.app_template_global()
def outbox_state(item: dict) -> Markup:
    """A message waiting in the mail queue: given up, being tried again, or waiting."""
    if item["failed_at"]:
        return Markup("{} {}").format(TAG.format("red", gettext("Not sent")), gettext(
            "Given up after %(count)s tries: %(reason)s", count=item["attempts"], reason=item["last_error"]))
    if item["last_error"]:
        return Markup("{} {}").format(TAG.format("yellow", gettext("Trying again")), gettext(
            "%(count)s tries so far: %(reason)s", count=item["attempts"], reason=item["last_error"]))
    return TAG.format("blue", gettext("Waiting"))
