"""The tracker in Welsh and English: the catalogue is complete and current, every page a Welsh speaker
opens is in Welsh (lang="cy", no English interface words), and the language is chosen, switched
and remembered as docs/decisions.md ("Welsh: the tracker") says."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from helpers import DEMO_PASSWORD, ROOT, csrf_token, login, post, query

TRACKER = ROOT / "tracker"
CATALOGUE = TRACKER / "translations" / "cy" / "LC_MESSAGES" / "messages.po"
TEMPLATE = TRACKER / "translations" / "messages.pot"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
            "lazy_ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def extracted() -> dict:
    """Every message in the tracker's code and templates, as `pybabel extract -F babel.cfg` finds it."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    messages = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(TRACKER), method_map, options_map, keywords=KEYWORDS):
        messages.setdefault(message, []).append(f"tracker/{filename}:{lineno}")
    return messages


def catalogue():
    with open(CATALOGUE, "rb") as handle:
        return read_po(handle, locale="cy")


def test_every_string_in_the_code_has_a_welsh_translation():
    welsh = catalogue()
    problems = []
    for message, places in extracted().items():
        entry = welsh.get(message)
        where = places[0]
        if entry is None:
            problems.append(f"{where}: not in the Welsh catalogue: {message!r}")
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(s.strip() for s in strings):
            problems.append(f"{where}: no Welsh yet: {message!r}")
        if entry.fuzzy:
            problems.append(f"{where}: marked fuzzy (check it, then remove the flag): {message!r}")
        ids = message if isinstance(message, tuple) else (message,)
        wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for text in strings:
            found = set(PLACEHOLDER.findall(text))
            # a plural's singular may drop %(num)d ("one"); every other placeholder must be kept, none added
            if found - wanted or (wanted - found) - {"num"}:
                problems.append(f"{where}: placeholders {sorted(found)} in {text!r}, expected {sorted(wanted)}")
    assert problems == [], "\n".join(problems)


def test_the_welsh_catalogue_has_six_plural_forms_and_says_it_is_unreviewed():
    welsh = catalogue()
    assert welsh.num_plurals == 6
    assert "n==0 ? 0" in welsh.plural_expr and "n==6 ? 4" in welsh.plural_expr
    header = CATALOGUE.read_text(encoding="utf-8").split('msgid ""', 1)[0]
    assert "NOT YET REVIEWED BY A WELSH SPEAKER" in header


def test_the_checked_in_template_is_current():
    with open(TEMPLATE, "rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    code = set(extracted())
    assert code - template == set(), ("messages.pot is out of date: run pybabel extract (README), "
                                      f"missing {sorted(map(str, code - template))[:10]}")
    assert template - code == set(), f"messages.pot has messages no longer used: {sorted(template - code)[:10]}"


def test_no_welsh_translation_is_left_over():
    welsh = catalogue()
    code = set(extracted())
    stale = [m.id for m in welsh if m.id and m.id not in code]
    assert stale == [] and not welsh.obsolete, "run pybabel update (README) to drop messages no longer used"


# ---- pages in Welsh ------------------------------------------------------------------------

# English interface words that must not be left on a Welsh page (in visible text or in labels a
# screen reader reads). The test pack's content is English only, so words that appear in its
# activity titles and prompts are not listed.
ENGLISH = ["Sign out", "Sign in", "Submit", "Save", "Change password", "Back to", "Needs your action",
           "There is a problem", "Skip to main content", "My induction", "My team", "Not started",
           "In progress", "Waiting for sign-off", "Signed off", "Overdue", "Due soon", "Supervision",
           "Reflective log", "Portfolio", "Evidence", "Notes", "Status", "Progress", "Inductee", "Manager",
           "Users", "Add a", "Download", "Records here are about staff", "Week of", "None", "Question"]


def visible_text(html: str) -> str:
    """What a person reads or hears: text, and the labels and titles of elements."""
    labels = " ".join(re.findall(r'(?:aria-label|title|alt|placeholder|data-label)="([^"]*)"', html))
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    # English content marked as English (lang="en", as a record's pinned copy of its activity is) is allowed
    html = re.sub(r'(?s)<(\w+)\b[^>]*\slang="en"[^>]*>.*?</\1>', " ", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html) + " " + labels)


