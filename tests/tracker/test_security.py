"""Security headers on every tracker page, on personal downloads (never stored) and on the handbook through
the combined server, with the session cookie scoped to the tracker; the secret key; error pages."""
from __future__ import annotations

import io
import os
import stat
from pathlib import Path

from helpers import login, post, tracker_config
from tracker import create_app
from tracker.db import get_db

# ---- downloads and the combined server ------------------------------------------------------------

def test_personal_downloads_are_never_stored_by_the_browser(tracker_app):
    dafydd = tracker_app.config["DEMO_IDS"]["inductee@example.org"]
    inductee = tracker_app.test_client()
    login(inductee, "inductee@example.org")
    upload = (io.BytesIO(b"a list of reasons\n"), "reasons.txt")
    assert post(inductee, f"/records/{dafydd}/1.4/evidence/file", {"upload": upload, "description": "lists"},
                content_type="multipart/form-data").status_code == 302
    with tracker_app.app_context():
        evidence = get_db().execute("SELECT id FROM evidence WHERE file_name = 'reasons.txt'").fetchone()[0]
    admin = tracker_app.test_client()
    login(admin, "admin@example.org")
    downloads = {
        "portfolio PDF": inductee.get(f"/portfolio/{dafydd}/pdf"),
        "own JSON export": inductee.get("/account/export"),
        "evidence file": inductee.get(f"/evidence/{evidence}/file"),
        "administrator's JSON export": admin.get(f"/admin/users/{dafydd}/export"),
        "page": inductee.get("/my-induction"),
    }
    for name, response in downloads.items():
        assert response.status_code == 200, name
        assert response.headers["Cache-Control"] == "no-store", name
        assert response.headers["X-Content-Type-Options"] == "nosniff", name
    shared = inductee.get("/govuk/govuk-frontend.min.css")  # the same for everyone: may be cached
    assert shared.status_code == 200 and "no-store" not in shared.headers.get("Cache-Control", "")


def combined_app(site: Path, instance: Path, monkeypatch):
    from tracker.wsgi import combined
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(instance))
    monkeypatch.setenv("TRACKER_PUBLIC_URL", "http://localhost/tracker")  # the test client's host
    monkeypatch.setenv("TRACKER_MIGRATE_ON_START", "true")  # the database, made as `flask --app tracker migrate` would
    return combined(str(site))


def test_the_handbook_gets_the_security_headers_through_the_combined_server(real_site, tmp_path, monkeypatch):
    import base64
    import hashlib
    import re

    from werkzeug.test import Client
    client = Client(combined_app(real_site, tmp_path / "instance", monkeypatch))
    pages = ["/", "/index.html", "/section-1/index.html", "/section-1/activities/1-04.html", "/quizzes/index.html"]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        policy = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy and "object-src 'none'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy and "style-src 'self';" in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Frame-Options"] == "DENY"
        html = response.get_data()
        scripts = [body for attributes, body in re.findall(rb"<script([^>]*)>(.*?)</script>", html, re.S)
                   if b"src=" not in attributes and b"application/json" not in attributes]
        allowed = set(re.findall(r"'sha256-([^']+)'", policy))
        assert scripts and allowed == {base64.b64encode(hashlib.sha256(s).digest()).decode() for s in scripts}, path
    css = client.get("/assets/handbook.css")
    assert css.headers["X-Content-Type-Options"] == "nosniff" and "sha256" not in css.headers["Content-Security-Policy"]
    login_page = client.get("/tracker/login")
    assert login_page.status_code == 200 and "sha256" not in login_page.headers["Content-Security-Policy"]
    cookie = login_page.headers["Set-Cookie"]
    assert "Path=/tracker" in cookie and "HttpOnly" in cookie  # the session cookie goes to the tracker only
    assert "Set-Cookie" not in client.get("/").headers



