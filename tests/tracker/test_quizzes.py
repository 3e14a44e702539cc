"""Quizzes in the tracker: the page holds no answers, an attempt is stored only when every question is
answered, results show explanations, a pass is evidence for the linked activity (and says at which attempt),
a failed attempt is recorded but is not, and a quiz's attempt limit holds (and the handbook's quiz page states it).
Marking itself: test_answers.py."""
from __future__ import annotations

import re

from test_content_errors import WELSH_QUIZ

from handbook.generate import SiteGenerator
from handbook.loader import load_project
from helpers import QUIZ, post, query, write
from tracker import records
from tracker.db import get_db

VALUES = "/quizzes/values-and-principles"  # no attempt limit
LIMITED = "/quizzes/legal-powers"  # attempts: 2 (tests/pack/quizzes/legal-powers.yml)


def quiz(app, quiz_id: str):
    from tracker.content import project
    with app.app_context():
        return project().quizzes[quiz_id]


def answers(quiz, right: bool = True) -> dict:
    """A complete submission: every answer right, or every answer wrong."""
    form = {}
    for n, q in enumerate(quiz.questions):
        if q.kind == "single":
            form[f"q{n}"] = str(q.answer if right else (q.answer + 1) % len(q.options))
        elif q.kind == "multiple":
            wrong = next(i for i in range(len(q.options)) if i not in q.answers)
            form[f"q{n}"] = [str(i) for i in q.answers] if right else [str(wrong)]
        elif q.kind == "true-false":
            form[f"q{n}"] = "true" if q.answer == right else "false"
        else:
            form[f"q{n}"] = q.accepted[0] if right else "I do not know"
    return form


def attempts(app, email: str = "inductee@example.org") -> list[dict]:
    return query(app, "SELECT a.* FROM quiz_attempts a JOIN users u ON u.id = a.inductee_id WHERE u.email = ?"
                      " ORDER BY a.id", [email])


def test_quiz_page_holds_no_answers_and_results_show_explanations(tracker_app, people, signed_in):
    values = quiz(tracker_app, "values-and-principles")
    inductee = signed_in("inductee2@example.org")  # Ceri has no record for the quiz's activity yet
    page = inductee.get(VALUES).get_data(as_text=True)
    for question in values.questions:
        assert question.explanation not in page
    response = post(inductee, VALUES, answers(values))
    result = inductee.get(response.location).get_data(as_text=True)
    assert "Passed" in result and f"{len(values.questions)} of {len(values.questions)} (100%)" in result
    assert values.questions[0].explanation.replace("'", "&#39;")[:40] in result
    # a pass counts as evidence for the linked activity, which can now be completed on that alone
    # (1.2 needs no manager sign-off, so it is marked done rather than submitted)
    with tracker_app.app_context():
        record = records.get(get_db(), people["ceri"], values.activity)
    assert record["state"] == "in_progress" and record["notes"] == ""
    assert "Quiz passed" in inductee.get(f"/records/{people['ceri']}/{values.activity}").get_data(as_text=True)
    assert post(inductee, f"/records/{people['ceri']}/{values.activity}/done").status_code == 302
    with tracker_app.app_context():
        assert records.get(get_db(), people["ceri"], values.activity)["state"] == "done"
    manager = signed_in("manager@example.org")
    assert "Ceri Williams" in manager.get("/quizzes").get_data(as_text=True)


def test_failed_quiz_is_recorded_but_is_not_evidence(tracker_app, people, signed_in):
    inductee = signed_in("inductee@example.org")
    response = post(inductee, VALUES, answers(quiz(tracker_app, "values-and-principles"), right=False))
    assert response.status_code == 302
    attempt = query(tracker_app, "SELECT * FROM quiz_attempts ORDER BY id DESC LIMIT 1")[0]
    assert attempt["passed"] == 0 and attempt["score"] == 0
    assert "Not passed yet" in inductee.get(response.location).get_data(as_text=True)
    assert not query(tracker_app, "SELECT * FROM quiz_attempts WHERE passed")


def test_an_attempt_with_unanswered_questions_is_refused_and_keeps_what_was_answered(tracker_app, signed_in):
    values = quiz(tracker_app, "values-and-principles")  # single, multiple, true-false, short answer
    inductee = signed_in("inductee@example.org")
    # question 1 answered, question 2 two boxes ticked, question 3 left out, question 4 only spaces
    response = post(inductee, VALUES, {"q0": "2", "q1": ["0", "3"], "q3": "   "})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert attempts(tracker_app) == []
    assert "There is a problem" in page and "<title>Error:" in page
    summary = page[page.index("govuk-error-summary"):page.index("</ul>", page.index("govuk-error-summary"))]
    assert re.findall(r'href="#([\w-]+)">([^<]+)<', summary) == [
        ("q2-0", "Select an answer to question 3"), ("q3", "Enter an answer to question 4")]
    assert 'id="q2-error"' in page and 'id="q3-error"' in page and 'id="q0-error"' not in page
    checked = re.findall(r'id="(q\d-\d)"[^>]*\bchecked', page)
    assert checked == ["q0-2", "q1-0", "q1-3"]  # what was answered is still selected
    for question in values.questions:  # and nothing gives the answers away
        assert question.explanation.replace("'", "&#39;")[:40] not in page and question.source not in page
    assert "Your answer" not in page

    # a typed answer is kept too, and a choice that is not on the page counts as no answer
    page = post(inductee, VALUES, {"q0": "999", "q1": "1", "q2": "true", "q3": "UNCRC"}).get_data(as_text=True)
    assert re.findall(r'href="#([\w-]+)"', page[page.index("govuk-error-summary"):])[:1] == ["q0-0"]
    assert 'value="UNCRC"' in page and re.search(r'id="q2-0"[^>]*\bchecked', page)
    assert attempts(tracker_app) == []

    # answering everything is stored as an attempt
    assert post(inductee, VALUES, answers(values, right=False)).status_code == 302
    assert len(attempts(tracker_app)) == 1


