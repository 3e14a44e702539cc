"""Dashboards: 'Needs your action' at the top of the inductee's and the manager's, with an empty state;
changes show at once, overdue counts, and a reused page is never another person's or session's."""
from __future__ import annotations

import re

from factories import set_target
from helpers import csrf_token, post, query
from tracker import accounts
from tracker.db import get_db


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
    for item in ("Exploring absence", "Rhian Evans said", "Returned for changes"):
        assert item not in needs_section(theirs)
    for item in ("Book a shadowing visit", "Confirm the record", "school attendance policies", "Borton"):
        assert item not in theirs
    assert needs_section(manager.get(f"/team/{d}").get_data(as_text=True)) == ""

    # Confirming, or finishing an action, takes it off the list at once.
    assert post(dafydd, f"/supervision/sessions/{session_id}/confirm").status_code == 302
    needs = needs_section(dafydd.get("/my-induction").get_data(as_text=True))
    assert "Confirm the record" not in needs
    book = query(tracker_app,
                 "SELECT id FROM supervision_actions WHERE description = 'Book a shadowing visit'")[0]["id"]
    post(manager, f"/supervision/{d}/sessions/new", {"session_date": days(0), "agenda": "Actions", "done": str(book)})
    needs = needs_section(dafydd.get("/my-induction").get_data(as_text=True))
    assert ("Book a shadowing visit" not in needs
            and "Confirm the record of your supervision on " + long_date(days(0)) in needs)


def test_managers_needs_your_action_lists_sign_offs_supervision_due_and_unread_reflections(
        tracker_app, people, signed_in):
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
    reflection = query(tracker_app, "SELECT id FROM reflections WHERE author_id = ? AND shared_at IS NOT NULL",
                       [d])[0]["id"]
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
    assert post(manager, f"/supervision/{c}/sessions/new",
                {"session_date": days(-30), "agenda": "First"}).status_code == 302
    supervision = (needs_section(manager.get("/team").get_data(as_text=True))
                   .split('id="supervision-due"')[1].split("</ul>")[0])
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
        db["users"].insert({"email": "new.inductee@example.org", "name": "Ifan New", "role": "inductee",
                            "password_hash": accounts.hash_password("induction-demo-2026")})
        db.conn.commit()
    page = signed_in("new.manager@example.org").get("/team").get_data(as_text=True)
    assert "Nothing needs your action right now." in needs_section(page)
    assert "Waiting for your sign-off" not in page
    # an inductee with no plan yet: nothing is overdue, returned or waiting
    page = signed_in("new.inductee@example.org").get("/my-induction").get_data(as_text=True)
    assert "Nothing needs your action right now." in needs_section(page)
    assert "Overdue" not in needs_section(page)


def overdue_lines(needs: str) -> dict[str, str]:
    """{activity id: its line} for the activities listed as overdue in a 'Needs your action' section."""
    return {re.search(r">(\d+\.\d+) ", line)[1]: line.split("</li>")[0]
            for line in needs.split("<li")[1:] if 'id="overdue-' in line}


def test_overdue_activities_need_the_inductees_action(tracker_app, people, signed_in):
    # In the demo data Ceri's targets for her first activities have passed and she has finished none of them:
    # her dashboard lists each under 'Needs your action', never saying nothing needs her action.
    ceri = signed_in("inductee2@example.org")
    page = ceri.get("/my-induction").get_data(as_text=True)
    needs = needs_section(page)
    assert "Nothing needs your action right now." not in needs
    lines = overdue_lines(needs)
    due = query(tracker_app, "SELECT activity_id, target_date FROM plan_items WHERE inductee_id = ?"
                " AND target_date < ? ORDER BY target_date", [people["ceri"], days(0)])
    assert due and list(lines) == [row["activity_id"] for row in due]  # all of them, the most overdue first
    first = due[0]
    line = lines[first["activity_id"]]
    assert f'href="/records/{people["ceri"]}/{first["activity_id"]}"' in line
    assert f"Target date {long_date(first['target_date'])} has passed." in line
    assert "agree a new date with your manager" in line
    assert 'govuk-tag--red">Overdue' in line

    # Finishing one takes it off the list at once; a manager looking at her page sees no to-do list.
    assert post(ceri, f"/records/{people['ceri']}/1.1/submit", {"confirm": "y"}).status_code == 302
    assert "1.1" not in overdue_lines(needs_section(ceri.get("/my-induction").get_data(as_text=True)))
    assert needs_section(signed_in("manager@example.org").get(f"/team/{people['ceri']}").get_data(as_text=True)) == ""


def test_a_returned_record_past_its_target_is_listed_once(tracker_app, people, signed_in):
    d = people["dafydd"]
    set_target(tracker_app, d, "1.5", days(-3))  # 1.5, returned for changes in the demo, now past its target too
    needs = needs_section(signed_in("inductee@example.org").get("/my-induction").get_data(as_text=True))
    assert "1.5" not in overdue_lines(needs)
    assert needs.count("1.5 Exploring absence") == 1
    returned = needs.split("1.5 Exploring absence")[1].split("</li>")[0]
    assert "Returned for changes" in returned and 'govuk-tag--red">Overdue' in returned


