"""Notifications and reminders (tracker/notifications/) against a real SMTP server on 127.0.0.1: each event
reaches the right people only (never the person who acted), in their language, at once, in the daily summary
or not at all as each chose, never twice; `flask send-reminders` sends each reminder once; emails never hold
what anyone wrote; erasure and subject access cover the new tables.

Email is never sent on the request's thread: the change queues it and the mail worker sends it. The tests
run with the worker off (helpers.tracker_config), so after a change that emails, `sent()` runs one round
of the worker, as the worker thread would just after the change (tests/tracker/test_mail_worker.py runs the real
thread)."""
from __future__ import annotations

import datetime as dt
import threading

import pytest

from factories import mail_due_now, make_supervision, set_target, set_user
from helpers import csrf_token, deliver_mail, free_port, post, query
from tracker import notifications, records
from tracker.db import get_db, writing
from tracker.notifications import delivery

SECRET = "zephyrine quillwort"  # written into reflections, comments and supervision notes: never in an email


@pytest.fixture
def inbox(tracker_app, smtp_server):
    controller, box = smtp_server
    tracker_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_SECURITY="none",
                              PUBLIC_URL="https://tracker.example.org")
    return box


def sent(app, inbox, count: int) -> list:
    """Run the mail worker once (as it runs just after a change) and wait for `count` messages in all."""
    deliver_mail(app)
    return inbox.wait_for(count)


def time_passes(app) -> None:
    """Move every waiting message's next try into the past, as if its retry delay had gone by."""
    mail_due_now(app)


def to(inbox, address: str) -> list:
    return [m for m in inbox.messages if m["To"] == address]


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content() + message.get_body(("html",)).get_content()


def choose(app, person_id: int, notify: str | None) -> None:
    set_user(app, person_id, notify=notify)


def assert_no_secret(inbox) -> None:
    for message in inbox.messages:
        assert SECRET not in text_of(message) and SECRET not in message["Subject"]


