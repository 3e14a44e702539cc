"""Pinned content: a record keeps the activity as it was when it was
started, submitted and signed off; editing or removing the activity never changes that."""
from __future__ import annotations

import shutil

import pytest

from helpers import TEST_PACK, query, tracker_config
from tracker import create_app, pinned, records
from tracker.db import get_db

TEST_PACK_ACTIVITY = "1.1"


@pytest.fixture
def pack(tmp_path):
    """A copy of the test pack that a test may edit, as an author edits the handbook."""
    copy = tmp_path / "pack"
    shutil.copytree(TEST_PACK, copy)
    return copy


def app_on(tmp_path, pack):
    return create_app(tracker_config(tmp_path, CONTENT_ROOT=str(pack)))


def signed_off_record(app, inductee: int, manager: int, activity: str = TEST_PACK_ACTIVITY) -> int:
    with app.app_context():
        db = get_db()
        record = records.save_notes(db, inductee, activity, "title", "My notes.", inductee)
        records.transition(db, record["id"], "submit", inductee)
        records.transition(db, record["id"], "sign_off", manager)
        return record["id"]


def people(app) -> tuple[int, int]:
    from tracker import accounts
    with app.app_context():
        db = get_db()
        manager = accounts.create_user(db, email="m@example.org", name="Manager", role="manager",
                                       password="a-long-password-1")
        inductee = accounts.create_user(db, email="i@example.org", name="Inductee", role="inductee",
                                        password="a-long-password-1", manager_ids=[manager])
    return inductee, manager


def test_a_record_keeps_the_versions_it_was_started_submitted_and_signed_off_against(tmp_path, pack):
    app = app_on(tmp_path, pack)
    inductee, manager = people(app)
    record_id = signed_off_record(app, inductee, manager)
    record = query(app, "SELECT * FROM records WHERE id = ?", [record_id])[0]
    with app.app_context():
        version = pinned.current(TEST_PACK_ACTIVITY)[0]
    assert record["started_version"] == record["submitted_version"] == record["signed_off_version"] == version
    snapshot = query(app, "SELECT * FROM content_snapshots WHERE version = ?", [version])[0]
    assert snapshot["item_id"] == TEST_PACK_ACTIVITY and snapshot["kind"] == "activity"


def test_editing_the_activity_after_sign_off_keeps_the_old_text_and_shows_what_changed(tmp_path, pack):
    app = app_on(tmp_path, pack)
    inductee, manager = people(app)
    record_id = signed_off_record(app, inductee, manager)
    yaml_file = pack / "activities/1-1.yml"
    with app.app_context():
        old = pinned.pinned(get_db(), records.get_by_id(get_db(), record_id)["signed_off_version"])
    first_prompt = old["parts"][0]["prompts"][0]
    text = yaml_file.read_text(encoding="utf-8")
    assert first_prompt in text
    yaml_file.write_text(text.replace(first_prompt, "A brand new question nobody was asked?"), encoding="utf-8")

    edited = app_on(tmp_path, pack)  # the tracker restarted on the edited handbook, same database
    with edited.app_context():
        db = get_db()
        record = records.get_by_id(db, record_id)
        then = pinned.pinned(db, record["signed_off_version"])
        assert then["parts"][0]["prompts"][0] == first_prompt  # as it was when signed off
        now = pinned.current(TEST_PACK_ACTIVITY)
        assert now[0] != record["signed_off_version"]
        assert ("removed", f"  {first_prompt}") in pinned.changes(then, now[1])
        assert ("added", "  A brand new question nobody was asked?") in pinned.changes(then, now[1])
        assert [r["id"] for r in pinned.changed_since_sign_off(db, [inductee])] == [record_id]


def test_a_removed_activity_still_shows_its_pinned_text(tmp_path, pack):
    app = app_on(tmp_path, pack)
    inductee, manager = people(app)
    record_id = signed_off_record(app, inductee, manager)
    (pack / "activities/1-1.yml").unlink()
    removed = app_on(tmp_path, pack)
    with removed.app_context():
        db = get_db()
        record = records.get_by_id(db, record_id)
        assert pinned.current(TEST_PACK_ACTIVITY) is None
        assert pinned.pinned(db, record["signed_off_version"])["id"] == TEST_PACK_ACTIVITY
        assert pinned.changed_since_sign_off(db, [inductee])[0]["current_version"] is None


def test_an_unchanged_activity_is_not_listed_and_a_snapshot_never_changes(tmp_path, pack):
    app = app_on(tmp_path, pack)
    inductee, manager = people(app)
    signed_off_record(app, inductee, manager)
    with app.app_context():
        db = get_db()
        assert pinned.changed_since_sign_off(db, [inductee]) == []
        with pytest.raises(Exception, match="never changes"):
            db.execute("UPDATE content_snapshots SET canonical = '{}'")


def test_the_record_page_portfolio_and_pdf_show_the_activity_as_it_was(tmp_path, pack):
    """The activity is edited after sign-off; what people see still holds the old text."""
    import io

    from pypdf import PdfReader

    from helpers import login

    app = app_on(tmp_path, pack)
    inductee, manager = people(app)
    signed_off_record(app, inductee, manager)
    yaml_file = pack / "activities/1-1.yml"
    with app.app_context():
        old_prompt = pinned.current(TEST_PACK_ACTIVITY)[1]["parts"][0]["prompts"][0]
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8").replace(old_prompt, "A brand new question?"),
                         encoding="utf-8")
    edited = app_on(tmp_path, pack)
    client = edited.test_client()
    assert login(client, "i@example.org", "a-long-password-1").status_code == 302
    for url in (f"/records/{inductee}/{TEST_PACK_ACTIVITY}", f"/portfolio/{inductee}"):
        page = client.get(url).get_data(as_text=True)
        assert "The activity has changed since this was signed off." in page, url
        assert " ".join(old_prompt.split()) in page and "A brand new question?" in page, url
    pdf = PdfReader(io.BytesIO(client.get(f"/portfolio/{inductee}/pdf").data))
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert "The activity has changed since this was signed off." in text
    assert " ".join(old_prompt.split())[:40] in text


def test_the_managers_team_page_lists_records_whose_activity_changed(tmp_path, pack):
    from helpers import login

    app = app_on(tmp_path, pack)
    inductee, manager = people(app)
    signed_off_record(app, inductee, manager)
    client = app.test_client()
    assert login(client, "m@example.org", "a-long-password-1").status_code == 302
    assert "Activities changed since they were signed off" not in client.get("/team").get_data(as_text=True)
    yaml_file = pack / "activities/1-1.yml"
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8").replace("evidence:", "evidence:\n  - A new item.", 1),
                         encoding="utf-8")
    client = app_on(tmp_path, pack).test_client()
    assert login(client, "m@example.org", "a-long-password-1").status_code == 302
    page = client.get("/team").get_data(as_text=True)
    assert "Activities changed since they were signed off" in page and f"/records/{inductee}/1.1" in page
