"""Quizzes from quizzes/*.yml, taken in the tracker and scored on the server.

The question page never contains answers or explanations; they are shown only
after submission. A passed quiz counts as evidence for its linked activity."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from handbook import answers, model

from . import accounts, audit, content, i18n, records
from .access import inductee_or_404, role_required
from .db import get_db, writing
from .forms import ascii_int

bp = Blueprint("quizzes", __name__)


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


def mark_question(question, values: list[str], also_accepted: list[str] = ()) -> tuple[bool, str]:
    """Whether the submitted values are right, and what was answered in words.

    Missing, malformed or tampered values (an option that does not exist, a second
    choice on a single-choice question) are marked wrong; they never raise. also_accepted: the other
    language's accepted short answers (a Welsh quiz accepts its English answers too, and the other way round)."""
    values = [v for v in values if isinstance(v, str)]
    if not any(v.strip() for v in values):
        return False, "No answer"
    if question.kind == "single":
        index = _option_index(values[0], question.options) if len(values) == 1 else None
        return (index == question.answer, question.options[index] if index is not None else "Not a valid choice")
    if question.kind == "multiple":
        indexes = [_option_index(v, question.options) for v in values]
        if None in indexes or len(set(indexes)) != len(indexes):
            return False, "Not a valid choice"
        given = "; ".join(question.options[i] for i in sorted(indexes))
        return set(indexes) == set(question.answers), given
    if question.kind == "true-false":
        if len(values) != 1 or values[0] not in ("true", "false"):
            return False, "Not a valid choice"
        return (values[0] == "true") == question.answer, values[0].capitalize()
    answer = values[0][:500]
    return answers.short_answer_matches(answer, [*question.accepted, *also_accepted]), answer


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


def save_attempt(db, inductee_id: int, quiz: model.Quiz, marked: list[Marked], right: int, total: int) -> int:
    result = percent(right, total)
    passed = result >= quiz.pass_mark
    with writing(db):
        cursor = db.conn.execute(
            "INSERT INTO quiz_attempts (inductee_id, quiz_id, quiz_title, activity_id, score, total, percent,"
            " pass_mark, passed, answers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (inductee_id, quiz.id, quiz.title, quiz.activity, right, total, result, quiz.pass_mark, int(passed),
             json.dumps([asdict(m) for m in marked])))
        audit.log(db, inductee_id, "quiz.passed" if passed else "quiz.attempted", subject_id=inductee_id,
                  activity_id=quiz.activity, detail=f"{quiz.id} {result}%")
        activity = content.activity(quiz.activity) if quiz.activity else None
        if passed and activity is not None:
            records.note_quiz_passed(db, inductee_id, activity.id, content.kept_title(activity.id), inductee_id)
        return cursor.lastrowid


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
            f"SELECT a.*, u.name FROM quiz_attempts a JOIN users u ON u.id = a.inductee_id"
            f" WHERE a.inductee_id IN ({','.join('?' for _ in ids)})"
            " ORDER BY a.created_at DESC, a.id DESC", ids)) if ids else []
        return render_template("quizzes/team.html", quizzes=quizzes, attempts=rows)
    attempts = attempts_of(db, current_user.id)
    return render_template("quizzes/index.html", quizzes=quizzes, attempts=attempts)


@bp.route("/quizzes/<quiz_id>", methods=["GET", "POST"])
@role_required("inductee")
def take(quiz_id: str):
    quiz = quiz_or_404(quiz_id)
    if request.method == "POST":
        other_project = content.english_project() if i18n.current_language() != "en" else content.project("cy")
        other = other_project.quizzes.get(quiz.id)
        marked, right, total = score(quiz, request.form, other)
        attempt_id = save_attempt(get_db(), current_user.id, quiz, marked, right, total)
        return redirect(url_for(".attempt", quiz_id=quiz.id, attempt_id=attempt_id))
    return render_template("quizzes/take.html", quiz=quiz, letters=answers.LETTERS)


@bp.route("/quizzes/<quiz_id>/attempts/<int:attempt_id>")
@role_required("inductee", "manager")
def attempt(quiz_id: str, attempt_id: int):
    row = next(get_db().query("SELECT * FROM quiz_attempts WHERE id = ? AND quiz_id = ?", [attempt_id, quiz_id]), None)
    if row is None:
        abort(404)
    inductee = inductee_or_404(row["inductee_id"])
    return render_template("quizzes/attempt.html", attempt=row, marked=json.loads(row["answers"]), inductee=inductee)
