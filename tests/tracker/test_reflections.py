"""Reflective log: private until shared, then the manager can read and comment; warnings (never blocks)
about details that may identify a child or family; form errors keep what was typed."""
from __future__ import annotations

import re
import sqlite3

import pytest

from helpers import post, query

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
    assert post(manager, f"/reflections/{reflection_id}/comments",
                {"body": "Good insight about open questions."}).status_code == 302
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


@pytest.mark.parametrize("typed", ["2026-11-2", "20261120", "2026-W47-5", "٢٠٢٦-١١-٢٠"])
def test_a_date_not_written_yyyy_mm_dd_gets_one_welsh_or_english_message_and_is_kept(tracker_app, signed_in, typed):
    inductee = signed_in("inductee@example.org")
    count = "SELECT count(*) AS n FROM reflections"
    before = query(tracker_app, count)
    for language, message in [("en", "Enter the date as a real date, like 2026-11-24"),
                              ("cy", "Rhowch y dyddiad fel dyddiad go iawn, fel 2026-11-24")]:
        inductee.get(f"/reflections?lang={language}")
        response = post(inductee, "/reflections/new", {**REFLECTION, "entry_date": typed})
        html = response.get_data(as_text=True)
        assert response.status_code == 400
        summary = html.split("govuk-error-summary__list")[1].split("</ul>")[0]
        assert re.findall(r'<a href="#([^"]+)">([^<]*)</a>', summary) == [("entry_date", message)]
        assert f'value="{typed}"' in html and "I talked too much." in html
    assert query(tracker_app, count) == before


def test_a_stored_date_that_is_not_one_opens_empty_to_be_put_right(tracker_app, people, signed_in):
    """The date migration keeps what it cannot read in a column that needs a value: the entry still opens."""
    inductee = signed_in("inductee@example.org")
    conn = sqlite3.connect(tracker_app.config["DATABASE"])
    with conn:
        kept = conn.execute("INSERT INTO reflections (author_id, entry_date, title, what, so_what, now_what)"
                            " VALUES (?, 'last Tuesday', 'Team meeting', 'w', 's', 'n')",
                            [people["dafydd"]]).lastrowid
    conn.close()
    assert "last Tuesday" in inductee.get("/reflections").get_data(as_text=True)
    page = inductee.get(f"/reflections/{kept}/edit")
    assert page.status_code == 200
    assert re.search(r'name="entry_date" type="date"\s+value=""', page.get_data(as_text=True))
    assert post(inductee, f"/reflections/{kept}/edit", {**REFLECTION, "entry_date": "2026-11-17"}).status_code == 302
    assert query(tracker_app, "SELECT entry_date FROM reflections WHERE id = ?", [kept])[0]["entry_date"] \
        == "2026-11-17"
