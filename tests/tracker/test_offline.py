"""Saving offline, the server's side (tracker/offline/): what a phone sends later is saved once, never over a change
made meanwhile, only by the person who saved it, and only to their own records; the pages a phone may keep are
marked for their owner alone. The phone's side, in Chromium, is tests/browser/test_offline_browser.py."""
from __future__ import annotations

import io
import json
import secrets
from pathlib import Path

import pytest

from helpers import PNG, query, signed_in_client
from tracker import offline, records
from tracker.db import get_db


def send(client, url: str, token: str | None = None, **fields):
    """A send from the phone's queue: the fields, and the fresh token in the header (none: no token at all)."""
    headers = {"X-CSRFToken": token} if token else {}
    return client.post(url, data=fields, headers=headers, content_type="multipart/form-data")


@pytest.fixture
def dafydd(tracker_app):
    """Dafydd signed in, with a fresh token and his key, as his phone has them before it sends."""
    client = signed_in_client(tracker_app, "inductee@example.org")
    answer = client.get("/offline/token").get_json()
    return client, answer["token"], answer["person"], tracker_app.config["DEMO_IDS"]["inductee@example.org"]


def fingerprint(app, inductee: int, activity: str) -> str:
    with app.app_context():
        return offline.fingerprint(records.get(get_db(), inductee, activity))


def key() -> str:
    return secrets.token_hex(16)


def evidence_count(app, inductee: int, activity: str) -> int:
    return query(app, "SELECT count(*) AS n FROM evidence e JOIN records r ON r.id = e.record_id"
                      " WHERE r.inductee_id = ? AND r.activity_id = ?", [inductee, activity])[0]["n"]


def test_the_token_is_fresh_personal_and_never_stored(tracker_app, dafydd):
    client, token, person, _ = dafydd
    response = client.get("/offline/token")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json()["person"] == person and len(person) == 24
    ceri = signed_in_client(tracker_app, "inductee2@example.org").get("/offline/token").get_json()
    assert ceri["person"] != person
    me = tracker_app.config["DEMO_IDS"]["inductee@example.org"]
    assert person == offline.person_key(tracker_app.secret_key, me) != offline.person_key("another-secret", me)


def test_a_save_sent_twice_is_saved_once(tracker_app, dafydd):
    """The answer to the first send is lost on the way back; the phone sends the same again."""
    client, token, person, me = dafydd
    url, same = f"/offline/records/{me}/1.4", key()
    base = fingerprint(tracker_app, me, "1.4")
    first = send(client, url, token, key=same, person=person, base=base, body="Made the two lists.")
    assert first.status_code == 200 and first.get_json()["status"] == "saved"
    again = send(client, url, token, key=same, person=person, base=base, body="Made the two lists.")
    assert again.status_code == 200 and again.get_json()["status"] == "duplicate"
    assert again.get_json()["fingerprint"] == first.get_json()["fingerprint"] == fingerprint(tracker_app, me, "1.4")
    assert evidence_count(tracker_app, me, "1.4") == 1
    assert query(tracker_app, "SELECT kind, made_id FROM offline_receipts WHERE user_id = ?", [me]) == [
        {"kind": "record", "made_id": query(tracker_app, "SELECT id FROM records WHERE inductee_id = ? AND"
                                                         " activity_id = '1.4'", [me])[0]["id"]}]


def test_a_photo_sent_twice_is_stored_once(tracker_app, dafydd):
    client, token, person, me = dafydd
    url, same, base = f"/offline/records/{me}/1.4", key(), fingerprint(tracker_app, me, "1.4")
    for _ in range(2):
        response = send(client, url, token, key=same, person=person, base=base, description="The lists",
                        upload=(io.BytesIO(PNG), "lists.png", "image/png"))
        assert response.status_code == 200
    assert evidence_count(tracker_app, me, "1.4") == 1
    assert len(list(Path(tracker_app.config["UPLOAD_FOLDER"]).iterdir())) == 1


