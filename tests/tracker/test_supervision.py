"""Supervision: session records whose actions carry forward until done, the inductee's confirmation,
the printable record, form errors, and an agreement both must agree to again after a change."""
from __future__ import annotations

import re

import pytest

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


SESSION_DATE_ERROR = "Enter the date of the session, like 2026-11-24"
NEXT_DATE_ERROR = "Enter the date of the next session as a real date, like 2026-12-15"
DUE_DATE_ERROR = "Due date for action 1 must be a real date, like 2026-12-01"


@pytest.mark.parametrize("field,typed,message", [
    ("session_date", "2026-11-1", SESSION_DATE_ERROR),  # WTForms' own date field took a one-digit day
    ("session_date", "9999-12-31", SESSION_DATE_ERROR),  # the next session worked out from it passes year 9999
    ("next_date", "20261215", NEXT_DATE_ERROR),  # once WTForms' English "Not a valid date value." as well
    ("action-0-due", "20261205", DUE_DATE_ERROR),  # ISO 8601's basic form, which date.fromisoformat reads
    ("action-0-due", "2026-W50-1", DUE_DATE_ERROR),  # a week date: so does fromisoformat
])
def test_a_session_date_not_written_yyyy_mm_dd_gets_one_message_keeps_what_was_typed_and_saves_nothing(
        tracker_app, people, signed_in, field, typed, message):
    d = people["dafydd"]
    count = "SELECT (SELECT count(*) FROM supervision_sessions) AS sessions, (SELECT count(*) FROM supervision_actions)"
    before = query(tracker_app, count)
    form = {"session_date": "2026-11-24", "agenda": "Kept agenda", "action-0-description": "Shadow a home visit",
            field: typed}
    response = post(signed_in("manager@example.org"), f"/supervision/{d}/sessions/new", form)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    summary = html.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert re.findall(r'<a href="#([^"]+)">([^<]*)</a>', summary) == [(field, message)]  # one message, for this field
    assert f'id="{field}-error"' in html and f'value="{typed}"' in html and "Kept agenda" in html
    assert query(tracker_app, count) == before
