"""Issue 9: erasure leaves nothing on disk, the administrator's export, number parsing,
download and handbook headers, cookie scope, CSV email checks and durability."""
from __future__ import annotations

import io
import sqlite3
from pathlib import Path

from helpers import DEMO_PASSWORD, login, post
from tracker import accounts
from tracker.db import get_db


def raw_bytes(app) -> dict[str, bytes]:
    """Every byte the tracker keeps on disk: the database file, its write-ahead log, uploads."""
    database = Path(app.config["DATABASE"])
    found = {}
    for path in [database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-journal")]:
        if path.exists():
            found[path.name] = path.read_bytes()
    uploads = Path(app.config["UPLOAD_FOLDER"])
    for path in uploads.rglob("*") if uploads.exists() else []:
        if path.is_file():
            found[f"uploads/{path.name}"] = path.read_bytes()
    return found


def test_erasure_leaves_nothing_in_the_database_file_its_log_or_uploads(tracker_app):
    markers = {
        "name": "Zebedee Quokkafeather", "email": "zq.marker@example.org", "notes": "notes-plinth-5521",
        "evidence": "evidence-xylophone-4417", "upload": "upload-marmalade-9931", "file name": "quokka-lists.txt",
        "reflection": "private-saffron-7310", "reflection title": "a thought about ochre", "late": "evidence-second-8802",
    }
    manager = tracker_app.config["DEMO_IDS"]["manager@example.org"]
    with tracker_app.app_context():
        person = accounts.create_user(get_db(), email=markers["email"], name=markers["name"], role="inductee",
                                      password=DEMO_PASSWORD, manager_ids=[manager])
    client = tracker_app.test_client()
    assert login(client, markers["email"]).status_code == 302
    base = f"/records/{person}/1.4"
    assert post(client, f"{base}/notes", {"notes": markers["notes"]}).status_code == 302
    assert post(client, f"{base}/evidence/text", {"body": markers["evidence"]}).status_code == 302
    upload = (io.BytesIO(f"what I found: {markers['upload']}\n".encode()), markers["file name"])
    assert post(client, f"{base}/evidence/file", {"upload": upload, "description": "lists"},
                content_type="multipart/form-data").status_code == 302
    assert post(client, "/reflections/new", {
        "entry_date": "2026-11-20", "title": markers["reflection title"], "what": markers["reflection"],
        "so_what": "it matters", "now_what": "try again"}).status_code == 302
    # Move all that into the database file itself, then write more that stays in the log.
    with sqlite3.connect(tracker_app.config["DATABASE"]) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert post(client, f"{base}/evidence/text", {"body": markers["late"]}).status_code == 302
    before = b"".join(raw_bytes(tracker_app).values())
    assert all(m.encode() in before for m in markers.values())  # the test can see them

    admin = tracker_app.test_client()
    login(admin, "admin@example.org")
    response = post(admin, f"/admin/users/{person}/erase", {"confirm_email": markers["email"]})
    assert response.status_code == 302

    on_disk = raw_bytes(tracker_app)
    left = [(what, name) for what, marker in markers.items() for name, data in on_disk.items() if marker.encode() in data]
    assert left == [], "still on disk after erasure"
    assert len(on_disk.get("tracker.sqlite-wal", b"")) == 0  # the log was emptied
    with tracker_app.app_context():
        assert get_db().execute("PRAGMA secure_delete").fetchone()[0] == 1


def test_the_administrators_export_leaves_out_private_reflections_and_is_audited(tracker_app):
    import json
    dafydd = tracker_app.config["DEMO_IDS"]["inductee@example.org"]
    admin_id = tracker_app.config["DEMO_IDS"]["admin@example.org"]
    inductee = tracker_app.test_client()
    login(inductee, "inductee@example.org")
    assert post(inductee, "/reflections/new", {"entry_date": "2026-11-20", "title": "title-kept-to-myself",
                                               "what": "private-what-3391", "so_what": "private-so-what",
                                               "now_what": "private-now-what"}).status_code == 302
    with tracker_app.app_context():
        private_id = get_db().execute("SELECT id FROM reflections WHERE title = 'title-kept-to-myself'").fetchone()[0]
    assert post(inductee, f"/reflections/{private_id}/comments", {"body": "private-comment-7723"}).status_code == 302
    manager = tracker_app.test_client()
    login(manager, "manager@example.org")
    assert manager.get(f"/reflections/{private_id}").status_code == 404  # not even the manager sees it

    own = inductee.get("/account/export").get_data(as_text=True)  # the person's own copy is complete
    assert "private-what-3391" in own and "title-kept-to-myself" in own and "private-comment-7723" in own

    admin = tracker_app.test_client()
    login(admin, "admin@example.org")
    response = admin.get(f"/admin/users/{dafydd}/export")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    for secret in ("private-what-3391", "private-so-what", "private-now-what", "title-kept-to-myself", "private-comment-7723"):
        assert secret not in text
    data = json.loads(text)
    withheld = [r for r in data["reflections"] if r.get("withheld")]
    assert [r["id"] for r in withheld] == [private_id] and withheld[0]["what"] is None
    assert data["withheld"]["private_reflections"] == 1 and "download a complete copy" in data["withheld"]["note"]
    shared = [r for r in data["reflections"] if r["shared_at"]]
    assert shared and all(r["what"] for r in shared)  # what the manager can see is still there
    assert data["records"] and data["evidence"]
    with tracker_app.app_context():
        entries = list(get_db().query("SELECT * FROM audit_log WHERE action = 'admin.data_exported'"))
    assert [(e["actor_id"], e["subject_id"], e["detail"]) for e in entries] == [
        (admin_id, dafydd, "private_reflections_withheld=1")]


# ---- headers, cookie scope, CSV addresses (item 16) ----------------------------------------------

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


def test_csv_import_checks_addresses_exactly_as_the_form_does(tracker_app):
    addresses = ["plain@example.org", "a..b@example.org", "name@example..org", "name@exa_mple.org", ".dot@example.org",
                 "trailing@example.org.", "no-domain@localhost", "two@@example.org", "ü.welsh@example.cymru"]
    admin = tracker_app.test_client()
    login(admin, "admin@example.org")
    by_form = {}
    for n, address in enumerate(addresses):
        response = post(admin, "/admin/users/new", {"name": f"Form {n}", "email": address, "role": "inductee",
                                                     "password": "long-enough-pw"})
        by_form[address] = "Enter an email address in the correct format" not in response.get_data(as_text=True)
    csv_text = "email,name,role,password\n" + "".join(
        f"csv.{address},Csv {n},inductee,long-enough-pw\n" if not address.startswith(".") else
        f"{address.replace('.dot', '.csvdot')},Csv {n},inductee,long-enough-pw\n" for n, address in enumerate(addresses))
    page = post(admin, "/admin/users/import", {"csv_file": (io.BytesIO(csv_text.encode()), "users.csv")},
                content_type="multipart/form-data").get_data(as_text=True)
    for n, address in enumerate(addresses, start=2):
        by_csv = f"row {n}: email is not a valid email address" not in page
        assert by_csv == by_form[address], (address, by_form[address])
    assert by_form["plain@example.org"] and not by_form["a..b@example.org"]


# ---- durability (item 18) ---------------------------------------------------------------------

def test_every_connection_flushes_each_commit_to_disk(tracker_app):
    from tracker import db as tracker_db
    with tracker_app.app_context():  # the connection requests use
        assert get_db().execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert get_db().execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    fresh = tracker_db.connect(tracker_app.config["DATABASE"])  # and any other, e.g. the command line's
    try:
        assert fresh.execute("PRAGMA synchronous").fetchone()[0] == 2
        assert fresh.execute("PRAGMA secure_delete").fetchone()[0] == 1
    finally:
        fresh.conn.close()
