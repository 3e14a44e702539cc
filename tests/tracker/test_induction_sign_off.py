"""Whole-induction sign-off: refused until every required activity is complete, then recorded and audited."""
from __future__ import annotations

from factories import sign_off_all
from helpers import post, query


def test_whole_induction_sign_off_needs_every_required_activity(tracker_app, people, signed_in):
    d = people["dafydd"]
    manager = signed_in("manager@example.org")
    assert post(manager, f"/portfolio/{d}/sign-off").status_code == 303
    assert not query(tracker_app, "SELECT * FROM induction_signoffs")
    sign_off_all(tracker_app, d)
    assert "Sign off the whole induction" in manager.get(f"/portfolio/{d}").get_data(as_text=True)
    assert post(manager, f"/portfolio/{d}/sign-off").status_code == 302
    assert query(tracker_app, "SELECT signed_off_by FROM induction_signoffs WHERE inductee_id = ?",
                 [d])[0]["signed_off_by"] == people["rhian"]
    assert query(tracker_app, "SELECT * FROM audit_log WHERE action = 'induction.signed_off'")


def test_a_second_sign_off_changes_nothing_and_is_audited_once(tracker_app, people, signed_in):
    """A second click, or a second manager, once wrote a second 'induction.signed_off' entry for one
    sign-off, and both answered success. Now the first stands and the second is told so."""
    d = people["dafydd"]
    sign_off_all(tracker_app, d)
    manager = signed_in("manager@example.org")
    assert post(manager, f"/portfolio/{d}/sign-off", {"comment": "Well done."}).status_code == 302
    again = post(manager, f"/portfolio/{d}/sign-off", {"comment": "Second thoughts."})
    assert again.status_code == 303
    page = manager.get(again.headers["Location"]).get_data(as_text=True)
    assert "already signed off: nothing was changed" in page
    assert query(tracker_app, "SELECT comment FROM induction_signoffs WHERE inductee_id = ?", [d]) == [
        {"comment": "Well done."}]
    assert len(query(tracker_app, "SELECT * FROM audit_log WHERE action = 'induction.signed_off'")) == 1