def test_notes_changed_elsewhere_are_not_written_over(tracker_app, dafydd):
    client, token, person, me = dafydd
    url, base = f"/offline/records/{me}/1.4", fingerprint(tracker_app, me, "1.4")
    with tracker_app.app_context():  # meanwhile, on his laptop
        records.save_notes(get_db(), me, "1.4", "The reasons behind absence", "Written on the laptop.", me)
    same = key()
    refused = send(client, url, token, key=same, person=person, base=base, notes="Written on the phone.")
    answer = refused.get_json()
    assert refused.status_code == 409 and answer["status"] == "conflict" and not answer["locked"]
    assert answer["notes"] == "Written on the laptop." and answer["state"] == "in_progress"
    assert query(tracker_app, "SELECT notes FROM records WHERE inductee_id = ? AND activity_id = '1.4'",
                 [me])[0]["notes"] == "Written on the laptop."
    # the person chooses to add their draft; the same key, the record as it is now
    added = send(client, url, token, key=same, person=person, base=answer["fingerprint"], choice="add",
                 notes="Written on the phone.")
    assert added.get_json()["status"] == "saved"
    assert query(tracker_app, "SELECT notes FROM records WHERE inductee_id = ? AND activity_id = '1.4'",
                 [me])[0]["notes"] == "Written on the laptop.\n\nWritten on the phone."


def test_replacing_is_refused_if_the_record_changed_again(tracker_app, dafydd):
    client, token, person, me = dafydd
    url, stale = f"/offline/records/{me}/1.4", fingerprint(tracker_app, me, "1.4")
    with tracker_app.app_context():
        records.save_notes(get_db(), me, "1.4", "t", "Changed once.", me)
        seen_then = offline.fingerprint(records.get(get_db(), me, "1.4"))
        records.save_notes(get_db(), me, "1.4", "t", "Changed twice.", me)
    for base in (stale, seen_then):
        response = send(client, url, token, key=key(), person=person, base=base, choice="replace", notes="Phone.")
        assert response.status_code == 409
    assert query(tracker_app, "SELECT notes FROM records WHERE inductee_id = ? AND activity_id = '1.4'",
                 [me])[0]["notes"] == "Changed twice."


def test_evidence_for_a_record_signed_off_meanwhile_is_refused(tracker_app, dafydd):
    """The record was submitted and signed off while the phone had no signal: nothing can be added, whatever is
    chosen; the phone is told, and keeps the draft."""
    client, token, person, me = dafydd
    url, base = f"/offline/records/{me}/1.4", fingerprint(tracker_app, me, "1.4")
    manager = tracker_app.config["DEMO_IDS"]["manager@example.org"]
    with tracker_app.app_context():
        db = get_db()
        record = records.save_notes(db, me, "1.4", "t", "Done it.", me)
        records.transition(db, record["id"], "submit", me)
        records.transition(db, record["id"], "sign_off", manager)
    for choice in ("", "add", "replace"):
        response = send(client, url, token, key=key(), person=person, base=fingerprint(tracker_app, me, "1.4")
                        if choice else base, choice=choice, body="Late evidence.")
        answer = response.get_json()
        assert response.status_code == 409 and answer["locked"] and answer["state"] == "signed_off"
        assert answer["state_label"] == "Signed off"
    assert evidence_count(tracker_app, me, "1.4") == 0


def test_evidence_alone_is_added_when_only_the_notes_changed(tracker_app, dafydd):
    """Adding evidence writes over nothing: notes changed elsewhere do not stop it."""
    client, token, person, me = dafydd
    url, base = f"/offline/records/{me}/1.4", fingerprint(tracker_app, me, "1.4")
    with tracker_app.app_context():
        records.save_notes(get_db(), me, "1.4", "t", "Laptop.", me)
        base = offline.fingerprint(records.get(get_db(), me, "1.4"))
        records.save_notes(get_db(), me, "1.4", "t", "Laptop again.", me)
    response = send(client, url, token, key=key(), person=person, base=base, body="Evidence.")
    assert response.get_json()["status"] == "saved"
    assert evidence_count(tracker_app, me, "1.4") == 1


