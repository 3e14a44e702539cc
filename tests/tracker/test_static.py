"""The tracker's own files (tracker/static.py): pages name them at an address that carries the file's version, so
that browsers keep them instead of asking again on every page, and a changed file is fetched afresh."""
from __future__ import annotations

import re

from helpers import signed_in_client


def static_addresses(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_name_each_file_by_its_version_which_browsers_keep(tracker_app):
    client = signed_in_client(tracker_app, "inductee@example.org")
    addresses = static_addresses(client.get("/my-induction").get_data(as_text=True))
    assert {a.split("?")[0] for a in addresses} >= {"/static/tracker.css", "/static/tracker.js", "/static/print.js",
                                                   "/static/favicon.svg", "/static/offline/queue.js"}
    for address in addresses:
        assert re.fullmatch(r"/static/[\w/.-]+\?v=[0-9a-f]{12}", address), address
        response = client.get(address)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", address
        assert "Set-Cookie" not in response.headers


def test_an_old_or_missing_version_is_served_but_asked_for_each_time(tracker_app):
    client = tracker_app.test_client()
    for address in ("/static/tracker.css", "/static/tracker.css?v=000000000000"):
        response = client.get(address)
        assert response.status_code == 200 and "max-age" not in response.headers["Cache-Control"], address


def test_a_changed_file_gets_a_new_address(tracker_app, tmp_path):
    folder = tmp_path / "static"
    folder.mkdir()
    (folder / "tracker.css").write_text("body { color: black; }")
    tracker_app.static_folder = str(folder)
    client = tracker_app.test_client()
    before = [a for a in static_addresses(client.get("/login").get_data(as_text=True)) if "tracker.css" in a]
    (folder / "tracker.css").write_text("body { color: navy; }")
    after = [a for a in static_addresses(client.get("/login").get_data(as_text=True)) if "tracker.css" in a]
    assert before and after and before != after
    assert client.get(after[0]).get_data(as_text=True) == "body { color: navy; }"