def content_words(app) -> str:
    """All the handbook text the test pack shows (English, as the pack has no Welsh), so that a word
    found there is not blamed on the interface."""
    from tracker import content
    with app.test_request_context():
        project = content.project("en")
        parts = [a.model_dump_json() for a in project.activities.values()]
        parts += [q.model_dump_json() for q in project.quizzes.values()]
        parts += [s.model_dump_json() for s in project.sections.values()]
    return " ".join(parts)


def demo_text(app) -> str:
    """What the demo people wrote (notes, comments, reflections, supervision)."""
    rows = []
    for table in ("records", "comments", "reflections", "supervision_sessions", "supervision_actions",
                  "supervision_agreements", "plans", "evidence"):
        rows += [json.dumps(r, default=str) for r in query(app, f"SELECT * FROM {table}")]
    return " ".join(rows)


def pages_for(people: dict) -> dict[str, list[str]]:
    d = people["dafydd"]
    return {
        "inductee@example.org": ["/my-induction", f"/plan/{d}", f"/records/{d}/1.4", f"/records/{d}/1.4/submit",
                                 f"/records/{d}/1.2", f"/records/{d}/1.5", "/reflections", "/reflections/new",
                                 "/quizzes", "/quizzes/values-and-principles", f"/pdp/{d}", f"/supervision/{d}",
                                 f"/supervision/{d}/agreement", f"/supervision/{d}/print", f"/portfolio/{d}",
                                 "/account/password", "/no-such-page"],
        "manager@example.org": ["/team", f"/team/{d}", "/supervision", f"/supervision/{d}/sessions/new",
                                "/reflections", "/quizzes", f"/records/{d}/2.1", f"/records/{d}/1.1",
                                "/activities/1.4", f"/portfolio/{d}"],
        "admin@example.org": ["/admin/users", "/admin/users/new", "/admin/users/import",
                              f"/admin/users/{d}/managers", f"/admin/users/{d}/erase"],
    }


def english_left(html: str, allowed: str) -> list[str]:
    text = visible_text(html)
    return [word for word in ENGLISH if re.search(rf"\b{re.escape(word)}\b", text) and word not in allowed]


def test_every_page_is_in_welsh_for_a_welsh_speaker_of_each_role(tracker_app, people, signed_in):
    allowed = content_words(tracker_app) + demo_text(tracker_app) + " Dafydd Morgan Rhian Evans Ceri Williams"
    problems = []
    for email, urls in pages_for(people).items():
        client = signed_in(email)
        client.get("/login?lang=cy")  # the Welsh speaker chooses Welsh: the session keeps it
        for url in urls:
            response = client.get(url)
            html = response.get_data(as_text=True)
            assert response.status_code in (200, 404), (email, url, response.status_code)
            if '<html lang="cy"' not in html:
                problems.append(f"{email} {url}: not lang=cy")
            for word in english_left(html, allowed):
                problems.append(f"{email} {url}: English left: {word!r}")
    assert problems == [], "\n".join(problems)


def test_the_sign_in_and_error_pages_are_in_welsh_and_offer_english(tracker_app):
    client = tracker_app.test_client()
    for url in ("/login?lang=cy", "/no-such-page"):
        html = client.get(url).get_data(as_text=True)
        assert '<html lang="cy"' in html and ("Mewngofnodi" in html or "Heb ddod o hyd i’r dudalen" in html)
        assert re.search(r'<a href="[^"]*lang=en"[^>]* lang="en" hreflang="en">English</a>', html), url
        assert english_left(html, "") == [], url


def test_an_english_page_links_to_its_welsh_version(tracker_app):
    html = tracker_app.test_client().get("/login").get_data(as_text=True)
    assert '<html lang="en-GB"' in html and "Sign in" in html
    assert '<a href="/login?lang=cy" lang="cy" hreflang="cy">Cymraeg</a>' in html


