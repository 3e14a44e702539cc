"""Calendar feeds: a person makes a secret link on the Calendar page, a calendar app reads it without
signing in, and sees titles and dates only; a reset stops the old link. One session as an .ics file."""
from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
from icalendar import Calendar

from factories import set_user
from helpers import csrf_token, query
from tracker import i18n, log_redaction
from tracker.db import get_db, writing

FEED = re.compile(r"http://localhost(/calendar/[A-Za-z0-9_-]{40,}\.ics)")
WRITTEN = [  # what the demo data holds in records, reflections and supervision: never in a feed
    "allocates time to schools", "Visited my three schools", "Talked through the plan", "Induction plan; first",
    "shadow a home visit", "Read the school attendance policies", "families who do not engage",
    "Agreed at our first supervision",
]


def make_link(client) -> str:
    """Press the Calendar page's button and read the link it shows once; the feed's path."""
    page = client.get("/account/calendar")
    response = client.post("/account/calendar", data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert response.status_code == 302
    shown = client.get("/account/calendar").get_data(as_text=True)
    match = FEED.search(shown)
    assert match, shown
    return match.group(1)


def events(body: bytes) -> dict[str, tuple[str, dt.date]]:
    """The feed's events by UID (without the host): (title, date)."""
    calendar = Calendar.from_ical(body)
    return {str(e["uid"]).split("@")[0]: (str(e["summary"]), e.decoded("dtstart")) for e in calendar.walk("VEVENT")}


def choose_language(app, user_id: int, language: str):
    with app.app_context():
        i18n.set_language(get_db(), user_id, language)


def test_an_inductees_feed_holds_their_dates_and_titles_only(tracker_app, signed_in, people):
    choose_language(tracker_app, people["dafydd"], "en")
    path = make_link(signed_in("inductee@example.org"))
    response = tracker_app.test_client().get(path)  # a calendar app: no session, no sign-in
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    found = events(response.data)
    [session] = query(tracker_app, "SELECT * FROM supervision_sessions WHERE inductee_id = ?", [people["dafydd"]])
    [action] = query(tracker_app, "SELECT * FROM supervision_actions WHERE inductee_id = ?", [people["dafydd"]])
    assert found[f"session-{session['id']}"] == ("Supervision", dt.date.fromisoformat(session["session_date"]))
    assert found[f"next-session-{people['dafydd']}"] == ("Next supervision session",
                                                         dt.date.fromisoformat(session["next_date"]))
    assert found[f"action-{action['id']}"] == ("Supervision action due", dt.date.fromisoformat(action["due_date"]))
    [target] = query(tracker_app, "SELECT target_date FROM plan_items WHERE inductee_id = ? AND activity_id = '1.4'",
                     [people["dafydd"]])
    assert found[f"target-{people['dafydd']}-1.4"] == ("Target: activity 1.4, The reasons behind absence",
                                                       dt.date.fromisoformat(target["target_date"]))
    assert f"target-{people['dafydd']}-1.1" not in found  # signed off: no longer a target to meet
    assert not any(uid.startswith(("session-", "action-")) and "Ceri" in title for uid, (title, _) in found.items())
    text = response.get_data(as_text=True)
    for written in WRITTEN:
        assert written not in text


def test_a_feed_says_the_same_events_by_the_same_uids_each_time(tracker_app, signed_in):
    path = make_link(signed_in("inductee@example.org"))
    client = tracker_app.test_client()
    assert events(client.get(path).data) == events(client.get(path).data)


def test_a_managers_feed_holds_their_teams_dates_with_names(tracker_app, signed_in, people):
    choose_language(tracker_app, people["rhian"], "en")
    path = make_link(signed_in("manager@example.org"))
    response = tracker_app.test_client().get(path)
    titles = [title for title, _ in events(response.data).values()]
    assert "Supervision: Dafydd Morgan" in titles
    assert "Supervision action due: Dafydd Morgan" in titles
    assert "Ceri Williams: activity 1.4, The reasons behind absence" in titles
    text = response.get_data(as_text=True)
    for written in WRITTEN:
        assert written not in text


def test_a_manager_sees_only_their_own_team(tracker_app, signed_in, people):
    with tracker_app.app_context():
        db = get_db()
        with writing(db):
            db.conn.execute("DELETE FROM team_members WHERE inductee_id = ?", [people["ceri"]])
    path = make_link(signed_in("manager@example.org"))
    text = tracker_app.test_client().get(path).get_data(as_text=True)
    assert "Dafydd Morgan" in text and "Ceri Williams" not in text


def test_titles_are_in_the_persons_language(tracker_app, signed_in, people):
    welsh = make_link(signed_in("cymraeg@example.org"))  # Gwenllian chose Welsh
    titles = [title for title, _ in events(tracker_app.test_client().get(welsh).data).values()]
    assert any(t.startswith("Targed: gweithgaredd 1.4") for t in titles), titles
    assert not any("Target:" in t for t in titles)
    both = make_link(signed_in("inductee@example.org"))  # Dafydd has not chosen: Welsh and English
    titles = [title for title, _ in events(tracker_app.test_client().get(both).data).values()]
    assert "Goruchwyliaeth / Supervision" in titles
    calendar = Calendar.from_ical(tracker_app.test_client().get(welsh).data)
    assert str(calendar["x-wr-calname"]).startswith("Cyfnod sefydlu ")


def test_resetting_the_link_stops_the_old_one(tracker_app, signed_in, people):
    client = signed_in("inductee@example.org")
    old = make_link(client)
    page = client.get("/account/calendar").get_data(as_text=True)
    assert "Reset the link" in page and FEED.search(page) is None  # shown once only
    new = make_link(client)
    feed_reader = tracker_app.test_client()
    assert new != old
    assert feed_reader.get(old).status_code == 404
    assert feed_reader.get(new).status_code == 200
    [row] = query(tracker_app, "SELECT * FROM calendar_feeds WHERE user_id = ?", [people["dafydd"]])
    assert new.split("/")[-1][:-4] not in str(row)  # only a fingerprint is kept
    actions = [r["action"] for r in query(tracker_app, "SELECT action FROM audit_log WHERE actor_id = ?"
                                          " AND action LIKE 'calendar.%' ORDER BY id", [people["dafydd"]])]
    assert actions == ["calendar.link_made", "calendar.link_reset"]


def test_an_unknown_or_a_deactivated_persons_link_is_not_found(tracker_app, signed_in, people):
    reader = tracker_app.test_client()
    assert reader.get("/calendar/" + "x" * 43 + ".ics").status_code == 404
    path = make_link(signed_in("inductee@example.org"))
    set_user(tracker_app, people["dafydd"], active=0)
    assert reader.get(path).status_code == 404


def test_the_token_stays_out_of_the_request_log(tracker_app, signed_in, caplog):
    path = make_link(signed_in("inductee@example.org"))
    token = path.split("/")[-1][:-4]
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '127.0.0.1 - - "GET %s HTTP/1.1" 200 -',
                               (path,), None)
    log_redaction.RedactingFilter().filter(record)
    assert token not in record.getMessage() and "/calendar/[token].ics" in record.getMessage()


