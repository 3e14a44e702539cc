"""The tracker's tests run on the small test pack (tests/pack/), not the real handbook: it loads without
errors and holds what the tests rely on."""
from __future__ import annotations

from handbook.loader import load_project
from helpers import TEST_PACK


def test_the_test_pack_loads_without_errors():
    pack = load_project(TEST_PACK, check_links=False)
    assert [str(e) for e in pack.errors] == []
    assert {"1.1", "1.4", "2.1"} <= set(pack.activities)
    assert [a.id for a in pack.activities.values() if not a.sign_off]  # an activity without sign-off
    assert pack.activities["1.4"].parts and all(part.prompts for part in pack.activities["1.4"].parts)
    assert all(quiz.activity in pack.activities for quiz in pack.quizzes.values())


def test_the_tracker_tests_use_the_test_pack(tracker_app):
    from tracker import content
    with tracker_app.app_context():
        assert content.project().root == TEST_PACK.resolve()
        assert not content.project().errors
