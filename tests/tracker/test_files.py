"""Uploaded evidence: the names files are kept and sent with, and a save that fails (a busy database,
anything else) keeps no file and answers with a page that says what to do."""
from __future__ import annotations

import io
import os
import sqlite3
from pathlib import Path

import pytest
from werkzeug.http import parse_options_header

from helpers import PNG, csrf_token, post
from tracker import records
from tracker.db import get_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\n%%EOF\n"
UNSAFE = ("\r", "\n", "\x00", "\u202e")  # break a header, or turn what is shown around


def upload(client, inductee_id, name, data, description="Photo of my lists"):
    return post(client, f"/records/{inductee_id}/1.4/evidence/file",
                {"upload": (io.BytesIO(data), name), "description": description},
                content_type="multipart/form-data")


def raw_upload(client, inductee_id, disposition: bytes, data: bytes):
    """An upload whose part header is written by hand: a browser (or an attacker) may send the name
    RFC 5987 style, filename*=UTF-8''..., where percent-escapes can carry any character."""
    token = csrf_token(client.get("/account/password").get_data(as_text=True))
    boundary = b"----tracker-test-boundary"
    body = b"".join([
        b"--" + boundary + b'\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n' + token.encode() + b"\r\n",
        b"--" + boundary + b'\r\nContent-Disposition: form-data; name="description"\r\n\r\nA scan\r\n',
        b"--" + boundary + b'\r\nContent-Disposition: form-data; name="upload"; ' + disposition
        + b"\r\nContent-Type: application/octet-stream\r\n\r\n" + data + b"\r\n",
        b"--" + boundary + b"--\r\n"])
    return client.post(f"/records/{inductee_id}/1.4/evidence/file", data=body,
                       content_type=f"multipart/form-data; boundary={boundary.decode()}")


def file_rows(app) -> list[dict]:
    with app.app_context():
        return list(get_db().query("SELECT * FROM evidence WHERE kind = 'file' ORDER BY id"))


def stored_files(app) -> list[str]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    return sorted(os.listdir(folder)) if folder.is_dir() else []


def downloaded_name(client, evidence_id: int) -> str:
    """Download a file as a browser would; its Content-Disposition must be safe, whatever was stored."""
    response = client.get(f"/evidence/{evidence_id}/file")
    assert response.status_code == 200
    header = response.headers["Content-Disposition"]
    name = parse_options_header(header)[1]["filename"]  # from filename*= when the name is not ASCII
    for character in UNSAFE:
        assert character not in header and character not in name, (character, header)
    return name


# ---- names ------------------------------------------------------------------------------------

@pytest.mark.parametrize("sent,kept", [
    ("lists\x00.png", "lists.png"),
    ("invoice\u202egnp.png", "invoicegnp.png"),              # right-to-left override: shows the rest reversed
    ("zero\u200bwidth\u2028line.png", "zerowidthline.png"),  # zero-width space, line separator
    ("cafe\u0301.png", "caf\u00e9.png"),                      # normalised to NFC: one é, not e + accent
    ("\u202e\u200b.png", "evidence.png"),                     # nothing left of the name but its extension
])
def test_upload_names_lose_control_and_bidi_characters(tracker_app, people, signed_in, sent, kept):
    inductee = signed_in("inductee@example.org")
    assert upload(inductee, people["dafydd"], sent, PNG).status_code == 302
    [row] = file_rows(tracker_app)
    assert row["file_name"] == kept
    assert downloaded_name(signed_in("manager@example.org"), row["id"]) == kept


def test_a_line_break_sent_rfc5987_style_never_reaches_a_header(tracker_app, people, signed_in):
    inductee = signed_in("inductee@example.org")
    response = raw_upload(inductee, people["dafydd"], b"filename*=UTF-8''evil%0D%0A%00%E2%80%AE.pdf", PDF)
    assert response.status_code == 302
    [row] = file_rows(tracker_app)
    assert row["file_name"] == "evil.pdf"
    assert downloaded_name(inductee, row["id"]) == "evil.pdf"


@pytest.mark.parametrize("stem", ["a" * 100_000, "\u0175" * 300])  # 100 KB; ŵ is two bytes in UTF-8
def test_a_very_long_name_is_cut_to_255_bytes_keeping_its_extension(tracker_app, people, signed_in, stem):
    inductee = signed_in("inductee@example.org")
    assert upload(inductee, people["dafydd"], stem + ".png", PNG).status_code == 302
    [row] = file_rows(tracker_app)
    name = row["file_name"]
    assert len(name.encode("utf-8")) <= 255 and name.endswith(".png") and name[:-4] == stem[:len(name) - 4]
    assert downloaded_name(inductee, row["id"]) == name