def submitted(tracker_app, client, inductee_id: int, activity_id: str = "1.1"):
    if not query(tracker_app, "SELECT 1 FROM records WHERE inductee_id = ? AND activity_id = ?",
                 [inductee_id, activity_id]):
        post(client, f"/records/{inductee_id}/{activity_id}/notes", {"notes": f"My notes {SECRET}"})
    response = post(client, f"/records/{inductee_id}/{activity_id}/submit", {"confirm": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def test_a_submitted_record_tells_the_manager_at_once_if_chosen_and_never_the_inductee(
        tracker_app, people, signed_in, inbox):
    choose(tracker_app, people["rhian"], "now")
    with tracker_app.app_context():  # another manager, with a team of her own, who would be told at once
        db = get_db()
        other = db["users"].insert({"email": "other.manager@example.org", "name": "Owen Other", "role": "manager",
                                    "password_hash": "-", "notify": "now"}).last_pk
        db["team_members"].insert({"manager_id": other, "inductee_id": people["dafydd"]})
    submitted(tracker_app, signed_in("inductee2@example.org"), people["ceri"])
    assert inbox.messages == [] and query(tracker_app, "SELECT * FROM mail_queue") == []  # nothing on the request
    [message] = sent(tracker_app, inbox, 1)
    assert message["To"] == "manager@example.org"
    # Rhian has not chosen a language: both, Welsh first
    assert message["Subject"].startswith("Mae Ceri Williams wedi cyflwyno cofnod gweithgaredd 1.1")
    assert "Ceri Williams submitted their record for activity 1.1" in message["Subject"]
    assert f"https://tracker.example.org/records/{people['ceri']}/1.1" in text_of(message)
    assert "https://tracker.example.org/account/notifications" in text_of(message)
    assert to(inbox, "inductee2@example.org") == [] and to(inbox, "other.manager@example.org") == []
    assert post(signed_in("inductee2@example.org"), f"/records/{people['ceri']}/1.1/submit",
                {"confirm": "y"}).status_code in (302, 303)  # submitted already: refused, and nobody told again
    assert len(query(tracker_app, "SELECT * FROM notifications WHERE kind = 'record_submitted'"
                                  " AND inductee_id = ?", [people["ceri"]])) == 1
    assert deliver_mail(tracker_app) == (0, 0) and len(inbox.messages) == 1
    assert_no_secret(inbox)


def test_a_manager_by_default_waits_for_the_daily_summary(tracker_app, people, signed_in, inbox):
    submitted(tracker_app, signed_in("inductee2@example.org"), people["ceri"])
    [row] = query(tracker_app, "SELECT * FROM notifications WHERE kind = 'record_submitted' AND sent_at IS NULL")
    assert row["recipient_id"] == people["rhian"] and row["delivery"] == "daily"
    assert deliver_mail(tracker_app) == (0, 0) and inbox.messages == []  # the worker leaves it for the summary
    result = tracker_app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert "1 notifications" in result.output and "@" not in result.output and "Rhian" not in result.output
    [summary] = to(inbox, "manager@example.org")
    assert "Ceri Williams submitted their record for activity 1.1" in text_of(summary)
    assert "Since your last summary" in text_of(summary)
    assert_no_secret(inbox)


def test_sign_off_return_and_comments_tell_the_inductee_in_their_language_and_not_the_manager(
        tracker_app, people, signed_in, inbox):
    gwen = query(tracker_app, "SELECT id FROM users WHERE email = 'cymraeg@example.org'")[0]["id"]
    choose(tracker_app, people["rhian"], "now")  # she would be told of nothing here anyway: she acts
    submitted(tracker_app, signed_in("cymraeg@example.org"), gwen)
    sent(tracker_app, inbox, 1)  # Rhian: submitted
    manager = signed_in("manager@example.org")
    assert post(manager, f"/records/{gwen}/1.1/return", {"comment": f"Add more {SECRET}"}).status_code == 302
    [returned] = sent(tracker_app, inbox, 2)[1:]
    assert returned["To"] == "cymraeg@example.org"
    assert returned["Subject"] == ("Mae Rhian Evans wedi dychwelyd eich cofnod ar gyfer gweithgaredd 1.1"
                                   f" “{activity_title_cy(tracker_app)}” i chi wneud newidiadau.")
    assert "returned your record" not in text_of(returned)  # Welsh only: she chose Welsh
    submitted(tracker_app, signed_in("cymraeg@example.org"), gwen)
    assert post(manager, f"/records/{gwen}/1.1/sign-off", {"comment": SECRET}).status_code == 302
    assert post(manager, f"/records/{gwen}/1.1/reopen", {"comment": SECRET}).status_code == 302
    messages = sent(tracker_app, inbox, 5)  # one round of the worker: each in the order it happened
    assert len(messages) == 5
    assert [m["To"] for m in messages] == ["manager@example.org", "cymraeg@example.org", "manager@example.org",
                                           "cymraeg@example.org", "cymraeg@example.org"]
    assert "wedi cymeradwyo eich cofnod" in messages[3]["Subject"]
    assert "wedi rhoi sylw ar eich cofnod" in messages[4]["Subject"]
    assert_no_secret(inbox)


def activity_title_cy(app) -> str:
    from flask_babel import force_locale

    from tracker import content
    with app.test_request_context(), force_locale("cy"):
        return content.activity("1.1").title


def test_reflection_shared_and_commented_on(tracker_app, people, signed_in, inbox):
    choose(tracker_app, people["rhian"], "now")
    dafydd = signed_in("inductee@example.org")
    response = post(dafydd, "/reflections/new", {"entry_date": "2026-11-20", "title": f"Title {SECRET}",
                                                 "what": SECRET, "so_what": SECRET, "now_what": SECRET})
    reflection_id = int(response.location.rsplit("/", 1)[-1])
    assert deliver_mail(tracker_app) == (0, 0) and inbox.messages == []  # saved, not shared: nobody is told
    assert post(dafydd, f"/reflections/{reflection_id}/share", {"share": "yes"}).status_code == 302
    [shared] = sent(tracker_app, inbox, 1)
    assert shared["To"] == "manager@example.org"
    assert "Dafydd Morgan shared a reflection from their reflective log with you." in text_of(shared)
    assert f"/reflections/{reflection_id}" in text_of(shared)
    assert post(signed_in("manager@example.org"), f"/reflections/{reflection_id}/comments",
                {"body": f"Comment {SECRET}"}).status_code == 302
    [commented] = sent(tracker_app, inbox, 2)[1:]
    assert commented["To"] == "inductee@example.org"
    assert "Rhian Evans commented on a reflection you shared." in text_of(commented)
    assert post(dafydd, f"/reflections/{reflection_id}/comments", {"body": SECRET}).status_code == 302
    assert post(dafydd, f"/reflections/{reflection_id}/share", {"share": "no"}).status_code == 302
    # his own comment tells nobody; unsharing tells nobody
    assert deliver_mail(tracker_app) == (0, 0)
    assert len(inbox.messages) == 2 and not query(
        tracker_app, "SELECT 1 FROM notifications WHERE recipient_id = ? AND kind = 'reflection_comment'"
        " AND actor_id = ?", [people["dafydd"], people["dafydd"]])
    assert_no_secret(inbox)


def test_development_plan_comment(tracker_app, people, signed_in, inbox):
    with tracker_app.app_context():
        get_db()["pdp_versions"].insert({"inductee_id": people["dafydd"], "version": 1, "strengths": SECRET,
                                         "created_by": people["dafydd"]})
    assert post(signed_in("manager@example.org"), f"/pdp/{people['dafydd']}/comments",
                {"body": SECRET}).status_code == 302
    [message] = sent(tracker_app, inbox, 1)
    assert message["To"] == "inductee@example.org"
    assert "Rhian Evans commented on your personal development plan." in text_of(message)
    assert f"/pdp/{people['dafydd']}#comments" in text_of(message)
    assert_no_secret(inbox)


def test_a_session_recorded_tells_the_inductee_and_confirming_it_tells_the_manager(
        tracker_app, people, signed_in, inbox):
    choose(tracker_app, people["rhian"], "now")
    response = post(signed_in("manager@example.org"), f"/supervision/{people['ceri']}/sessions/new", {
        "session_date": "2026-11-24", "agenda": SECRET, "discussion": SECRET, "decisions": SECRET,
        "action-0-description": SECRET, "action-0-owner": "inductee", "action-0-due": "2026-12-05"})
    session_id = int(response.location.rsplit("/", 1)[-1])
    [recorded] = sent(tracker_app, inbox, 1)
    assert recorded["To"] == "inductee2@example.org"
    assert "Rhian Evans recorded your supervision session of 24 November 2026. Check it and confirm it." \
        in text_of(recorded)
    ceri = signed_in("inductee2@example.org")
    assert post(ceri, f"/supervision/sessions/{session_id}/confirm").status_code == 302
    assert post(ceri, f"/supervision/sessions/{session_id}/confirm").status_code == 302  # again: nothing new
    [confirmed] = sent(tracker_app, inbox, 2)[1:]
    assert confirmed["To"] == "manager@example.org"
    assert "Ceri Williams confirmed the record of their supervision session of 24 November 2026." \
        in text_of(confirmed)
    assert f"/supervision/sessions/{session_id}" in text_of(confirmed)
    assert deliver_mail(tracker_app) == (0, 0) and len(inbox.messages) == 2
    assert_no_secret(inbox)


def test_none_means_no_email_and_the_row_is_marked_skipped(tracker_app, people, signed_in, inbox):
    choose(tracker_app, people["ceri"], "none")
    submitted(tracker_app, signed_in("inductee2@example.org"), people["ceri"])
    assert post(signed_in("manager@example.org"), f"/records/{people['ceri']}/1.1/return",
                {"comment": "More"}).status_code == 302
    [row] = query(tracker_app, "SELECT * FROM notifications WHERE recipient_id = ?", [people["ceri"]])
    assert row["outcome"] == "skipped" and row["sent_at"]
    assert deliver_mail(tracker_app) == (0, 0)  # Rhian waits for her summary; Ceri chose none
    assert tracker_app.test_cli_runner().invoke(args=["send-reminders"]).exit_code == 0
    assert to(inbox, "inductee2@example.org") == []


def test_the_same_event_is_queued_once_and_concurrent_deliveries_send_it_once(tracker_app, people, inbox):
    with tracker_app.app_context():
        db = get_db()
        record = records.get(db, people["ceri"], "1.1")
        with writing(db):
            first = notifications.queue(db, "record_returned", [people["ceri"]], people["rhian"], "event-1",
                                        inductee_id=people["ceri"], record_id=record["id"])
            again = notifications.queue(db, "record_returned", [people["ceri"]], people["rhian"], "event-1",
                                        inductee_id=people["ceri"], record_id=record["id"])
            actor = notifications.queue(db, "record_returned", [people["rhian"]], people["rhian"], "event-2",
                                        inductee_id=people["ceri"], record_id=record["id"])
        assert (first, again, actor) == (1, 0, 0)
    made, start = [], threading.Barrier(2)

    def deliver():
        from tracker.db import forget_connection
        with tracker_app.app_context():
            start.wait()
            made.append(delivery.deliver_pending(get_db()))
        forget_connection()  # this thread's own connection

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(made) == [0, 1]  # one of them made it into an email, the other found it taken
    assert len(query(tracker_app, "SELECT * FROM mail_queue WHERE template = 'notification'")) == 1
    assert sent(tracker_app, inbox, 1) and deliver_mail(tracker_app) == (0, 0)
    assert len(inbox.messages) == 1


def server_down(app) -> None:
    """Point the app at a port nothing listens on: the email server refuses every connection."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_SECURITY="none", MAIL_TIMEOUT=5)


def test_an_email_server_that_is_down_never_fails_the_request_and_the_notification_waits_in_the_queue(
        tracker_app, people, signed_in, smtp_server):
    controller, box = smtp_server
    server_down(tracker_app)
    submitted(tracker_app, signed_in("inductee2@example.org"), people["ceri"])
    response = post(signed_in("manager@example.org"), f"/records/{people['ceri']}/1.1/return", {"comment": "More"})
    assert response.status_code == 302
    assert deliver_mail(tracker_app) == (0, 1)  # the worker tried, and the server refused
    [row] = query(tracker_app, "SELECT * FROM notifications WHERE recipient_id = ?", [people["ceri"]])
    assert row["sent_at"]  # made into its email, once: the email waits, never the notification
    [waiting] = query(tracker_app, "SELECT * FROM mail_queue")
    assert (waiting["template"], waiting["recipient_id"]) == ("notification", people["ceri"])
    assert waiting["last_error"] == "ConnectionRefusedError" and waiting["failed_at"] is None
    assert deliver_mail(tracker_app) == (0, 0)  # not due again yet: the server is not asked after every change
    tracker_app.config["MAIL_PORT"] = controller.port  # the server is back
    assert deliver_mail(tracker_app) == (0, 0) and box.messages == []  # and waits for its retry time
    time_passes(tracker_app)
    assert deliver_mail(tracker_app) == (1, 0)
    [message] = box.wait_for(1)
    assert message["To"] == "inductee2@example.org" and "returned your record" in message["Subject"]
    time_passes(tracker_app)
    assert deliver_mail(tracker_app) == (0, 0) and len(box.messages) == 1  # sent once: no duplicate
    assert query(tracker_app, "SELECT * FROM mail_queue") == []


def test_send_reminders_also_sends_the_notifications_no_worker_has_sent(tracker_app, people, signed_in, inbox):
    """With no worker running (MAIL_WORKER=off and no send-mail timer), the daily run still sends them."""
    submitted(tracker_app, signed_in("inductee2@example.org"), people["ceri"])
    assert post(signed_in("manager@example.org"), f"/records/{people['ceri']}/1.1/return",
                {"comment": "More"}).status_code == 302
    result = tracker_app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0 and "1 waiting notifications sent" in result.output
    [returned] = to(inbox, "inductee2@example.org")
    assert "returned your record" in returned["Subject"]
    assert deliver_mail(tracker_app) == (0, 0) and len(to(inbox, "inductee2@example.org")) == 1


def test_a_summary_the_server_refuses_is_reported_and_sent_later_once(tracker_app, people, signed_in, smtp_server):
    controller, box = smtp_server
    submitted(tracker_app, signed_in("inductee2@example.org"), people["ceri"])  # for Rhian's summary
    server_down(tracker_app)
    runner = tracker_app.test_cli_runner()
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 1, result.output
    assert "1 daily summaries (1 notifications" in result.output and "the email server refused" in result.output
    [waiting] = query(tracker_app, "SELECT * FROM mail_queue")
    assert (waiting["template"], waiting["recipient_id"]) == ("digest", people["rhian"])
    assert waiting["last_error"] == "ConnectionRefusedError" and waiting["failed_at"] is None
    tracker_app.config["MAIL_PORT"] = controller.port  # the server is back
    result = runner.invoke(args=["send-reminders"])  # the summary is made once; it waits for its retry time
    assert result.exit_code == 0 and "0 daily summaries" in result.output and box.messages == []
    time_passes(tracker_app)
    result = runner.invoke(args=["send-reminders"])  # the next run (or the worker) sends what waits
    assert result.exit_code == 0 and "0 daily summaries" in result.output
    [summary] = box.wait_for(1)
    assert summary["To"] == "manager@example.org"
    assert "Ceri Williams submitted their record for activity 1.1" in text_of(summary)
    time_passes(tracker_app)
    assert runner.invoke(args=["send-reminders"]).exit_code == 0
    assert deliver_mail(tracker_app) == (0, 0) and len(box.messages) == 1  # sent once: no duplicate


def test_reminders_targets_actions_and_sessions_once_each(tracker_app, people, inbox):
    day = dt.date(2030, 1, 10)
    ceri = people["ceri"]
    set_target(tracker_app, ceri, None, None)
    set_target(tracker_app, ceri, "1.4", "2030-01-14")  # in 4 days
    set_target(tracker_app, ceri, "1.5", "2030-01-05")  # overdue
    set_target(tracker_app, ceri, "2.1", "2030-02-28")  # later: not yet
    make_supervision(tracker_app, ceri, people["rhian"], "2029-12-20", agenda=SECRET, next_date="2030-01-15",
                     actions=(("inductee", SECRET, "2030-01-12"), ("manager", SECRET, "2030-01-08")))
    runner = tracker_app.test_cli_runner()
    first = runner.invoke(args=["send-reminders", "--today", day.isoformat()])
    assert first.exit_code == 0, first.output
    [summary] = to(inbox, "inductee2@example.org")
    text = summary.get_body(("plain",)).get_content()
    assert "is due by 14 January 2030" in text and "1.4" in text
    assert "1.5" in text and "was due by 5 January 2030 and is overdue" in text
    assert "2.1" not in text
    assert "A supervision action from the session of 20 December 2029 is due by 12 January 2030." in text
    assert summary["Subject"].endswith("Your induction tracker summary for 10 January 2030")
    [manager] = to(inbox, "manager@example.org")
    text = manager.get_body(("plain",)).get_content()
    assert "Supervision with Ceri Williams is due by 15 January 2030." in text
    assert ("An action for you from Ceri Williams's supervision session of 20 December 2029 was due by"
            " 8 January 2030 and is overdue.") in text
    assert "Ceri Williams: activity 1.5" in text and "Ceri Williams: activity 1.4" not in text
    assert_no_secret(inbox)
    count = len(inbox.messages)
    second = runner.invoke(args=["send-reminders", "--today", day.isoformat()])
    assert second.exit_code == 0 and "0 daily summaries (0 notifications, 0 reminders) to 0 people" in second.output
    assert len(inbox.messages) == count
    later = runner.invoke(args=["send-reminders", "--today", "2030-01-13"])  # the action is now overdue
    assert later.exit_code == 0
    [again] = to(inbox, "inductee2@example.org")[1:]
    text = again.get_body(("plain",)).get_content()
    assert "was due by 12 January 2030 and is overdue" in text and "1.5" not in text


def test_a_person_who_chose_none_gets_no_reminders(tracker_app, people, inbox):
    choose(tracker_app, people["ceri"], "none")
    assert tracker_app.test_cli_runner().invoke(args=["send-reminders", "--today", "2031-06-01"]).exit_code == 0
    assert to(inbox, "inductee2@example.org") == [] and to(inbox, "inductee@example.org")


def test_the_demo_leaves_notifications_and_summaries_in_the_outbox(tmp_path):
    from email import message_from_bytes, policy

    from helpers import tracker_config
    from tracker import create_app
    from tracker.demo import create_demo_data

    app = create_app(tracker_config(tmp_path))
    with app.app_context():
        create_demo_data(get_db())
    subjects = [message_from_bytes(path.read_bytes(), policy=policy.default)["Subject"]
                for path in (tmp_path / "outbox").glob("*.eml")]
    assert any("signed off your record" in s for s in subjects)
    assert any("summary for" in s for s in subjects)
    with app.app_context():
        create_demo_data(get_db())
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == len(subjects)  # nothing new the second time


def test_the_settings_page(tracker_app, people, signed_in):
    ceri = signed_in("inductee2@example.org")
    page = ceri.get("/account/notifications").get_data(as_text=True)
    assert 'value="now" checked' in page  # an inductee's default
    assert "Email notifications" in ceri.get("/my-induction").get_data(as_text=True)
    response = ceri.post("/account/notifications", data={"csrf_token": csrf_token(page), "notify": "daily"})
    assert response.status_code == 302
    assert query(tracker_app, "SELECT notify FROM users WHERE id = ?", [people["ceri"]])[0]["notify"] == "daily"
    refused = ceri.post("/account/notifications", data={"csrf_token": csrf_token(page), "notify": "hourly"})
    assert refused.status_code == 400 and "Choose when the tracker should email you" in refused.get_data(as_text=True)
    assert query(tracker_app, "SELECT notify FROM users WHERE id = ?", [people["ceri"]])[0]["notify"] == "daily"
    manager = signed_in("manager@example.org").get("/account/notifications").get_data(as_text=True)
    assert 'value="daily" checked' in manager
    welsh = signed_in("cymraeg@example.org").get("/account/notifications").get_data(as_text=True)
    assert "Hysbysiadau e-bost" in welsh and "Ar unwaith" in welsh
    assert signed_in("admin@example.org").get("/account/notifications").status_code == 403


def test_subject_access_and_erasure_cover_notifications_and_reminders(tracker_app, people, signed_in, inbox):
    from tracker.erasure import erase_person
    from tracker.subject_access import export

    choose(tracker_app, people["rhian"], "now")
    submitted(tracker_app, signed_in("inductee2@example.org"), people["ceri"])
    assert tracker_app.test_cli_runner().invoke(args=["send-reminders", "--today", "2031-06-01"]).exit_code == 0
    with tracker_app.app_context():
        db = get_db()
        mine = export(db, people["ceri"])
        assert [n["kind"] for n in mine["notifications"]] == ["record_submitted"]  # about her induction
        assert mine["reminders_sent"] and all(r["user_id"] == people["ceri"] for r in mine["reminders_sent"])
        assert export(db, people["rhian"])["notifications"]
        erase_person(db, people["ceri"], people["rhian"])
    assert query(tracker_app, "SELECT * FROM notifications WHERE inductee_id = ? OR recipient_id = ?",
                 [people["ceri"], people["ceri"]]) == []
    assert query(tracker_app, "SELECT * FROM reminders_sent WHERE user_id = ?", [people["ceri"]]) == []


@pytest.mark.parametrize("timing,days", [
    ("Every two weeks for an hour during induction, then monthly.", 14), ("Monthly, for an hour", 30),
    ("every 3 weeks", 21), ("Bob pythefnos am awr", 14), ("bob tair wythnos", 21), ("As needed", None), ("", None)])
def test_how_often_is_read_from_the_agreement_when_it_says_so_plainly(timing, days):
    from tracker.supervision import interval_days
    assert interval_days(timing) == days


def test_a_session_is_due_by_the_agreements_frequency(tracker_app, people, inbox):
    ceri = people["ceri"]
    make_supervision(tracker_app, ceri, people["rhian"], "2029-12-20", timing="Every three weeks")
    result = tracker_app.test_cli_runner().invoke(args=["send-reminders", "--today", "2030-01-08"])
    assert result.exit_code == 0, result.output
    [manager] = to(inbox, "manager@example.org")
    assert "Supervision with Ceri Williams is due by 10 January 2030." in manager.get_body(("plain",)).get_content()
