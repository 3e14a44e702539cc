"""Every kind of notification and reminder, once: its name (stored in notifications.kind and
reminders_sent.kind), who hears of it, and the sentence it becomes in an email. Code names a kind by its
constant here (kinds.RECORD_SUBMITTED), so that finding where a kind is sent is a search for its name."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString


@dataclass(frozen=True)
class Kind:
    name: str
    audience: str  # "managers" or "inductee" for an event; "reminder" for what the daily summary reminds of
    words: LazyString  # %(name)s, %(activity)s, %(title)s, %(date)s and %(due)s, as the sentence needs them

    def __str__(self) -> str:
        return self.name


RECORD_SUBMITTED = Kind("record_submitted", "managers",
                        _l("%(name)s submitted their record for activity %(activity)s “%(title)s” for sign-off."))
RECORD_SIGNED_OFF = Kind("record_signed_off", "inductee",
                         _l("%(name)s signed off your record for activity %(activity)s “%(title)s”."))
RECORD_RETURNED = Kind("record_returned", "inductee",
                       _l("%(name)s returned your record for activity %(activity)s “%(title)s” for changes."))
RECORD_COMMENT = Kind("record_comment", "inductee",
                      _l("%(name)s commented on your record for activity %(activity)s “%(title)s”."))
REFLECTION_SHARED = Kind("reflection_shared", "managers",
                         _l("%(name)s shared a reflection from their reflective log with you."))
REFLECTION_COMMENT = Kind("reflection_comment", "inductee", _l("%(name)s commented on a reflection you shared."))
PDP_COMMENT = Kind("pdp_comment", "inductee", _l("%(name)s commented on your personal development plan."))
SESSION_RECORDED = Kind("session_recorded", "inductee",
                        _l("%(name)s recorded your supervision session of %(date)s. Check it and confirm it."))
SESSION_CONFIRMED = Kind("session_confirmed", "managers",
                         _l("%(name)s confirmed the record of their supervision session of %(date)s."))

TARGET_SOON = Kind("target_soon", "reminder", _l("Activity %(activity)s “%(title)s” is due by %(due)s."))
TARGET_OVERDUE = Kind("target_overdue", "reminder",
                      _l("Activity %(activity)s “%(title)s” was due by %(due)s and is overdue."))
TEAM_OVERDUE = Kind("team_overdue", "reminder",
                    _l("%(name)s: activity %(activity)s “%(title)s” was due by %(due)s and is overdue."))
ACTION_SOON = Kind("action_soon", "reminder",
                   _l("A supervision action from the session of %(date)s is due by %(due)s."))
ACTION_OVERDUE = Kind("action_overdue", "reminder",
                      _l("A supervision action from the session of %(date)s was due by %(due)s and is overdue."))
TEAM_ACTION_SOON = Kind("team_action_soon", "reminder",
                        _l("An action for you from %(name)s's supervision session of %(date)s is due by %(due)s."))
TEAM_ACTION_OVERDUE = Kind("team_action_overdue", "reminder",
                           _l("An action for you from %(name)s's supervision session of %(date)s was due by"
                              " %(due)s and is overdue."))
SESSION_SOON = Kind("session_soon", "reminder", _l("Supervision with %(name)s is due by %(due)s."))
SESSION_OVERDUE = Kind("session_overdue", "reminder",
                       _l("Supervision with %(name)s was due by %(due)s and is overdue."))
SESSION_TO_ARRANGE = Kind("session_to_arrange", "reminder",
                          _l("No supervision session is recorded yet for %(name)s: arrange the first one."))

KINDS: dict[str, Kind] = {kind.name: kind for kind in globals().values() if isinstance(kind, Kind)}


def named(kind: Kind | str) -> Kind:
    """The registered kind (a Kind, or its stored name); an unknown one is a programming error."""
    found = KINDS.get(str(kind))
    if found is None:
        raise ValueError(f"no such notification kind: {kind!r}")
    return found