def test_the_record_and_results_say_at_which_attempt_the_quiz_was_passed(tracker_app, people, signed_in):
    values = quiz(tracker_app, "values-and-principles")
    inductee = signed_in("inductee2@example.org")
    post(inductee, VALUES, answers(values, right=False))
    passed = post(inductee, VALUES, answers(values)).location
    assert "Attempt 2" in inductee.get(passed).get_data(as_text=True)
    manager = signed_in("manager@example.org")
    record = manager.get(f"/records/{people['ceri']}/{values.activity}").get_data(as_text=True)
    evidence = record[record.index('id="quiz-evidence"'):]
    assert "Quiz passed" in evidence and re.search(r"100% on [^<]*, at attempt 2</li>", evidence)
    assert "Attempt 2" in manager.get(passed).get_data(as_text=True)
    team = manager.get("/quizzes").get_data(as_text=True)
    assert [cell for cell in re.findall(r'data-label="Attempt">([^<]*)</td>', team)] == ["2", "1"]


def test_a_quiz_with_an_attempt_limit_refuses_another_attempt_once_they_are_used(tracker_app, signed_in):
    legal = quiz(tracker_app, "legal-powers")
    assert legal.attempts == 2
    inductee = signed_in("inductee@example.org")
    assert "You have 2 attempts left at this quiz." in inductee.get(LIMITED).get_data(as_text=True)
    first = post(inductee, LIMITED, answers(legal, right=False)).location
    assert "Attempt 1 of 2" in inductee.get(first).get_data(as_text=True)
    assert "You have 1 attempt left at this quiz." in inductee.get(LIMITED).get_data(as_text=True)
    last = post(inductee, LIMITED, answers(legal, right=False)).location
    assert "Take it again" not in inductee.get(last).get_data(as_text=True)

    page = inductee.get(LIMITED).get_data(as_text=True)
    assert ("You have used all 2 attempts at this quiz without reaching the pass mark, so you cannot take it again."
            in page)
    assert "Your manager can see each of your attempts and its result" in page
    assert 'name="q0"' not in page and "Submit answers" not in page
    refused = post(inductee, LIMITED, answers(legal))  # not only hidden: a right answer sent anyway is refused
    assert refused.status_code == 403 and "you cannot take it again" in refused.get_data(as_text=True)
    assert len(attempts(tracker_app)) == 2 and not any(a["passed"] for a in attempts(tracker_app))
    team = signed_in("manager@example.org").get("/quizzes").get_data(as_text=True)
    assert re.findall(r'data-label="Attempt">([^<]*)</td>', team) == ["2 of 2", "1 of 2"]


def test_after_a_pass_the_quiz_may_be_taken_again_for_practice_while_attempts_remain(tracker_app, people, signed_in):
    legal = quiz(tracker_app, "legal-powers")
    inductee = signed_in("inductee@example.org")
    post(inductee, LIMITED, answers(legal))
    page = inductee.get(LIMITED).get_data(as_text=True)
    assert "You passed this quiz at attempt 1." in page and "take it again for practice" in page
    assert post(inductee, LIMITED, answers(legal, right=False)).status_code == 302  # the second and last attempt
    page = inductee.get(LIMITED).get_data(as_text=True)
    assert "You passed this quiz at attempt 1." in page and "You have no attempts left" in page
    assert 'name="q0"' not in page
    assert post(inductee, LIMITED, answers(legal)).status_code == 403
    record = inductee.get(f"/records/{people['dafydd']}/{legal.activity}").get_data(as_text=True)
    assert re.findall(r"at attempt (\d+)</li>", record) == ["1"]  # the pass still counts; the practice did not


def test_the_last_attempt_is_checked_where_it_is_stored(tracker_app, people):
    """Two submissions at once cannot both use the last attempt: the check is in the write transaction."""
    from tracker import quizzes
    legal = quiz(tracker_app, "legal-powers")
    with tracker_app.app_context():
        db = get_db()
        marked, right, total = quizzes.score(legal, _Form(answers(legal, right=False)))
        stored = [quizzes.save_attempt(db, people["dafydd"], legal, marked, right, total) for _ in range(3)]
    assert stored[0] and stored[1] and stored[2] is None
    assert len(attempts(tracker_app)) == 2


class _Form(dict):
    def getlist(self, name):
        value = self.get(name, [])
        return value if isinstance(value, list) else [value]


def test_unknown_quiz_is_404(tracker_app, signed_in):
    assert signed_in("inductee@example.org").get("/quizzes/no-such-quiz").status_code == 404


def test_the_handbook_quiz_page_states_the_attempt_limit_in_both_languages(project):
    write(project, "quizzes/values.cy.yml", WELSH_QUIZ)
    pages = {}
    for limit in ("", "attempts: 3\n"):
        write(project, "quizzes/values.yml", QUIZ.replace("pass_mark: 70\n", "pass_mark: 70\n" + limit))
        loaded = load_project(project)
        assert loaded.ok, loaded.errors
        pages[limit] = [SiteGenerator(loaded, "https://tracker.example", language=language).generate()[
            "quizzes/values.md"] for language in ("en", "cy")]
    english, welsh = pages["attempts: 3\n"]
    assert "The pass mark is 70%. You have 3 attempts." in english
    assert "Y marc llwyddo yw 70%. Mae gennych 3 ymgais." in welsh
    assert not any("attempt" in page or "ymgais" in page for page in pages[""])  # no limit, nothing said
