"""Personal development plans: every version kept, the manager's comments, errors in the objectives."""
from __future__ import annotations

import json

from helpers import post, query


def test_pdp_keeps_every_version_and_takes_manager_comments(tracker_app, people, signed_in):
    inductee = signed_in("inductee@example.org")
    first = {"strengths": "Listening", "objective-0-objective": "Learn the SAO process", "objective-0-action": "Shadow",
             "objective-0-resources": "Senior EWO", "objective-0-when": "March", "objective-0-status": "In progress"}
    assert post(inductee, f"/pdp/{people['dafydd']}", first).status_code == 302
    assert post(inductee, f"/pdp/{people['dafydd']}",
                {**first, "strengths": "Listening and patience"}).status_code == 302
    versions = query(tracker_app, "SELECT * FROM pdp_versions WHERE inductee_id = ? ORDER BY version",
                     [people["dafydd"]])
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[0]["strengths"] == "Listening" and versions[1]["strengths"] == "Listening and patience"
    assert json.loads(versions[1]["objectives"])[0]["objective"] == "Learn the SAO process"
    assert "Listening</dd>" in (inductee.get(f"/pdp/{people['dafydd']}/versions/1")
                                .get_data(as_text=True).replace("\n", ""))
    manager = signed_in("manager@example.org")
    assert post(manager, f"/pdp/{people['dafydd']}", {"strengths": "x"}).status_code == 403
    assert post(manager, f"/pdp/{people['dafydd']}/comments",
                {"body": "Add a target for court work."}).status_code == 302
    assert "Add a target for court work." in inductee.get(f"/pdp/{people['dafydd']}").get_data(as_text=True)


def test_pdp_objective_without_its_objective_is_an_error(tracker_app, people, signed_in):
    inductee = signed_in("inductee@example.org")
    response = post(inductee, f"/pdp/{people['dafydd']}",
                    {"strengths": "Kept text", "objective-1-action": "Read the guidance"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Write objective 2, or clear its row" in html
    assert "Kept text" in html and 'value="Read the guidance"' in html
