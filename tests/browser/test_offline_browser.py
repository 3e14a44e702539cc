"""Saving offline on a phone, in a real Chromium against the real tracker on a real SQLite file: the network is cut
with Playwright's set_offline, as a visit with no signal cuts it. What is saved is kept on the device, shown, sent
once when the signal is back, never written over a change made meanwhile, and deleted when the person signs out or
someone else signs in. The server's rules: tests/tracker/test_offline.py.

Set TRACKER_SCREENSHOTS=/some/folder to keep screenshots of the record page offline and of a conflict."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from test_phone_browser import assert_fits

from browser import assert_accessible, new_page, screenshot, sign_in
from helpers import PNG, query
from tracker import records
from tracker.db import get_db

pytestmark = pytest.mark.browser
DEADLINE = 60_000  # ms: generous, the machine may be busy; every wait is on a condition

WORDS = {
    "en": {"offline": "You are offline. What you save is kept on this device and sent when you are back online.",
           "save": "Save notes", "text": "Add written evidence", "file": "Upload a photograph, document or recording",
           "upload": "Upload file", "waiting": "Saved on this device, not sent yet: {n}", "sent": "Sent: {n}",
           "changed": "Changed meanwhile", "discard": "Discard my draft", "add": "Add my draft to the notes",
           "sign_out": "Sign out", "go": "Sign out and delete them", "menu": "Menu"},
    "cy": {"offline": "Rydych chi all-lein. Mae’r hyn rydych chi’n ei gadw yn cael ei gadw ar y ddyfais hon a’i anfon"
                      " pan fyddwch chi ar-lein eto.",
           "save": "Cadw’r nodiadau", "text": "Ychwanegu tystiolaeth ysgrifenedig",
           "file": "Llwytho ffotograff, dogfen neu recordiad i fyny", "upload": "Llwytho’r ffeil i fyny",
           "waiting": "Wedi’u cadw ar y ddyfais hon, heb eu hanfon eto: {n}", "sent": "Wedi’u hanfon: {n}",
           "changed": "Wedi newid yn y cyfamser", "discard": "Gwaredu fy nrafft",
           "add": "Ychwanegu fy nrafft at y nodiadau", "sign_out": "Allgofnodi", "go": "Allgofnodi a’u dileu",
           "menu": "Dewislen"},
}
NOTES = "Visited the school with a senior officer; we agreed a plan for the first week back."
TEXT = "Notes of the meeting, written on the bus."


def phone(browser, width: int, workers: bool = True):
    """A phone-sized page of its own. Service workers are blocked where a test reroutes requests (Playwright cannot
    see the requests a worker handles)."""
    page = new_page(browser) if workers else browser.new_context(service_workers="block", bypass_csp=True).new_page()
    page.context.set_default_timeout(DEADLINE)
    page.set_viewport_size({"width": width, "height": 740})
    return page


def in_language(page, base: str, language: str) -> None:
    if language != "en":
        page.get_by_role("button", name="Cymraeg").click()
        expect(page.locator("html")).to_have_attribute("lang", "cy")


def kept_by_the_worker(page, url: str) -> None:
    """Wait until the service worker controls the page and has kept `url`. A page that opened while the worker was
    still installing stays uncontrolled (it may miss the worker's claim): the next one is controlled."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("navigator.serviceWorker.controller !== null"):
        page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=DEADLINE)
    page.goto(url)
    page.wait_for_function("""async (url) => !!(await caches.open('tracker-pages').then(c => c.match(url)))""",
                           arg=url, timeout=DEADLINE)


def counts(page):
    return page.locator(".tracker-offline__counts")


def record_row(app, inductee: int, activity: str) -> dict:
    return query(app, "SELECT * FROM records WHERE inductee_id = ? AND activity_id = ?", [inductee, activity])[0]


def evidence_of(app, inductee: int, activity: str) -> list[dict]:
    return query(app, "SELECT e.kind, e.body, e.file_name FROM evidence e JOIN records r ON r.id = e.record_id"
                      " WHERE r.inductee_id = ? AND r.activity_id = ? ORDER BY e.id", [inductee, activity])


