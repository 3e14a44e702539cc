"""Links in email come only from the configured address, and a request for a host the tracker does not
serve is refused: a reset asked for with `Host: evil.example` once emailed the victim a link to
http://evil.example/…/set-password/<valid token>, and whoever ran evil.example got the account."""
from __future__ import annotations

import io
import logging
import re

import pytest

from helpers import csrf_token, deliver_mail, query, signed_in_client, tracker_config
from tracker import create_app, mail

FOREIGN = "evil.example"


def queued_and_pending(app) -> tuple[int, int]:
    return (query(app, "SELECT count(*) AS n FROM mail_queue")[0]["n"],
            query(app, "SELECT count(*) AS n FROM notifications WHERE sent_at IS NULL")[0]["n"])


def outbox_texts(app) -> list[str]:
    deliver_mail(app)
    with app.app_context():
        return [mail.read_outbox(name).get_body(("plain",)).get_content() for name in mail.outbox_names()]


def forms_that_send_email(people, app) -> list[tuple[str, dict, str]]:
    """(path, fields, who posts it) for every form whose change emails someone."""
    d, c = people["dafydd"], people["ceri"]
    witness_request = query(app, "SELECT id FROM witness_requests LIMIT 1")
    forms = [
        ("/account/forgotten-password", {"email": "inductee@example.org"}, None),
        ("/admin/users/new", {"name": "Nia", "email": "nia@example.org", "role": "inductee"}, "admin@example.org"),
        (f"/admin/users/{c}/reset-password", {}, "admin@example.org"),
        (f"/admin/users/{d}/managers", {"managers": []}, "admin@example.org"),
        ("/admin/users/import", {"csv_file": (io.BytesIO(b"email,name,role\nx@example.org,X,inductee\n"), "u.csv")},
         "admin@example.org"),
        ("/admin/outbox/test", {}, "admin@example.org"),
        (f"/records/{d}/1.4/witness-requests", {"ask-witness_name": "W", "ask-witness_email": "w@example.org",
                                                "ask-purpose": "That I ran it."}, "inductee@example.org"),
        (f"/records/{d}/1.4/save-and-check", {"notes": "Lists"}, "inductee@example.org"),
        (f"/records/{d}/2.1/sign-off", {"comment": "Good"}, "manager@example.org"),
        (f"/records/{d}/2.1/return", {"comment": "More"}, "manager@example.org"),
    ]
    if witness_request:
        forms.append((f"/witness-requests/{witness_request[0]['id']}/resend", {}, "inductee@example.org"))
    return forms


def test_no_page_answers_a_host_the_tracker_does_not_serve(tracker_app):
    """Every route, GET and POST, signed out: Flask's TRUSTED_HOSTS refuses the request before any view."""
    client = tracker_app.test_client()
    for rule in tracker_app.url_map.iter_rules():
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "1", rule.rule)
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(path, method=method, headers={"Host": FOREIGN})
            assert response.status_code == 400, (method, path, response.status_code)
    assert client.get("/login", headers={"Host": "localhost"}).status_code == 200


def test_a_forged_host_on_any_form_that_sends_email_is_refused_and_sends_nothing(tracker_app, people):
    for path, fields, email in forms_that_send_email(people, tracker_app):
        client = signed_in_client(tracker_app, email) if email else tracker_app.test_client()
        token = csrf_token(client.get("/account/forgotten-password" if email is None else "/account/password")
                           .get_data(as_text=True))
        before = queued_and_pending(tracker_app)
        response = client.post(path, data={"csrf_token": token, **fields}, headers={"Host": FOREIGN},
                               content_type="multipart/form-data")
        assert response.status_code == 400, (path, response.status_code)
        assert queued_and_pending(tracker_app) == before, path
    assert not any(FOREIGN in text for text in outbox_texts(tracker_app))


