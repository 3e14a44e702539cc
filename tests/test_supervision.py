"""Supervision: session records whose actions carry forward until done, the inductee's confirmation,
the printable record, form errors, and an agreement both must agree to again after a change."""
from __future__ import annotations

from helpers import post, query


def test_session_actions_carry_forward_until_done_and_inductee_confirms(tracker_app, people, signed_in):
    d = people["dafydd"]
    manager = signed_in("manager@example.org")
    inductee = signed_in("inductee@example.org")
    carried = query(tracker_app, "SELECT * FROM supervision_actions WHERE inductee_id = ? AND done_at IS NULL", [d])
    assert len(carried) == 1
    form = manager.get(f"/supervision/{d}/sessions/new").get_data(as_text=True)
    assert carried[0]["description"] in form
    response = post(manager, f"/supervision/{d}/sessions/new", {
        "session_date": "2026-11-24", "agenda": "Review the first month", "decisions": "Move on to Section 2",
        "action-0-description": "Shadow a home visit", "action-0-owner": "inductee", "action-0-due": "2026-12-05"})
    assert response.status_code == 302
    session_id = int(response.location.rsplit("/", 1)[-1])
    open_now = query(tracker_app,
                     "SELECT description FROM supervision_actions WHERE inductee_id = ? AND done_at IS NULL", [d])
    # not ticked: carried
    assert {a["description"] for a in open_now} == {carried[0]["description"], "Shadow a home visit"}
    response = post(manager, f"/supervision/{d}/sessions/new", {
        "session_date": "2026-12-08", "agenda": "Check actions", "done": str(carried[0]["id"])})
    open_now = query(tracker_app,
                     "SELECT description FROM supervision_actions WHERE inductee_id = ? AND done_at IS NULL", [d])
    assert [a["description"] for a in open_now] == ["Shadow a home visit"]
    assert ("Waiting for the inductee to confirm"
            in inductee.get(f"/supervision/sessions/{session_id}").get_data(as_text=True))
    assert post(inductee, f"/supervision/sessions/{session_id}/confirm").status_code == 302
    assert query(tracker_app, "SELECT confirmed_at FROM supervision_sessions WHERE id = ?",
                 [session_id])[0]["confirmed_at"]
    printable = inductee.get(f"/supervision/{d}/print").get_data(as_text=True)
    assert "Review the first month" in printable and "Shadow a home visit" in printable


def test_session_form_errors(tracker_app, people, signed_in):
    manager = signed_in("manager@example.org")
    response = post(manager, f"/supervision/{people['dafydd']}/sessions/new", {
        "session_date": "", "agenda": "Kept agenda", "action-0-due": "soon"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter the date of the session" in html and "Describe action 1, or clear its due date" in html
    assert "Kept agenda" in html


def test_changing_the_agreement_needs_both_to_agree_again(tracker_app, people, signed_in):
    d = people["dafydd"]
    inductee = signed_in("inductee@example.org")
    manager = signed_in("manager@example.org")
    assert query(tracker_app, "SELECT inductee_agreed_at FROM supervision_agreements WHERE inductee_id = ?",
                 [d])[0]["inductee_agreed_at"]
    assert post(manager, f"/supervision/{d}/agreement",
                {"purpose": "Support and learning", "timing": "Fortnightly"}).status_code == 302
    row = query(tracker_app, "SELECT * FROM supervision_agreements WHERE inductee_id = ?", [d])[0]
    assert (row["purpose"] == "Support and learning"
            and row["inductee_agreed_at"] is None and row["manager_agreed_at"] is None)
    post(inductee, f"/supervision/{d}/agreement/agree")
    post(manager, f"/supervision/{d}/agreement/agree")
    row = query(tracker_app, "SELECT * FROM supervision_agreements WHERE inductee_id = ?", [d])[0]
    assert row["inductee_agreed_at"] and row["manager_agreed_at"] and row["manager_agreed_by"] == people["rhian"]