STORED = """async () => {
  const open = indexedDB.open('tracker-offline');
  const db = await new Promise((ok, fail) => { open.onsuccess = () => ok(open.result); open.onerror = fail; });
  const all = (store) => new Promise((ok) => { const r = db.transaction(store).objectStore(store).getAll();
                                               r.onsuccess = () => ok(r.result); });
  const drafts = await all('drafts');
  const key = (await all('meta')).find((value) => value instanceof CryptoKey);
  const text = JSON.stringify(drafts, (name, value) => value instanceof ArrayBuffer
      ? new TextDecoder('latin1').decode(value) : ArrayBuffer.isView(value) ? '' : value);
  let exported = 'refused';
  try { await crypto.subtle.exportKey('raw', key); exported = 'exported'; } catch (e) { /* not extractable */ }
  db.close();
  return {count: drafts.length, text, extractable: key ? key.extractable : null, exported};
}"""
LEFT = """async () => ({pages: (await caches.keys()).filter((name) => name.startsWith('tracker-pages')).length,
  drafts: await new Promise((ok) => { const open = indexedDB.open('tracker-offline');
    open.onsuccess = () => { const r = open.result.transaction('drafts').objectStore('drafts').count();
                             r.onsuccess = () => { open.result.close(); ok(r.result); }; }; })})"""


@pytest.mark.parametrize(("language", "width"), [("en", 320), ("cy", 360)])
def test_notes_evidence_and_a_photo_saved_offline_reach_the_tracker_once(browser, live_tracker, language, width):
    """Open the record page with a signal; lose it; save notes, written evidence and a photo; reload with no signal
    and see them; get the signal back: on the tracker exactly once each."""
    base, app = live_tracker.url, live_tracker.app
    me = live_tracker.ids["inductee@example.org"]
    words = WORDS[language]
    page = phone(browser, width)
    sign_in(page, base, "inductee@example.org")
    in_language(page, base, language)
    record = f"{base}/records/{me}/1.4"
    kept_by_the_worker(page, record)

    page.context.set_offline(True)
    page.reload()  # from the phone: the worker's copy
    expect(page.get_by_text(words["offline"])).to_be_visible()
    page.locator("textarea[name=notes]").fill(NOTES)
    page.get_by_role("button", name=words["save"], exact=True).click()
    expect(counts(page)).to_have_text(words["waiting"].format(n=1))
    page.get_by_text(words["text"], exact=True).first.click()  # open its part of the page
    page.locator("textarea[name=body]").fill(TEXT)
    page.get_by_role("button", name=words["text"], exact=True).click()
    expect(counts(page)).to_have_text(words["waiting"].format(n=2))
    page.get_by_text(words["file"], exact=True).click()
    page.locator("input[name=upload]").set_input_files({"name": "lists.png", "mimeType": "image/png", "buffer": PNG})
    page.locator("input[name=description]").fill("The two lists")
    page.get_by_role("button", name=words["upload"], exact=True).click()
    expect(counts(page)).to_have_text(words["waiting"].format(n=3))
    assert evidence_of(app, me, "1.4") == [] and record_row(app, me, "1.4")["notes"] != NOTES

    page.reload()  # still no signal: the page, and what was saved, come back
    expect(counts(page)).to_have_text(words["waiting"].format(n=3))
    expect(page.locator(".tracker-offline__item")).to_have_count(3)
    expect(page.locator("textarea[name=notes]")).to_have_value(NOTES)
    assert_fits(page, f"the record page offline with three saved ({language}, {width} px)")
    assert_accessible(page, f"the record page offline with three saved ({language})")
    screenshot(page, f"offline-record-{language}", widths=(320, 768, 1280))
    stored = page.evaluate(STORED)
    assert stored["count"] == 3
    assert [text for text in (NOTES, TEXT, "The two lists", "lists.png") if text in stored["text"]] == []
    assert (stored["extractable"], stored["exported"]) == (False, "refused")

    page.context.set_offline(False)  # the signal is back: the page sends what it kept
    expect(counts(page)).to_have_text(words["sent"].format(n=3))
    assert record_row(app, me, "1.4")["notes"] == NOTES
    evidence = evidence_of(app, me, "1.4")
    assert [e for e in evidence if e["body"] == TEXT] == [{"kind": "text", "body": TEXT, "file_name": None}]
    assert [e for e in evidence if e["kind"] == "file"] == [{"kind": "file", "body": "The two lists",
                                                             "file_name": "lists.png"}]
    page.reload()  # opened again: nothing is sent twice
    expect(counts(page)).to_have_text(words["sent"].format(n=3))
    assert len(evidence_of(app, me, "1.4")) == len(evidence)
    page.context.close()