def test_welsh_dates_plurals_errors_and_flash_messages(tracker_app, people, signed_in):
    client = signed_in("inductee@example.org")
    d = people["dafydd"]
    html = client.get("/my-induction?lang=cy").get_data(as_text=True)
    assert re.search(r"\d{1,2} (Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd"
                     r"|Rhagfyr) \d{4}", html)
    assert re.search(r"Dydd (Llun|Mawrth|Mercher|Iau|Gwener|Sadwrn|Sul) \d", html)  # the week-by-week view
    # a form error and the error summary
    token = csrf_token(client.get(f"/records/{d}/1.4").get_data(as_text=True))
    html = client.post(f"/records/{d}/1.4/evidence/text", data={"csrf_token": token, "body": ""}).get_data(as_text=True)
    assert "Mae problem" in html and "Rhowch y dystiolaeth ysgrifenedig" in html and "<title>Gwall:" in html
    # a flash message
    response = post(client, f"/records/{d}/1.4/notes", {"notes": "Nodiadau newydd"}, follow_redirects=True)
    assert "Mae eich nodiadau wedi’u cadw." in response.get_data(as_text=True)


def test_welsh_plural_forms(tracker_app):
    from flask_babel import force_locale, ngettext
    with tracker_app.test_request_context(), force_locale("cy"):
        forms = {n: ngettext("%(num)d user imported", "%(num)d users imported", n) for n in (0, 1, 2, 3, 6, 7)}
    assert forms[1] == "1 defnyddiwr wedi’i fewnforio"
    assert forms[2] == "2 defnyddiwr wedi’u mewnforio" and forms[7] == "7 defnyddiwr wedi’u mewnforio"
    assert all("wedi’u" in forms[n] for n in (0, 2, 3, 6, 7))


def test_the_json_export_describes_itself_in_the_persons_language(tracker_app, people, signed_in):
    client = signed_in("inductee@example.org")
    post(client, "/language", {"lang": "cy", "next": "/my-induction"})
    data = json.loads(client.get("/account/export").get_data(as_text=True))
    assert data["about"]["language"] == "cy" and "Popeth sydd gan y gwasanaeth hwn" in data["about"]["description"]
    assert data["about"]["parts"]["records"].startswith("Eich cofnodion")
    assert "records" in data and "account" in data and data["account"]["language"] == "cy"  # the keys stay English


def test_the_pdf_portfolio_is_in_welsh(tracker_app, people, signed_in):
    import io

    from pypdf import PdfReader
    client = signed_in("inductee@example.org")
    response = client.get(f"/portfolio/{people['dafydd']}/pdf?lang=cy")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Portffolio sefydlu" in text and "Cynnydd y cyfnod sefydlu" in text and "Tudalen 1 o" in text
    assert "Induction progress" not in text


# ---- choosing the language -----------------------------------------------------------------------

def test_the_browser_language_is_the_default(tracker_app):
    client = tracker_app.test_client()
    assert '<html lang="cy"' in client.get("/login", headers={"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"}).text
    assert '<html lang="en-GB"' in client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"}).text
    assert '<html lang="en-GB"' in client.get("/login", headers={"Accept-Language": "fr"}).text
    assert '<html lang="en-GB"' in tracker_app.test_client().get("/login").text


def test_a_lang_link_works_through_the_sign_in_redirect(tracker_app, people):
    client = tracker_app.test_client()
    response = client.get("/activities/1.4?lang=cy")
    assert response.status_code == 302 and "/login" in response.location
    login_page = client.get(response.location)
    assert '<html lang="cy"' in login_page.text and "Mewngofnodwch i barhau." in login_page.text
    token = csrf_token(login_page.text)
    response = client.post(response.location, data={"csrf_token": token, "email": "inductee@example.org",
                                                     "password": DEMO_PASSWORD})
    assert response.status_code == 302 and "lang=cy" in response.location
    page = client.get(response.location, follow_redirects=True)
    assert '<html lang="cy"' in page.text and "Gweithgaredd 1.4" in page.text
    # a link changes only the session: the account keeps no choice
    assert query(tracker_app, "SELECT language FROM users WHERE id = ?", [people["dafydd"]])[0]["language"] is None


