"""Kept pages (tracker/pagecache.py): a record page and a portfolio page are made once while nothing changes,
and every change a person makes shows on their next view of them, for them and for their manager."""
from __future__ import annotations

import datetime as dt

import pytest

from helpers import csrf_token
from tracker import pagecache, portfolio
from tracker.db import get_db
from tracker.records import routes as record_routes


@pytest.fixture
def renders(monkeypatch):
    """How many times each page was made rather than served as kept."""
    made = {"record": 0, "portfolio": 0}
    real_render, real_gather = record_routes._render, portfolio.gather

    def render(*args, **kwargs):
        made["record"] += 1
        return real_render(*args, **kwargs)

    def gather(*args, **kwargs):
        made["portfolio"] += 1
        return real_gather(*args, **kwargs)
    monkeypatch.setattr(record_routes, "_render", render)
    monkeypatch.setattr(portfolio, "gather", gather)
    frozen = pagecache.clock()
    monkeypatch.setattr(pagecache, "clock", lambda: frozen)  # a record page is kept a minute at most
    return made


def test_a_record_page_is_kept_until_the_record_changes(tracker_app, people, signed_in, renders):
    inductee, manager = signed_in("inductee@example.org"), signed_in("manager@example.org")
    url = f"/records/{people['dafydd']}/1.4"
    page = inductee.get(url).get_data(as_text=True)
    assert inductee.get(url).get_data(as_text=True) == page and renders["record"] == 1
    response = inductee.post(f"{url}/evidence/text", data={"csrf_token": csrf_token(page),
                                                            "body": "Read the two lists with my mentor."})
    assert response.status_code in (302, 303)
    assert "Read the two lists with my mentor." in inductee.get(url).get_data(as_text=True)  # after the flash
    assert "Read the two lists with my mentor." in inductee.get(url).get_data(as_text=True)
    # the manager's view is their own (their forms carry their session's token), and shows the change too
    assert "Read the two lists with my mentor." in manager.get(url).get_data(as_text=True)
    # another session of the same person is never sent the first session's page
    again = signed_in("inductee@example.org").get(url).get_data(as_text=True)
    assert csrf_token(again) != csrf_token(page)


def test_a_comment_or_a_history_entry_shows_at_once(tracker_app, people, signed_in, renders):
    inductee = signed_in("inductee@example.org")
    url = f"/records/{people['dafydd']}/2.1"  # submitted in the demo
    before = inductee.get(url).get_data(as_text=True)
    with tracker_app.app_context():
        from tracker import records
        record = records.get(get_db(), people["dafydd"], "2.1")
        records.transition(get_db(), record["id"], "return", people["rhian"], "Add the name of each school.")
    after = inductee.get(url).get_data(as_text=True)
    assert "Add the name of each school." in after and "Add the name of each school." not in before


def test_a_portfolio_page_is_kept_until_something_in_it_changes(tracker_app, people, signed_in, renders):
    inductee = signed_in("inductee@example.org")
    url = f"/portfolio/{people['dafydd']}"
    page = inductee.get(url).get_data(as_text=True)
    assert inductee.get(url).get_data(as_text=True) == page and renders["portfolio"] == 1
    with tracker_app.app_context():
        db = get_db()
        db.execute("INSERT INTO pdp_versions (inductee_id, version, strengths, created_by)"
                   " VALUES (?, 9, 'Patient listening', ?)",
                   [people["dafydd"], people["dafydd"]])
        db.conn.commit()
    assert "Patient listening" in inductee.get(url).get_data(as_text=True) and renders["portfolio"] == 2


def test_a_witness_link_shows_as_expired_within_a_minute_of_its_expiry(tracker_app, people, signed_in, monkeypatch):
    """Nothing in the data changes when a link expires: the record page is kept for a minute at most."""
    from tracker import witness
    frozen = pagecache.clock()
    monkeypatch.setattr(pagecache, "clock", lambda: frozen)
    with tracker_app.app_context():
        witness.create(get_db(), people["dafydd"], "1.4", "Activity 1.4", witness_name="Ann Jones",
                       witness_email="ann@example.org", purpose="Saw me lead the visit.", days=1)
    inductee = signed_in("inductee@example.org")
    url = f"/records/{people['dafydd']}/1.4"
    assert "Expired" not in inductee.get(url).get_data(as_text=True)
    # a day and a minute on: the link has expired
    moment = dt.datetime.strptime(witness.now(), "%Y-%m-%dT%H:%M:%SZ") + dt.timedelta(days=1, minutes=1)
    monkeypatch.setattr(witness, "now", lambda: moment.strftime("%Y-%m-%dT%H:%M:%SZ"))
    assert "Expired" not in inductee.get(url).get_data(as_text=True)  # the same minute: the kept page
    monkeypatch.setattr(pagecache, "clock", lambda: frozen + 61)
    assert "Expired" in inductee.get(url).get_data(as_text=True)
