"""Erasure: the administrator erases a person's data and files, audited, after typing their address;
nothing is left in the database file, its log or the uploads."""
from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

from helpers import DEMO_PASSWORD, PNG, csrf_token, login, post, query
from tracker import accounts
from tracker.db import get_db, writing


def test_erasure_removes_the_persons_data_and_files_and_is_audited(tracker_app, people, signed_in):
    d = people["dafydd"]
    inductee = signed_in("inductee@example.org")
    html = inductee.get(f"/records/{d}/1.4").get_data(as_text=True)
    inductee.post(f"/records/{d}/1.4/evidence/file", data={"csrf_token": csrf_token(html), "description": "lists",
                                                           "upload": (io.BytesIO(PNG), "lists.png")},
                  content_type="multipart/form-data")
    stored = query(tracker_app, "SELECT stored_name FROM evidence WHERE kind = 'file'")[0]["stored_name"]
    admin = signed_in("admin@example.org")
    refused = post(admin, f"/admin/users/{d}/erase", {"confirm_email": "wrong@example.org"})
    assert refused.status_code == 400 and query(tracker_app, "SELECT * FROM records WHERE inductee_id = ?", [d])
    assert post(admin, f"/admin/users/{d}/erase", {"confirm_email": "inductee@example.org"}).status_code == 302
    for table, column in [("records", "inductee_id"), ("reflections", "author_id"),
                          ("supervision_sessions", "inductee_id"), ("plan_items", "inductee_id"),
                          ("quiz_attempts", "inductee_id"), ("team_members", "inductee_id")]:
        assert not query(tracker_app, f"SELECT * FROM {table} WHERE {column} = ?", [d]), table
    user = query(tracker_app, "SELECT * FROM users WHERE id = ?", [d])[0]
    assert user["name"] == "Erased user" and "inductee@example.org" not in json.dumps(user) and not user["active"]
    assert not (Path(tracker_app.config["UPLOAD_FOLDER"]) / stored).exists()
    assert query(tracker_app, "SELECT * FROM audit_log WHERE action = 'user.erased' AND subject_id = ?", [d])
    assert inductee.get("/my-induction").status_code == 302  # their session has ended
    assert login(tracker_app.test_client(), "inductee@example.org").status_code == 400


# ---- nothing left on disk ----------------------------------------------------------------------------

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
        "reflection": "private-saffron-7310", "reflection title": "a thought about ochre",
        "late": "evidence-second-8802",
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
    left = [(what, name) for what, marker in markers.items()
            for name, data in on_disk.items() if marker.encode() in data]
    assert left == [], "still on disk after erasure"
    assert len(on_disk.get("tracker.sqlite-wal", b"")) == 0  # the log was emptied
    with tracker_app.app_context():
        assert get_db().execute("PRAGMA secure_delete").fetchone()[0] == 1


def test_erasure_removes_the_persons_email_from_the_outbox_and_the_queue(tracker_app, people, signed_in):
    """The outbox kept "Dear …" and the person's address after erasure, and the Outbox page listed them."""
    from helpers import deliver_mail
    from tracker import mail

    c = people["ceri"]
    admin = signed_in("admin@example.org")
    ceri, rhian = signed_in("inductee2@example.org"), signed_in("manager@example.org")
    assert post(ceri, f"/records/{c}/1.1/submit", {"confirm": "y"}).status_code == 302
    assert post(rhian, f"/records/{c}/1.1/return", {"comment": "Please add the date."}).status_code == 302
    assert post(admin, "/admin/users/%d/reset-password" % c).status_code == 302  # a reset link, to Ceri
    deliver_mail(tracker_app)  # sends the reset, and the return's notification to Ceri
    with tracker_app.app_context():
        def about_ceri():
            return [name for name in mail.outbox_names()
                    if "Ceri" in mail.read_outbox(name).get_body(("plain",)).get_content()
                    or "inductee2@example.org" in mail.read_outbox(name)["To"]]
        assert len(about_ceri()) == 2
        db = get_db()
        with writing(db):  # and one still waiting in the queue
            mail.queue_to_user(db, accounts.get_user(db, c), "test_message")
    assert query(tracker_app, "SELECT * FROM mail_queue WHERE recipient_id = ? OR about_id = ?", [c, c])
    assert post(admin, f"/admin/users/{c}/erase", {"confirm_email": "inductee2@example.org"}).status_code == 302
    assert query(tracker_app, "SELECT * FROM mail_queue WHERE recipient_id = ? OR about_id = ?", [c, c]) == []
    with tracker_app.app_context():
        assert about_ceri() == []
    listing = admin.get("/admin/outbox/").get_data(as_text=True).replace("<wbr>", "")  # addresses' break points
    assert "inductee2@example.org" not in listing and "Ceri" not in listing
