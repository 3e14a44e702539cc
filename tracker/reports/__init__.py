"""The service lead's report: every team's induction at a glance, for the head of service and for inspection.

One row per inductee with progress.rag's status, and per team the timeliness of sign-off, overdue work, returns
and the standards covered. Read only: the lead changes nothing and never sees reflections (tracker/access.py).
Pages and exports (tracker/reports/routes.py, exports.py) all read `build`."""
from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from sqlite_utils import Database

from .. import content, progress, supervision
from ..audit_actions import Action
from ..dates import as_date
from ..records import is_complete

EVIDENCED = {"submitted", "signed_off", "done"}  # a record that shows work done, whether or not signed off yet


@dataclass
class Team:
    """A manager's team; manager_id None: inductees nobody manages yet."""
    manager_id: int | None
    name: str


@dataclass
class InducteeRow:
    id: int
    name: str
    email: str
    teams: list[Team]
    start: dt.date | None
    sections: list[progress.SectionProgress]
    counts: progress.TeamRow
    status: str  # progress.rag; a whole induction signed off is on track: nothing in it is still due
    supervision_held: int
    supervision_expected: int
    quizzes_passed: int
    quizzes_total: int
    signed_off: bool
    evidenced: set[str] = field(default_factory=set)  # standard ids with work submitted or done
    covered: set[str] = field(default_factory=set)  # standard ids with an activity signed off (or done, if no sign-off)

    @property
    def weeks(self) -> int | None:
        """Whole weeks since the start date (None before a start date is set or reached)."""
        if self.start is None or self.start > dt.date.today():
            return None
        return (dt.date.today() - self.start).days // 7

    @property
    def cohort(self) -> str | None:
        return self.start.strftime("%Y-%m") if self.start else None

    @property
    def percent(self) -> int:
        return self.counts_percent(self.counts)

    @staticmethod
    def counts_percent(counts: progress.TeamRow) -> int:
        return round(100 * counts.completed / counts.required) if counts.required else 100

    def initials(self) -> str:
        """For a pseudonymised pack: initials and the account number, never the name."""
        return "".join(part[0] for part in self.name.split() if part[:1].isalpha()).upper() + f"-{self.id}"


@dataclass
class TeamSummary:
    team: Team
    inductees: list[InducteeRow]
    median_days_to_sign_off: float | None
    returns: int

    @property
    def overdue(self) -> int:
        return sum(row.counts.overdue for row in self.inductees)

    def with_status(self, status: str) -> int:
        return sum(row.status == status for row in self.inductees)

    def covering(self, standard_id: str) -> int:
        return sum(standard_id in row.covered for row in self.inductees)


@dataclass
class Report:
    rows: list[InducteeRow]
    teams: list[TeamSummary]
    all_teams: list[Team]  # for the filter, whatever is chosen
    cohorts: list[str]  # start months, 'YYYY-MM', newest first
    team_id: int | None = None
    cohort: str | None = None

    def with_status(self, status: str) -> int:
        return sum(row.status == status for row in self.rows)


def build(db: Database, team_id: int | None = None, cohort: str | None = None) -> Report:
    """Every active inductee, or those of one team and/or one start month."""
    inductees = list(db.query("SELECT id, name, email FROM users WHERE role = 'inductee' AND active ORDER BY name"))
    teams_of, starts = _teams_of(db), _starts(db)
    all_teams, cohorts = _choices(teams_of, starts)
    chosen = [i for i in inductees
              if (team_id is None or any(t.manager_id == team_id for t in teams_of.get(i["id"], [NO_TEAM])))
              and (cohort is None or (starts.get(i["id"]) and starts[i["id"]].strftime("%Y-%m") == cohort))]
    rows = _rows(db, chosen, teams_of, starts)
    if any(row.teams == [NO_TEAM] for row in rows) and team_id is None:
        all_teams.append(NO_TEAM)  # people nobody manages yet, counted apart
    teams = [_team_summary(db, team, [r for r in rows if any(t.manager_id == team.manager_id for t in r.teams)])
             for team in all_teams if team_id is None or team.manager_id == team_id]
    return Report(rows, [t for t in teams if t.inductees], all_teams, cohorts, team_id, cohort)


