"""The service lead's pages: /reports/ (every team at a glance), one inductee's induction read only, and the
exports (CSV, spreadsheet, the quality assurance pack as PDF). Only the lead reaches them; every export is
audited, and like every page it is sent no-store (tracker/security.py)."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from .. import accounts, audit, charts, pagecache, supervision
from ..access import role_required
from ..audit_actions import Action
from ..db import get_db, writing
from ..template_helpers import format_day
from . import build, detail, exports, filter_choices, row_for, standards_list

bp = Blueprint("reports", __name__)


@bp.context_processor
def sentences():
    return {"median_wait": median_wait, "team_names": team_names, "started": started}


def median_wait(team) -> str:
    if team.median_days_to_sign_off is None:
        return gettext("None signed off yet")
    # in whole days: the wait is measured to the second, but the plural form needs a whole number
    return ngettext("%(num)s day", "%(num)s days", round(team.median_days_to_sign_off))


def started(row) -> str:
    if row.start is None:
        return gettext("No start date yet")
    if row.weeks is None:
        return gettext("Starts on %(date)s", date=format_day(row.start))
    return ngettext("Started %(num)s week ago", "Started %(num)s weeks ago", row.weeks)


def team_names(row) -> str:
    return ", ".join(t.name for t in row.teams if t.manager_id is not None) or gettext("No manager")


class FilterForm(FlaskForm):
    """Which inductees the report covers. Sent by GET (a search, not a change): no CSRF token."""
    class Meta:
        csrf = False

    team = SelectField(_l("Team"), default="")
    cohort = SelectField(_l("Start month"), default="")


def chosen(report_teams, cohorts) -> tuple[FilterForm, int | None, str | None]:
    """The filter form read from the query string; an unknown team or month is an error on the form."""
    form = FilterForm(request.args)
    form.team.choices = [SelectChoice("", gettext("All teams"))] + [
        SelectChoice(str(t.manager_id), t.name) for t in report_teams if t.manager_id is not None]
    form.cohort.choices = [SelectChoice("", gettext("All start months"))] + [
        SelectChoice(c, c) for c in cohorts]
    if request.args and not form.validate():
        return form, None, None
    return form, (int(form.team.data) if form.team.data else None), form.cohort.data or None


def report_for_request():
    """The filter form and the report it asks for (every team when the form is wrong, with its errors)."""
    db = get_db()
    form, team_id, cohort = chosen(*filter_choices(db))
    return form, build(db, team_id, cohort)


@bp.route("/reports/")
@role_required("lead")
def index():
    return pagecache.serve(render_index)  # reused until something it shows changes, as the dashboards are


def render_index():
    form, report = report_for_request()
    return render_template("reports/index.html", form=form, report=report, standards=standards_list(),
                           charts=charts), 400 if form.errors else 200


@bp.route("/reports/inductees/<int:inductee_id>")
@role_required("lead")
def inductee(inductee_id: int):
    """One inductee's induction as the lead sees it: states and dates, never notes, evidence or reflections."""
    db = get_db()
    person = accounts.get_user(db, inductee_id)
    if person is None or person["role"] != "inductee":
        abort(404)
    row = row_for(db, person)
    files_shown = current_app.config["REPORTS_LEAD_SEES_EVIDENCE"]
    return render_template("reports/inductee.html", row=row, standards=standards_list(),
                           schedule=supervision.schedule(db, [person])[0], **detail(db, inductee_id, files_shown))


EXPORTS = {  # format -> (the writer, its MIME type, the file's name)
    "csv": (exports.as_csv, "text/csv; charset=utf-8", "induction-report.csv"),
    "xlsx": (exports.as_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "induction-report.xlsx"),
}


@bp.route("/reports/induction.<any(csv, xlsx):kind>")
@role_required("lead")
def export(kind: str):
    form, report = report_for_request()
    if form.errors:
        abort(400)
    writer, mimetype, filename = EXPORTS[kind]
    body = writer(report, standards_list())
    audited(kind, report, pseudonymised=False)
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/reports/quality-assurance.pdf")
@role_required("lead")
def pack():
    """The quality assurance pack for an inspection or a scrutiny committee: completion, timeliness, supervision
    held and standards covered; no reflection, note or evidence. ?names=initials puts initials and account
    numbers in place of names."""
    form, report = report_for_request()
    if form.errors or request.args.get("names", "full") not in ("full", "initials"):
        abort(400)
    pseudonymised = request.args.get("names") == "initials"
    document = exports.as_pdf(report, standards_list(), pseudonymised)
    audited("pdf", report, pseudonymised)
    return Response(document, mimetype="application/pdf",
                    headers={"Content-Disposition": 'attachment; filename="induction-quality-assurance.pdf"'})


def audited(kind: str, report, pseudonymised: bool) -> None:
    """Who exported what, when: the format, the filters and how many inductees (never their names)."""
    db = get_db()
    with writing(db):
        audit.log(db, current_user.id, Action.REPORT_EXPORTED,
                  detail=f"format={kind} team={report.team_id or 'all'} start_month={report.cohort or 'all'}"
                         f" inductees={len(report.rows)} names={'initials' if pseudonymised else 'full'}")
