"""Subject access: a person's own export holds everything about them and nothing about anyone else."""
from __future__ import annotations

import json


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
