"""The service lead's report (tracker/reports/): every team at a glance with the red/amber/green rule shared with
the team page, one inductee read only, and the exports (CSV, spreadsheet, PDF) read back as a user would: with
openpyxl and pypdf. The lead's refusals (every change, every reflection) are rows of test_access_matrix.py."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from helpers import signed_in_client
from tracker import progress
from tracker.db import get_db
from tracker.reports import build, expected_sessions


@pytest.fixture
def tracker_app(tracker_app):
    """The demo with its second team (tracker/demo.py), as ./scripts/run.sh serves it."""
    from tracker import demo
    with tracker_app.app_context():
        demo.second_team(get_db(), tracker_app.config["DEMO_IDS"]["manager2@example.org"])
    return tracker_app


@pytest.fixture
def lead(tracker_app):
    return signed_in_client(tracker_app, "lead@example.org")


def test_the_rule_red_amber_green():
    assert progress.rag(overdue=1, returned=1, due_soon=1) == "red"
    assert progress.rag(overdue=0, returned=1, due_soon=0) == "amber"
    assert progress.rag(overdue=0, returned=0, due_soon=2) == "amber"
    assert progress.rag(overdue=0, returned=0, due_soon=0) == "green"
    today = dt.date(2026, 12, 7)
    assert progress.is_due_soon("2026-12-14", "in_progress", True, today)
    assert not progress.is_due_soon("2026-12-15", "in_progress", True, today)  # 8 days away
    assert not progress.is_due_soon("2026-12-10", "submitted", True, today)  # waiting for the manager
    assert not progress.is_due_soon("2026-12-06", "in_progress", True, today)  # overdue, not due soon


def test_supervision_due_by_now_follows_the_agreement():
    start = dt.date(2026, 11, 1)
    assert expected_sessions(start, "Every two weeks", dt.date(2026, 11, 1)) == 1
    assert expected_sessions(start, "Every two weeks", dt.date(2026, 11, 29)) == 3
    assert expected_sessions(start, "Monthly", dt.date(2026, 11, 29)) == 1
    assert expected_sessions(start, "Monthly", dt.date(2026, 12, 2)) == 2
    assert expected_sessions(None, "Monthly") == 0
    assert expected_sessions(dt.date.today() + dt.timedelta(days=3), "Monthly") == 0  # not started yet


def test_the_lead_signs_in_to_every_team(tracker_app, lead):
    response = lead.get("/", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Induction across the service" in html
    for name in ("Dafydd Morgan", "Ceri Williams", "Alys Roberts", "Hywel Thomas", "Rhian Evans", "Owain Price"):
        assert name in html, name
    # every status shows in the demo data, in words, not only colour
    for words in ("Behind", "Needs attention", "On track"):
        assert f">{words}<" in html.replace("\u2060", ""), words
    # nothing private: no notes, no reflection
    assert "My first team meeting" not in html and "Done as planned" not in html


def test_the_report_counts_what_happened(tracker_app):
    with tracker_app.test_request_context():
        report = build(get_db())
        rows = {row.name: row for row in report.rows}
        assert len(report.rows) >= 12 and {t.team.name for t in report.teams} >= {"Rhian Evans", "Owain Price"}
        hywel, alys, iolo = rows["Hywel Thomas"], rows["Alys Roberts"], rows["Iolo Pritchard"]
        assert hywel.signed_off and hywel.percent == 100 and hywel.weeks == 20
        assert hywel.quizzes_passed == hywel.quizzes_total == 2  # the test pack's two quizzes
        assert hywel.supervision_expected == 11  # every two weeks for 20 weeks, the first at the start
        assert hywel.supervision_held == 11 and hywel.status == "green"  # signed off: nothing is still due
        assert not alys.signed_off and alys.counts.completed == 0 and alys.weeks == 1
        assert iolo.weeks is None and iolo.supervision_expected == 0 and iolo.status != "red"
        assert rows["Elis Parry"].counts.returned >= 1 and rows["Elis Parry"].status == "red"  # overdue too
        owain = next(t for t in report.teams if t.team.name == "Owain Price")
        assert owain.returns == sum(row.counts.returned for row in owain.inductees) >= 1  # none sent back since
        assert owain.median_days_to_sign_off is not None
        assert owain.covering("SS6") >= 1 and hywel.covered == {"SS1", "SS2", "SS6", "AP1", "AP2", "CP1", "CP6"}
        assert alys.covered == set() and rows["Dafydd Morgan"].covered == {"AP1", "CP1"}  # 1.2 done; 1.1 maps none


def test_filters_by_team_and_start_month(tracker_app, lead):
    with tracker_app.test_request_context():
        owain = get_db().execute("SELECT id FROM users WHERE email = 'manager2@example.org'").fetchone()[0]
    html = lead.get(f"/reports/?team={owain}").get_data(as_text=True)
    assert "Hywel Thomas" in html and "Dafydd Morgan" not in html
    month = (dt.date.today() - dt.timedelta(weeks=20)).strftime("%Y-%m")
    html = lead.get(f"/reports/?cohort={month}").get_data(as_text=True)
    assert "Hywel Thomas" in html and "Alys Roberts" not in html
    bad = lead.get("/reports/?team=99999&cohort=last-year")
    assert bad.status_code == 400 and "Not a valid choice" in bad.get_data(as_text=True)


def test_the_lead_reads_one_inductee_without_notes_or_reflections(tracker_app, lead):
    dafydd = tracker_app.config["DEMO_IDS"]["inductee@example.org"]
    html = lead.get(f"/reports/inductees/{dafydd}").get_data(as_text=True)
    assert "Dafydd Morgan" in html and "Standards covered" in html and "SS1" in html
    assert "Met Rhian to go through" not in html  # a record's notes
    assert "My first team meeting" not in html and "assumed the worst" not in html  # his shared reflection
    assert lead.get("/reports/inductees/999999").status_code == 404
    manager = tracker_app.config["DEMO_IDS"]["manager@example.org"]
    assert lead.get(f"/reports/inductees/{manager}").status_code == 404  # not an inductee


def test_csv_export_is_audited_and_safe_in_a_spreadsheet(tracker_app, lead):
    response = lead.get("/reports/induction.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "no-store" in response.headers["Cache-Control"]
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0][:3] == ["Inductee", "Email address", "Teams"]
    assert any(row[0] == "Hywel Thomas" and "100" in row for row in rows[1:])
    with tracker_app.app_context():
        entry = get_db().execute("SELECT actor_id, detail FROM audit_log WHERE action = 'report.exported'"
                                 " ORDER BY id DESC").fetchone()
        lead_id = get_db().execute("SELECT id FROM users WHERE email = 'lead@example.org'").fetchone()[0]
    assert entry[0] == lead_id and "format=csv" in entry[1] and "Hywel" not in entry[1]


def test_a_name_that_looks_like_a_formula_stays_text(tracker_app, lead):
    with tracker_app.app_context():
        db = get_db()
        db.execute("UPDATE users SET name = ? WHERE email = 'inductee2@example.org'", ['=HYPERLINK("http://evil.example")'])
        db.conn.commit()
    text = lead.get("/reports/induction.csv").get_data().decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(lead.get("/reports/induction.xlsx").get_data()))
    names = [row[0].value for row in book["Inductees"].iter_rows(min_row=2)]
    cell = next(row[0] for row in book["Inductees"].iter_rows(min_row=2) if str(row[0].value).startswith("="))
    assert cell.data_type == "s" and "=HYPERLINK" in names[names.index(cell.value)]  # a string, not a formula


def test_spreadsheet_has_a_sheet_per_view(lead):
    from openpyxl import load_workbook
    response = lead.get("/reports/induction.xlsx")
    assert response.status_code == 200 and "spreadsheetml" in response.mimetype
    book = load_workbook(io.BytesIO(response.get_data()))
    assert book.sheetnames == ["Inductees", "Teams", "Standards"]
    teams = {row[0].value: row for row in book["Teams"].iter_rows(min_row=2)}
    assert {"Rhian Evans", "Owain Price"} <= set(teams)
    standards = [row[0].value for row in book["Standards"].iter_rows(min_row=2)]
    assert standards[:2] == ["SS1", "SS2"] and "CP6" in standards


def test_welsh_exports_are_in_welsh(tracker_app, lead):
    lead.post("/language", data={"lang": "cy", "next": "/reports/",
                                 "csrf_token": _token(lead)})
    rows = list(csv.reader(io.StringIO(lead.get("/reports/induction.csv").get_data().decode("utf-8-sig"))))
    assert rows[0][:2] == ["Gweithiwr newydd", "Cyfeiriad e-bost"]
    hywel = next(row for row in rows[1:] if row[0] == "Hywel Thomas")
    assert {"Ar ei hôl hi", "Angen sylw", "Ar y trywydd iawn"} & set(hywel) and "Ie" in hywel
    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(lead.get("/reports/induction.xlsx").get_data()))
    assert book.sheetnames == ["Gweithwyr newydd", "Timau", "Safonau"]


def _token(client) -> str:
    from helpers import csrf_token
    return csrf_token(client.get("/account/password").get_data(as_text=True))


def test_quality_assurance_pack_pseudonymised(tracker_app, lead):
    from pypdf import PdfReader
    full = lead.get("/reports/quality-assurance.pdf")
    assert full.status_code == 200 and full.mimetype == "application/pdf"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(full.get_data())).pages).split())
    assert "Hywel Thomas" in text and "Standards covered" in text and "Median wait for sign-off" in text
    assert "My first team meeting" not in text and "Done as planned" not in text
    initials = lead.get("/reports/quality-assurance.pdf?names=initials")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(initials.get_data())).pages).split())
    assert "Hywel Thomas" not in text and "Dafydd Morgan" not in text and "HT-" in text
    assert lead.get("/reports/quality-assurance.pdf?names=everyone").status_code == 400
    with tracker_app.app_context():
        details = [d for (d,) in get_db().execute(
            "SELECT detail FROM audit_log WHERE action = 'report.exported' ORDER BY id")]
    assert details[-2:] == [d for d in details[-2:] if "format=pdf" in d] and "names=initials" in details[-1]


def test_the_team_page_shows_the_same_status(tracker_app, signed_in):
    html = signed_in("manager@example.org").get("/team").get_data(as_text=True)
    assert "tracker-rag" in html and ("Behind" in html or "Needs attention" in html or "On track" in html)


def test_evidence_files_only_where_the_service_allows_it(tracker_app, lead):
    from helpers import PNG
    from tracker import records
    dafydd = tracker_app.config["DEMO_IDS"]["inductee@example.org"]
    with tracker_app.app_context():
        db = get_db()
        uploads = __import__("pathlib").Path(tracker_app.config["UPLOAD_FOLDER"])
        uploads.mkdir(parents=True, exist_ok=True)
        (uploads / ("ab" * 16)).write_bytes(PNG)
        file_id = records.add_evidence(db, dafydd, "1.4", "The reasons behind absence", dafydd, kind="file",
                                       body="photo", file_name="lists.png", stored_name="ab" * 16,
                                       content_type="image/png", size=len(PNG))
    assert "lists.png" not in lead.get(f"/reports/inductees/{dafydd}").get_data(as_text=True)
    assert lead.get(f"/evidence/{file_id}/file").status_code == 404  # off by default
    tracker_app.config["REPORTS_LEAD_SEES_EVIDENCE"] = True
    assert "lists.png" in lead.get(f"/reports/inductees/{dafydd}").get_data(as_text=True)
    response = lead.get(f"/evidence/{file_id}/file")
    assert response.status_code == 200 and response.get_data() == PNG


def test_an_old_database_gains_the_lead_role(tmp_path):
    """Migration 17 edits the stored CHECK constraint: a database made before it refuses 'lead', after it takes it,
    and its rows and foreign keys are as they were."""
    import sqlite3

    from tracker import db as tracker_db
    database = tracker_db.connect(tmp_path / "old.sqlite")
    with tracker_db.writing(database):
        for migration in tracker_db.MIGRATIONS[:16]:
            migration.run(database, {})
            database.conn.execute(f"PRAGMA user_version = {migration.number}")
        database.conn.execute("INSERT INTO users (email, name, role, password_hash) VALUES ('a@b', 'A', 'admin', 'x')")
    with pytest.raises(sqlite3.IntegrityError):
        database.conn.execute("INSERT INTO users (email, name, role, password_hash) VALUES ('l@b.c', 'L', 'lead', 'x')")
    database.conn.rollback()  # the refused insert's implicit transaction
    assert tracker_db.migrate(database) == len(tracker_db.MIGRATIONS) - 16
    database.conn.execute("INSERT INTO users (email, name, role, password_hash) VALUES ('l@b.c', 'L', 'lead', 'x')")
    with pytest.raises(sqlite3.IntegrityError):
        database.conn.execute("INSERT INTO users (email, name, role, password_hash) VALUES ('x@b.c', 'X', 'boss', 'x')")
    assert database.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert database.execute("PRAGMA foreign_key_check").fetchall() == []


def test_the_page_is_reused_only_until_something_it_shows_changes(tracker_app, lead):
    """Kept like the dashboards (tracker/pagecache.py); a quiz passed or a whole sign-off changes it at once."""
    dafydd = tracker_app.config["DEMO_IDS"]["inductee@example.org"]

    def dafydds_quizzes() -> str:
        html = lead.get("/reports/").get_data(as_text=True)
        row = html[html.index(f"/reports/inductees/{dafydd}"):]
        return re.search(r'data-label="Quizzes passed">([^<]*)<', row).group(1).strip()
    assert dafydds_quizzes() == dafydds_quizzes() == "0 of 2"
    with tracker_app.app_context():
        db = get_db()
        db.execute("INSERT INTO quiz_attempts (inductee_id, quiz_id, quiz_title, score, total, percent, pass_mark,"
                   " passed, answers) VALUES (?, 'legal-powers', 'Legal powers quiz', 3, 3, 100, 70, 1, '[]')",
                   [dafydd])
        db.conn.commit()
    assert dafydds_quizzes() == "1 of 2"


def test_each_inductee_sees_their_own_coverage_map(tracker_app, signed_in):
    """On My induction, and on their page for their manager: signed off, submitted or not yet, per standard."""
    html = signed_in("inductee@example.org").get("/my-induction").get_data(as_text=True)
    coverage = html[html.index('id="coverage"'):]
    assert "AP1" in coverage and "Signed off" in coverage and "Not yet" in coverage  # 1.2 done: AP1 and CP1
    dafydd = tracker_app.config["DEMO_IDS"]["inductee@example.org"]
    manager = signed_in("manager@example.org").get(f"/team/{dafydd}").get_data(as_text=True)
    assert 'id="coverage"' in manager


@pytest.mark.filterwarnings("error::DeprecationWarning")
def test_the_median_wait_reads_in_whole_days(tracker_app):
    from types import SimpleNamespace

    from flask_babel import force_locale

    from tracker.reports.routes import median_wait
    with tracker_app.test_request_context():
        assert median_wait(SimpleNamespace(median_days_to_sign_off=3.1)) == "3 days"
        assert median_wait(SimpleNamespace(median_days_to_sign_off=0.9)) == "1 day"
        with force_locale("cy"):
            assert median_wait(SimpleNamespace(median_days_to_sign_off=3.1)).startswith("3 ")