@pytest.mark.parametrize("who,path,code", [
    ("inductee2@example.org", "/offline/records/{me}/1.4", 404),  # another inductee's record
    ("manager@example.org", "/offline/records/{me}/1.4", 403),  # managers do not write records
    ("inductee@example.org", "/offline/records/{me}/no-such-activity", 404),
])
def test_only_the_inductee_writes_to_their_own_records(tracker_app, dafydd, who, path, code):
    _, _, person, me = dafydd
    client = signed_in_client(tracker_app, who)
    token = client.get("/account/password").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    response = send(client, path.format(me=me), token, key=key(), person=person, base="x", body="Evidence.")
    assert response.status_code == code
    assert evidence_count(tracker_app, me, "1.4") == 0


def test_a_draft_saved_by_someone_else_is_refused(tracker_app, dafydd):
    """Ceri signs in on Dafydd's phone: Dafydd's drafts, if the phone still sent them, would not be saved as hers."""
    _, _, dafydd_person, me = dafydd
    ceri = signed_in_client(tracker_app, "inductee2@example.org")
    token = ceri.get("/offline/token").get_json()["token"]
    her = tracker_app.config["DEMO_IDS"]["inductee2@example.org"]
    response = send(ceri, f"/offline/records/{her}/1.4", token, key=key(), person=dafydd_person, base="x",
                    body="Dafydd's words.")
    assert response.status_code == 403 and response.get_json()["status"] == "refused"
    assert evidence_count(tracker_app, her, "1.4") == 0


@pytest.mark.parametrize("bad", ["", "short", "a" * 65, "../../etc/passwd-0123456", "ä" * 20])
def test_a_bad_key_is_refused(tracker_app, dafydd, bad):
    client, token, person, me = dafydd
    response = send(client, f"/offline/records/{me}/1.4", token, key=bad, person=person, base="x", body="E.")
    assert response.status_code == 400 and response.get_json()["status"] == "failed"
    assert evidence_count(tracker_app, me, "1.4") == 0


def test_a_send_without_a_token_is_refused(tracker_app, dafydd):
    client, _, person, me = dafydd
    response = send(client, f"/offline/records/{me}/1.4", None, key=key(), person=person, base="x", body="E.")
    assert response.status_code == 400
    assert evidence_count(tracker_app, me, "1.4") == 0


def test_a_signed_out_phone_is_sent_to_sign_in(tracker_app):
    response = tracker_app.test_client().get("/offline/token")
    assert response.status_code == 302 and "/login" in response.location


def test_a_bad_draft_is_refused_with_the_reason(tracker_app, dafydd):
    client, token, person, me = dafydd
    response = send(client, f"/offline/records/{me}/1.4", token, key=key(), person=person, base="x",
                    description="A photo", upload=(io.BytesIO(b"MZ not a photo"), "virus.exe", "image/png"))
    assert response.status_code == 400 and "must be a" in response.get_json()["reason"]
    assert evidence_count(tracker_app, me, "1.4") == 0
    assert not any(Path(tracker_app.config["UPLOAD_FOLDER"]).glob("*"))


REFLECTION = {"entry_date": "2026-11-20", "title": "A home visit", "what": "I went with a colleague.",
              "so_what": "I listened more than I spoke.", "now_what": "Plan the questions beforehand."}


def test_a_reflection_written_offline_is_saved_once(tracker_app, dafydd):
    client, token, person, me = dafydd
    same = key()
    first = send(client, "/offline/reflections", token, key=same, person=person, **REFLECTION)
    assert first.get_json()["status"] == "saved" and "/reflections/" in first.get_json()["url"]
    again = send(client, "/offline/reflections", token, key=same, person=person, **REFLECTION)
    assert again.get_json()["status"] == "duplicate"
    assert query(tracker_app, "SELECT count(*) AS n FROM reflections WHERE author_id = ? AND title = ?",
                 [me, "A home visit"])[0]["n"] == 1


