"""Every action the audit trail records, once. Code names an action by its member here
(Action.RECORD_SIGNED_OFF), so that finding where something is audited is a search for its name, and
audit.log refuses any action not listed.

The stored values are the ones the trail has always held, and stay so: entries already written are
chained with them, and pages and queries read them. So a value may read as a verb ('record.submit')
while its name reads as what happened (RECORD_SUBMITTED)."""
from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    AUDIT_CHAIN_STARTED = "audit.chain_started"
    BACKUP_RESTORED = "backup.restored"
    ADMIN_DATA_EXPORTED = "admin.data_exported"

    USER_CREATED = "user.created"
    USER_INVITED = "user.invited"
    USER_MANAGERS_SET = "user.managers_set"
    USER_PASSWORD_CHANGED = "user.password_changed"
    USER_PASSWORD_RESET_BY_ADMIN = "user.password_reset_by_admin"
    USER_PASSWORD_SET_BY_LINK = "user.password_set_by_link"
    USER_RESET_REQUESTED = "user.reset_requested"
    USER_LOCKED_OUT = "user.locked_out"
    USER_DATA_EXPORTED = "user.data_exported"
    USER_ERASED = "user.erased"

    RECORD_SAVED = "record.save"
    RECORD_SUBMITTED = "record.submit"
    RECORD_MARKED_DONE = "record.mark_done"
    RECORD_SIGNED_OFF = "record.sign_off"
    RECORD_RETURNED = "record.return"
    RECORD_REOPENED = "record.reopen"
    EVIDENCE_ADDED = "evidence.added"
    EVIDENCE_REMOVED = "evidence.removed"
    WITNESS_REQUESTED = "witness.requested"
    WITNESS_RESENT = "witness.resent"
    WITNESS_REVOKED = "witness.revoked"
    WITNESS_CONFIRMED = "witness.confirmed"

    PLAN_UPDATED = "plan.updated"
    PLAN_DATES_FILLED = "plan.dates_filled"
    PLAN_REQUIRED = "plan.required"
    PLAN_NOT_REQUIRED = "plan.not_required"
    QUIZ_ATTEMPTED = "quiz.attempted"
    QUIZ_PASSED = "quiz.passed"
    REFLECTION_SHARED = "reflection.shared"
    REFLECTION_UNSHARED = "reflection.unshared"
    REFLECTION_DELETED = "reflection.deleted"
    PDP_SAVED = "pdp.saved"
    SUPERVISION_AGREEMENT_AGREED = "supervision.agreement_agreed"
    SUPERVISION_AGREEMENT_CHANGED = "supervision.agreement_changed"
    SUPERVISION_SESSION_RECORDED = "supervision.session_recorded"
    SUPERVISION_SESSION_CONFIRMED = "supervision.session_confirmed"
    INDUCTION_SIGNED_OFF = "induction.signed_off"
    CALENDAR_LINK_MADE = "calendar.link_made"
    CALENDAR_LINK_RESET = "calendar.link_reset"
    REPORT_EXPORTED = "report.exported"

    @classmethod
    def for_record(cls, transition: str) -> Action:
        """A record's change (records.TRANSITIONS' action: 'submit', 'sign_off' ...) as its audit action."""
        return cls(f"record.{transition}")