def test_a_lost_answer_then_a_retry_saves_once(browser, live_tracker):
    """The tracker saves what was sent, but the answer never reaches the phone; the phone sends it again."""
    base, app = live_tracker.url, live_tracker.app
    me = live_tracker.ids["inductee@example.org"]
    page = phone(browser, 360, workers=False)
    sign_in(page, base, "inductee@example.org")
    page.goto(f"{base}/records/{me}/1.4")
    page.context.set_offline(True)
    page.get_by_text("Add written evidence", exact=True).first.click()
    page.locator("textarea[name=body]").fill(TEXT)
    page.get_by_role("button", name="Add written evidence", exact=True).click()
    expect(counts(page)).to_have_text("Saved on this device, not sent yet: 1")

    reached = []

    def lose_the_answer(route):
        reached.append(route.fetch().status)  # the tracker gets it and answers...
        route.abort("connectionreset")  # ...and the answer is lost

    page.route("**/offline/records/**", lose_the_answer)
    page.context.set_offline(False)
    expect(page.locator(".tracker-offline__message")).to_contain_text("Not sent yet: there is no connection")
    assert reached == [200]
    expect(counts(page)).to_have_text("Saved on this device, not sent yet: 1")
    assert [e["body"] for e in evidence_of(app, me, "1.4")].count(TEXT) == 1
    page.unroute("**/offline/records/**")
    page.get_by_role("button", name="Send now").click()
    expect(counts(page)).to_have_text("Sent: 1")
    assert [e["body"] for e in evidence_of(app, me, "1.4")].count(TEXT) == 1
    page.context.close()


def save_notes_offline(page, base: str, me: int, notes: str) -> None:
    page.goto(f"{base}/records/{me}/1.4")
    page.context.set_offline(True)
    page.locator("textarea[name=notes]").fill(notes)
    page.get_by_role("button", name="Save notes", exact=True).click()
    expect(counts(page)).to_have_text("Saved on this device, not sent yet: 1")


def sign_off_meanwhile(app, me: int, manager: int) -> None:
    """On another device: the record is submitted, then the manager signs it off."""
    with app.app_context():
        db = get_db()
        record = records.save_notes(db, me, "1.4", "The reasons behind absence", "Finished on the laptop.", me)
        records.transition(db, record["id"], "submit", me)
        records.transition(db, record["id"], "sign_off", manager)


def test_a_sign_off_made_meanwhile_keeps_the_draft_beside_it(browser, live_tracker):
    base, app = live_tracker.url, live_tracker.app
    me, manager = live_tracker.ids["inductee@example.org"], live_tracker.ids["manager@example.org"]
    app.config["OFFLINE_DRAFT_DAYS"] = 0  # so that this draft is already old enough to be flagged
    page = phone(browser, 320, workers=False)
    sign_in(page, base, "inductee@example.org")
    save_notes_offline(page, base, me, NOTES)
    expect(page.locator(".tracker-offline__old")).to_have_text(
        "Saved more than 0 days ago: send it soon. A phone may delete what a website keeps on it.")
    sign_off_meanwhile(app, me, manager)
    page.context.set_offline(False)
    item = page.locator(".tracker-offline__item")
    expect(item.locator(".govuk-tag")).to_have_text("Changed meanwhile")
    expect(item).to_contain_text("This record is now “Signed off”, so it cannot change.")
    expect(item.locator(".govuk-grid-column-one-half").first).to_contain_text(NOTES)  # the draft, kept
    expect(item.locator(".govuk-grid-column-one-half").last).to_contain_text("Finished on the laptop.")
    expect(item.get_by_role("button")).to_have_text(["Discard my draft"])  # nothing else can be done with it
    assert_fits(page, "a conflict with a sign-off at 320 px")
    screenshot(page, "offline-conflict-signed-off", widths=(320, 768, 1280))
    row = record_row(app, me, "1.4")
    assert (row["state"], row["notes"]) == ("signed_off", "Finished on the laptop.")
    page.reload()  # still kept, still shown
    expect(page.locator(".tracker-offline__item .govuk-tag")).to_have_text("Changed meanwhile")
    page.get_by_role("button", name="Discard my draft").click()
    expect(page.locator(".tracker-offline__item")).to_have_count(0)
    page.context.close()


