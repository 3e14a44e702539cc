"""Subject access: a person's own export holds everything about them and nothing about anyone else;
the administrator's export leaves out private reflections and is audited."""
from __future__ import annotations

import json

from helpers import login, post
from tracker.db import get_db


def test_subject_access_export_holds_everything_about_the_person(tracker_app, people, signed_in):
    inductee = signed_in("inductee@example.org")
    response = inductee.get("/account/export")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["account"]["email"] == "inductee@example.org" and "password_hash" not in data["account"]
    assert {r["activity_id"] for r in data["records"]} >= {"1.1", "1.2", "1.3", "1.4"}
    assert data["evidence"] and data["comments_on_records"] and data["reflections"]
    assert data["supervision_sessions"] and data["audit_log"]
    assert "Ceri Williams" not in response.get_data(as_text=True)


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
    for secret in ("private-what-3391", "private-so-what", "private-now-what", "title-kept-to-myself",
                   "private-comment-7723"):
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
