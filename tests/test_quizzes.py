"""Quizzes in the tracker: the page holds no answers, results show explanations, a pass is evidence for
the linked activity and a failed attempt is recorded but is not. Marking itself: test_quiz_scoring.py."""
from __future__ import annotations

from helpers import post, query
from tracker import records
from tracker.db import get_db


def test_quiz_page_holds_no_answers_and_results_show_explanations(tracker_app, people, signed_in):
    from tracker.content import project
    with tracker_app.app_context():
        quiz = project().quizzes["values-and-principles"]
    inductee = signed_in("inductee2@example.org")  # Ceri has no record for the quiz's activity yet
    page = inductee.get("/quizzes/values-and-principles").get_data(as_text=True)
    for question in quiz.questions:
        assert question.explanation not in page
    right = {}
    for n, q in enumerate(quiz.questions):
        if q.kind == "single":
            right[f"q{n}"] = str(q.answer)
        elif q.kind == "multiple":
            right[f"q{n}"] = [str(i) for i in q.answers]
        elif q.kind == "true-false":
            right[f"q{n}"] = "true" if q.answer else "false"
        else:
            right[f"q{n}"] = q.accepted[0]
    response = post(inductee, "/quizzes/values-and-principles", right)
    result = inductee.get(response.location).get_data(as_text=True)
    assert "Passed" in result and f"{len(quiz.questions)} of {len(quiz.questions)} (100%)" in result
    assert quiz.questions[0].explanation.replace("'", "&#39;")[:40] in result
    # a pass counts as evidence for the linked activity, which can now be completed on that alone
    # (1.2 needs no manager sign-off, so it is marked done rather than submitted)
    with tracker_app.app_context():
        record = records.get(get_db(), people["ceri"], quiz.activity)
    assert record["state"] == "in_progress" and record["notes"] == ""
    assert "Quiz passed" in inductee.get(f"/records/{people['ceri']}/{quiz.activity}").get_data(as_text=True)
    assert post(inductee, f"/records/{people['ceri']}/{quiz.activity}/done").status_code == 302
    with tracker_app.app_context():
        assert records.get(get_db(), people["ceri"], quiz.activity)["state"] == "done"
    manager = signed_in("manager@example.org")
    assert "Ceri Williams" in manager.get("/quizzes").get_data(as_text=True)


def test_failed_quiz_is_recorded_but_is_not_evidence(tracker_app, people, signed_in):
    inductee = signed_in("inductee@example.org")
    response = post(inductee, "/quizzes/values-and-principles", {"q0": "999", "q1": "nonsense"})
    assert response.status_code == 302
    attempt = query(tracker_app, "SELECT * FROM quiz_attempts ORDER BY id DESC LIMIT 1")[0]
    assert attempt["passed"] == 0 and attempt["score"] == 0
    assert "Not passed yet" in inductee.get(response.location).get_data(as_text=True)
    assert not query(tracker_app, "SELECT * FROM quiz_attempts WHERE passed")


def test_unknown_quiz_is_404(tracker_app, signed_in):
    assert signed_in("inductee@example.org").get("/quizzes/no-such-quiz").status_code == 404
