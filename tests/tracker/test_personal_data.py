"""Personal data is found by one table of rules: every table and column that names a person is in it."""
from __future__ import annotations

import sqlite3

from tracker import create_app
from tracker.personal_data import ABOUT_PERSON


def test_every_column_referring_to_a_person_is_covered_by_subject_access_and_erasure(tmp_path):
    create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(tmp_path / "t.sqlite"),
                "UPLOAD_FOLDER": str(tmp_path / "uploads"), "MIGRATE_ON_START": True})
    conn = sqlite3.connect(tmp_path / "t.sqlite")
    tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    naming_people = {
        table: {fk[3] for fk in conn.execute(f"PRAGMA foreign_key_list({table})") if fk[2] == "users"}
        for table in tables}
    naming_people["audit_log"] = {"actor_id", "subject_id"}  # ids without a foreign key: the log outlives people
    naming_people = {t: columns for t, columns in naming_people.items() if columns}
    missing = sorted(set(naming_people) - set(ABOUT_PERSON))
    assert missing == [], f"tables naming a person but unknown to subject access and erasure: {missing}"
    for table, columns in naming_people.items():
        holds = ABOUT_PERSON[table]
        covered = set(holds.about) | set(holds.erase_by) | set(holds.names_actor)
        assert columns <= covered, f"{table}: {sorted(columns - covered)} not in personal_data.ABOUT_PERSON"
        if not holds.about:
            assert holds.with_parent in ABOUT_PERSON, f"{table} has no columns of its own and no parent"
    assert set(ABOUT_PERSON) <= set(tables)


def test_every_folder_the_tracker_writes_is_covered_by_erasure(tracker_app):
    """A new folder setting (…_FOLDER) for files that can be about a person must say how erasure finds
    that person's files there."""
    from tracker.personal_data import FILES_ABOUT_PERSON
    folders = {key for key in tracker_app.config if key.endswith("_FOLDER")}
    missing = sorted(folders - set(FILES_ABOUT_PERSON))
    assert folders == set(FILES_ABOUT_PERSON), f"folders unknown to erasure: {missing}"
