"""Induction plans: only a manager can mark an activity not required, and only with a reason."""
from __future__ import annotations

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