def test_links_come_from_the_public_address_whatever_host_the_request_named(tmp_path, demo_database):
    """The tracker also answers to another name (TRUSTED_HOSTS), and a proxy may send X-Forwarded-Host:
    neither ever reaches a link."""
    from conftest import demo_app
    app = demo_app(tmp_path, demo_database)
    app.config.update(PUBLIC_URL="https://tracker.example.org/ews", TRUSTED_PROXIES=1)
    client = app.test_client()
    page = client.get("/account/forgotten-password", headers={"Host": "127.0.0.1"})
    client.post("/account/forgotten-password", headers={"Host": "127.0.0.1", "X-Forwarded-Host": FOREIGN},
                data={"csrf_token": csrf_token(page.get_data(as_text=True)), "email": "inductee@example.org"})
    [text] = outbox_texts(app)
    links = re.findall(r"https?://\S+", text)
    assert links and all(link.startswith("https://tracker.example.org/ews/") for link in links), links


def test_without_a_public_address_no_link_is_sent_and_the_log_and_admin_pages_say_so(tmp_path, demo_database,
                                                                                     caplog):
    import shutil
    template, ids = demo_database
    shutil.copyfile(template, tmp_path / "tracker.sqlite")
    with caplog.at_level(logging.WARNING):
        app = create_app(tracker_config(tmp_path, PUBLIC_URL=""))
    assert "TRACKER_PUBLIC_URL is not set" in caplog.text
    admin = signed_in_client(app, "admin@example.org")
    for page in ("/admin/users", "/admin/outbox/"):
        assert "TRACKER_PUBLIC_URL) is not set" in admin.get(page).get_data(as_text=True)
    html = admin.get("/admin/users/new").get_data(as_text=True)
    created = admin.post("/admin/users/new", data={"csrf_token": csrf_token(html), "name": "Nia Jones",
                                                   "email": "nia@example.org", "role": "inductee"},
                         follow_redirects=True).get_data(as_text=True)
    assert "TRACKER_PUBLIC_URL" in created  # the account is made; the invitation is not sent, and it says why
    client = app.test_client()
    page = client.get("/account/forgotten-password")
    sent = client.post("/account/forgotten-password", data={"csrf_token": csrf_token(page.get_data(as_text=True)),
                                                            "email": "inductee@example.org"})
    assert sent.status_code == 200  # the same page as ever: it tells no one whether the address exists
    assert query(app, "SELECT * FROM mail_queue") == []
    assert query(app, "SELECT * FROM account_tokens WHERE replaced_at IS NULL AND used_at IS NULL"
                      " AND user_id = (SELECT id FROM users WHERE email = 'inductee@example.org')") == []


def test_the_production_entry_points_refuse_to_start_without_a_public_address(tmp_path, monkeypatch):
    from tracker import wsgi
    for key, value in tracker_config(tmp_path).items():
        if isinstance(value, str):
            monkeypatch.setenv(f"TRACKER_{key}", value)
    monkeypatch.setenv("TRACKER_PUBLIC_URL", "")
    with pytest.raises(SystemExit, match="TRACKER_PUBLIC_URL is not set"):
        wsgi.tracker_only()
    create_app(tracker_config(tmp_path))  # the database, as `flask --app tracker migrate` makes it
    monkeypatch.setenv("TRACKER_PUBLIC_URL", "https://tracker.example.org/tracker")
    assert wsgi.tracker_only().config["TRUSTED_HOSTS"] == ["tracker.example.org"]


def test_the_combined_server_refuses_a_foreign_host_for_the_handbook_too(tmp_path, monkeypatch):
    from werkzeug.test import Client

    from tracker import wsgi
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>Handbook</title>", encoding="utf-8")
    for key, value in tracker_config(tmp_path).items():
        if isinstance(value, str):
            monkeypatch.setenv(f"TRACKER_{key}", value)
    monkeypatch.setenv("TRACKER_PUBLIC_URL", "https://handbook.example.org/tracker")
    create_app(tracker_config(tmp_path))  # the database, as `flask --app tracker migrate` makes it
    client = Client(wsgi.combined(str(site)))
    assert client.get("/", headers={"Host": "handbook.example.org"}).status_code == 200
    assert client.get("/", headers={"Host": FOREIGN}).status_code == 400
    assert client.get("/tracker/login", headers={"Host": FOREIGN}).status_code == 400
    assert client.get("/tracker/login", headers={"Host": "handbook.example.org"}).status_code == 200
