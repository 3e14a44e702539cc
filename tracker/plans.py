"""The induction plan: every activity with a target date, priorities for the first
four to six weeks, and activities marked not required (with a reason) by a manager."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from handbook.due import Due

from . import audit, content
from .access import can_manage_induction, inductee_or_404, role_required
from .audit_actions import Action
from .dates import is_date, parse_date
from .db import get_db, writing

bp = Blueprint("plans", __name__)
REASON_LIMIT = 500
PRIORITY_WEEKS = 6  # the pack: plan the priority areas for the first four to six weeks


@dataclass
class PlanRow:
    activity_id: str
    target_date: str = ""
    priority: bool = False
    not_required: bool = False
    reason: str = ""
    by_hand: bool = False  # the target date was typed, not filled from the start date (kept when it changes)

    @property
    def field_id(self) -> str:
        return self.activity_id.replace(".", "-")


@dataclass
class PlanInput:
    start_date: str = ""
    notes: str = ""
    rows: dict[str, PlanRow] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (field id, message)

    def error_for(self, field_id: str) -> str | None:
        return next((message for fid, message in self.errors if fid == field_id), None)


def usual_due(activity) -> Due | None:
    return content.project().due_of(activity)


def usual_timing(due: Due) -> str:
    """'Usually done in week 2', as the handbook's activity page says it."""
    if due.unit == "week":
        if due.first == due.last:
            return gettext("Usually done in week %(first)s", first=due.first)
        return gettext("Usually done in weeks %(first)s to %(last)s", first=due.first, last=due.last)
    if due.first == due.last:
        return gettext("Usually done on day %(first)s", first=due.first)
    return gettext("Usually done on days %(first)s to %(last)s", first=due.first, last=due.last)


def _priority_by_default(activity) -> bool:
    due = usual_due(activity)
    return due is not None and due.days_after_start < PRIORITY_WEEKS * 7


def load_plan(db, inductee_id: int) -> PlanInput:
    """The saved plan; a plan never saved shows the pack's priorities (usually done in the first six weeks)."""
    plan = next(db.query("SELECT * FROM plans WHERE inductee_id = ?", [inductee_id]), None)
    items = {r["activity_id"]: r for r in db.query("SELECT * FROM plan_items WHERE inductee_id = ?", [inductee_id])}
    rows = {}
    for activity in content.activities():
        item = items.get(activity.id)
        if item is None:
            rows[activity.id] = PlanRow(activity.id, priority=plan is None and _priority_by_default(activity))
            continue
        rows[activity.id] = PlanRow(activity.id, item["target_date"] or "", bool(item["priority"]),
                                    bool(item["not_required"]), item["reason"] or "", bool(item["target_by_hand"]))
    plan = plan or {}
    return PlanInput(plan.get("start_date") or "", plan.get("notes") or "", rows)


def read_form(form, current: PlanInput, may_exempt: bool) -> PlanInput:
    """Read and check the submitted plan. Inductees cannot change 'not required'."""
    plan = PlanInput(form.get("start_date", "").strip(), form.get("notes", "").strip())
    if plan.start_date and not is_date(plan.start_date):
        plan.errors.append(("start_date", gettext("Start date must be a real date, like 2026-11-30")))
    if len(plan.notes) > 5000:
        plan.errors.append(("notes", gettext("Notes must be %(limit)s characters or fewer", limit="5,000")))
    for activity_id, old in current.rows.items():
        row = PlanRow(activity_id)
        row.target_date = form.get(f"target-{row.field_id}", "").strip()
        row.by_hand = old.by_hand if row.target_date == old.target_date else bool(row.target_date)
        row.priority = form.get(f"priority-{row.field_id}") == "yes"
        if may_exempt:
            row.not_required = form.get(f"not-required-{row.field_id}") == "yes"
            row.reason = form.get(f"reason-{row.field_id}", "").strip()
        else:
            row.not_required, row.reason = old.not_required, old.reason
        if row.target_date and not is_date(row.target_date):
            plan.errors.append((f"target-{row.field_id}",
                                gettext("Target date for activity %(id)s must be a real date, like 2026-11-30",
                                        id=activity_id)))
        if may_exempt and row.not_required and not row.reason:
            plan.errors.append((f"reason-{row.field_id}",
                                gettext("Give a reason why activity %(id)s is not required", id=activity_id)))
        if len(row.reason) > REASON_LIMIT:
            plan.errors.append((f"reason-{row.field_id}",
                                gettext("Reason for activity %(id)s must be %(limit)s characters or fewer",
                                        id=activity_id, limit=REASON_LIMIT)))
        plan.rows[activity_id] = row
    return plan


