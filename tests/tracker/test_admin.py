"""Accounts for administrators: creating users (form and command line) and CSV import, with every
problem reported and addresses checked exactly as the form checks them."""
from __future__ import annotations

import io

from helpers import csrf_token, login, post
from tracker import accounts
from tracker.db import get_db


def test_admin_creates_a_user_with_managers(tracker_app):
    """The form asks for no password: the person is invited to choose one (tests/tracker/test_invitations.py)."""
    client = tracker_app.test_client()
    login(client, "admin@example.org")
    manager_id = tracker_app.config["DEMO_IDS"]["manager@example.org"]
    response = post(client, "/admin/users/new", {"name": "Nia New", "email": "nia@example.org", "role": "inductee",
                                                  "managers": str(manager_id)})
    assert response.status_code == 302
    with tracker_app.app_context():
        nia = accounts.find_by_email(get_db(), "nia@example.org")
        assert [m["id"] for m in accounts.managers_of(get_db(), nia["id"])] == [manager_id]
        assert nia["password_hash"] == accounts.NO_PASSWORD


def test_a_manager_chosen_twice_is_one_manager(tracker_app):
    """A forged form can name the same manager twice (found by the fuzz tests: it was a server error)."""
    client = tracker_app.test_client()
    login(client, "admin@example.org")
    manager_id = str(tracker_app.config["DEMO_IDS"]["manager@example.org"])
    response = post(client, "/admin/users/new", {"name": "Nia New", "email": "nia@example.org", "role": "inductee",
                                                  "managers": [manager_id, manager_id]})
    assert response.status_code == 302
    with tracker_app.app_context():
        nia = accounts.find_by_email(get_db(), "nia@example.org")
        assert [m["id"] for m in accounts.managers_of(get_db(), nia["id"])] == [int(manager_id)]


