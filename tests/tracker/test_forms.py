"""Rules every feature's forms share: numbers read safely, and repeated rows read one way."""
from __future__ import annotations

from werkzeug.datastructures import MultiDict

from tracker.forms import ROW_TEXT_LIMIT, read_rows
from tracker.pdp import objectives_from
from tracker.supervision import _action_rows


def test_a_row_typed_second_stays_second_when_shown_again():
    rows = objectives_from(MultiDict({"objective-1-action": "Read the guidance"}))
    assert rows.typed[0]["action"] == "" and rows.typed[1]["action"] == "Read the guidance"
    assert rows.errors == [("objective-1-objective", "Write objective 2, or clear its row")]


def test_text_over_the_limit_is_refused_in_both_tables_never_cut():
    long = "x" * (ROW_TEXT_LIMIT + 1)
    objectives = objectives_from(MultiDict({"objective-0-objective": long}))
    actions = _action_rows(MultiDict({"action-0-description": long}))
    assert objectives.errors == [("objective-0-objective", "Objective 1 must be 1,000 characters or fewer")]
    assert actions.errors == [("action-0-description", "Action 1 must be 1,000 characters or fewer")]
    assert objectives.typed[0]["objective"] == long  # shown again whole, for the person to shorten


def test_a_choice_alone_is_not_a_row_and_an_unknown_choice_falls_back():
    rows = read_rows(MultiDict({"r-0-status": "Done", "r-1-text": " x ", "r-1-status": "Finished?"}), "r", 3,
                     ("text", "status"), required="text", missing="Write row {n}", noun="row",
                     choices={"status": ["Not started", "Done"]})
    assert rows.filled == [{"text": "x", "status": "Not started"}]
    assert rows.errors == [] and len(rows.typed) == 3


def test_supervision_action_dates_are_checked():
    rows = _action_rows(MultiDict({"action-0-description": "Ring the school", "action-0-due": "soon"}))
    assert rows.errors == [("action-0-due", "Due date for action 1 must be a real date, like 2026-12-01")]
