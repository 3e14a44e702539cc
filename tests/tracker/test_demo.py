"""Demo data: safe to create twice, and it invents no activity: against the real handbook and the test pack it
refers only to activities the loaded pack has, and a pack without some of its activities leaves them out."""
from __future__ import annotations

import pytest

from helpers import ROOT, TEST_PACK, make_project, tracker_config
from tracker.db import get_db


def test_demo_data_command_is_safe_to_run_twice(tracker_app):
    from tracker.demo import PEOPLE, SECOND_TEAM
    runner = tracker_app.test_cli_runner()
    for _ in range(2):  # the app's demo data lacked the second team (tests/conftest.py): made once, then kept
        assert runner.invoke(args=["demo-data"]).exit_code == 0
        with tracker_app.app_context():
            # the demo people, the one invited, not yet active (tracker/demo.py INVITED), and the second team
            assert get_db().execute("SELECT count(*) FROM users").fetchone()[0] == len(PEOPLE) + 1 + len(SECOND_TEAM)
            assert get_db().execute("SELECT count(*) FROM account_tokens").fetchone()[0] == 2  # not made twice
            assert get_db().execute("SELECT count(*) FROM induction_signoffs").fetchone()[0] == 1


def test_the_demo_has_a_welsh_speaking_inductee_whose_tracker_opens_in_welsh(tracker_app):
    from helpers import signed_in_client
    from tracker import accounts, i18n
    with tracker_app.app_context():
        row = accounts.find_by_email(get_db(), "cymraeg@example.org")
        assert row["role"] == "inductee" and i18n.language_for(row) == "cy"
        assert [m["name"] for m in accounts.managers_of(get_db(), row["id"])] == ["Rhian Evans"]
    page = signed_in_client(tracker_app, "cymraeg@example.org").get("/my-induction").get_data(as_text=True)
    assert '<html lang="cy"' in page and "Fy nghyfnod sefydlu" in page
    assert "cymraeg@example.org" in tracker_app.test_cli_runner().invoke(args=["demo-data"]).output


def app_with_demo_data(tmp_path, content_root):
    """A tracker with the demo data made from `content_root`'s pack."""
    from tracker import create_app
    from tracker.demo import create_demo_data
    app = create_app(tracker_config(tmp_path, CONTENT_ROOT=str(content_root)))
    with app.app_context():
        create_demo_data(get_db())
    return app


def activities_referred_to(app) -> dict[str, set[tuple[str, str | None]]]:
    """{table: {(activity id, title kept with it or None)}} for every table with an activity_id column."""
    with app.app_context():
        db = get_db()
        found = {}
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            columns = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
            if "activity_id" in columns:
                title = "activity_title" if "activity_title" in columns else "NULL"
                found[table] = set(db.execute(f"SELECT DISTINCT activity_id, {title} FROM {table}"
                                              " WHERE activity_id IS NOT NULL").fetchall())
    return found


@pytest.mark.parametrize("pack", ["real handbook", "test pack"])
def test_demo_data_refers_only_to_activities_the_pack_has(tmp_path, pack):
    from tracker import content
    from tracker.demo import DEMO_ACTIVITIES
    app = app_with_demo_data(tmp_path, ROOT if pack == "real handbook" else TEST_PACK)
    with app.app_context():
        activities = content.project().activities
        assert set(DEMO_ACTIVITIES) <= set(activities), "the pack lacks activities the demo is about"
    referred = activities_referred_to(app)
    assert referred["records"] and referred["plan_items"] and referred["reflections"]
    for table, pairs in referred.items():
        for activity_id, title in pairs:
            assert activity_id in activities, f"{table} refers to activity {activity_id}, which the {pack} lacks"
            assert title in (None, activities[activity_id].title), (table, activity_id, title)
    with app.app_context():
        first_team = {a for (a,) in get_db().execute(
            "SELECT DISTINCT r.activity_id FROM records r JOIN users u ON u.id = r.inductee_id"
            " WHERE u.email IN ('inductee@example.org', 'inductee2@example.org', 'cymraeg@example.org')")}
    assert first_team == set(DEMO_ACTIVITIES)  # the second team's go as far as each person's stage


def test_demo_data_leaves_out_the_activities_a_pack_lacks(tmp_path):
    project = make_project(tmp_path / "pack")  # activity 1.1 only
    app = app_with_demo_data(tmp_path, project)
    referred = activities_referred_to(app)
    assert {activity_id for pairs in referred.values() for activity_id, _ in pairs} == {"1.1"}
    with app.app_context():
        assert get_db().execute("SELECT activity_id FROM reflections").fetchall() == [(None,)]


def test_the_readmes_demo_table_says_what_demo_data_makes(tmp_path):
    """The README's table of demo accounts counts each person's records by state, as run.sh's demo makes
    them on the real handbook: a newcomer checks the tracker against it."""
    import re

    from tracker import create_app
    from tracker.demo import INVITED, PEOPLE, create_demo_data
    from tracker.records import STATE_LABELS

    app = create_app(tracker_config(tmp_path, CONTENT_ROOT=str(ROOT)))
    with app.app_context():
        db = get_db()
        create_demo_data(db)
        made = {email: {} for email, _, _ in PEOPLE}
        for row in db.query("SELECT u.email, r.state, count(*) AS n FROM records r JOIN users u ON u.id = r.inductee_id"
                            " GROUP BY u.email, r.state"):
            made.setdefault(row["email"], {})[row["state"]] = row["n"]
    words = {"signed_off": "signed off", "done": "marked done", "submitted": "waiting for sign-off",
             "returned": "returned", "in_progress": "in progress"}
    assert set(words) <= set(STATE_LABELS)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for email, _name, role in PEOPLE + [INVITED]:
        row = re.search(rf"^\| `{re.escape(email)}` \| (.+) \|$", readme, re.M)
        assert row, f"the README's demo table has no row for {email}"
        if role != "inductee" or email == INVITED[0]:
            continue
        said = {state: int(n) for n, label in re.findall(r"(\d+) (signed off|marked done|waiting for sign-off|"
                                                         r"returned|in progress)", row[1])
                for state, word in words.items() if word == label}
        assert said == made[email], f"{email}: the README says {said}, demo-data makes {made[email]}"
