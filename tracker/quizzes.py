"""Quizzes from quizzes/*.yml, taken in the tracker and scored on the server.

The question page never contains answers or explanations; they are shown only
on the result page of a stored attempt, and an attempt is stored only when every question
has an answer (a blank attempt would otherwise reveal every answer for free). A quiz may limit
how many attempts a person has (`attempts:`); everyone who sees a pass sees which attempt it was.
A passed quiz counts as evidence for its linked activity."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from handbook import answers, model

from . import accounts, audit, content, i18n, records
from .access import inductee_or_404, role_required
from .audit_actions import Action
from .db import get_db, writing
from .forms import ascii_int

bp = Blueprint("quizzes", __name__)

# What is stored as the answer given when there is none to store (tracker/template_helpers.py translates them).
NO_ANSWER, NOT_VALID = "No answer", "Not a valid choice"
# Which attempt at its quiz a row of quiz_attempts (as "a") was, counting from 1.
ATTEMPT_NUMBER = ("(SELECT COUNT(*) FROM quiz_attempts b WHERE b.inductee_id = a.inductee_id"
                  " AND b.quiz_id = a.quiz_id AND b.id <= a.id) AS attempt_number")


@dataclass
class Marked:
    number: int
    prompt: str
    given: str  # what the person answered, in words
    correct: bool
    right_answer: str
    explanation: str
    source: str


def _option_index(value: str, options: list[str]) -> int | None:
    index = ascii_int(value)
    return index if index is not None and index < len(options) else None


def right_answer(question) -> str:
    return answers.answer_text(question, letters=False)


def read_answer(question, values: list[str]) -> tuple[object, str | None]:
    """(what was answered, None), or (None, NO_ANSWER or NOT_VALID) when there is no usable answer.

    The answer is an option's index (single), a set of indexes (multiple), True or False, or the
    typed text. Tampered values (an option that does not exist, a second choice on a single-choice
    question) are NOT_VALID; nothing here raises."""
    values = [v for v in values if isinstance(v, str)]
    if not any(v.strip() for v in values):
        return None, NO_ANSWER
    if question.kind == "single":
        index = _option_index(values[0], question.options) if len(values) == 1 else None
        return (index, None) if index is not None else (None, NOT_VALID)
    if question.kind == "multiple":
        indexes = [_option_index(v, question.options) for v in values]
        if None in indexes or len(set(indexes)) != len(indexes):
            return None, NOT_VALID
        return set(indexes), None
    if question.kind == "true-false":
        if len(values) != 1 or values[0] not in ("true", "false"):
            return None, NOT_VALID
        return values[0] == "true", None
    text = values[0][:500]
    return (text, None) if text.strip() else (None, NO_ANSWER)


def mark_question(question, values: list[str], also_accepted: list[str] = ()) -> tuple[bool, str]:
    """Whether the submitted values are right, and what was answered in words (NO_ANSWER or NOT_VALID,
    marked wrong, when there is no usable answer). also_accepted: the other language's accepted short
    answers (a Welsh quiz accepts its English answers too, and the other way round)."""
    answer, problem = read_answer(question, values)
    if problem:
        return False, problem
    if question.kind == "single":
        return answer == question.answer, question.options[answer]
    if question.kind == "multiple":
        return answer == set(question.answers), "; ".join(question.options[i] for i in sorted(answer))
    if question.kind == "true-false":
        return answer == question.answer, str(answer)
    return answers.short_answer_matches(answer, [*question.accepted, *also_accepted]), answer


def unanswered(quiz: model.Quiz, form) -> dict[int, str]:
    """{question index: error message} for each question without a usable answer in a submitted form."""
    return {n: _answer_needed(q, n + 1) for n, q in enumerate(quiz.questions)
            if read_answer(q, form.getlist(f"q{n}"))[1]}


def _answer_needed(question, number: int) -> str:
    if question.kind == "multiple":
        return gettext("Select at least one answer to question %(number)s", number=number)
    if question.kind == "short-answer":
        return gettext("Enter an answer to question %(number)s", number=number)
    return gettext("Select an answer to question %(number)s", number=number)


def score(quiz: model.Quiz, form, other: model.Quiz | None = None) -> tuple[list[Marked], int, int]:
    """Mark every question from a submitted form (a MultiDict: q0, q1, ...). other: the same quiz in the
    other language, whose accepted short answers count too."""
    marked = []
    for number, question in enumerate(quiz.questions):
        twin = other.questions[number] if other and number < len(other.questions) else None
        also = twin.accepted if twin is not None and twin.kind == question.kind == "short-answer" else []
        correct, given = mark_question(question, form.getlist(f"q{number}"), also)
        marked.append(Marked(number + 1, question.prompt, given, correct, right_answer(question),
                             question.explanation, question.source))
    right = sum(m.correct for m in marked)
    return marked, right, len(marked)


def percent(right: int, total: int) -> int:
    return (100 * right) // total if total else 0


def quiz_or_404(quiz_id: str) -> model.Quiz:
    quiz = content.project().quizzes.get(quiz_id)
    if quiz is None:
        abort(404)
    return quiz


@dataclass(frozen=True)
class Standing:
    """Where a person stands with a quiz: attempts used, the number of the first passing one, the limit."""
    used: int
    passed_at: int | None
    limit: int | None  # None: no limit

    @property
    def left(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.used, 0)

    @property
    def may_take(self) -> bool:
        """Another attempt is allowed while the limit is not reached, also after a pass (for practice:
        the pass still counts, and the record names the attempt that passed)."""
        return self.left != 0


def standing(db, inductee_id: int, quiz: model.Quiz) -> Standing:
    passed = [row["passed"] for row in db.query(
        "SELECT passed FROM quiz_attempts WHERE inductee_id = ? AND quiz_id = ? ORDER BY id", [inductee_id, quiz.id])]
    return Standing(len(passed), next((n for n, p in enumerate(passed, 1) if p), None), quiz.attempts)


def save_attempt(db, inductee_id: int, quiz: model.Quiz, marked: list[Marked], right: int,
                 total: int) -> int | None:
    """Store a marked attempt and return its id; None, storing nothing, if the person has no attempts
    left (checked inside the write transaction, so two submissions at once cannot both use the last one)."""
    result = percent(right, total)
    passed = result >= quiz.pass_mark
    with writing(db):
        if not standing(db, inductee_id, quiz).may_take:
            return None
        cursor = db.conn.execute(
            "INSERT INTO quiz_attempts (inductee_id, quiz_id, quiz_title, activity_id, score, total, percent,"
            " pass_mark, passed, answers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (inductee_id, quiz.id, quiz.title, quiz.activity, right, total, result, quiz.pass_mark, int(passed),
             json.dumps([asdict(m) for m in marked])))
        audit.log(db, inductee_id, Action.QUIZ_PASSED if passed else Action.QUIZ_ATTEMPTED, subject_id=inductee_id,
                  activity_id=quiz.activity, detail=f"{quiz.id} {result}%")
        activity = content.activity(quiz.activity) if quiz.activity else None
        if passed and activity is not None:
            records.note_quiz_passed(db, inductee_id, activity.id, content.kept_title(activity.id), inductee_id)
        return cursor.lastrowid


@bp.app_template_global()
def quiz_attempt_number(attempt_id: int) -> int:
    """Which attempt at its quiz this was (record pages show it beside a pass)."""
    return get_db().execute(f"SELECT {ATTEMPT_NUMBER} FROM quiz_attempts a WHERE a.id = ?", [attempt_id]).fetchone()[0]


def attempts_of(db, inductee_id: int) -> list[dict]:
    return list(db.query("SELECT * FROM quiz_attempts WHERE inductee_id = ? ORDER BY created_at DESC, id DESC",
                         [inductee_id]))


@bp.route("/quizzes")
@role_required("inductee", "manager")
def index():
    db = get_db()
    quizzes = sorted(content.project().quizzes.values(), key=lambda q: q.title)
    if current_user.is_manager:
        team = accounts.team_of(db, current_user.id)
        ids = [m["id"] for m in team]
        rows = list(db.query(
            f"SELECT a.*, u.name, {ATTEMPT_NUMBER} FROM quiz_attempts a JOIN users u ON u.id = a.inductee_id"
            f" WHERE a.inductee_id IN ({','.join('?' for _ in ids)})"
            " ORDER BY a.created_at DESC, a.id DESC", ids)) if ids else []
        return render_template("quizzes/team.html", quizzes=quizzes, attempts=rows,
                               limits={q.id: q.attempts for q in quizzes})
    attempts = attempts_of(db, current_user.id)
    return render_template("quizzes/index.html", quizzes=quizzes, attempts=attempts)


@bp.route("/quizzes/<quiz_id>", methods=["GET", "POST"])
@role_required("inductee")
def take(quiz_id: str):
    """The questions; a submission is refused, storing nothing, with no attempts left (403) or with
    a question unanswered (400: the page again, with what was answered kept)."""
    quiz = quiz_or_404(quiz_id)
    db = get_db()
    if request.method == "POST":
        if not standing(db, current_user.id, quiz).may_take:
            return _take_page(quiz), 403
        errors = unanswered(quiz, request.form)
        if errors:
            return _take_page(quiz, request.form, errors), 400
        other_project = content.english_project() if i18n.current_language() != "en" else content.project("cy")
        other = other_project.quizzes.get(quiz.id)
        marked, right, total = score(quiz, request.form, other)
        attempt_id = save_attempt(db, current_user.id, quiz, marked, right, total)
        if attempt_id is None:  # another submission used the last attempt meanwhile
            return _take_page(quiz), 403
        return redirect(url_for(".attempt", quiz_id=quiz.id, attempt_id=attempt_id))
    return _take_page(quiz)


def _take_page(quiz: model.Quiz, form=None, errors: dict[int, str] | None = None) -> str:
    given = {f"q{n}": form.getlist(f"q{n}") for n in range(len(quiz.questions))} if form else {}
    return render_template("quizzes/take.html", quiz=quiz, letters=answers.LETTERS, given=given,
                           errors=errors or {}, standing=standing(get_db(), current_user.id, quiz))


@bp.route("/quizzes/<quiz_id>/attempts/<int:attempt_id>")
@role_required("inductee", "manager")
def attempt(quiz_id: str, attempt_id: int):
    db = get_db()
    row = next(db.query(f"SELECT a.*, {ATTEMPT_NUMBER} FROM quiz_attempts a WHERE a.id = ? AND a.quiz_id = ?",
                        [attempt_id, quiz_id]), None)
    if row is None:
        abort(404)
    inductee = inductee_or_404(row["inductee_id"])
    quiz = content.project().quizzes.get(quiz_id)
    mine = quiz is not None and current_user.id == inductee["id"]
    return render_template("quizzes/attempt.html", attempt=row, marked=json.loads(row["answers"]), inductee=inductee,
                           limit=quiz.attempts if quiz else None,
                           may_retake=mine and standing(db, inductee["id"], quiz).may_take)
