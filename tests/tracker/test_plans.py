"""Induction plans: only a manager can mark an activity not required, and only with a reason."""
from __future__ import annotations

import datetime as dt
import re
import sqlite3

import pytest

from helpers import post, query


def test_not_required_needs_a_reason_and_only_a_manager_can_set_it(tracker_app, people, signed_in):
    d = people["dafydd"]
    manager = signed_in("manager@example.org")
    response = post(manager, f"/plan/{d}", {"not-required-1-6": "yes", "target-1-6": "2026-12-24"})
    assert (response.status_code == 400
            and "Give a reason why activity 1.6 is not required" in response.get_data(as_text=True))
    assert 'value="2026-12-24"' in response.get_data(as_text=True)
    assert post(manager, f"/plan/{d}",
                {"not-required-1-6": "yes", "reason-1-6": "Did this in her last post"}).status_code == 302
    assert query(tracker_app, "SELECT * FROM audit_log WHERE action = 'plan.not_required' AND activity_id = '1.6'")
    inductee = signed_in("inductee@example.org")
    # The inductee saving the plan cannot undo the manager's decision.
    assert post(inductee, f"/plan/{d}", {"target-1-4": "2026-12-20"}).status_code == 302
    item = query(tracker_app, "SELECT * FROM plan_items WHERE inductee_id = ? AND activity_id = '1.6'", [d])[0]
    assert item["not_required"] == 1 and item["reason"] == "Did this in her last post"
    page = inductee.get("/my-induction").get_data(as_text=True)
    assert "of 5 complete" in page  # six activities, one not required


# ---- plans that fill themselves: target dates from the start date and each activity's usual timing ----

def _plan_form(app, inductee_id: int, **changes) -> dict:
    """The plan form as the page submits it: every activity's target date and priority as saved, then `changes`."""
    plan = query(app, "SELECT start_date FROM plans WHERE inductee_id = ?", [inductee_id])
    form = {"start_date": plan[0]["start_date"] or "" if plan else ""}
    for item in query(app, "SELECT * FROM plan_items WHERE inductee_id = ?", [inductee_id]):
        field = item["activity_id"].replace(".", "-")
        form[f"target-{field}"] = item["target_date"] or ""
        if item["priority"]:
            form[f"priority-{field}"] = "yes"
        if item["not_required"]:
            form[f"not-required-{field}"], form[f"reason-{field}"] = "yes", item["reason"]
    return {**form, **changes}


def _targets(app, inductee_id: int) -> dict[str, str]:
    return {r["activity_id"]: r["target_date"] for r in query(
        app, "SELECT activity_id, target_date FROM plan_items WHERE inductee_id = ?", [inductee_id])}


def test_setting_a_start_date_fills_the_target_dates_and_keeps_those_typed_by_hand(tracker_app, people, signed_in):
    ceri = people["ceri"]
    manager = signed_in("manager@example.org")
    # The demo typed Ceri's dates by hand: cleared, they are filled from the start date.
    cleared = {f"target-{a.replace('.', '-')}": "" for a in _targets(tracker_app, ceri)}
    assert post(manager, f"/plan/{ceri}", _plan_form(tracker_app, ceri, **cleared)).status_code == 302
    assert post(manager, f"/plan/{ceri}", _plan_form(tracker_app, ceri, start_date="2026-01-05")).status_code == 302
    targets = _targets(tracker_app, ceri)
    # 1.1 'week 1' (its own), 1.2 'weeks 1-2' (section 1's), 3.1 'weeks 5-6' ends on a Sunday: the Friday before.
    assert (targets["1.1"], targets["1.2"], targets["3.1"]) == ("2026-01-09", "2026-01-16", "2026-02-13")
    filled = query(tracker_app, "SELECT * FROM audit_log WHERE action = 'plan.dates_filled' AND subject_id = ?", [ceri])
    assert filled and "target dates from the start date" in filled[-1]["detail"]

    # The manager moves 1.2 by hand, then the start date a week later: 1.2 stays, the rest move with it.
    moved = _plan_form(tracker_app, ceri, **{"target-1-2": "2026-01-30"})
    assert post(manager, f"/plan/{ceri}", moved).status_code == 302
    assert post(manager, f"/plan/{ceri}", _plan_form(tracker_app, ceri, start_date="2026-01-12")).status_code == 302
    targets = _targets(tracker_app, ceri)
    assert (targets["1.1"], targets["1.2"], targets["3.1"]) == ("2026-01-16", "2026-01-30", "2026-02-20")

    # Cleared by hand, a date is filled again from the start date; the page says when each is usually done.
    assert post(manager, f"/plan/{ceri}", _plan_form(tracker_app, ceri, **{"target-1-2": ""})).status_code == 302
    assert _targets(tracker_app, ceri)["1.2"] == "2026-01-23"
    page = manager.get(f"/plan/{ceri}").get_data(as_text=True)
    assert "Usually done in week 1" in page and "Usually done in weeks 5 to 6" in page
    assert "Fel arfer yn wythnos 1" in manager.get(f"/plan/{ceri}?lang=cy").get_data(as_text=True)