def test_notes_changed_meanwhile_are_added_to_only_when_chosen(browser, live_tracker):
    base, app = live_tracker.url, live_tracker.app
    me = live_tracker.ids["inductee@example.org"]
    page = phone(browser, 360, workers=False)
    sign_in(page, base, "inductee@example.org")
    save_notes_offline(page, base, me, NOTES)
    with app.app_context():
        records.save_notes(get_db(), me, "1.4", "The reasons behind absence", "From the laptop.", me)
    page.context.set_offline(False)
    expect(page.locator(".tracker-offline__item .govuk-tag")).to_have_text("Changed meanwhile")
    assert record_row(app, me, "1.4")["notes"] == "From the laptop."
    screenshot(page, "offline-conflict-notes-360")
    page.get_by_role("button", name="Add my draft to the notes").click()
    expect(counts(page)).to_have_text("Sent: 1")
    assert record_row(app, me, "1.4")["notes"] == f"From the laptop.\n\n{NOTES}"
    page.context.close()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_signing_out_warns_then_deletes_everything_kept(browser, live_tracker, language):
    base, app = live_tracker.url, live_tracker.app
    me, manager = live_tracker.ids["inductee@example.org"], live_tracker.ids["manager@example.org"]
    words = WORDS[language]
    page = phone(browser, 1280)
    sign_in(page, base, "inductee@example.org")
    in_language(page, base, language)
    kept_by_the_worker(page, f"{base}/records/{me}/1.4")
    page.context.set_offline(True)
    page.locator("textarea[name=notes]").fill(NOTES)
    page.locator("#record-form button[type=submit]").first.click()
    expect(counts(page)).to_have_text(words["waiting"].format(n=1))
    sign_off_meanwhile(app, me, manager)  # so it stays unsent once back online
    page.context.set_offline(False)
    expect(page.locator(".tracker-offline__item .govuk-tag")).to_have_text(words["changed"])

    page.locator("header").get_by_role("button", name=re.compile(f"^{words['sign_out']}")).click()
    warning = page.locator(".tracker-offline__sign-out")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(": 1.")
    assert page.evaluate(LEFT)["drafts"] == 1  # nothing deleted before the person says so
    page.get_by_role("button", name=words["go"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mewngofnodi" if language == "cy" else "Sign in")
    assert page.evaluate(LEFT) == {"pages": 0, "drafts": 0}
    page.context.close()


def test_someone_else_signing_in_is_warned_then_nothing_of_the_last_person_stays(browser, live_tracker):
    base, app = live_tracker.url, live_tracker.app
    me, manager = live_tracker.ids["inductee@example.org"], live_tracker.ids["manager@example.org"]
    page = phone(browser, 360)
    sign_in(page, base, "inductee@example.org")
    kept_by_the_worker(page, f"{base}/records/{me}/1.4")
    page.context.set_offline(True)
    page.locator("textarea[name=notes]").fill(NOTES)
    page.get_by_role("button", name="Save notes", exact=True).click()
    expect(counts(page)).to_have_text("Saved on this device, not sent yet: 1")
    sign_off_meanwhile(app, me, manager)
    page.context.set_offline(False)
    expect(page.locator(".tracker-offline__item .govuk-tag")).to_have_text("Changed meanwhile")
    page.context.clear_cookies()  # Dafydd's session ends without signing out (the phone is handed on)

    page.goto(f"{base}/login")
    expect(page.locator("#offline-someone-else")).to_contain_text(
        "Saved on this device by the last person signed in, and not yet sent: 1.")
    sign_in(page, base, "inductee2@example.org")
    # Ceri's own pages may be kept from now on; none of Dafydd's, and none of his drafts
    gone = """async (url) => { const left = await (%s)(); return !left.drafts && !(await caches.match(url)); }"""
    page.wait_for_function(gone % LEFT, arg=f"{base}/records/{me}/1.4", timeout=DEADLINE)
    expect(page.locator(".tracker-offline__item")).to_have_count(0)
    page.context.close()


def test_a_page_never_kept_opens_the_offline_page(browser, live_tracker):
    base = live_tracker.url
    page = phone(browser, 320)
    sign_in(page, base, "inductee@example.org")
    kept_by_the_worker(page, f"{base}/my-induction")
    page.context.set_offline(True)
    page.goto(f"{base}/portfolio/{live_tracker.ids['inductee@example.org']}")  # never kept: personal, and long
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    expect(page.locator("[lang=cy] h2")).to_have_text("Rydych chi all-lein")
    assert "Dafydd" not in page.content()
    page.goto(f"{base}/my-induction")  # kept: opens
    expect(page.get_by_role("heading", level=1)).to_have_text("My induction")
    page.context.close()


def test_a_reflection_written_offline_is_sent_once_back_online(browser, live_tracker):
    base, app = live_tracker.url, live_tracker.app
    me = live_tracker.ids["inductee@example.org"]
    page = phone(browser, 360)
    sign_in(page, base, "inductee@example.org")
    kept_by_the_worker(page, f"{base}/reflections/new")
    page.context.set_offline(True)
    page.reload()
    page.get_by_label("Title", exact=True).fill("A first home visit")
    page.get_by_role("button", name="Save reflection").click()  # not all of it yet: nothing kept, and it says so
    expect(page.locator(".tracker-offline__message")).to_contain_text("Fill in the date, the title and all three")
    expect(page.get_by_label("Title", exact=True)).to_have_value("A first home visit")  # what was typed stays
    page.get_by_label("What?", exact=True).fill("I went with a senior officer.")
    page.get_by_label("So what?", exact=True).fill("I listened more than I spoke.")
    page.get_by_label("Now what?", exact=True).fill("Plan my questions beforehand.")
    page.get_by_role("button", name="Save reflection").click()
    expect(counts(page)).to_have_text("Saved on this device, not sent yet: 1")
    expect(page.locator(".tracker-offline__item")).to_contain_text("Reflection: A first home visit")
    stored = page.evaluate(STORED)  # the title, and every answer, sealed
    assert [text for text in ("A first home visit", "I went with a senior officer.") if text in stored["text"]] == []
    page.context.set_offline(False)
    expect(counts(page)).to_have_text("Sent: 1")
    assert query(app, "SELECT what FROM reflections WHERE author_id = ? AND title = ?",
                 [me, "A first home visit"]) == [{"what": "I went with a senior officer."}]
    page.context.close()


def test_a_reflection_that_may_identify_someone_is_checked_before_it_is_sent(browser, live_tracker):
    base, app = live_tracker.url, live_tracker.app
    page = phone(browser, 320, workers=False)
    sign_in(page, base, "inductee@example.org")
    page.goto(f"{base}/reflections/new")
    page.context.set_offline(True)
    for label, text in (("Title", "After the visit"), ("What?", "Met the family at CF10 1AA."),
                        ("So what?", "Listening first helped."), ("Now what?", "Plan the questions.")):
        page.get_by_label(label, exact=True).fill(text)
    page.get_by_role("button", name="Save reflection").click()
    expect(counts(page)).to_have_text("Saved on this device, not sent yet: 1")
    page.context.set_offline(False)
    item = page.locator(".tracker-offline__item")
    expect(item.locator(".govuk-tag")).to_have_text("Check it")
    expect(item).to_contain_text("It may identify someone: a postcode (CF10 1AA)")
    assert "CF10 1AA" not in page.evaluate(STORED)["text"]  # the reason quotes the text: sealed too
    assert query(app, "SELECT count(*) AS n FROM reflections WHERE title = 'After the visit'") == [{"n": 0}]
    page.get_by_role("button", name="Send it as it is").click()
    expect(counts(page)).to_have_text("Sent: 1")
    assert query(app, "SELECT count(*) AS n FROM reflections WHERE title = 'After the visit'") == [{"n": 1}]
    page.context.close()