def fill_target_dates(plan: PlanInput, previous: PlanInput) -> int:
    """Target dates from the start date and each activity's usual timing, for the rows whose date was not
    typed by hand: all of them when the start date is new or changed, else only the empty ones. How many."""
    if not plan.start_date:
        return 0
    start = parse_date(plan.start_date)
    start_changed = plan.start_date != previous.start_date
    filled = 0
    for activity in content.activities():
        row = plan.rows.get(activity.id)
        due = usual_due(activity)
        if row is None or due is None or row.by_hand or row.not_required or (row.target_date and not start_changed):
            continue
        target = due.target_date(start).isoformat()
        if target != row.target_date:
            row.target_date = target
            filled += 1
    return filled


def save_plan(db, inductee_id: int, plan: PlanInput, previous: PlanInput, actor_id: int) -> None:
    filled = fill_target_dates(plan, previous)
    with writing(db):
        db.conn.execute(
            "INSERT INTO plans (inductee_id, start_date, notes, updated_at, updated_by)"
            " VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?)"
            " ON CONFLICT (inductee_id) DO UPDATE SET start_date = excluded.start_date, notes = excluded.notes,"
            " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            (inductee_id, plan.start_date or None, plan.notes, actor_id))
        changed = []
        for activity_id, row in plan.rows.items():
            if row == previous.rows.get(activity_id):
                continue
            changed.append(activity_id)
            db.conn.execute(
                "INSERT INTO plan_items (inductee_id, activity_id, target_date, priority, not_required, reason,"
                " target_by_hand) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (inductee_id, activity_id) DO UPDATE SET"
                " target_date = excluded.target_date, priority = excluded.priority,"
                " not_required = excluded.not_required, reason = excluded.reason,"
                " target_by_hand = excluded.target_by_hand",
                (inductee_id, activity_id, row.target_date or None, int(row.priority), int(row.not_required),
                 row.reason, int(row.by_hand)))
            if row.not_required != previous.rows[activity_id].not_required:
                audit.log(db, actor_id, Action.PLAN_NOT_REQUIRED if row.not_required else Action.PLAN_REQUIRED,
                          subject_id=inductee_id, activity_id=activity_id)
        if filled:
            audit.log(db, actor_id, Action.PLAN_DATES_FILLED, subject_id=inductee_id,
                      detail=f"{filled} target dates from the start date")
        audit.log(db, actor_id, Action.PLAN_UPDATED, subject_id=inductee_id,
                  detail=f"{len(changed)} activities changed")


@bp.route("/plan/<int:inductee_id>", methods=["GET", "POST"])
@role_required("inductee", "manager")
def plan(inductee_id: int):
    inductee = inductee_or_404(inductee_id)
    db = get_db()
    current = load_plan(db, inductee_id)
    may_exempt = can_manage_induction(inductee_id)
    shown, status = current, 200
    if request.method == "POST":
        submitted = read_form(request.form, current, may_exempt)
        if submitted.errors:
            shown, status = submitted, 400
        else:
            save_plan(db, inductee_id, submitted, current, current_user.id)
            flash(gettext("The induction plan has been saved."), "success")
            return redirect(url_for(".plan", inductee_id=inductee_id))
    sections = [(s, [a for a in content.activities() if a.section == s.id]) for s in content.sections()]
    timings = {a.id: usual_timing(due) for a in content.activities() if (due := usual_due(a))}
    return render_template("plans/plan.html", inductee=inductee, plan=shown, sections=sections,
                           may_exempt=may_exempt, timings=timings), status