def filter_choices(db: Database) -> tuple[list[Team], list[str]]:
    """The teams and start months the report can be narrowed to, without building it."""
    return _choices(_teams_of(db), _starts(db))


def _choices(teams_of: dict[int, list[Team]], starts: dict) -> tuple[list[Team], list[str]]:
    teams = sorted({t.manager_id: t for ts in teams_of.values() for t in ts}.values(),
                   key=lambda t: (t.manager_id is None, t.name))
    return teams, sorted({s.strftime("%Y-%m") for s in starts.values() if s}, reverse=True)


def _starts(db: Database) -> dict:
    return {i: as_date(s) for i, s in db.conn.execute("SELECT inductee_id, start_date FROM plans")}


NO_TEAM = Team(None, "")


def row_for(db: Database, inductee: dict) -> InducteeRow:
    """One inductee's row, as the report has it."""
    start = db.execute("SELECT start_date FROM plans WHERE inductee_id = ?", [inductee["id"]]).fetchone()
    return _rows(db, [inductee], _teams_of(db), {inductee["id"]: as_date(start[0]) if start else None})[0]


def _teams_of(db: Database) -> dict[int, list[Team]]:
    found: dict[int, list[Team]] = {}
    for inductee_id, manager_id, name in db.conn.execute(
            "SELECT t.inductee_id, m.id, m.name FROM team_members t JOIN users m ON m.id = t.manager_id"
            " ORDER BY m.name"):
        found.setdefault(inductee_id, []).append(Team(manager_id, name))
    return found


def _rows(db: Database, inductees: list[dict], teams_of: dict, starts: dict) -> list[InducteeRow]:
    if not inductees:
        return []
    counts = progress.team_rows(db, inductees)
    schedule = {row["inductee_id"]: row for row in supervision.schedule(db, inductees)}
    ids = [i["id"] for i in inductees]
    marks = ",".join("?" * len(ids))
    held = dict(db.conn.execute(
        f"SELECT inductee_id, count(*) FROM supervision_sessions WHERE inductee_id IN ({marks})"
        " AND session_date <= ? GROUP BY inductee_id", [*ids, dt.date.today().isoformat()]).fetchall())
    timing = dict(db.conn.execute(
        f"SELECT inductee_id, timing FROM supervision_agreements WHERE inductee_id IN ({marks})", ids).fetchall())
    passed = dict(db.conn.execute(
        f"SELECT inductee_id, count(DISTINCT quiz_id) FROM quiz_attempts WHERE inductee_id IN ({marks}) AND passed"
        " GROUP BY inductee_id", ids).fetchall())
    signed = {i for (i,) in db.conn.execute(
        f"SELECT inductee_id FROM induction_signoffs WHERE inductee_id IN ({marks})", ids)}
    states: dict[int, dict[str, str]] = {i: {} for i in ids}
    for inductee_id, activity_id, state in db.conn.execute(
            f"SELECT inductee_id, activity_id, state FROM records WHERE inductee_id IN ({marks})", ids):
        states[inductee_id][activity_id] = state
    quizzes = len(content.project().quizzes)
    mapped = mapped_activities()
    rows = []
    for inductee in inductees:
        i = inductee["id"]
        evidenced, covered = standards_of(states[i], mapped)
        rows.append(InducteeRow(
            id=i, name=inductee["name"], email=inductee["email"], teams=teams_of.get(i, [NO_TEAM]),
            start=starts.get(i), sections=counts[i].sections(), counts=counts[i],
            status="green" if i in signed else counts[i].rag(schedule[i]["status"]), supervision_held=held.get(i, 0),
            supervision_expected=expected_sessions(starts.get(i), timing.get(i)), quizzes_passed=passed.get(i, 0),
            quizzes_total=quizzes, signed_off=i in signed, evidenced=evidenced, covered=covered))
    return rows


def mapped_activities() -> dict[str, tuple]:
    """{activity id: (the standards it evidences, whether it needs sign-off)} for the activities mapped to any."""
    return {a.id: (a.standards, a.sign_off) for a in content.activities() if a.standards}