def test_a_managers_team_with_overdue_work_needs_action(tracker_app, signed_in):
    # A team whose only outstanding work is overdue: the manager's 'Needs your action' says so, and links
    # to the list of overdue activities, rather than saying nothing needs action.
    with tracker_app.app_context():
        db = get_db()
        password = accounts.hash_password("induction-demo-2026")
        nia = db["users"].insert({"email": "nia@example.org", "name": "Nia Manager", "role": "manager",
                                  "password_hash": password}).last_pk
        ifan = db["users"].insert({"email": "ifan@example.org", "name": "Ifan Inductee", "role": "inductee",
                                   "password_hash": password}).last_pk
        db["team_members"].insert({"manager_id": nia, "inductee_id": ifan})
        db["plan_items"].insert({"inductee_id": ifan, "activity_id": "1.1", "target_date": days(-5)})
        db.conn.commit()
    nia_client = signed_in("nia@example.org")
    # a session today, the next in six weeks: supervision is not due
    assert post(nia_client, f"/supervision/{ifan}/sessions/new",
                {"session_date": days(0), "agenda": "Plan", "next_date": days(42)}).status_code == 302
    page = nia_client.get("/team").get_data(as_text=True)
    needs = needs_section(page)
    assert "Nothing needs your action right now." not in needs
    assert 'id="supervision-due"' not in needs and 'id="pending"' not in needs
    line = needs.split('id="overdue-in-team"')[1].split("</ul>")[0]
    assert "Overdue activities in your team" in needs
    assert "1 activity is past its target date" in line and 'href="#overdue"' in line
    assert "Ifan Inductee: " in page.split('id="overdue"')[1]


# ---- what the dashboards show: changes at once, never another person's page ---------------

def test_dashboards_show_changes_at_once_and_never_another_persons_page(tracker_app, people, signed_in):
    manager = signed_in("manager@example.org")
    dafydd = signed_in("inductee@example.org")
    ceri = signed_in("inductee2@example.org")
    first = manager.get("/team").get_data(as_text=True)
    assert first == manager.get("/team").get_data(as_text=True)  # reused while nothing changes
    assert "1.4 The reasons behind absence" not in first.split('id="pending"')[1].split("</table>")[0]
    assert post(dafydd, f"/records/{people['dafydd']}/1.4/submit", {"confirm": "y"}).status_code == 302
    pending = manager.get("/team").get_data(as_text=True).split('id="pending"')[1].split("</table>")[0]
    assert "1.4 The reasons behind absence" in pending
    mine, theirs = dafydd.get("/my-induction").get_data(as_text=True), ceri.get("/my-induction").get_data(as_text=True)
    assert "Dafydd Morgan" not in theirs and "Ceri Williams" not in mine
    # a flash message is shown once, not kept in a reused page
    post(dafydd, f"/records/{people['dafydd']}/1.6/notes", {"notes": "started"})
    assert "Your notes have been saved." in dafydd.get("/my-induction").get_data(as_text=True)
    assert "Your notes have been saved." not in dafydd.get("/my-induction").get_data(as_text=True)


def test_overdue_counts_what_the_inductee_still_has_to_do(tracker_app, people, signed_in):
    # In the demo data Dafydd's targets for 1.1 to 1.4 have passed: 1.1 is signed off and
    # 1.2 is done (it needs no sign-off), so only 1.3 and 1.4 (in progress) are overdue.
    manager = signed_in("manager@example.org")
    team = manager.get("/team").get_data(as_text=True)
    overdue = team.split("<h2 class=\"govuk-heading-m\">Overdue</h2>")[1]
    dafydd_lines = [line for line in overdue.splitlines() if "Dafydd Morgan:" in line]
    assert any("1.3 " in line for line in dafydd_lines) and any("1.4 " in line for line in dafydd_lines)
    assert not any("1.2 " in line or "1.1 " in line for line in dafydd_lines)
    row = team.split("Dafydd Morgan</a></th>")[1].split("</tr>")[0]
    assert re.findall(r'<td class="govuk-table__cell"[^>]*>(\d+)</td>', row) == ["2"]
    page = manager.get(f"/team/{people['dafydd']}").get_data(as_text=True)
    assert page.count("govuk-tag--red\">Overdue") == 2
    # Once submitted, 1.4 waits on the manager, not the inductee: it is no longer overdue.
    dafydd = signed_in("inductee@example.org")
    assert post(dafydd, f"/records/{people['dafydd']}/1.4/submit", {"confirm": "y"}).status_code == 302
    row = manager.get("/team").get_data(as_text=True).split("Dafydd Morgan</a></th>")[1].split("</tr>")[0]
    assert re.findall(r'<td class="govuk-table__cell"[^>]*>(\d+)</td>', row) == ["1"]
    assert manager.get(f"/team/{people['dafydd']}").get_data(as_text=True).count("govuk-tag--red\">Overdue") == 1


def test_a_reused_dashboard_is_never_another_sessions_page(tracker_app, signed_in):
    """Sign-in starts a session without a CSRF secret: the first dashboard of two sessions of the same
    person must not be the same reused page (its forms would carry the other session's token)."""
    first, second = signed_in("manager@example.org"), signed_in("manager@example.org")
    pages = [client.get("/team").get_data(as_text=True) for client in (first, second)]
    assert csrf_token(pages[0]) != csrf_token(pages[1])
    response = second.post("/logout", data={"csrf_token": csrf_token(pages[1])})
    assert response.status_code == 302  # the token on the page is this session's own