def test_admin_form_errors_keep_what_was_typed(tracker_app):
    client = tracker_app.test_client()
    login(client, "admin@example.org")
    response = post(client, "/admin/users/new", {"name": "Kept Name", "email": "not-an-email", "role": "inductee"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter an email address in the correct format" in html and 'type="password"' not in html
    assert 'value="Kept Name"' in html and 'value="not-an-email"' in html
    duplicate = post(client, "/admin/users/new", {"name": "Again", "email": "inductee@example.org", "role": "inductee"})
    assert "An account with this email address already exists" in duplicate.get_data(as_text=True)


def test_csv_import_reports_each_bad_row_and_imports_the_good_ones(tracker_app):
    client = tracker_app.test_client()
    login(client, "admin@example.org")
    csv_text = (
        "email,name,role,password,managers\n"
        "good.one@example.org,Good One,inductee,long-enough-pw,manager@example.org\n"
        "not-an-email,Bad Email,inductee,long-enough-pw,\n"
        "good.two@example.org,Good Two,manager,long-enough-pw,\n"
        "inductee@example.org,Duplicate,inductee,long-enough-pw,\n"
        "weak@example.org,Weak,inductee,short,\n"
        "role@example.org,Bad Role,superuser,long-enough-pw,\n"
        "orphan@example.org,Bad Manager,inductee,long-enough-pw,nobody@example.org\n"
    )
    html = client.get("/admin/users/import").get_data(as_text=True)
    response = client.post("/admin/users/import", data={
        "csrf_token": csrf_token(html), "csv_file": (io.BytesIO(csv_text.encode()), "users.csv")},
        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert "2 users imported" in page
    for expected in ["row 3: email is not a valid email address",
                     "row 5: an account for inductee@example.org already exists",
                     "row 6: Password must be at least 10 characters",
                     "row 7: role must be one of inductee, manager, admin",
                     "row 8: manager nobody@example.org is not a manager account"]:
        assert expected in page
    with tracker_app.app_context():
        assert accounts.find_by_email(get_db(), "good.one@example.org")
        assert accounts.find_by_email(get_db(), "good.two@example.org")
        assert not accounts.find_by_email(get_db(), "weak@example.org")


def test_csv_import_refuses_a_file_that_is_not_text(tracker_app):
    client = tracker_app.test_client()
    login(client, "admin@example.org")
    html = client.get("/admin/users/import").get_data(as_text=True)
    response = client.post("/admin/users/import", data={
        "csrf_token": csrf_token(html), "csv_file": (io.BytesIO(b"\xff\xfe\x00\x01"), "users.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 400 and "saved as UTF-8 text" in response.get_data(as_text=True)


def test_cli_creates_users_and_imports_csv(tracker_app, tmp_path):
    runner = tracker_app.test_cli_runner()
    result = runner.invoke(args=["create-user", "--email", "cli@example.org", "--name", "Cli User",
                                 "--role", "inductee", "--manager", "manager@example.org",
                                 "--password", "long-enough-pw"])
    assert result.exit_code == 0, result.output
    bad = runner.invoke(args=["create-user", "--email", "x@example.org", "--name", "X", "--role", "inductee",
                              "--password", "short"])
    assert bad.exit_code != 0 and "at least 10 characters" in bad.output
    csv_file = tmp_path / "users.csv"
    csv_file.write_text("email,name,role,password\n"
                        "from.csv@example.org,From Csv,manager,long-enough-pw\n"
                        "bad,Bad,inductee,x\n")
    result = runner.invoke(args=["import-users", str(csv_file)])
    assert "1 imported, 1 rows with problems" in result.output
    with tracker_app.app_context():
        assert accounts.find_by_email(get_db(), "cli@example.org")
        assert accounts.find_by_email(get_db(), "from.csv@example.org")


def test_csv_import_checks_addresses_exactly_as_the_form_does(tracker_app):
    addresses = ["plain@example.org", "a..b@example.org", "name@example..org", "name@exa_mple.org", ".dot@example.org",
                 "trailing@example.org.", "no-domain@localhost", "two@@example.org", "ü.welsh@example.cymru"]
    admin = tracker_app.test_client()
    login(admin, "admin@example.org")
    by_form = {}
    for n, address in enumerate(addresses):
        response = post(admin, "/admin/users/new", {"name": f"Form {n}", "email": address, "role": "inductee"})
        by_form[address] = "Enter an email address in the correct format" not in response.get_data(as_text=True)
    csv_text = "email,name,role,password\n" + "".join(
        f"csv.{address},Csv {n},inductee,long-enough-pw\n" if not address.startswith(".") else
        f"{address.replace('.dot', '.csvdot')},Csv {n},inductee,long-enough-pw\n"
        for n, address in enumerate(addresses))
    page = post(admin, "/admin/users/import", {"csv_file": (io.BytesIO(csv_text.encode()), "users.csv")},
                content_type="multipart/form-data").get_data(as_text=True)
    for n, address in enumerate(addresses, start=2):
        by_csv = f"row {n}: email is not a valid email address" not in page
        assert by_csv == by_form[address], (address, by_form[address])
    assert by_form["plain@example.org"] and not by_form["a..b@example.org"]


def test_changing_who_manages_an_inductee_is_audited_and_emailed_to_everyone_it_concerns(tracker_app, people,
                                                                                         signed_in):
    """An administrator could once give an inductee to a manager account whose address they control, and sign
    off their records, unseen. Now the inductee and every manager before and after are told, each in their
    own language, and the inductee's dashboard names their managers and since when."""
    from helpers import deliver_mail, query
    from tracker import mail

    admin = signed_in("admin@example.org")
    made = post(admin, "/admin/users/new", {"name": "Mallory Manager", "email": "mallory@example.org",
                                            "role": "manager"})
    assert made.status_code == 302
    mallory = query(tracker_app, "SELECT id FROM users WHERE email = 'mallory@example.org'")[0]["id"]
    deliver_mail(tracker_app)
    with tracker_app.app_context():
        before = set(mail.outbox_names())
    gwen = query(tracker_app, "SELECT id FROM users WHERE email = 'cymraeg@example.org'")[0]["id"]
    assert post(admin, f"/admin/users/{gwen}/managers", {"managers": str(mallory)}).status_code == 302
    assert query(tracker_app, "SELECT * FROM audit_log WHERE action = 'user.managers_set' AND subject_id = ?"
                              " AND detail = ?", [gwen, f"managers={mallory}"])
    deliver_mail(tracker_app)
    with tracker_app.app_context():
        sent = {mail.read_outbox(n)["To"]: mail.read_outbox(n) for n in set(mail.outbox_names()) - before}
    assert set(sent) == {"cymraeg@example.org", "manager@example.org", "mallory@example.org"}
    welsh = sent["cymraeg@example.org"]
    assert welsh["Content-Language"] == "cy" and "Mallory Manager" in welsh.get_body(("plain",)).get_content()
    rhian = sent["manager@example.org"].get_body(("plain",)).get_content()
    assert "Gwenllian Hughes" in rhian and "Removed:" in rhian and "Rhian Evans" in rhian
    dashboard = signed_in("cymraeg@example.org").get("/my-induction").get_data(as_text=True)
    assert "Eich rheolwr" in dashboard and "Mallory Manager, ers" in dashboard and "Rhian Evans" not in dashboard
    # the same managers again: nothing changes, nobody is emailed
    assert post(admin, f"/admin/users/{gwen}/managers", {"managers": str(mallory)}).status_code == 302
    assert query(tracker_app, "SELECT count(*) AS n FROM mail_queue")[0]["n"] == 0


def test_the_inductees_dashboard_names_their_managers(tracker_app, signed_in):
    page = signed_in("inductee@example.org").get("/my-induction").get_data(as_text=True)
    assert "Your manager" in page and "Rhian Evans, since" in page