def test_a_name_stored_before_names_were_cleaned_downloads_and_shows_safely(tracker_app, people, signed_in):
    """Rows from before the fix may hold any name: every page and header cleans what it shows."""
    d = people["dafydd"]
    inductee = signed_in("inductee@example.org")
    assert upload(inductee, d, "lists.png", PNG).status_code == 302
    with tracker_app.app_context():
        db = get_db()
        record_1_1 = records.get(db, d, "1.1")  # signed off in the demo data: in the portfolio
        db.conn.execute("UPDATE evidence SET file_name = ? WHERE kind = 'file'", ['evil "x";\r\n\x00\u202egnp.png'])
        db.conn.execute("INSERT INTO evidence (record_id, kind, body, file_name, stored_name, content_type, size,"
                        " created_by) SELECT ?, kind, body, ?, stored_name, content_type, size, created_by"
                        " FROM evidence WHERE kind = 'file'", [record_1_1["id"], "\r\n\u202e"])
        db.conn.commit()
    first, second = file_rows(tracker_app)
    manager = signed_in("manager@example.org")
    assert downloaded_name(manager, first["id"]) == 'evil "x";gnp.png'  # quoted in the header
    assert downloaded_name(manager, second["id"]) == "evidence.png"  # nothing left: named for its type
    pages = [manager.get(f"/records/{d}/1.4"), inductee.get(f"/records/{d}/1.4/submit"),
             inductee.get(f"/portfolio/{d}")]
    for page in pages:
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and not any(c in html for c in ("\x00", "\u202e")), page.request.path
    assert "evil &#34;x&#34;;gnp.png" in pages[0].get_data(as_text=True)
    assert "evidence.png" in pages[2].get_data(as_text=True)


# ---- a save that fails keeps no file ----------------------------------------------------------

class Blocker:
    """Another connection to the app's database that holds its write lock while a test wants (as a
    long write would), with the app waiting only briefly for it: a real "database is locked", quickly."""

    def __init__(self, app):
        app.config["DATABASE_BUSY_TIMEOUT"] = 0.2
        self.conn = sqlite3.connect(app.config["DATABASE"], isolation_level=None)

    def hold(self):
        self.conn.execute("BEGIN IMMEDIATE")

    def release(self):
        if self.conn.in_transaction:
            self.conn.rollback()


@pytest.fixture
def blocker(tracker_app):
    blocker = Blocker(tracker_app)
    yield blocker
    blocker.release()
    blocker.conn.close()


@pytest.fixture
def stores(monkeypatch):
    """The stored names of the files check_and_store wrote (to show a file was written, then removed)."""
    from tracker import files
    written, real = [], files.check_and_store

    def spy(upload):
        stored = real(upload)
        written.append(stored.stored_name)
        return stored

    monkeypatch.setattr(files, "check_and_store", spy)
    return written


def test_a_busy_database_answers_503_and_keeps_no_uploaded_file(tracker_app, people, signed_in, blocker, stores):
    inductee = signed_in("inductee@example.org")
    blocker.hold()
    response = upload(inductee, people["dafydd"], "lists.png", PNG)
    html = response.get_data(as_text=True)
    assert response.status_code == 503, html[:500]
    assert "The tracker is busy" in html and "Nothing was saved. Wait a moment and try again." in html
    assert int(response.headers["Retry-After"]) > 0
    assert len(stores) == 1, "no file was stored: the test did not reach the save"
    assert stored_files(tracker_app) == [] and file_rows(tracker_app) == []

    blocker.release()  # nothing is kept between requests: the next try works
    assert upload(inductee, people["dafydd"], "lists.png", PNG).status_code == 302
    assert stored_files(tracker_app) == [file_rows(tracker_app)[0]["stored_name"]]


def test_the_busy_page_is_in_the_persons_language_on_any_form(tracker_app, people, signed_in, blocker):
    inductee = signed_in("inductee@example.org")
    inductee.get("/?lang=cy")
    blocker.hold()
    response = post(inductee, f"/records/{people['dafydd']}/1.4/notes", {"notes": "Typed while busy"})
    html = response.get_data(as_text=True)
    assert response.status_code == 503 and 'lang="cy"' in html, html[:500]
    assert "Mae’r traciwr yn brysur" in html and "Ni chadwyd dim." in html


def test_any_failure_of_the_save_removes_the_stored_file(tracker_app, people, signed_in, stores, monkeypatch):
    """All or nothing, whatever goes wrong after the file is written (here, a fault nobody foresaw)."""
    def broken(*args, **kwargs):
        raise RuntimeError("something nobody foresaw")

    monkeypatch.setattr(records, "save_page", broken)
    inductee = signed_in("inductee@example.org")
    with pytest.raises(RuntimeError):  # the test app passes faults through; in service, the 500 page
        upload(inductee, people["dafydd"], "lists.png", PNG)
    assert len(stores) == 1 and stored_files(tracker_app) == []
