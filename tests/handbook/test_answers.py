"""Quiz scoring on the server for every kind of question, including missing and tampered answers."""
from __future__ import annotations

import functools
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from handbook import model
from tracker.quizzes import NO_ANSWER, NOT_VALID, mark_question, percent, read_answer, score

QUIZ = model.Quiz.model_validate({
    "id": "sample", "title": "Sample", "pass_mark": 75, "questions": [
        {"kind": "single", "prompt": "Pick B", "options": ["A", "B", "C"], "answer": 1,
         "explanation": "e", "source": "s"},
        {"kind": "multiple", "prompt": "Pick A and C", "options": ["A", "B", "C"], "answers": [0, 2],
         "explanation": "e", "source": "s"},
        {"kind": "true-false", "prompt": "True?", "answer": True, "explanation": "e", "source": "s"},
        {"kind": "short-answer", "prompt": "Days to comply?", "accepted": ["15 days", "fifteen days"],
         "explanation": "e", "source": "s"},
    ]})
SINGLE, MULTIPLE, TRUE_FALSE, SHORT = QUIZ.questions


@pytest.mark.parametrize("question,values,right,given", [
    (SINGLE, ["1"], True, "B"),
    (SINGLE, ["0"], False, "A"),
    (SINGLE, [], False, "No answer"),
    (SINGLE, [""], False, "No answer"),
    (SINGLE, ["7"], False, "Not a valid choice"),          # tampered: no such option
    (SINGLE, ["-1"], False, "Not a valid choice"),
    (SINGLE, ["B"], False, "Not a valid choice"),
    (SINGLE, ["1", "2"], False, "Not a valid choice"),      # two answers to a single-choice question
    (MULTIPLE, ["0", "2"], True, "A; C"),
    (MULTIPLE, ["2", "0"], True, "A; C"),
    (MULTIPLE, ["0"], False, "A"),                          # one missing
    (MULTIPLE, ["0", "1", "2"], False, "A; B; C"),          # an extra option
    (MULTIPLE, ["0", "2", "9"], False, "Not a valid choice"),
    (MULTIPLE, ["0", "0", "2"], False, "Not a valid choice"),
    (MULTIPLE, [], False, "No answer"),
    (TRUE_FALSE, ["true"], True, "True"),
    (TRUE_FALSE, ["false"], False, "False"),
    (TRUE_FALSE, ["yes"], False, "Not a valid choice"),
    (TRUE_FALSE, [], False, "No answer"),
    (SHORT, ["15 days"], True, "15 days"),
    (SHORT, ["  Fifteen   DAYS. "], True, "  Fifteen   DAYS. "),
    (SHORT, ["14 days"], False, "14 days"),
    (SHORT, ["   "], False, "No answer"),
])
def test_marking(question, values, right, given):
    assert mark_question(question, values) == (right, given)


@pytest.mark.parametrize("question,values,problem", [
    (SINGLE, ["0"], None),
    (SINGLE, [" "], NO_ANSWER),
    (SINGLE, ["7"], NOT_VALID),                             # a tampered choice is no answer at all
    (MULTIPLE, ["2"], None),
    (MULTIPLE, [], NO_ANSWER),
    (TRUE_FALSE, ["false"], None),
    (TRUE_FALSE, ["maybe"], NOT_VALID),
    (SHORT, ["No answer"], None),                           # typed words are an answer, whatever they say
    (SHORT, ["", "15 days"], NO_ANSWER),                    # the first box is the one on the page
])
def test_what_counts_as_an_answer(question, values, problem):
    """An attempt is stored only when every question has an answer (tracker/quizzes.py, unanswered)."""
    assert read_answer(question, values)[1] == problem


def test_whole_quiz_score_ignores_unknown_fields():
    form = MultiDict([("q0", "1"), ("q1", "0"), ("q1", "2"), ("q2", "false"), ("q3", "fifteen days"),
                      ("q99", "0"), ("answer", "cheat")])
    marked, right, total = score(QUIZ, form)
    assert (right, total) == (3, 4)
    assert [m.correct for m in marked] == [True, True, False, True]
    assert marked[2].right_answer == "True" and marked[2].explanation == "e" and marked[2].source == "s"
    assert percent(right, total) == 75


def test_empty_submission_scores_zero():
    marked, right, total = score(QUIZ, MultiDict())
    assert right == 0 and total == 4 and all(m.given == "No answer" for m in marked)


@functools.cache
def _real_quizzes():
    from handbook.loader import load_project
    return load_project(Path(__file__).resolve().parents[2], check_links=False).quizzes


def _real_question(quiz_id: str, words_in_prompt: str):
    quiz = _real_quizzes()[quiz_id]
    return next(q for q in quiz.questions if words_in_prompt in q.prompt)


@pytest.mark.parametrize("quiz_id,prompt_words,typed", [
    ("legal-powers", "shortest period", "at least fifteen days"),   # number words become digits
    ("legal-powers", "shortest period", "15 days from service"),    # an authored variant
    ("legal-powers", "Which 1984 Act", "The Police and Criminal Evidence Act 1984"),  # articles
    ("attendance-data", "misses Thursday and Friday", "60 %"),      # space before %
    ("attendance-data", "misses Thursday and Friday", "sixty percent"),
    ("home-visit-safety", "introduce yourself at the door", "my ID"),  # determiners
    ("home-visit-safety", "introduce yourself at the door", "ID."),
])
def test_real_short_answers_people_type_are_accepted(quiz_id, prompt_words, typed):
    question = _real_question(quiz_id, prompt_words)
    assert mark_question(question, [typed]) == (True, typed)


@pytest.mark.parametrize("quiz_id,prompt_words,typed", [
    ("legal-powers", "shortest period", "fourteen days"),
    ("legal-powers", "shortest period", "115 days"),
    ("attendance-data", "misses Thursday and Friday", "6%"),
    ("legal-powers", "Which 1984 Act", "The Police Act"),
])
def test_near_misses_are_still_wrong(quiz_id, prompt_words, typed):
    assert mark_question(_real_question(quiz_id, prompt_words), [typed])[0] is False


@pytest.mark.parametrize("text,expected", [
    ("At least fifteen days.", "at least 15 days"),
    ("sixty per cent", "60%"),
    ("60 %", "60%"),
    ("twenty-one", "21"),
    ("one hundred and five days", "105 days"),
    ("1,000 pupils", "1000 pupils"),
    ("１５ days", "15 days"),                       # full-width digits fold to ASCII
])
def test_normalise(text, expected):
    from handbook.answers import normalise
    assert normalise(text) == expected
