"""Induction progress worked out from the handbook's activities, the plan and the records."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlite_utils import Database

from handbook.timeestimate import describe_range

from . import content
from .dates import as_date
from .records import is_complete


@dataclass
class SectionProgress:
    section_id: str
    title: str
    required: int = 0
    completed: int = 0  # signed off, or done when the activity needs no sign-off
    submitted: int = 0
    started: int = 0  # in progress or returned

    @property
    def signed_off(self) -> int:  # the name before activities without sign-off counted
        return self.completed

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.required) if self.required else 100


def is_overdue(target_date: str | dt.date | None, state: str, needs_sign_off: bool, today: dt.date) -> bool:
    """The one overdue rule: the target date has passed and the work is neither complete nor
    waiting for the manager (submitted work waits on them, not on the inductee). A stored target that is
    not a date (dates.as_date) counts as no target date, here and on every page."""
    if isinstance(target_date, str):
        target_date = as_date(target_date)
    if not target_date:
        return False
    return target_date < today and state != "submitted" and not is_complete(state, needs_sign_off)


DUE_SOON_DAYS = 7  # amber: something due within this many days
RAG = ("red", "amber", "green")


def rag(overdue: int, returned: int, due_soon: int) -> str:
    """The one red/amber/green rule, for the service lead's report and the team page: red when anything is
    overdue (an activity, or supervision); amber when something is returned or due within DUE_SOON_DAYS;
    green otherwise."""
    if overdue:
        return "red"
    return "amber" if returned or due_soon else "green"


def is_due_soon(target_date: str | dt.date | None, state: str, needs_sign_off: bool, today: dt.date) -> bool:
    """Due within DUE_SOON_DAYS, not overdue, and not yet done or waiting for the manager."""
    if isinstance(target_date, str):
        target_date = as_date(target_date)
    if not target_date or target_date < today or target_date > today + dt.timedelta(days=DUE_SOON_DAYS):
        return False
    return state != "submitted" and not is_complete(state, needs_sign_off)


@dataclass
class DueItem:
    activity_id: str
    title: str
    target_date: dt.date
    state: str
    priority: bool
    needs_sign_off: bool = True

    @property
    def overdue(self) -> bool:
        return is_overdue(self.target_date, self.state, self.needs_sign_off, dt.date.today())


@dataclass
class Induction:
    inductee: dict
    sections: list[SectionProgress] = field(default_factory=list)
    due: list[DueItem] = field(default_factory=list)
    remaining_min: int = 0
    remaining_max: int = 0
    orphaned: list[dict] = field(default_factory=list)  # records whose activity left the handbook
    states: dict[str, str] = field(default_factory=dict)  # activity id -> record state

    @property
    def required(self) -> int:
        return sum(s.required for s in self.sections)

    @property
    def completed(self) -> int:
        return sum(s.completed for s in self.sections)

    signed_off = completed  # the name before activities without sign-off counted

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.required) if self.required else 100

    @property
    def overdue(self) -> list[DueItem]:
        return [d for d in self.due if d.overdue]

    @property
    def complete(self) -> bool:
        return self.required > 0 and self.completed == self.required

    @property
    def remaining(self) -> str:
        if self.remaining_max == 0:
            return "nothing"
        return describe_range(self.remaining_min, self.remaining_max)


@dataclass
class TeamRow:
    """What the team page shows for one inductee: counts, without the per-activity detail."""
    required: int = 0
    completed: int = 0
    overdue: int = 0
    returned: int = 0
    due_soon: int = 0
    remaining_min: int = 0
    remaining_max: int = 0
    by_section: dict[str, SectionProgress] = field(default_factory=dict)

    remaining = Induction.remaining

    def sections(self) -> list[SectionProgress]:
        """Progress in every section of the handbook, in handbook order, sections with nothing required kept
        (required 0) so that the team page's charts line up; the same counts as the person's own dashboard."""
        order = [s.id for s in content.sections()]
        return [self.by_section.get(s) or SectionProgress(s, content.section_title(s)) for s in order] + [
            section for key, section in self.by_section.items() if key not in order]

    def rag(self, supervision_status: str | None = None) -> str:
        """With supervision.schedule's status for the person: 'overdue' counts as overdue, and 'soon' or
        'none' (no session held yet) as due soon."""
        return rag(self.overdue + (supervision_status == "overdue"), self.returned,
                   self.due_soon + (supervision_status in ("soon", "none")))

    @property
    def signed_off(self) -> int:
        return self.completed


def team_rows(db: Database, inductees: list[dict]) -> dict[int, TeamRow]:
    ids = [i["id"] for i in inductees]
    if not ids:
        return {}
    marks = ",".join("?" for _ in ids)
    states = {(i, a): s for i, a, s in db.conn.execute(
        f"SELECT inductee_id, activity_id, state FROM records WHERE inductee_id IN ({marks})", ids)}
    plans = {(i, a): (as_date(t), n) for i, a, t, n in db.conn.execute(
        f"SELECT inductee_id, activity_id, target_date, not_required FROM plan_items"
        f" WHERE inductee_id IN ({marks})", ids)}
    today = dt.date.today()
    activities = [(a.id, a.estimate, a.sign_off, a.section) for a in content.activities()]
    titles = {section: content.section_title(section) for section in {a[3] for a in activities}}
    rows = {}
    for inductee_id in ids:
        row = rows[inductee_id] = TeamRow()
        for activity_id, estimate, needs_sign_off, section in activities:
            target, not_required = plans.get((inductee_id, activity_id), (None, 0))
            if not_required:
                continue
            row.required += 1
            state = states.get((inductee_id, activity_id), "not_started")
            if section not in row.by_section:
                row.by_section[section] = SectionProgress(section, titles[section])
            if count(row.by_section[section], state, needs_sign_off):
                row.completed += 1
                continue
            row.remaining_min += estimate.min_minutes
            row.remaining_max += estimate.max_minutes
            row.returned += state == "returned"
            if is_overdue(target, state, needs_sign_off, today):
                row.overdue += 1
            elif is_due_soon(target, state, needs_sign_off, today):
                row.due_soon += 1
    return rows


def summaries(db: Database, inductees: list[dict]) -> dict[int, Induction]:
    """Progress for several inductees with two queries in all (dashboards show whole teams).
    Plain tuples rather than dicts: this runs on every dashboard request."""
    if not inductees:
        return {}
    ids = [i["id"] for i in inductees]
    marks = ",".join("?" for _ in ids)
    states: dict[int, dict[str, tuple]] = {i: {} for i in ids}
    for inductee_id, activity_id, title, state in db.conn.execute(
            f"SELECT inductee_id, activity_id, activity_title, state FROM records WHERE inductee_id IN ({marks})", ids):
        states[inductee_id][activity_id] = (state, title)
    plans: dict[int, dict[str, tuple]] = {i: {} for i in ids}
    for inductee_id, activity_id, target_date, priority, not_required in db.conn.execute(
            f"SELECT inductee_id, activity_id, target_date, priority, not_required FROM plan_items"
            f" WHERE inductee_id IN ({marks})", ids):
        plans[inductee_id][activity_id] = (target_date, priority, not_required)
    return {i["id"]: summarise(i, states[i["id"]], plans[i["id"]]) for i in inductees}


def summary(db: Database, inductee: dict) -> Induction:
    return summaries(db, [inductee])[inductee["id"]]


def summarise(inductee: dict, states: dict[str, tuple], plan: dict[str, tuple]) -> Induction:
    """states: activity id -> (state, title); plan: activity id -> (target date, priority, not required)."""
    induction = Induction(inductee, states={a: s[0] for a, s in states.items()})
    by_section = {s.id: SectionProgress(s.id, content.section_title(s.id)) for s in content.sections()}
    known = set()
    for activity in content.activities():
        known.add(activity.id)
        target_date, priority, not_required = plan.get(activity.id, (None, 0, 0))
        if not_required:
            continue
        section = by_section.get(activity.section)
        if section is None:
            section = by_section[activity.section] = SectionProgress(activity.section,
                                                                     content.section_title(activity.section))
        state = states.get(activity.id, ("not_started",))[0]
        if count(section, state, activity.sign_off):
            continue
        estimate = activity.estimate
        induction.remaining_min += estimate.min_minutes
        induction.remaining_max += estimate.max_minutes
        if due := as_date(target_date):
            induction.due.append(DueItem(activity.id, activity.title, due, state, bool(priority), activity.sign_off))
    induction.sections = [s for s in by_section.values() if s.required]
    induction.due.sort(key=lambda d: (d.target_date, d.activity_id))
    induction.orphaned = [{"activity_id": a, "state": state, "activity_title": title}
                          for a, (state, title) in sorted(states.items()) if a not in known]
    return induction


# ---- for the dashboards' charts and week-by-week view ----------------------------------------

def count(section: SectionProgress, state: str, needs_sign_off: bool) -> bool:
    """Add one required activity in `state` to the section's counts; True when it is complete."""
    section.required += 1
    if is_complete(state, needs_sign_off):
        section.completed += 1
        return True
    if state == "submitted":
        section.submitted += 1
    elif state in ("in_progress", "returned", "done"):
        section.started += 1
    return False