def test_an_activity_not_required_gets_no_target_date(tracker_app, people, signed_in):
    ceri = people["ceri"]
    manager = signed_in("manager@example.org")
    form = _plan_form(tracker_app, ceri, start_date="2026-03-02", **{"not-required-1-6": "yes",
                                                                      "reason-1-6": "Done in her last post",
                                                                      "target-1-6": ""})
    assert post(manager, f"/plan/{ceri}", form).status_code == 302
    assert _targets(tracker_app, ceri)["1.6"] is None


def test_a_plan_never_saved_starts_with_the_first_six_weeks_as_priorities(tracker_app, people, signed_in):
    ceri = people["ceri"]
    from tracker.db import get_db, writing
    with tracker_app.app_context():
        db = get_db()
        with writing(db):  # as for someone new: no plan saved yet
            db.conn.execute("DELETE FROM plan_items WHERE inductee_id = ?", [ceri])
            db.conn.execute("DELETE FROM plans WHERE inductee_id = ?", [ceri])
    page = signed_in("manager@example.org").get(f"/plan/{ceri}").get_data(as_text=True)
    assert 'id="priority-1-1" name="priority-1-1" value="yes" checked' in page
    assert 'id="priority-3-1" name="priority-3-1" value="yes" checked' in page  # weeks 5-6: within six


# ---- dates: YYYY-MM-DD only (tracker/dates.py) ----------------------------------------------------

TARGET_ERROR = "Target date for activity 1.4 must be a real date, like 2026-11-30"
START_ERROR = "Start date must be a real date, like 2026-11-30"


@pytest.mark.parametrize("field,typed,message", [
    ("target-1-4", "20261201", TARGET_ERROR),  # ISO 8601's basic form, which Python's date.fromisoformat reads
    ("target-1-4", "2026W491", TARGET_ERROR),  # a week date: the Monday of week 49
    ("target-1-4", "2026-W49-1", TARGET_ERROR),
    ("start_date", "20261201", START_ERROR),
    ("start_date", "9999-12-31", START_ERROR),  # target dates worked out from it would pass the year 9999
])
def test_a_date_not_written_yyyy_mm_dd_is_refused_next_to_its_field_and_nothing_is_saved(
        tracker_app, people, signed_in, field, typed, message):
    d = people["dafydd"]
    saved = query(tracker_app, "SELECT * FROM plan_items WHERE inductee_id = ? ORDER BY activity_id", [d]), \
        query(tracker_app, "SELECT * FROM plans WHERE inductee_id = ?", [d])
    form = _plan_form(tracker_app, d, **{field: typed, "notes": "Kept notes"})
    response = post(signed_in("manager@example.org"), f"/plan/{d}", form)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'<a href="#{field}">{message}</a>' in html.split('govuk-error-summary__list')[1].split("</ul>")[0]
    assert f'id="{field}-error"' in html and f'value="{typed}"' in html and "Kept notes" in html
    assert (query(tracker_app, "SELECT * FROM plan_items WHERE inductee_id = ? ORDER BY activity_id", [d]),
            query(tracker_app, "SELECT * FROM plans WHERE inductee_id = ?", [d])) == saved


def _overdue_on_the_inductees_page(client) -> set[str]:
    page = client.get("/my-induction").get_data(as_text=True)
    items = re.findall(r'<li class="tracker-timeline__item">(.*?)</li>', page, re.DOTALL)
    return {re.search(r">(\d+\.\d+) ", item).group(1) for item in items if "tracker-timeline__overdue" in item}


def _overdue_in_the_managers_list(client, name: str) -> set[str]:
    team = client.get("/team").get_data(as_text=True)
    overdue = team.split('<h2 class="govuk-heading-m">Overdue</h2>')[1].split("</ul>")[0]
    return set(re.findall(rf"{name}: <a [^>]*>(\d+\.\d+) ", overdue))


def test_the_managers_overdue_list_and_the_inductees_page_agree_on_every_target(tracker_app, people, signed_in):
    d = people["dafydd"]
    manager, dafydd = signed_in("manager@example.org"), signed_in("inductee@example.org")
    today = dt.date.today()
    # 1.5 (returned to Dafydd) gets a target three days ago through the form.
    past = (today - dt.timedelta(days=3)).isoformat()
    assert post(manager, f"/plan/{d}", _plan_form(tracker_app, d, **{"target-1-5": past})).status_code == 302
    # 1.6 holds a past date in ISO's basic form, as a tracker without strict dates stored it (the date
    # migration rewrites these): SQL comparing it as text and Python reading it as a date used to disagree.
    conn = sqlite3.connect(tracker_app.config["DATABASE"])
    with conn:
        conn.execute("UPDATE plan_items SET target_date = ? WHERE inductee_id = ? AND activity_id = '1.6'",
                     [(today - dt.timedelta(days=4)).strftime("%Y%m%d"), d])
        # Only Dafydd's plan: the manager's list shows the ten most overdue in the team.
        conn.execute("DELETE FROM plan_items WHERE inductee_id != ?", [d])
    conn.close()
    # In the demo 1.1 is signed off and 1.2 done; 1.3 and 1.4 (in progress) have passed their targets.
    assert _overdue_on_the_inductees_page(dafydd) == _overdue_in_the_managers_list(manager, "Dafydd Morgan") \
        == {"1.3", "1.4", "1.5"}
