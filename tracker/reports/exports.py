"""The report as files, in the page's language: CSV (one row per inductee), a spreadsheet with one sheet per view
(XlsxWriter), and the quality assurance pack as a tagged PDF (WeasyPrint, as the portfolio). None holds a note,
a piece of evidence or a reflection: only states, counts and dates."""
from __future__ import annotations

import csv
import datetime as dt
import io

from flask import render_template, request
from flask_babel import gettext

from .. import content
from ..portfolio import render_pdf
from ..template_helpers import RAG_LABELS


def inductee_columns() -> list[str]:
    return [gettext("Inductee"), gettext("Email address"), gettext("Teams"), gettext("Start date"),
            gettext("Weeks since the start"), gettext("Status"), gettext("Per cent complete"),
            *[content.section_label(s) for s in content.sections()],
            gettext("Overdue"), gettext("Returned"), gettext("Supervision sessions held"),
            gettext("Supervision sessions due by now"), gettext("Quizzes passed"), gettext("Quizzes"),
            gettext("Whole induction signed off"), gettext("Standards signed off")]


def inductee_values(row) -> list:
    return [row.name, row.email, "; ".join(t.name for t in row.teams if t.manager_id is not None),
            row.start.isoformat() if row.start else "", "" if row.weeks is None else row.weeks,
            str(RAG_LABELS[row.status]), row.percent, *[s.percent for s in row.sections],
            row.counts.overdue, row.counts.returned, row.supervision_held, row.supervision_expected,
            row.quizzes_passed, row.quizzes_total, gettext("Yes") if row.signed_off else gettext("No"),
            len(row.covered)]


def team_columns() -> list[str]:
    return [gettext("Team"), gettext("Inductees"), *[str(RAG_LABELS[key]) for key in ("red", "amber", "green")],
            gettext("Overdue"), gettext("Returns"), gettext("Median days from submission to sign-off")]


def team_values(team) -> list:
    return [team.team.name or gettext("No manager"), len(team.inductees), team.with_status("red"),
            team.with_status("amber"), team.with_status("green"), team.overdue, team.returns,
            "" if team.median_days_to_sign_off is None else team.median_days_to_sign_off]


def standards_rows(report, standards) -> tuple[list[str], list[list]]:
    """One row per standard: how many of each team's inductees have it signed off."""
    columns = [gettext("Standard"), gettext("Title"), *[t.team.name or gettext("No manager") for t in report.teams]]
    rows = [[s.id, s.title, *[t.covering(s.id) for t in report.teams]] for s in (standards.all() if standards else [])]
    return columns, rows


def as_csv(report, standards) -> bytes:
    """The inductees' view, UTF-8 with a byte order mark so that spreadsheet programs read Welsh letters right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(inductee_columns())
    for row in report.rows:
        writer.writerow([_safe(value) for value in inductee_values(row)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _safe(value):
    """A cell a spreadsheet would run as a formula (=, +, -, @ first) is written as text (OWASP's CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def as_xlsx(report, standards) -> bytes:
    import xlsxwriter  # imported here: only this export needs it

    out = io.BytesIO()
    # strings_to_formulas off: a name beginning '=' is text, never a formula
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    _sheet(book, bold, gettext("Inductees"), inductee_columns(), [inductee_values(r) for r in report.rows])
    _sheet(book, bold, gettext("Teams"), team_columns(), [team_values(t) for t in report.teams])
    columns, rows = standards_rows(report, standards)
    _sheet(book, bold, gettext("Standards"), columns, rows)
    book.close()
    return out.getvalue()


def _sheet(book, bold, name: str, columns: list[str], rows: list[list]) -> None:
    sheet = book.add_worksheet(name[:31])  # Excel's limit on a sheet's name
    sheet.write_row(0, 0, columns, bold)
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, row)
    sheet.freeze_panes(1, 1)
    sheet.set_column(0, len(columns) - 1, 18)
    if rows:
        sheet.autofilter(0, 0, len(rows), len(columns) - 1)


def as_pdf(report, standards, pseudonymised: bool) -> bytes:
    html = render_template("reports/pack.html", report=report, standards=standards, pseudonymised=pseudonymised,
                           today=dt.date.today())
    return render_pdf(html, base_url=request.url_root)
