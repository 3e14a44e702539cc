"""Activity records end to end through the real app: states, audit trail, evidence, bad input."""
from __future__ import annotations

import io
import re
import sqlite3

import pytest

from factories import make_record
from helpers import PNG, post
from tracker import records
from tracker.db import get_db


def audit_rows(app, **where):
    with app.app_context():
        clause = " AND ".join(f"{k} = ?" for k in where)
        return list(get_db().query(f"SELECT * FROM audit_log WHERE {clause} ORDER BY id", list(where.values())))


def record_row(app, inductee, activity):
    with app.app_context():
        return records.get(get_db(), inductee, activity)


def test_full_cycle_writes_an_audit_entry_for_every_transition(tracker_app, people, signed_in):
    inductee = signed_in("inductee@example.org")
    manager = signed_in("manager@example.org")
    d = people["dafydd"]
    base = f"/records/{d}/1.4"
    assert post(inductee, f"{base}/evidence/text", {"body": "Two lists, ticked and crossed."}).status_code == 302
    assert post(inductee, f"{base}/submit", {"confirm": "y"}).status_code == 302
    assert record_row(tracker_app, d, "1.4")["state"] == "submitted"
    assert post(manager, f"{base}/return", {"comment": "Add the Part 2 discussion."}).status_code == 302
    page = inductee.get(base).get_data(as_text=True)
    assert "Returned for changes" in page and "Add the Part 2 discussion." in page
    assert post(inductee, f"{base}/notes", {"notes": "Part 2: discussed with my manager."}).status_code == 302
    assert post(inductee, f"{base}/submit", {"confirm": "y"}).status_code == 302
    assert post(manager, f"{base}/sign-off", {"comment": "Good."}).status_code == 302
    row = record_row(tracker_app, d, "1.4")
    assert row["state"] == "signed_off" and row["signed_off_by"] == people["rhian"]

    moves = [(a["action"], a["from_state"], a["to_state"], a["actor_id"])
             for a in audit_rows(tracker_app, record_id=row["id"]) if a["to_state"]]
    assert moves == [
        ("record.save", "not_started", "in_progress", d),  # from the demo data
        ("record.submit", "in_progress", "submitted", d),
        ("record.return", "submitted", "returned", people["rhian"]),
        ("record.submit", "returned", "submitted", d),
        ("record.sign_off", "submitted", "signed_off", people["rhian"]),
    ]
    assert all(a["at"] for a in audit_rows(tracker_app, record_id=row["id"]))


def test_signed_off_record_cannot_be_edited_until_a_manager_reopens_it(tracker_app, people, signed_in):
    inductee = signed_in("inductee@example.org")
    manager = signed_in("manager@example.org")
    d = people["dafydd"]
    before = record_row(tracker_app, d, "1.1")
    assert before["state"] == "signed_off"
    response = post(inductee, f"/records/{d}/1.1/notes", {"notes": "sneaky change"})
    assert response.status_code == 303
    assert record_row(tracker_app, d, "1.1")["notes"] == before["notes"]
    assert "Save notes" not in inductee.get(f"/records/{d}/1.1").get_data(as_text=True)

    assert post(manager, f"/records/{d}/1.1/reopen", {"comment": ""}).status_code == 400  # a reason is required
    assert post(manager, f"/records/{d}/1.1/reopen", {"comment": "Needs the witness's role."}).status_code == 302
    reopened = audit_rows(tracker_app, record_id=before["id"], action="record.reopen")
    assert reopened and reopened[0]["actor_id"] == people["rhian"] and reopened[0]["detail"] == "with comment"
    assert "Needs the witness's role." in manager.get(f"/records/{d}/1.1").get_data(as_text=True).replace("&#39;", "'")
    assert post(inductee, f"/records/{d}/1.1/notes", {"notes": "updated after reopening"}).status_code == 302
    assert record_row(tracker_app, d, "1.1")["notes"] == "updated after reopening"


