"""The tracker in Welsh all the way: every page, for every role, holds no English interface string (any
message of the tracker's catalogue left in English), and handbook text that has no Welsh yet is marked
lang="en" with a Welsh note, never shown as if it were Welsh. The test pack has no Welsh, so every
activity and quiz in it is such text."""
from __future__ import annotations

import re

from babel.messages.pofile import read_po
from test_i18n import demo_text, visible_text
from tracker_pages import add_phone_test_data, page_urls

from helpers import ROOT, signed_in_client

CATALOGUE = ROOT / "tracker" / "translations" / "cy" / "LC_MESSAGES" / "messages.po"
ROLES = [None, "inductee@example.org", "manager@example.org", "admin@example.org", "lead@example.org"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")


def english_interface_strings() -> list[re.Pattern]:
    """Each English message of the catalogue, as a pattern (placeholders match anything), where its Welsh
    differs: a message of at least two words, or one long word, so that names and codes do not count."""
    with open(CATALOGUE, "rb") as handle:
        catalogue = read_po(handle, locale="cy")
    patterns = []
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            if not english or english in strings:
                continue
            words = re.findall(r"[A-Za-z]{2,}", PLACEHOLDER.sub(" ", english))
            if len(words) < 2 and not any(len(word) >= 9 for word in words):
                continue
            pieces = [re.escape(" ".join(part.split())) for part in PLACEHOLDER.split(english)]
            patterns.append(re.compile(r"\b" + r".{0,80}?".join(p for p in pieces if p) + r"(?!\w)"))
    return patterns


def handbook_titles(app) -> list[str]:
    """The English titles of the test pack's activities and quizzes: on a Welsh page, only inside lang="en"."""
    from tracker import content
    with app.test_request_context():
        project = content.project("en")
        return [a.title for a in project.activities.values()] + [q.title for q in project.quizzes.values()]


def test_every_tracker_page_in_welsh_has_no_english_interface_string_and_marks_english_content(live_tracker):
    app = live_tracker.app
    add_phone_test_data(app, live_tracker.ids)
    urls, unfilled = page_urls(app)
    assert not unfilled, unfilled
    patterns = english_interface_strings()
    titles = handbook_titles(app)
    written = demo_text(app)
    problems: list[str] = []
    checked = 0
    for role in ROLES:
        client = signed_in_client(app, role) if role else app.test_client()
        client.get("/login?lang=cy")  # this session's language from now on
        for paths in urls.values():
            for path in paths[:3]:
                response = client.get(path)
                if response.status_code != 200 or "text/html" not in response.content_type:
                    continue
                checked += 1
                html = response.get_data(as_text=True)
                if '<html lang="cy"' not in html:
                    problems.append(f"{role} {path}: not in Welsh")
                    continue
                text = visible_text(html)
                for pattern in patterns:
                    found = pattern.search(text)
                    if found and found.group(0) not in written:
                        problems.append(f"{role} {path}: English interface string {found.group(0)!r}")
                # a <title> cannot mark part of itself as English: the body's text is what is checked
                body = visible_text(html.split("</head>", 1)[-1])
                for title in titles:
                    if title in body and title not in written:
                        problems.append(f"{role} {path}: English handbook text not marked lang=en: {title!r}")
    assert checked > 80
    assert problems == [], "\n".join(sorted(set(problems)))


def test_untranslated_activity_text_is_marked_english_with_a_welsh_note(tracker_app, people):
    client = signed_in_client(tracker_app, "inductee@example.org")
    client.get("/login?lang=cy")
    html = client.get(f"/records/{people['dafydd']}/1.4").get_data(as_text=True)
    assert 'lang="en">The reasons behind absence</span>' in html or re.search(
        r'<span lang="en">[^<]*</span></h1>', html)
    assert "Nid yw hwn yn Gymraeg eto" in html
    english = signed_in_client(tracker_app, "inductee@example.org").get(f"/records/{people['dafydd']}/1.4")
    assert "Nid yw hwn yn Gymraeg eto" not in english.get_data(as_text=True)
    assert ' lang="en"' not in english.get_data(as_text=True).split("<main", 1)[1].split("pinned", 1)[0]


def test_the_handbook_link_opens_the_welsh_handbook_for_a_welsh_reader(tracker_app):
    client = signed_in_client(tracker_app, "inductee@example.org")
    assert 'href="/">Handbook</a>' in client.get("/my-induction").get_data(as_text=True)
    client.get("/login?lang=cy")
    assert 'href="/cy/">Llawlyfr</a>' in client.get("/my-induction").get_data(as_text=True)


def test_with_the_real_handbook_the_welsh_tracker_shows_welsh_activities_and_quizzes(tmp_path):
    """The real handbook is all in Welsh: a Welsh reader's record and quiz pages show its Welsh text, with
    no English marked and no 'not yet in Welsh' note."""
    import yaml

    from helpers import tracker_config
    from tracker import create_app
    from tracker.db import get_db
    from tracker.demo import create_demo_data

    app = create_app(tracker_config(tmp_path, CONTENT_ROOT=str(ROOT)))
    with app.app_context():
        ids = create_demo_data(get_db())
    welsh_title = yaml.safe_load((ROOT / "activities/2-1.cy.yml").read_text(encoding="utf-8"))["title"]
    quiz_title = yaml.safe_load((ROOT / "quizzes/legal-powers.cy.yml").read_text(encoding="utf-8"))["title"]
    client = signed_in_client(app, "inductee@example.org")
    client.get("/login?lang=cy")
    page = client.get(f"/records/{ids['inductee@example.org']}/2.1").get_data(as_text=True)
    assert f'<h1 class="govuk-heading-l">{welsh_title}</h1>' in page.replace("&#39;", "'")
    assert "Nid yw hwn yn Gymraeg eto" not in page
    quiz = client.get("/quizzes/legal-powers").get_data(as_text=True)
    assert quiz_title in quiz.replace("&#39;", "'") and "Nid yw hwn yn Gymraeg eto" not in quiz
    main = quiz.split("<main", 1)[1]
    assert ' lang="en"' not in main.split("</h1>", 1)[0]
