"""Reflective log, quizzes in the tracker, development plans, supervision, portfolio, personal data."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from helpers import PNG, csrf_token, login, post, query
from tracker import accounts, records
from tracker.db import get_db


# ---- reflective log --------------------------------------------------------------

REFLECTION = {"entry_date": "2026-11-20", "title": "Home visit", "what": "I visited a family with a colleague.",
              "so_what": "I talked too much.", "now_what": "Next time I will ask more open questions."}


def test_reflection_is_private_until_shared_then_the_manager_can_comment(tracker_app, people, signed_in):
    inductee = signed_in("inductee@example.org")
    manager = signed_in("manager@example.org")
    response = post(inductee, "/reflections/new", REFLECTION)
    assert response.status_code == 302
    reflection_id = int(response.location.rsplit("/", 1)[-1])
    assert manager.get(f"/reflections/{reflection_id}").status_code == 404
    assert "Home visit" not in manager.get("/reflections").get_data(as_text=True)
    assert post(inductee, f"/reflections/{reflection_id}/share", {"share": "yes"}).status_code == 302
    assert "Home visit" in manager.get("/reflections").get_data(as_text=True)
    assert post(manager, f"/reflections/{reflection_id}/comments", {"body": "Good insight about open questions."}).status_code == 302
    assert "Good insight about open questions." in inductee.get(f"/reflections/{reflection_id}").get_data(as_text=True)
    assert post(inductee, f"/reflections/{reflection_id}/share", {"share": "no"}).status_code == 302
    assert manager.get(f"/reflections/{reflection_id}").status_code == 404


@pytest.mark.parametrize("text,warning", [
    ("We met at the family home, CF24 3AA.", "a postcode (CF24 3AA)"),
    ("Her date of birth is on file.", "a mention of a date of birth"),
    ("He was born 04/09/2015.", "a date that could be a date of birth (04/09/2015)"),
    ("I spoke to Kelly Price about the visit.", "what may be a full name (Kelly Price)"),
])
def test_identifying_details_warn_but_do_not_block(tracker_app, signed_in, text, warning):
    inductee = signed_in("inductee@example.org")
    before = len(query(tracker_app, "SELECT id FROM reflections"))
    response = post(inductee, "/reflections/new", {**REFLECTION, "what": text})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "This may identify a child or family" in html and warning in html
    assert text.split(",")[0] in html.replace("&#39;", "'")  # what was typed is kept
    assert len(query(tracker_app, "SELECT id FROM reflections")) == before
    saved = post(inductee, "/reflections/new", {**REFLECTION, "what": text, "confirmed": "yes"})
    assert saved.status_code == 302
    assert len(query(tracker_app, "SELECT id FROM reflections")) == before + 1


def test_ordinary_practice_text_saves_without_a_warning(tracker_app, signed_in):
    inductee = signed_in("inductee@example.org")
    text = "On Monday the Head Teacher and I discussed the Welsh Government guidance and Borton's model."
    assert post(inductee, "/reflections/new", {**REFLECTION, "what": text}).status_code == 302


def test_reflection_form_errors_keep_what_was_typed(tracker_app, signed_in):
    inductee = signed_in("inductee@example.org")
    response = post(inductee, "/reflections/new", {**REFLECTION, "entry_date": "yesterday", "now_what": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Say what you will do next" in html and "I talked too much." in html


# ---- quizzes ---------------------------------------------------------------------

def test_quiz_page_holds_no_answers_and_results_show_explanations(tracker_app, people, signed_in):
    from tracker.content import project
    with tracker_app.app_context():
        quiz = project().quizzes["values-and-principles"]
    inductee = signed_in("inductee2@example.org")  # Ceri has no record for the quiz's activity yet
    page = inductee.get("/quizzes/values-and-principles").get_data(as_text=True)
    for question in quiz.questions:
        assert question.explanation not in page
    right = {}
    for n, q in enumerate(quiz.questions):
        if q.kind == "single":
            right[f"q{n}"] = str(q.answer)
        elif q.kind == "multiple":
            right[f"q{n}"] = [str(i) for i in q.answers]
        elif q.kind == "true-false":
            right[f"q{n}"] = "true" if q.answer else "false"
        else:
            right[f"q{n}"] = q.accepted[0]
    response = post(inductee, "/quizzes/values-and-principles", right)
    result = inductee.get(response.location).get_data(as_text=True)
    assert "Passed" in result and f"{len(quiz.questions)} of {len(quiz.questions)} (100%)" in result
    assert quiz.questions[0].explanation.replace("'", "&#39;")[:40] in result
    # a pass counts as evidence for the linked activity, which can now be completed on that alone
    # (1.2 needs no manager sign-off, so it is marked done rather than submitted)
    with tracker_app.app_context():
        record = records.get(get_db(), people["ceri"], quiz.activity)
    assert record["state"] == "in_progress" and record["notes"] == ""
    assert "Quiz passed" in inductee.get(f"/records/{people['ceri']}/{quiz.activity}").get_data(as_text=True)
    assert post(inductee, f"/records/{people['ceri']}/{quiz.activity}/done").status_code == 302
    with tracker_app.app_context():
        assert records.get(get_db(), people["ceri"], quiz.activity)["state"] == "done"
    manager = signed_in("manager@example.org")
    assert "Ceri Williams" in manager.get("/quizzes").get_data(as_text=True)


def test_failed_quiz_is_recorded_but_is_not_evidence(tracker_app, people, signed_in):
    inductee = signed_in("inductee@example.org")
    response = post(inductee, "/quizzes/values-and-principles", {"q0": "999", "q1": "nonsense"})
    assert response.status_code == 302
    attempt = query(tracker_app, "SELECT * FROM quiz_attempts ORDER BY id DESC LIMIT 1")[0]
    assert attempt["passed"] == 0 and attempt["score"] == 0
    assert "Not passed yet" in inductee.get(response.location).get_data(as_text=True)
    assert not query(tracker_app, "SELECT * FROM quiz_attempts WHERE passed")


def test_unknown_quiz_is_404(tracker_app, signed_in):
    assert signed_in("inductee@example.org").get("/quizzes/no-such-quiz").status_code == 404


# ---- personal development plan ---------------------------------------------------

def test_pdp_keeps_every_version_and_takes_manager_comments(tracker_app, people, signed_in):
    inductee = signed_in("inductee@example.org")
    first = {"strengths": "Listening", "objective-0-objective": "Learn the SAO process", "objective-0-action": "Shadow",
             "objective-0-resources": "Senior EWO", "objective-0-when": "March", "objective-0-status": "In progress"}
    assert post(inductee, f"/pdp/{people['dafydd']}", first).status_code == 302
    assert post(inductee, f"/pdp/{people['dafydd']}", {**first, "strengths": "Listening and patience"}).status_code == 302
    versions = query(tracker_app, "SELECT * FROM pdp_versions WHERE inductee_id = ? ORDER BY version", [people["dafydd"]])
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[0]["strengths"] == "Listening" and versions[1]["strengths"] == "Listening and patience"
    assert json.loads(versions[1]["objectives"])[0]["objective"] == "Learn the SAO process"
    assert "Listening</dd>" in inductee.get(f"/pdp/{people['dafydd']}/versions/1").get_data(as_text=True).replace("\n", "")
    manager = signed_in("manager@example.org")
    assert post(manager, f"/pdp/{people['dafydd']}", {"strengths": "x"}).status_code == 403
    assert post(manager, f"/pdp/{people['dafydd']}/comments", {"body": "Add a target for court work."}).status_code == 302
    assert "Add a target for court work." in inductee.get(f"/pdp/{people['dafydd']}").get_data(as_text=True)


def test_pdp_objective_without_its_objective_is_an_error(tracker_app, people, signed_in):
    inductee = signed_in("inductee@example.org")
    response = post(inductee, f"/pdp/{people['dafydd']}", {"strengths": "Kept text", "objective-1-action": "Read the guidance"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Write objective 2, or clear its row" in html
    assert "Kept text" in html and 'value="Read the guidance"' in html


# ---- supervision -----------------------------------------------------------------

def test_session_actions_carry_forward_until_done_and_inductee_confirms(tracker_app, people, signed_in):
    d = people["dafydd"]
    manager = signed_in("manager@example.org")
    inductee = signed_in("inductee@example.org")
    carried = query(tracker_app, "SELECT * FROM supervision_actions WHERE inductee_id = ? AND done_at IS NULL", [d])
    assert len(carried) == 1
    form = manager.get(f"/supervision/{d}/sessions/new").get_data(as_text=True)
    assert carried[0]["description"] in form
    response = post(manager, f"/supervision/{d}/sessions/new", {
        "session_date": "2026-11-24", "agenda": "Review the first month", "decisions": "Move on to Section 2",
        "action-0-description": "Shadow a home visit", "action-0-owner": "inductee", "action-0-due": "2026-12-05"})
    assert response.status_code == 302
    session_id = int(response.location.rsplit("/", 1)[-1])
    open_now = query(tracker_app, "SELECT description FROM supervision_actions WHERE inductee_id = ? AND done_at IS NULL", [d])
    assert {a["description"] for a in open_now} == {carried[0]["description"], "Shadow a home visit"}  # not ticked: carried
    response = post(manager, f"/supervision/{d}/sessions/new", {
        "session_date": "2026-12-08", "agenda": "Check actions", "done": str(carried[0]["id"])})
    open_now = query(tracker_app, "SELECT description FROM supervision_actions WHERE inductee_id = ? AND done_at IS NULL", [d])
    assert [a["description"] for a in open_now] == ["Shadow a home visit"]
    assert "Waiting for the inductee to confirm" in inductee.get(f"/supervision/sessions/{session_id}").get_data(as_text=True)
    assert post(inductee, f"/supervision/sessions/{session_id}/confirm").status_code == 302
    assert query(tracker_app, "SELECT confirmed_at FROM supervision_sessions WHERE id = ?", [session_id])[0]["confirmed_at"]
    printable = inductee.get(f"/supervision/{d}/print").get_data(as_text=True)
    assert "Review the first month" in printable and "Shadow a home visit" in printable


def test_session_form_errors(tracker_app, people, signed_in):
    manager = signed_in("manager@example.org")
    response = post(manager, f"/supervision/{people['dafydd']}/sessions/new", {
        "session_date": "", "agenda": "Kept agenda", "action-0-due": "soon"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter the date of the session" in html and "Describe action 1, or clear its due date" in html
    assert "Kept agenda" in html


def test_changing_the_agreement_needs_both_to_agree_again(tracker_app, people, signed_in):
    d = people["dafydd"]
    inductee = signed_in("inductee@example.org")
    manager = signed_in("manager@example.org")
    assert query(tracker_app, "SELECT inductee_agreed_at FROM supervision_agreements WHERE inductee_id = ?", [d])[0]["inductee_agreed_at"]
    assert post(manager, f"/supervision/{d}/agreement", {"purpose": "Support and learning", "timing": "Fortnightly"}).status_code == 302
    row = query(tracker_app, "SELECT * FROM supervision_agreements WHERE inductee_id = ?", [d])[0]
    assert row["purpose"] == "Support and learning" and row["inductee_agreed_at"] is None and row["manager_agreed_at"] is None
    post(inductee, f"/supervision/{d}/agreement/agree")
    post(manager, f"/supervision/{d}/agreement/agree")
    row = query(tracker_app, "SELECT * FROM supervision_agreements WHERE inductee_id = ?", [d])[0]
    assert row["inductee_agreed_at"] and row["manager_agreed_at"] and row["manager_agreed_by"] == people["rhian"]


# ---- portfolio -------------------------------------------------------------------

def test_portfolio_pdf_is_a_valid_pdf_with_every_section(tracker_app, people, signed_in):
    inductee = signed_in("inductee@example.org")
    response = inductee.get(f"/portfolio/{people['dafydd']}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(page.extract_text() for page in reader.pages)
    for heading in ("Dafydd Morgan", "Induction progress", "Completed activities", "Shared reflections", "Quiz results",
                    "Personal development plan", "Supervision"):
        assert heading in text, heading
    assert "Finding out more about my role" in text       # activity 1.1 is signed off in the demo data
    assert "My first team meeting" in text                # the shared reflection


def test_whole_induction_sign_off_needs_every_required_activity(tracker_app, people, signed_in):
    d = people["dafydd"]
    manager = signed_in("manager@example.org")
    assert post(manager, f"/portfolio/{d}/sign-off").status_code == 303
    assert not query(tracker_app, "SELECT * FROM induction_signoffs")
    with tracker_app.app_context():
        db = get_db()
        from tracker.content import activities
        for activity in activities():
            db.execute("INSERT INTO records (inductee_id, activity_id, activity_title, state) VALUES (?, ?, ?, 'signed_off')"
                       " ON CONFLICT (inductee_id, activity_id) DO UPDATE SET state = 'signed_off'",
                       [d, activity.id, activity.title])
    assert "Sign off the whole induction" in manager.get(f"/portfolio/{d}").get_data(as_text=True)
    assert post(manager, f"/portfolio/{d}/sign-off").status_code == 302
    assert query(tracker_app, "SELECT signed_off_by FROM induction_signoffs WHERE inductee_id = ?", [d])[0]["signed_off_by"] == people["rhian"]
    assert query(tracker_app, "SELECT * FROM audit_log WHERE action = 'induction.signed_off'")


# ---- personal data -----------------------------------------------------------------

def test_subject_access_export_holds_everything_about_the_person(tracker_app, people, signed_in):
    inductee = signed_in("inductee@example.org")
    response = inductee.get("/account/export")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["account"]["email"] == "inductee@example.org" and "password_hash" not in data["account"]
    assert {r["activity_id"] for r in data["records"]} >= {"1.1", "1.2", "1.3", "1.4"}
    assert data["evidence"] and data["comments_on_records"] and data["reflections"]
    assert data["supervision_sessions"] and data["audit_log"]
    assert "Ceri Williams" not in response.get_data(as_text=True)


def test_erasure_removes_the_persons_data_and_files_and_is_audited(tracker_app, people, signed_in):
    d = people["dafydd"]
    inductee = signed_in("inductee@example.org")
    html = inductee.get(f"/records/{d}/1.4").get_data(as_text=True)
    inductee.post(f"/records/{d}/1.4/evidence/file", data={"csrf_token": csrf_token(html), "description": "lists",
                                                           "upload": (io.BytesIO(PNG), "lists.png")},
                  content_type="multipart/form-data")
    stored = query(tracker_app, "SELECT stored_name FROM evidence WHERE kind = 'file'")[0]["stored_name"]
    admin = signed_in("admin@example.org")
    refused = post(admin, f"/admin/users/{d}/erase", {"confirm_email": "wrong@example.org"})
    assert refused.status_code == 400 and query(tracker_app, "SELECT * FROM records WHERE inductee_id = ?", [d])
    assert post(admin, f"/admin/users/{d}/erase", {"confirm_email": "inductee@example.org"}).status_code == 302
    for table, column in [("records", "inductee_id"), ("reflections", "author_id"), ("supervision_sessions", "inductee_id"),
                          ("plan_items", "inductee_id"), ("quiz_attempts", "inductee_id"), ("team_members", "inductee_id")]:
        assert not query(tracker_app, f"SELECT * FROM {table} WHERE {column} = ?", [d]), table
    user = query(tracker_app, "SELECT * FROM users WHERE id = ?", [d])[0]
    assert user["name"] == "Erased user" and "inductee@example.org" not in json.dumps(user) and not user["active"]
    assert not (Path(tracker_app.config["UPLOAD_FOLDER"]) / stored).exists()
    assert query(tracker_app, "SELECT * FROM audit_log WHERE action = 'user.erased' AND subject_id = ?", [d])
    assert inductee.get("/my-induction").status_code == 302  # their session has ended
    assert login(tracker_app.test_client(), "inductee@example.org").status_code == 400


# ---- "Needs your action" on the dashboards --------------------------------------------------

def needs_section(html: str) -> str:
    """The 'Needs your action' part of a dashboard ('' if the page has none)."""
    if 'id="needs-your-action"' not in html:
        return ""
    return html.split('id="needs-your-action"')[1].split("</section>")[0]


def days(n: int) -> str:
    import datetime as dt
    return (dt.date.today() + dt.timedelta(days=n)).isoformat()


def long_date(iso: str) -> str:
    import datetime as dt
    return dt.date.fromisoformat(iso).strftime("%-d %B %Y")


def test_inductees_needs_your_action_lists_returns_sessions_to_confirm_and_actions_due(tracker_app, people, signed_in):
    d = people["dafydd"]
    dafydd = signed_in("inductee@example.org")
    ceri = signed_in("inductee2@example.org")
    manager = signed_in("manager@example.org")
    first = dafydd.get("/my-induction").get_data(as_text=True)
    assert first == dafydd.get("/my-induction").get_data(as_text=True)  # the page is reused while nothing changes
    needs = needs_section(first)
    assert needs.index("Needs your action") < needs.index("1.5 Exploring absence")  # at the top
    assert first.index('id="needs-your-action"') < first.index("Progress</h2>")
    # the record returned, with the manager's comment
    assert "1.5 Exploring absence — case studies" in needs and "Rhian Evans said:" in needs
    assert "using the &#39;Now what?&#39; step of Borton&#39;s model" in needs
    # the demo's action, due ten days after the first session (four days ago): overdue
    action = needs.split("Read the school attendance policies of my schools")[1].split("</li>")[0]
    assert "Overdue" in action
    assert "Confirm the record" not in needs  # the demo's one session is confirmed

    # A new session with actions: it shows at once (the page is not reused after a change).
    response = post(manager, f"/supervision/{d}/sessions/new", {
        "session_date": days(-1), "agenda": "Check-in",
        "action-0-description": "Book a shadowing visit", "action-0-owner": "inductee", "action-0-due": days(3),
        "action-1-description": "Ring the school nurse", "action-1-owner": "inductee", "action-1-due": days(30),
        "action-2-description": "Find a court date to observe", "action-2-owner": "manager", "action-2-due": days(1)})
    assert response.status_code == 302
    session_id = int(response.location.rsplit("/", 1)[-1])
    needs = needs_section(dafydd.get("/my-induction").get_data(as_text=True))
    assert f"Confirm the record of your supervision on {long_date(days(-1))}" in needs
    assert f'href="/supervision/sessions/{session_id}"' in needs
    assert "Due soon" in needs.split("Book a shadowing visit")[1].split("</li>")[0]
    assert "Ring the school nurse" not in needs        # due in a month
    assert "Find a court date to observe" not in needs  # the manager's action

    # Someone else sees none of it; the manager looking at Dafydd's induction does not see his to-do list.
    theirs = ceri.get("/my-induction").get_data(as_text=True)
    assert "Nothing needs your action right now." in needs_section(theirs)
    for item in ("Exploring absence", "Rhian Evans said", "Returned for changes"):
        assert item not in needs_section(theirs)
    for item in ("Book a shadowing visit", "Confirm the record", "school attendance policies", "Borton"):
        assert item not in theirs
    assert needs_section(manager.get(f"/team/{d}").get_data(as_text=True)) == ""

    # Confirming, or finishing an action, takes it off the list at once.
    assert post(dafydd, f"/supervision/sessions/{session_id}/confirm").status_code == 302
    needs = needs_section(dafydd.get("/my-induction").get_data(as_text=True))
    assert "Confirm the record" not in needs
    book = query(tracker_app, "SELECT id FROM supervision_actions WHERE description = 'Book a shadowing visit'")[0]["id"]
    post(manager, f"/supervision/{d}/sessions/new", {"session_date": days(0), "agenda": "Actions", "done": str(book)})
    needs = needs_section(dafydd.get("/my-induction").get_data(as_text=True))
    assert "Book a shadowing visit" not in needs and "Confirm the record of your supervision on " + long_date(days(0)) in needs


def test_managers_needs_your_action_lists_sign_offs_supervision_due_and_unread_reflections(tracker_app, people, signed_in):
    d, c = people["dafydd"], people["ceri"]
    with tracker_app.app_context():
        db = get_db()
        owen = db["users"].insert({"email": "other.manager@example.org", "name": "Owen Other", "role": "manager",
                                   "password_hash": accounts.hash_password("induction-demo-2026")}).last_pk
        tia = db["users"].insert({"email": "tia@example.org", "name": "Tia Theirs", "role": "inductee",
                                  "password_hash": "!"}).last_pk
        db["team_members"].insert({"manager_id": owen, "inductee_id": tia})
        db.conn.commit()
    manager = signed_in("manager@example.org")
    other = signed_in("other.manager@example.org")
    dafydd = signed_in("inductee@example.org")
    page = manager.get("/team").get_data(as_text=True)
    assert page == manager.get("/team").get_data(as_text=True)  # reused while nothing changes
    needs = needs_section(page)
    assert needs and page.index('id="needs-your-action"') < page.index("Inductees</h2>")
    assert "Dafydd Morgan" in needs.split('id="pending"')[1] and "2.1 Getting to know my schools" in needs
    assert "1.2 " not in needs and "1.3 " not in needs  # activities without sign-off never wait for it
    supervision = needs.split('id="supervision-due"')[1].split("</ul>")[0]
    # Dafydd's next session was set for today at the first one; Ceri has had none
    assert "Due soon" in supervision.split("Supervision with Dafydd Morgan")[1].split("</li>")[0]
    assert "No session recorded yet" in supervision.split("Supervision with Ceri Williams")[1].split("</li>")[0]
    unread = needs.split('id="unread-reflections"')[1].split("</ul>")[0]
    assert "My first team meeting" in unread and "Dafydd Morgan, shared" in unread
    # Another manager sees only their own team.
    theirs = needs_section(other.get("/team").get_data(as_text=True))
    assert "Supervision with Tia Theirs" in theirs
    for item in ("Dafydd", "Ceri", "2.1 Getting to know my schools", "My first team meeting"):
        assert item not in theirs
    # Inductees see none of the manager's list.
    assert "My first team meeting" not in needs_section(dafydd.get("/my-induction").get_data(as_text=True))

    # Reading the reflection takes it off the list at once; a change to it puts it back.
    reflection = query(tracker_app, "SELECT id FROM reflections WHERE author_id = ? AND shared_at IS NOT NULL", [d])[0]["id"]
    assert other.get(f"/reflections/{reflection}").status_code == 404  # and records no read
    assert "My first team meeting" in needs_section(manager.get("/team").get_data(as_text=True))
    assert manager.get(f"/reflections/{reflection}").status_code == 200
    assert "unread-reflections" not in needs_section(manager.get("/team").get_data(as_text=True))
    import time
    time.sleep(1.1)  # timestamps are to the second: a change in the same second as the reading looks read
    row = query(tracker_app, "SELECT * FROM reflections WHERE id = ?", [reflection])[0]
    assert post(dafydd, f"/reflections/{reflection}/edit", {
        "entry_date": row["entry_date"], "title": row["title"], "what": row["what"] + " Later: more.",
        "so_what": row["so_what"], "now_what": row["now_what"], "confirmed": "yes"}).status_code == 302
    assert "My first team meeting" in needs_section(manager.get("/team").get_data(as_text=True))

    # Recording sessions: the next due date comes from the session, or four weeks after it.
    assert post(manager, f"/supervision/{d}/sessions/new",
                {"session_date": days(0), "agenda": "Plan", "next_date": days(21)}).status_code == 302
    assert post(manager, f"/supervision/{c}/sessions/new", {"session_date": days(-30), "agenda": "First"}).status_code == 302
    supervision = needs_section(manager.get("/team").get_data(as_text=True)).split('id="supervision-due"')[1].split("</ul>")[0]
    assert "Dafydd Morgan" not in supervision  # next session in three weeks
    ceri_row = supervision.split("Supervision with Ceri Williams")[1].split("</li>")[0]
    assert "Overdue" in ceri_row and f"was due {long_date(days(-2))} (four weeks after the last)" in ceri_row

    # The manager's menu links to the team's supervision page, which lists everyone.
    assert '<a href="/supervision">Supervision</a>' in page
    team_page = manager.get("/supervision").get_data(as_text=True)
    assert "Dafydd Morgan" in team_page and "Ceri Williams" in team_page and "Tia Theirs" not in team_page
    assert "Not due yet" in team_page.split("Dafydd Morgan")[1].split("</li>")[0]


def test_needs_your_action_has_an_empty_state(tracker_app, people, signed_in):
    with tracker_app.app_context():
        db = get_db()
        db["users"].insert({"email": "new.manager@example.org", "name": "Nia New", "role": "manager",
                            "password_hash": accounts.hash_password("induction-demo-2026")})
        db.conn.commit()
    page = signed_in("new.manager@example.org").get("/team").get_data(as_text=True)
    assert "Nothing needs your action right now." in needs_section(page)
    assert "Waiting for your sign-off" not in page