def test_audit_log_is_append_only(tracker_app):
    with tracker_app.app_context():
        db = get_db()
        assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] > 0
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("UPDATE audit_log SET action = 'forged'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("DELETE FROM audit_log")


def test_manager_cannot_sign_off_twice(tracker_app, people, signed_in):
    manager = signed_in("manager@example.org")
    d = people["dafydd"]
    assert post(manager, f"/records/{d}/2.1/sign-off").status_code == 302
    assert post(manager, f"/records/{d}/2.1/sign-off").status_code == 303  # already signed off
    assert len(audit_rows(tracker_app, action="record.sign_off", activity_id="2.1")) == 1


def test_submitting_an_empty_record_is_refused_with_a_message(tracker_app, people, signed_in):
    inductee = signed_in("inductee@example.org")
    d = people["dafydd"]
    assert post(inductee, f"/records/{d}/2.2/notes", {"notes": ""}).status_code == 302
    response = post(inductee, f"/records/{d}/2.2/submit", {"confirm": "y"})
    assert response.status_code == 400
    assert "Add notes or evidence before you submit" in response.get_data(as_text=True)
    # The same for marking done an activity that needs no sign-off (1.6).
    assert post(inductee, f"/records/{d}/1.6/notes", {"notes": ""}).status_code == 302
    response = post(inductee, f"/records/{d}/1.6/done")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'class="govuk-error-summary"' in html
    assert "Add notes or evidence before you mark this activity as done" in html
    assert record_row(tracker_app, d, "1.6")["state"] == "in_progress"


# ---- bad input: messages, nothing lost, never a 500 ---------------------------------

BAD_FORMS = [
    ("notes too long", "/records/{d}/1.4/notes", {"notes": "x" * 20_001 + "KEEP-ME"},
     "Notes must be 20,000 characters or fewer", "KEEP-ME"),
    ("witness without a name", "/records/{d}/1.4/evidence/witness",
     {"witness_role": "Senior EWO", "statement": "She ran the meeting well KEEP-ME"},
     "Enter the witness&#39;s name", "KEEP-ME"),
    ("written evidence empty", "/records/{d}/1.4/evidence/text", {"body": "   "}, "Enter the written evidence", None),
    ("submit without confirming", "/records/{d}/1.4/submit", {}, "Confirm the record is your own work", None),
    ("plan date not a date", "/plan/{d}", {"start_date": "31/12/2026", "target-1-4": "next week KEEP-ME"},
     "Start date must be a real date", "next week KEEP-ME"),
    ("unknown evidence kind", "/records/{d}/1.4/evidence/video", {"body": "x"}, None, None),
]


@pytest.mark.parametrize("label,url,data,message,kept", BAD_FORMS, ids=[b[0] for b in BAD_FORMS])
def test_bad_input_shows_what_to_fix_and_keeps_what_was_typed(
        tracker_app, people, signed_in, label, url, data, message, kept):
    inductee = signed_in("inductee@example.org")
    response = post(inductee, url.format(d=people["dafydd"]), data)
    html = response.get_data(as_text=True)
    if message is None:
        assert response.status_code == 404
        return
    assert response.status_code == 400
    assert 'class="govuk-error-summary"' in html and message in html
    assert html.startswith("<!DOCTYPE html>") and "<title>Error: " in html
    if kept:
        assert kept in html


def test_manager_return_without_comment_is_refused(tracker_app, people, signed_in):
    manager = signed_in("manager@example.org")
    response = post(manager, f"/records/{people['dafydd']}/2.1/return", {"comment": ""})
    assert response.status_code == 400
    assert "Say what the inductee needs to change" in response.get_data(as_text=True)
    assert record_row(tracker_app, people["dafydd"], "2.1")["state"] == "submitted"


# ---- uploads ---------------------------------------------------------------------------

def upload(client, d, name, data, description="Photo of my lists"):
    return post(client, f"/records/{d}/1.4/evidence/file",
                {"upload": (io.BytesIO(data), name), "description": description},
                content_type="multipart/form-data")


def test_upload_is_stored_outside_the_web_root_and_downloads_for_the_manager(tracker_app, people, signed_in):
    inductee = signed_in("inductee@example.org")
    response = upload(inductee, people["dafydd"], "lists.png", PNG)
    assert response.status_code == 302
    with tracker_app.app_context():
        item = next(get_db().query("SELECT * FROM evidence WHERE kind = 'file'"))
    assert item["file_name"] == "lists.png" and re.fullmatch(r"[0-9a-f]{32}", item["stored_name"])
    stored = tracker_app.config["UPLOAD_FOLDER"] + "/" + item["stored_name"]
    assert open(stored, "rb").read() == PNG
    assert tracker_app.test_client().get(f"/static/{item['stored_name']}").status_code == 404
    manager = signed_in("manager@example.org")
    download = manager.get(f"/evidence/{item['id']}/file")
    assert download.status_code == 200 and download.data == PNG
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("name,data,message", [
    ("virus.exe", b"MZ\x90\x00" + b"\x00" * 100, "The file must be a JPG, PNG"),
    ("fake.png", b"this is not an image at all", "do not look like a .png file"),
    ("empty.pdf", b"", "The selected file is empty"),
    ("notes.txt", b"\xff\xfe\x00binary", "do not look like a .txt file"),
])
def test_wrong_type_uploads_are_refused(tracker_app, people, signed_in, name, data, message):
    inductee = signed_in("inductee@example.org")
    response = upload(inductee, people["dafydd"], name, data, description="KEEP-THIS-DESCRIPTION")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html and "KEEP-THIS-DESCRIPTION" in html
    with tracker_app.app_context():
        assert get_db().execute("SELECT count(*) FROM evidence WHERE kind = 'file'").fetchone()[0] == 0
    import os
    folder = tracker_app.config["UPLOAD_FOLDER"]
    assert not os.path.isdir(folder) or os.listdir(folder) == []


def test_oversized_upload_is_refused(tracker_app, people, signed_in):
    tracker_app.config["MAX_UPLOAD_BYTES"] = 1024
    inductee = signed_in("inductee@example.org")
    response = upload(inductee, people["dafydd"], "big.png", PNG + b"\x00" * 2048)
    assert response.status_code == 400 and "The file must be smaller than" in response.get_data(as_text=True)


def test_request_bigger_than_the_limit_gets_a_friendly_413(tracker_app, people, signed_in):
    tracker_app.config["MAX_CONTENT_LENGTH"] = 4096
    inductee = signed_in("inductee@example.org")
    response = upload(inductee, people["dafydd"], "huge.png", PNG + b"\x00" * 10_000)
    assert response.status_code == 413 and "The file is too big" in response.get_data(as_text=True)


# ---- content changes ---------------------------------------------------------------

def test_records_of_an_activity_removed_from_the_handbook_stay_visible_and_flagged(tracker_app, people, signed_in):
    d = people["dafydd"]
    make_record(tracker_app, d, "1.9", "signed_off", title="An activity that was removed", notes="old notes")
    inductee = signed_in("inductee@example.org")
    dashboard = inductee.get("/my-induction").get_data(as_text=True)
    assert "An activity that was removed" in dashboard and "No longer in the handbook" in dashboard
    page = inductee.get(f"/records/{d}/1.9")
    assert page.status_code == 200 and "old notes" in page.get_data(as_text=True)
    assert "no longer in the handbook" in page.get_data(as_text=True)
    manager = signed_in("manager@example.org")
    assert manager.get(f"/team/{d}").status_code == 200
    assert manager.get("/team").status_code == 200
    assert manager.get("/activities/1.9").status_code == 200
    assert post(inductee, f"/records/{d}/1.9/notes", {"notes": "x"}).status_code == 404


def test_record_page_links_to_the_handbook(tracker_app, people, signed_in):
    inductee = signed_in("inductee@example.org")
    html = inductee.get(f"/records/{people['dafydd']}/1.4").get_data(as_text=True)
    assert 'href="/section-1/activities/1-04.html"' in html


def test_fast_record_links_match_the_router(tracker_app):
    from flask import url_for
    with tracker_app.test_request_context("/", environ_base={"SCRIPT_NAME": "/tracker"}):
        record_url = tracker_app.jinja_env.globals["record_url"]
        for inductee, activity in [(3, "1.4"), (12, "2.13"), (7, "1.99")]:
            assert record_url(inductee, activity) == url_for("records.record", inductee_id=inductee,
                                                             activity_id=activity)


# ---- activities that need no manager sign-off (sign_off: false) ---------------------------

def completed_label(html: str, who: str) -> tuple[int, int]:
    """(complete, required) from a progress bar's label, e.g. 'Dafydd Morgan: 2 of 37 complete'."""
    match = re.search(rf'aria-label="{re.escape(who)}: (\d+) of (\d+) (?:activities )?complete"', html)
    assert match, f"no progress label for {who}"
    return int(match.group(1)), int(match.group(2))


def pending_table(html: str) -> str:
    return html.split('id="pending"')[1].split("</table>")[0]


def test_activity_without_sign_off_is_complete_once_marked_done_and_never_queued(tracker_app, people, signed_in):
    d = people["dafydd"]
    inductee = signed_in("inductee@example.org")
    manager = signed_in("manager@example.org")
    done_before, required = completed_label(manager.get("/team").get_data(as_text=True), "Dafydd Morgan")
    assert done_before == 2  # the demo data: 1.1 signed off, 1.2 marked done

    page = inductee.get(f"/records/{d}/1.3").get_data(as_text=True)
    assert "Manager sign-off not required: it is complete when you mark it done" in page
    assert ">Mark as done</button>" in page
    assert "Check and submit for sign-off" not in page and "submit for sign-off" not in page.lower().split("<main")[1]
    # The submit-for-sign-off path is not offered, and refused if asked for directly.
    check = inductee.get(f"/records/{d}/1.3/submit")
    assert check.status_code == 303 and check.location.endswith(f"/records/{d}/1.3")
    assert post(inductee, f"/records/{d}/1.3/submit", {"confirm": "y"}).status_code == 303
    assert record_row(tracker_app, d, "1.3")["state"] == "in_progress"

    assert post(inductee, f"/records/{d}/1.3/done").status_code == 302
    row = record_row(tracker_app, d, "1.3")
    assert row["state"] == "done" and row["done_at"] and row["submitted_at"] is None
    page = inductee.get(f"/records/{d}/1.3").get_data(as_text=True)
    assert "Marked as done. This activity needs no sign-off, so it is complete." in page
    assert 'govuk-tag--green">Done<' in page and 'id="done-note"' in page
    assert "In progress → Done" in page
    assert "Save notes" in page  # still the inductee's to add to
    assert post(inductee, f"/records/{d}/1.3/notes", {"notes": "Added a Now what? step."}).status_code == 302
    assert record_row(tracker_app, d, "1.3")["state"] == "done"
    moves = [(a["from_state"], a["to_state"])
             for a in audit_rows(tracker_app, record_id=row["id"], action="record.mark_done")]
    assert moves == [("in_progress", "done")]

    # Progress counts it complete for both people; it never reaches the manager's queue.
    mine = inductee.get("/my-induction").get_data(as_text=True)
    assert completed_label(mine, "Whole induction") == (done_before + 1, required)
    assert 'id="status-1-3"><strong class="govuk-tag govuk-tag--green">Done</strong>' in mine
    team = manager.get("/team").get_data(as_text=True)
    assert completed_label(team, "Dafydd Morgan") == (done_before + 1, required)
    assert "1.3 " not in pending_table(team) and "1.2 " not in pending_table(team)
    overdue = [line for line in team.split('<h2 class="govuk-heading-m">Overdue</h2>')[1].splitlines()
               if "Dafydd Morgan:" in line]
    assert overdue and not any("1.3 " in line for line in overdue)
    manager_view = manager.get(f"/records/{d}/1.3").get_data(as_text=True)
    assert "Your decision" not in manager_view
    assert "Manager sign-off not required: complete when the inductee marks it done" in manager_view
    # The portfolio lists it with the completed activities, as needing no sign-off.
    portfolio = manager.get(f"/portfolio/{d}").get_data(as_text=True)
    completed = portfolio.split('id="portfolio-activities"')[1].split("</section>")[0]
    item = completed.split("1.3 Reflecting on my beliefs and values")[1].split("</div>")[0]
    assert "Marked as done on" in item and "no manager sign-off needed" in item
    assert f"{done_before + 1} of {required} required activities complete" in portfolio


def test_activity_with_sign_off_still_needs_it(tracker_app, people, signed_in):
    d = people["dafydd"]
    inductee = signed_in("inductee@example.org")
    manager = signed_in("manager@example.org")
    page = inductee.get(f"/records/{d}/1.4").get_data(as_text=True)
    assert "Manager sign-off required" in page and "Check and submit for sign-off" in page
    assert "Mark as done" not in page
    assert post(inductee, f"/records/{d}/1.4/done").status_code == 303  # refused
    assert record_row(tracker_app, d, "1.4")["state"] == "in_progress"
    done_before, required = completed_label(manager.get("/team").get_data(as_text=True), "Dafydd Morgan")

    assert post(inductee, f"/records/{d}/1.4/submit", {"confirm": "y"}).status_code == 302
    team = manager.get("/team").get_data(as_text=True)
    assert "1.4 The reasons behind absence" in pending_table(team)
    assert completed_label(team, "Dafydd Morgan") == (done_before, required)  # waiting is not complete
    assert post(manager, f"/records/{d}/1.4/sign-off").status_code == 302
    team = manager.get("/team").get_data(as_text=True)
    assert completed_label(team, "Dafydd Morgan") == (done_before + 1, required)
    assert "1.4 " not in pending_table(team)


def test_record_submitted_before_the_rule_leaves_the_queue_and_can_be_marked_done(tracker_app, people, signed_in):
    """A record of an activity without sign-off that was submitted before sign_off: false was honoured."""
    d = people["dafydd"]
    make_record(tracker_app, d, "1.6", "submitted", title="Old title", notes="Finished it.",
                submitted_at="2026-11-01T10:00:00Z")
    manager = signed_in("manager@example.org")
    assert "1.6 " not in pending_table(manager.get("/team").get_data(as_text=True))
    inductee = signed_in("inductee@example.org")
    page = inductee.get(f"/records/{d}/1.6").get_data(as_text=True)
    assert "no longer needs your manager's sign-off" in page and ">Mark as done</button>" in page
    assert post(inductee, f"/records/{d}/1.6/done").status_code == 302
    assert record_row(tracker_app, d, "1.6")["state"] == "done"


# ---- the record page is one form: nothing typed is lost ------------------------------------

def notes_of(app, inductee, activity):
    return record_row(app, inductee, activity)["notes"]


def evidence_count(app):
    with app.app_context():
        return get_db().execute("SELECT count(*) FROM evidence").fetchone()[0]


def test_every_button_on_the_record_page_saves_the_typed_notes(tracker_app, people, signed_in):
    d = people["dafydd"]
    inductee = signed_in("inductee@example.org")
    page = inductee.get(f"/records/{d}/1.4").get_data(as_text=True)
    form = page.split('<form method="post" enctype="multipart/form-data" id="record-form"')[1].split("</form>")[0]
    for button in ("Save notes", "Add written evidence", "Upload file", "Add witness testimony",
                   "Check and submit for sign-off"):
        assert button in form, f"{button} is not in the record page's one form"
    assert 'name="notes"' in form and 'name="body"' in form and 'name="statement"' in form

    response = post(inductee, f"/records/{d}/1.4/evidence/text",
                    {"notes": "Typed, not saved: one", "body": "Two lists."})
    assert response.status_code == 302
    assert notes_of(tracker_app, d, "1.4") == "Typed, not saved: one"
    page = inductee.get(response.location).get_data(as_text=True)
    assert "Evidence added. Your notes have been saved." in page
    assert "Remove<" in page.split('id="record-form"')[1].split("</form>")[0]  # no form inside the form

    response = post(inductee, f"/records/{d}/1.4/evidence/file",
                    {"notes": "Typed, not saved: two", "upload": (io.BytesIO(PNG), "lists.png"),
                     "description": "Photo"},
                    content_type="multipart/form-data")
    assert response.status_code == 302 and notes_of(tracker_app, d, "1.4") == "Typed, not saved: two"

    with tracker_app.app_context():
        evidence_id = get_db().execute("SELECT max(id) FROM evidence").fetchone()[0]
    response = post(inductee, f"/evidence/{evidence_id}/delete", {"notes": "Typed, not saved: three"})
    assert response.status_code == 302 and notes_of(tracker_app, d, "1.4") == "Typed, not saved: three"

    response = post(inductee, f"/records/{d}/1.4/save-and-check", {"notes": "Typed, not saved: four"})
    assert response.status_code == 302 and response.location.endswith(f"/records/{d}/1.4/submit")
    assert notes_of(tracker_app, d, "1.4") == "Typed, not saved: four"
    assert "Typed, not saved: four" in inductee.get(response.location).get_data(as_text=True)

    response = post(inductee, f"/records/{d}/1.3/done", {"notes": "Typed, not saved: five"})
    assert response.status_code == 302 and notes_of(tracker_app, d, "1.3") == "Typed, not saved: five"
    assert record_row(tracker_app, d, "1.3")["state"] == "done"


def test_save_notes_also_adds_evidence_typed_on_the_page(tracker_app, people, signed_in):
    """Enter in a field presses the first button, "Save notes": what was typed elsewhere is saved too."""
    d = people["dafydd"]
    inductee = signed_in("inductee@example.org")
    before = evidence_count(tracker_app)
    response = post(inductee, f"/records/{d}/1.4/notes", {"notes": "Notes", "witness_name": "Siân Hughes",
                                                          "witness_role": "Senior EWO", "statement": "She saw it."})
    assert response.status_code == 302
    assert notes_of(tracker_app, d, "1.4") == "Notes" and evidence_count(tracker_app) == before + 1
    page = inductee.get(f"/records/{d}/1.4").get_data(as_text=True)
    assert "She saw it." in page and "Witness: Siân Hughes, Senior EWO" in page


@pytest.mark.parametrize("url,data,message", [
    ("/records/{d}/1.4/evidence/text", {"body": "  "}, "Enter the written evidence"),
    ("/records/{d}/1.4/notes", {"witness_name": "Half-typed witness KEEP-2"}, "Enter the witness&#39;s role"),
    ("/records/{d}/1.4/evidence/witness", {"body": "Written KEEP-2"}, "Enter the witness&#39;s name"),
])
def test_when_something_needs_fixing_nothing_is_saved_and_everything_typed_is_shown_again(
        tracker_app, people, signed_in, url, data, message):
    d = people["dafydd"]
    inductee = signed_in("inductee@example.org")
    notes_before, count_before = notes_of(tracker_app, d, "1.4"), evidence_count(tracker_app)
    response = post(inductee, url.format(d=d), {"notes": "Typed notes KEEP-1", **data})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'class="govuk-error-summary"' in html and message in html
    assert ">Typed notes KEEP-1</textarea>" in html
    if "KEEP-2" in str(data):
        assert "KEEP-2" in html
        assert html.count("<details class=\"govuk-details\" open>") >= 1  # the part with the typing is open
    assert notes_of(tracker_app, d, "1.4") == notes_before and evidence_count(tracker_app) == count_before


def test_a_chosen_file_is_asked_for_again_when_something_else_needs_fixing(tracker_app, people, signed_in):
    d = people["dafydd"]
    inductee = signed_in("inductee@example.org")
    count_before = evidence_count(tracker_app)
    response = post(inductee, f"/records/{d}/1.4/evidence/text",
                    {"notes": "n", "body": "", "upload": (io.BytesIO(PNG), "lists.png"), "description": "Photo KEEP"},
                    content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Choose the file again" in html and 'value="Photo KEEP"' in html
    assert evidence_count(tracker_app) == count_before
    import os
    folder = tracker_app.config["UPLOAD_FOLDER"]
    assert not os.path.isdir(folder) or os.listdir(folder) == []


def test_a_post_without_the_notes_field_leaves_the_notes_alone(tracker_app, people, signed_in):
    d = people["dafydd"]
    inductee = signed_in("inductee@example.org")
    before = notes_of(tracker_app, d, "1.4")
    assert before
    assert post(inductee, f"/records/{d}/1.4/evidence/text", {"body": "From a script"}).status_code == 302
    assert notes_of(tracker_app, d, "1.4") == before