def test_a_reflection_that_may_identify_someone_is_sent_back_to_check(tracker_app, dafydd):
    client, token, person, me = dafydd
    text = {**REFLECTION, "what": "Visited the family at CF10 1AA."}
    checked = send(client, "/offline/reflections", token, key=key(), person=person, **text)
    assert checked.status_code == 422 and "CF10 1AA" in checked.get_json()["reason"]
    assert query(tracker_app, "SELECT count(*) AS n FROM reflections WHERE title = ?", ["A home visit"])[0]["n"] == 0
    sent = send(client, "/offline/reflections", token, key=key(), person=person, confirmed="yes", **text)
    assert sent.get_json()["status"] == "saved"


def test_a_reflection_missing_a_part_is_refused_with_the_reason(tracker_app, dafydd):
    client, token, person, _ = dafydd
    response = send(client, "/offline/reflections", token, key=key(), person=person, **{**REFLECTION, "what": ""})
    assert response.status_code == 400 and response.get_json()["reason"] == "Describe what happened"


# ---- which pages a phone may keep ------------------------------------------------------------------------------

def kept(response) -> str | None:
    return response.headers.get(offline.KEEP_HEADER)


def test_only_the_inductees_own_open_pages_are_marked_to_keep(tracker_app, dafydd):
    """Every GET route, as every role: the mark is on Dafydd's dashboard, his records not signed off and the new
    reflection form, for him alone; every page stays no-store for browsers and proxies all the same."""
    from tracker_pages import ROLES, add_phone_test_data, page_urls

    client, _, person, me = dafydd
    add_phone_test_data(tracker_app, tracker_app.config["DEMO_IDS"])
    [signed_off] = query(tracker_app, "SELECT activity_id FROM records WHERE inductee_id = ? AND state = ?",
                         [me, "signed_off"])
    urls, _ = page_urls(tracker_app)
    marked = set()
    for role in ROLES:
        visitor = signed_in_client(tracker_app, role) if role else tracker_app.test_client()
        for paths in urls.values():
            for path in paths:
                response = visitor.get(path)
                if kept(response):
                    marked.add((role, path.split("?")[0]))
                    own = offline.person_key(tracker_app.secret_key, tracker_app.config["DEMO_IDS"][role])
                    assert kept(response) == own, f"{path} as {role} marked for someone else"
                assert "no-store" in response.headers["Cache-Control"] or path.startswith(("/static/", "/govuk/"))
    assert {role for role, _ in marked} == {"inductee@example.org", "inductee2@example.org"}  # the inductees
    ceri = tracker_app.config["DEMO_IDS"]["inductee2@example.org"]
    hers = {path for role, path in marked if role == "inductee2@example.org"}
    assert {"/my-induction", "/reflections/new"} <= hers and all(
        p in ("/my-induction", "/reflections/new") or p.startswith(f"/records/{ceri}/") for p in hers)
    paths = {path for role, path in marked if role == "inductee@example.org"}
    assert {"/my-induction", "/reflections/new", f"/records/{me}/1.4"} <= paths
    assert f"/records/{me}/{signed_off['activity_id']}" not in paths  # signed off: nothing to save there
    assert paths <= {"/my-induction", "/reflections/new"} | {p for p in paths if p.startswith(f"/records/{me}/")}


def test_a_managers_view_of_a_record_is_not_kept(tracker_app, dafydd):
    _, _, _, me = dafydd
    manager = signed_in_client(tracker_app, "manager@example.org")
    assert kept(manager.get(f"/records/{me}/1.4")) is None


# ---- the worker, the manifest, the libraries -------------------------------------------------------------------