def not_started(section: SectionProgress) -> int:
    return max(0, section.required - section.completed - section.submitted - section.started)


@dataclass
class Week:
    """Activities still to do whose target dates fall in one week, Monday to Sunday (an ISO week)."""
    start: dt.date  # the Monday
    items: list[DueItem] = field(default_factory=list)
    ahead: int = 0  # weeks from the one that today is in: 0 this week, 1 next week, -1 last week

    @property
    def current(self) -> bool:
        return self.ahead == 0

    @property
    def past(self) -> bool:
        return self.ahead < 0

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=6)

    @property
    def number(self) -> int:  # the ISO week number
        return self.start.isocalendar()[1]

    @property
    def overdue(self) -> list[DueItem]:
        return [item for item in self.items if item.overdue]


def by_week(items: list[DueItem], today: dt.date | None = None) -> list[Week]:
    """Due items grouped by the ISO week of their target dates, earliest week first; empty weeks are left out."""
    today = today or dt.date.today()
    this_week = today - dt.timedelta(days=today.weekday())
    weeks: dict[dt.date, Week] = {}
    for item in sorted(items, key=lambda d: (d.target_date, d.activity_id)):
        start = item.target_date - dt.timedelta(days=item.target_date.weekday())
        if start not in weeks:
            weeks[start] = Week(start, ahead=(start - this_week).days // 7)
        weeks[start].items.append(item)
    return list(weeks.values())