def test_a_missing_handbook_page_is_the_sites_own_404_in_its_language(real_site, tmp_path, monkeypatch):
    """Not werkzeug's bare "Not Found": the built site's 404 page (header, search, navigation), Welsh under /cy/,
    with every link, stylesheet and script it names answering from the combined server, whatever the depth."""
    import re
    from html import unescape

    from werkzeug.test import Client
    client = Client(combined_app(real_site, tmp_path / "instance", monkeypatch))
    for missing, language, heading in [("/no/such/page", "en", "Page not found"),
                                       ("/section-1/activities/gone.html", "en", "Page not found"),
                                       ("/cy/no/such/page", "cy", "Heb ddod o hyd i'r dudalen"),
                                       ("/cy/section-1/gone.html", "cy", "Heb ddod o hyd i'r dudalen")]:
        response = client.get(missing)
        html = response.get_data(as_text=True)
        assert response.status_code == 404 and response.mimetype == "text/html", missing
        assert f'<html lang="{language}"' in html, missing
        assert [unescape(h1) for h1 in re.findall(r"<h1>(.*?)</h1>", html)] == [heading], missing
        assert 'class="md-search"' in html and 'class="md-nav md-nav--primary"' in html, missing
        assert "sha256" in response.headers["Content-Security-Policy"]  # its own inline scripts may run
        root = "/cy/" if language == "cy" else "/"
        assert re.search(r'"base":\s*"' + root + '"', html), missing  # search reads this language's index
        addresses = {url for url in re.findall(r'(?:href|src)="([^"#?]+)', html) if url.startswith("/")}
        assert addresses and {url for url in addresses if not url.startswith(root)} == set(), missing
        for url in sorted(addresses):
            assert client.get(url).status_code == 200, f"{missing}: {url}"
    redirect = client.get("/cy")
    assert redirect.status_code == 301 and redirect.headers["Location"].endswith("/cy/")


# ---- security headers, secret key, error pages -------------------------------------------------------

def test_secret_key_is_generated_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path / "instance"))
    config = tracker_config(tmp_path)
    del config["SECRET_KEY"]
    first = create_app(config)
    first.test_client().get("/login")  # the first request that needs it makes it (a form's CSRF token)
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.exists() and stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert len(first.config["SECRET_KEY"]) >= 32
    assert create_app(config).config["SECRET_KEY"] == first.config["SECRET_KEY"]


def test_error_pages_never_show_a_stack_trace(tracker_app):
    @tracker_app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    tracker_app.config["TESTING"] = False
    tracker_app.config["PROPAGATE_EXCEPTIONS"] = False
    response = tracker_app.test_client().get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500 and "Sorry, there is a problem with the service" in html
    assert "secret internals" not in html and "Traceback" not in html
    missing = tracker_app.test_client().get("/no-such-page")
    assert missing.status_code == 404 and "Page not found" in missing.get_data(as_text=True)


def test_security_headers_on_every_page(tracker_app):
    response = tracker_app.test_client().get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy and "default-src 'self'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


def test_shared_files_never_set_the_session_cookie(tracker_app):
    """A stylesheet, GOV.UK's script, an offline library, the offline worker or the manifest answered after the page
    changed the session (the language chosen just now) must not send back the session as it was: and a file browsers
    may keep carries no one's session. Pages still refresh it, so the idle timeout counts from the last page. The
    manifest's language is not ?lang=, which would change the session's."""
    from helpers import signed_in_client

    client = signed_in_client(tracker_app, "inductee@example.org")
    for path in ("/static/tracker.css", "/govuk/govuk-frontend.min.js", "/vendor/idb/index.js", "/sw.js",
                 "/manifest.webmanifest?language=en"):
        response = client.get(path)
        assert response.status_code == 200 and "Set-Cookie" not in response.headers, path
    assert "Set-Cookie" in client.get("/my-induction").headers
    client.get("/login?lang=cy")
    client.get("/manifest.webmanifest?language=en")
    assert '<html lang="cy"' in client.get("/my-induction").get_data(as_text=True)