def test_the_worker_is_served_from_the_trackers_root_naming_what_it_keeps(tracker_app):
    response = tracker_app.test_client().get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    settings = json.loads(response.get_data(as_text=True).split("self.TRACKER = ", 1)[1].split(";\n", 1)[0])
    assert settings["offlinePage"] == "/offline" and settings["keepHeader"] == offline.KEEP_HEADER
    assert {"/govuk/govuk-frontend.min.css", "/vendor/idb/index.js"} <= set(settings["precache"])
    assert any(url.startswith("/static/offline/queue.js?v=") for url in settings["precache"])
    assert "importScripts(self.TRACKER.workbox)" in response.get_data(as_text=True)
    assert tracker_app.test_client().get(settings["workbox"]).status_code == 200
    for name in ("workbox-core", "workbox-routing", "workbox-strategies"):
        library = settings["libraries"].replace("PACKAGE", name).replace("FILE", f"{name}.prod.js")
        assert tracker_app.test_client().get(library).status_code == 200, library


@pytest.mark.parametrize("path", ["/vendor/axe-core/axe.min.js", "/vendor/idb/../../package.json",
                                  "/vendor/idb/../package.json", "/vendor/govuk-frontend/package.json"])
def test_only_the_named_libraries_are_served(tracker_app, path):
    assert tracker_app.test_client().get(path).status_code == 404


def test_the_libraries_may_be_kept_by_browsers(tracker_app):
    response = tracker_app.test_client().get("/vendor/idb/index.js")
    assert response.status_code == 200 and "export { deleteDB, openDB" in response.get_data(as_text=True)
    assert "no-store" not in response.headers["Cache-Control"]


@pytest.mark.parametrize("lang,name,short", [("en", "EWS induction tracker", "Induction"),
                                             ("cy", "Traciwr sefydlu EWS", "Sefydlu")])
def test_the_manifest_is_in_the_pages_language(tracker_app, lang, name, short):
    manifest = tracker_app.test_client().get(f"/manifest.webmanifest?language={lang}")
    assert manifest.mimetype == "application/manifest+json"
    body = manifest.get_json(force=True)
    assert (body["name"], body["short_name"]) == (name, short)
    assert body["start_url"] == "/my-induction" and body["scope"] == "/"
    page = tracker_app.test_client().get(f"/login?lang={lang}").get_data(as_text=True)
    assert f'<link rel="manifest" href="/manifest.webmanifest?language={lang}">' in page


def test_the_offline_page_names_no_one_and_speaks_both_languages(tracker_app, dafydd):
    client, *_ = dafydd
    page = client.get("/offline").get_data(as_text=True)
    assert "You are offline" in page and "Rydych chi all-lein" in page and '<div lang="cy">' in page
    signed_out = tracker_app.test_client().get("/offline").get_data(as_text=True)
    assert "Dafydd" not in signed_out


def test_behind_the_combined_server_the_worker_keeps_to_the_tracker(real_site, tmp_path, monkeypatch):
    """Served at /tracker/sw.js, the worker's scope is /tracker/: the handbook's pages at / are never its."""
    from test_security import combined_app
    from werkzeug.test import Client

    client = Client(combined_app(real_site, tmp_path / "instance", monkeypatch))
    response = client.get("/tracker/sw.js")
    assert response.status_code == 200 and "Service-Worker-Allowed" not in response.headers
    settings = json.loads(response.get_data(as_text=True).split("self.TRACKER = ", 1)[1].split(";\n", 1)[0])
    assert settings["offlinePage"] == "/tracker/offline"
    assert all(url.startswith("/tracker/") for url in settings["precache"])
    assert client.get("/sw.js").status_code == 404  # none at the handbook's root
    manifest = json.loads(client.get("/tracker/manifest.webmanifest").get_data(as_text=True))
    assert (manifest["scope"], manifest["start_url"]) == ("/tracker/", "/tracker/my-induction")