def test_the_calendar_page_is_for_inductees_and_managers(tracker_app, signed_in):
    assert signed_in("admin@example.org").get("/account/calendar").status_code == 403
    assert tracker_app.test_client().get("/account/calendar").status_code == 302
    page = signed_in("manager@example.org").get("/account/calendar").get_data(as_text=True)
    assert "Make my calendar link" in page and "Outlook" in page and "Google Calendar" in page


@pytest.mark.parametrize("email, title", [("inductee@example.org", "Supervision"),
                                          ("manager@example.org", "Supervision: Dafydd Morgan")])
def test_one_session_downloads_as_an_ics_file(tracker_app, signed_in, people, email, title):
    """In the language of the page it is downloaded from."""
    [session] = query(tracker_app, "SELECT * FROM supervision_sessions WHERE inductee_id = ?", [people["dafydd"]])
    client = signed_in(email)
    page = client.get(f"/supervision/sessions/{session['id']}?lang=en").get_data(as_text=True)
    assert "Add to my calendar (.ics)" in page
    response = client.get(f"/supervision/sessions/{session['id']}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=\"supervision-")
    found = events(response.data)
    assert found == {f"session-{session['id']}": (title, dt.date.fromisoformat(session["session_date"]))}
    for written in WRITTEN:
        assert written not in response.get_data(as_text=True)


def test_another_inductee_cannot_download_the_session(tracker_app, signed_in, people):
    [session] = query(tracker_app, "SELECT id FROM supervision_sessions WHERE inductee_id = ?", [people["dafydd"]])
    assert signed_in("inductee2@example.org").get(
        f"/supervision/sessions/{session['id']}/calendar.ics").status_code == 404
