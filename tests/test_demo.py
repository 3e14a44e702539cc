"""Demo data: safe to create twice."""
from __future__ import annotations

from tracker.db import get_db


def test_demo_data_command_is_safe_to_run_twice(tracker_app):
    runner = tracker_app.test_cli_runner()
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    with tracker_app.app_context():
        assert get_db().execute("SELECT count(*) FROM users").fetchone()[0] == 4