def standards_of(states: dict[str, str], mapped: dict[str, tuple] | None = None) -> tuple[set[str], set[str]]:
    """(standards evidenced, standards signed off) by one person's records: an activity evidences each standard
    it lists (handbook standards.yml) once work on it is submitted or done, and covers it once complete.
    mapped: {activity id: (its standards, whether it needs sign-off)}, made once for many people."""
    if mapped is None:
        mapped = mapped_activities()
    evidenced, covered = set(), set()
    for activity_id, state in states.items():
        if activity_id not in mapped:
            continue
        standards, sign_off = mapped[activity_id]
        if state in EVIDENCED:
            evidenced.update(standards)
        if is_complete(state, sign_off):
            covered.update(standards)
    return evidenced, covered


def expected_sessions(start: dt.date | None, timing: str | None, today: dt.date | None = None) -> int:
    """Supervision sessions due by today at the agreement's frequency (supervision.interval_days, or the usual
    DEFAULT_INTERVAL_DAYS), the first on the start date."""
    today = today or dt.date.today()
    if start is None or start > today:
        return 0
    interval = supervision.interval_days(timing) or supervision.DEFAULT_INTERVAL_DAYS
    return 1 + (today - start).days // interval


def _team_summary(db: Database, team: Team, rows: list[InducteeRow]) -> TeamSummary:
    ids = [r.id for r in rows]
    if not ids:
        return TeamSummary(team, [], None, 0)
    marks = ",".join("?" * len(ids))
    waits = [_days_between(submitted, signed) for submitted, signed in db.conn.execute(
        f"SELECT submitted_at, signed_off_at FROM records WHERE inductee_id IN ({marks}) AND state = 'signed_off'"
        " AND submitted_at IS NOT NULL AND signed_off_at IS NOT NULL", ids)]
    waits = [w for w in waits if w is not None]
    returns = db.conn.execute(f"SELECT count(*) FROM audit_log WHERE action = ? AND subject_id IN ({marks})",
                              [Action.RECORD_RETURNED.value, *ids]).fetchone()[0]
    return TeamSummary(team, rows, round(statistics.median(waits), 1) if waits else None, returns)


def _days_between(start: str, end: str) -> float | None:
    try:
        began, ended = (dt.datetime.fromisoformat(value.replace("Z", "+00:00")) for value in (start, end))
    except ValueError:
        return None
    return max(0.0, (ended - began).total_seconds() / 86400)


def standards_list():
    """The standards in the page's language (handbook standards.yml), or None in a pack without them."""
    return content.project().standards


def detail(db: Database, inductee_id: int, with_files: bool) -> dict:
    """What the lead's page for one inductee shows besides the report's row: each activity's state and dates,
    supervision dates, quiz results and the whole sign-off; the evidence files' names only if with_files."""
    records = {r["activity_id"]: r for r in db.query(
        "SELECT activity_id, state, submitted_at, signed_off_at FROM records WHERE inductee_id = ?", [inductee_id])}
    targets = dict(db.conn.execute("SELECT activity_id, target_date FROM plan_items WHERE inductee_id = ?",
                                   [inductee_id]).fetchall())
    sessions = list(db.query("SELECT session_date, confirmed_at FROM supervision_sessions WHERE inductee_id = ?"
                             " ORDER BY session_date", [inductee_id]))
    quizzes = list(db.query(
        "SELECT quiz_id, max(quiz_title) AS title, max(percent) AS best, max(passed) AS passed, count(*) AS attempts"
        " FROM quiz_attempts WHERE inductee_id = ? GROUP BY quiz_id ORDER BY quiz_id", [inductee_id]))
    signoff = db.execute("SELECT signed_off_at FROM induction_signoffs WHERE inductee_id = ?",
                         [inductee_id]).fetchone()
    files = list(db.query(
        "SELECT e.id, e.file_name, r.activity_id FROM evidence e JOIN records r ON r.id = e.record_id"
        " WHERE r.inductee_id = ? AND e.kind = 'file' ORDER BY r.activity_id, e.id", [inductee_id])) \
        if with_files else None
    activities = [(section, [a for a in content.activities() if a.section == section.id])
                  for section in content.sections()]
    return {"records": records, "targets": targets, "sessions": sessions, "quizzes": quizzes, "signoff": signoff,
            "files": files, "activities": activities}
