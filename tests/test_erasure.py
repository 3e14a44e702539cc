"""Erasure: the administrator erases a person's data and files, audited, after typing their address."""
from __future__ import annotations

import io
import json
from pathlib import Path

from helpers import PNG, csrf_token, login, post, query


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
    for table, column in [("records", "inductee_id"), ("reflections", "author_id"), ("supervision_sessions", "inductee_id"),
                          ("plan_items", "inductee_id"), ("quiz_attempts", "inductee_id"), ("team_members", "inductee_id")]:
        assert not query(tracker_app, f"SELECT * FROM {table} WHERE {column} = ?", [d]), table
    user = query(tracker_app, "SELECT * FROM users WHERE id = ?", [d])[0]
    assert user["name"] == "Erased user" and "inductee@example.org" not in json.dumps(user) and not user["active"]
    assert not (Path(tracker_app.config["UPLOAD_FOLDER"]) / stored).exists()
    assert query(tracker_app, "SELECT * FROM audit_log WHERE action = 'user.erased' AND subject_id = ?", [d])
    assert inductee.get("/my-induction").status_code == 302  # their session has ended
    assert login(tracker_app.test_client(), "inductee@example.org").status_code == 400