def test_the_switch_stores_the_choice_on_the_account_and_it_is_remembered(tracker_app, people):
    client = tracker_app.test_client()
    login(client, "inductee@example.org")
    page = client.get("/my-induction").text
    assert '<html lang="en-GB"' in page and 'lang="cy">Cymraeg</button>' in page
    response = post(client, "/language", {"lang": "cy", "next": "/my-induction"})
    assert response.status_code == 303 and response.location.endswith("/my-induction")
    assert query(tracker_app, "SELECT language FROM users WHERE id = ?", [people["dafydd"]])[0]["language"] == "cy"
    assert '<html lang="cy"' in client.get("/my-induction").text
    post(client, "/logout", {})
    assert '<html lang="cy"' in client.get("/login").text  # the sign-in page after signing out stays Welsh
    fresh = tracker_app.test_client()  # another browser, English by its Accept-Language
    login(fresh, "inductee@example.org")
    assert '<html lang="cy"' in fresh.get("/my-induction", headers={"Accept-Language": "en"}).text


def test_the_next_person_on_a_shared_computer_gets_their_own_language(tracker_app, people):
    from tracker import i18n
    from tracker.db import get_db
    with tracker_app.app_context():
        i18n.set_language(get_db(), people["dafydd"], "cy")
        i18n.set_language(get_db(), people["ceri"], "en")
    client = tracker_app.test_client()
    login(client, "inductee@example.org")
    assert '<html lang="cy"' in client.get("/my-induction").text
    post(client, "/logout", {})
    login(client, "inductee2@example.org")
    assert '<html lang="en-GB"' in client.get("/my-induction").text


def test_language_for(tracker_app, people):
    from tracker import accounts, i18n
    from tracker.db import get_db
    with tracker_app.app_context():
        db = get_db()
        assert i18n.language_for(accounts.get_user(db, people["dafydd"])) is None  # not chosen: send both
        i18n.set_language(db, people["dafydd"], "cy")
        assert i18n.language_for(accounts.User(accounts.get_user(db, people["dafydd"]))) == "cy"
        with pytest.raises(ValueError):
            i18n.set_language(db, people["dafydd"], "fr")


def test_a_cached_dashboard_is_never_served_in_the_other_language(tracker_app, signed_in):
    client = signed_in("manager@example.org")
    assert '<html lang="en-GB"' in client.get("/team").text
    assert '<html lang="cy"' in client.get("/team?lang=cy").text
    assert '<html lang="cy"' in client.get("/team").text
    assert '<html lang="en-GB"' in client.get("/team?lang=en").text


def test_a_welsh_quiz_accepts_english_short_answers_and_the_other_way_round(tracker_app):
    from handbook import model
    from tracker import quizzes
    welsh = model.ShortAnswer.model_construct(kind="short-answer", prompt="?", accepted=["presenoldeb"])
    english = model.ShortAnswer.model_construct(kind="short-answer", prompt="?", accepted=["attendance"])
    assert quizzes.mark_question(welsh, ["attendance"], english.accepted)[0]
    assert quizzes.mark_question(welsh, ["presenoldeb"], english.accepted)[0]
    assert not quizzes.mark_question(welsh, ["attendance"])[0]


def test_the_stored_catalogue_compiles(tmp_path: Path):
    from babel.messages.mofile import write_mo
    with open(tmp_path / "messages.mo", "wb") as handle:
        write_mo(handle, catalogue())
    assert (tmp_path / "messages.mo").stat().st_size > 10_000


def test_the_tracker_catalogue_uses_the_welsh_term_list():
    """The handbook's Welsh term list (handbook/locale/cy/terms.yml) holds for the tracker's Welsh too: the
    same chosen terms, and none of the forms to avoid (colloquial negatives, calques)."""
    from handbook import terms
    _, rules, errors = terms.load_terms()
    assert errors == []
    text = terms.catalogue_text(CATALOGUE.read_text(encoding="utf-8"))
    found = terms.find(text, "tracker/translations/cy/LC_MESSAGES/messages.po", rules)
    assert found == [], "\n".join(f"{e.path}:{e.line} {e.message}" for e in found)
