"""Demo data: a manager, her inductees, an administrator and a realistic mix of records; the service lead, and a
second team of inductees at every stage, so that the lead's report (tracker/reports/) is worth reading."""
from __future__ import annotations

import datetime as dt

import click
from flask import Blueprint

from . import account_links, accounts, content, induction_sign_off, mail, plans, records
from .db import get_db, writing
from .notifications import delivery, summary

DEMO_PASSWORD = "induction-demo-2026"
PEOPLE = [
    ("admin@example.org", "Alex Admin", "admin"),
    ("lead@example.org", "Siân Davies", "lead"),  # head of service: every team's induction, read only
    ("manager@example.org", "Rhian Evans", "manager"),
    ("manager2@example.org", "Owain Price", "manager"),
    ("inductee@example.org", "Dafydd Morgan", "inductee"),
    ("inductee2@example.org", "Ceri Williams", "inductee"),
    ("cymraeg@example.org", "Gwenllian Hughes", "inductee"),  # Welsh-speaking: her tracker opens in Welsh
]
# Invited by the administrator, not signed in yet: her invitation waits in the outbox (tracker/account_links.py).
INVITED = ("newstarter@example.org", "Siân Jones", "inductee")
LANGUAGES = {"cymraeg@example.org": "cy"}  # the stored choice (tracker/i18n.py); the others have not chosen
# The activities the demo records are about. The demo invents no activity: any of these the loaded
# content lacks is left out (tests/tracker/test_demo.py checks this against the real pack and the test pack).
DEMO_ACTIVITIES = ("1.1", "1.2", "1.3", "1.4", "1.5", "2.1")


def create_demo_data(db, with_second_team: bool = True) -> dict[str, int]:
    """The demo's people and records (safe to run twice). with_second_team False: Owain Price's team is left
    empty (most tests count what the first team did, and run faster without the second)."""
    ids = {}
    for email, name, role in PEOPLE:  # the managers come before the inductees they manage
        existing = accounts.find_by_email(db, email)
        managers = [ids["manager@example.org"]] if role == "inductee" else []
        ids[email] = existing["id"] if existing else accounts.create_user(
            db, email=email, name=name, role=role, password=DEMO_PASSWORD, language=LANGUAGES.get(email),
            manager_ids=managers, actor_id=ids.get("admin@example.org"))
    manager = ids["manager@example.org"]
    first, second, welsh = ids["inductee@example.org"], ids["inductee2@example.org"], ids["cymraeg@example.org"]

    start = dt.date.today() - dt.timedelta(days=14)
    for inductee in (first, second, welsh):
        current = plans.load_plan(db, inductee)
        submitted = plans.PlanInput(start.isoformat(), "Agreed at our first supervision.", {})
        for index, activity in enumerate(content.activities()):
            target = (start + dt.timedelta(days=3 * index + 3)).isoformat()
            row = plans.PlanRow(activity.id, target, index < 4, by_hand=True)  # as if typed: not filled
            submitted.rows[activity.id] = row
        plans.save_plan(db, inductee, submitted, current, manager)

    def has(activity_id):
        return content.activity(activity_id) is not None

    def title(activity_id):
        return content.activity(activity_id).title

    def work(inductee, activity_id, notes):
        return records.save_notes(db, inductee, activity_id, title(activity_id), notes, inductee)

    if records.get(db, first, "1.1") is None and has("1.1"):
        rec = work(first, "1.1", "Met Rhian to go through how our service allocates time to schools"
                                 " and what I do day to day.")
        records.add_evidence(db, first, "1.1", title("1.1"), first, kind="witness", witness_name="Rhian Evans",
                             witness_role="Team manager", body="We discussed local arrangements in detail.")
        records.transition(db, rec["id"], "submit", first)
        records.transition(db, rec["id"], "sign_off", manager, "A thorough discussion. Well done.")
        # 1.2 and 1.3 need no manager sign-off (sign_off: false): the inductee marks them done.
        if has("1.2"):
            rec = work(first, "1.2", "For each value I listed three things I will do,"
                                     " such as explaining my role at every first visit.")
            records.transition(db, rec["id"], "mark_done", first)
        if has("1.3"):
            work(first, "1.3", "My reflection on what I believe about attendance.")
        if has("1.4"):
            work(first, "1.4", "Started the two lists with a colleague.")
        if has("1.5"):
            rec = work(first, "1.5", "Worked through the case studies with Rhian: what each absence told us.")
            records.transition(db, rec["id"], "submit", first)
            records.transition(db, rec["id"], "return", manager, "Please add what you would do differently,"
                               " using the 'Now what?' step of Borton's model.")
        if has("2.1"):
            rec = work(first, "2.1", "Visited my three schools and met each attendance lead.")
            records.transition(db, rec["id"], "submit", first)
    if records.get(db, second, "1.1") is None and has("1.1"):
        work(second, "1.1", "Booked a meeting with Rhian for Thursday.")
    if records.get(db, welsh, "1.1") is None and has("1.1"):
        records.save_notes(db, welsh, "1.1", title("1.1"),
                           "Cwrdd â Rhian i drafod sut mae’r gwasanaeth yn rhannu amser rhwng yr ysgolion,"
                           " a beth fydda i’n ei wneud o ddydd i ddydd.", welsh)
    if not db.execute("SELECT 1 FROM supervision_sessions WHERE inductee_id = ?", [first]).fetchone():
        demo_supervision_and_reflection(db, first, manager, start)
    if with_second_team:
        second_team(db, ids["manager2@example.org"])
    # The emails these changes make, in the outbox with no email server: Dafydd's at once, and
    # everyone's daily summary (Rhian's lists what her team submitted). Nothing new the second time.
    delivery.deliver_pending(db)
    summary.send_reminders(db)
    demo_invitation_and_reset(db, ids)
    mail.send_waiting(db)
    return ids


# The second team: people who cannot sign in (no password: the demo's accounts to try are the ones above), each
# at a different stage, so that the lead's report shows every status. (name, weeks since the start, share of
# the activities signed off, how many returned, supervision timing, quizzes passed)
SECOND_TEAM = [
    ("Alys Roberts", 1, 0.05, 0, "Every two weeks", 0),
    ("Bethan Lloyd", 3, 0.15, 0, "Every two weeks", 1),
    ("Carwyn Jenkins", 5, 0.2, 1, "Monthly", 1),
    ("Delyth Owen", 8, 0.45, 0, "Every two weeks", 2),
    ("Elis Parry", 10, 0.4, 2, "Monthly", 2),
    ("Ffion Davies", 12, 0.7, 0, "Every two weeks", 3),
    ("Geraint Rees", 16, 0.85, 1, "Monthly", 4),
    ("Hywel Thomas", 20, 1.0, 0, "Every two weeks", 6),
    ("Iolo Pritchard", -2, 0.0, 0, "Every two weeks", 0),  # starts in two weeks
]


def second_team(db, manager: int, extra: int = 0) -> None:
    """The second team, made the first time only; `extra` more inductees like them for benchmarks
    (flask demo-data --inductees N), spread across both teams."""
    people = list(SECOND_TEAM)
    for number in range(extra):
        name, weeks, share, returned, timing, quizzes = SECOND_TEAM[number % len(SECOND_TEAM)]
        people.append((f"{name} {number + 1}", weeks, share, returned, timing, quizzes))
    first_manager = accounts.find_by_email(db, "manager@example.org")["id"]
    for index, (name, weeks, share, returned, timing, quizzes) in enumerate(people):
        email = name.lower().replace(" ", ".") + "@example.org"
        if accounts.find_by_email(db, email):
            continue
        team = manager if index < len(SECOND_TEAM) or index % 2 else first_manager
        inductee = accounts.create_user(db, email=email, name=name, role="inductee", password=None,
                                        manager_ids=[team])
        no_email(db, inductee, team if team == manager else None)
        at_stage(db, inductee, team, dt.date.today() - dt.timedelta(weeks=weeks), share, returned, timing, quizzes)


def no_email(db, *people: int | None) -> None:
    """They cannot sign in, so their notifications are not sent (marked skipped): the outbox keeps the
    first team's messages, which the demo's people can follow."""
    with writing(db):
        for person in people:
            if person is not None:
                db.conn.execute("UPDATE users SET notify = 'none' WHERE id = ?", [person])


def at_stage(db, inductee: int, manager: int, start: dt.date, share: float, returned: int, timing: str,
             quizzes: int) -> None:
    """A plan from `start` (a target every four days: about 20 weeks in all), the first `share` of the activities
    signed off (or done), the next `returned` returned, one more submitted, and supervision held as agreed. The
    records' submission and sign-off times are then set back to when the plan had them, a day or a few after each
    other, so that the report's wait for sign-off reads as a team's would (the audit trail keeps the real times)."""
    activities = content.activities()
    submitted = plans.PlanInput(start.isoformat(), "", {
        a.id: plans.PlanRow(a.id, (start + dt.timedelta(days=4 * index + 2)).isoformat(), index < 4, by_hand=True)
        for index, a in enumerate(activities)})
    plans.save_plan(db, inductee, submitted, plans.load_plan(db, inductee), manager)
    complete = round(share * len(activities))
    for index, activity in enumerate(activities[:complete + returned + (0 < share < 1)]):
        record = records.save_notes(db, inductee, activity.id, activity.title, "Done as planned.", inductee)
        if not activity.sign_off:
            records.transition(db, record["id"], "mark_done", inductee)
            continue
        records.transition(db, record["id"], "submit", inductee)
        if index < complete:
            records.transition(db, record["id"], "sign_off", manager)
        elif index < complete + returned:
            records.transition(db, record["id"], "return", manager, "Please add what you would do next time.")
    backdate(db, inductee, start)
    if complete == len(activities):
        induction_sign_off.sign_off_induction(db, accounts.get_user(db, inductee), manager, "Well done.")
    supervision_held(db, inductee, manager, start, timing)
    passed_quizzes(db, inductee, quizzes)


def backdate(db, inductee: int, start: dt.date) -> None:
    today = dt.datetime.combine(dt.date.today(), dt.time(9))
    with writing(db):
        made = db.conn.execute("SELECT id, signed_off_at IS NOT NULL FROM records WHERE inductee_id = ? ORDER BY id",
                               [inductee]).fetchall()
        for number, (record_id, signed) in enumerate(made):
            sent = min(today, dt.datetime.combine(start, dt.time(10)) + dt.timedelta(days=4 * number + 1))
            done = min(today, sent + dt.timedelta(days=1 + number % 5, hours=3))
            db.conn.execute("UPDATE records SET submitted_at = ?, signed_off_at = CASE WHEN ? THEN ? END WHERE id = ?"
                            " AND submitted_at IS NOT NULL", (stamp(sent), signed, stamp(done), record_id))


def stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def supervision_held(db, inductee: int, manager: int, start: dt.date, timing: str) -> None:
    interval = 14 if "two weeks" in timing else 28
    with writing(db):
        db.conn.execute("INSERT INTO supervision_agreements (inductee_id, purpose, timing, inductee_agreed_at,"
                        " manager_agreed_at, manager_agreed_by) VALUES (?, ?, ?, ?, ?, ?)",
                        (inductee, "Support, learning and accountability during induction.", timing,
                         start.isoformat(), start.isoformat(), manager))
        day = start
        while day <= dt.date.today():  # every session held when due
            db.conn.execute("INSERT INTO supervision_sessions (inductee_id, manager_id, session_date, agenda,"
                            " next_date, confirmed_at) VALUES (?, ?, ?, ?, ?, ?)",
                            (inductee, manager, day.isoformat(), "Induction plan and progress.",
                             (day + dt.timedelta(days=interval)).isoformat(), day.isoformat()))
            day += dt.timedelta(days=interval)


def passed_quizzes(db, inductee: int, count: int) -> None:
    with writing(db):
        for quiz in list(content.project().quizzes.values())[:count]:
            db.conn.execute("INSERT INTO quiz_attempts (inductee_id, quiz_id, quiz_title, activity_id, score, total,"
                            " percent, pass_mark, passed, answers) VALUES (?, ?, ?, ?, ?, ?, 100, ?, 1, '[]')",
                            (inductee, quiz.id, quiz.title, quiz.activity, len(quiz.questions), len(quiz.questions),
                             quiz.pass_mark))


def demo_invitation_and_reset(db, ids: dict[str, int]) -> None:
    """An invitation and a password reset in the outbox, made the first time only."""
    email, name, role = INVITED
    if accounts.find_by_email(db, email):
        return
    invited = accounts.create_user(db, email=email, name=name, role=role, password=None,
                                   actor_id=ids["admin@example.org"])
    try:
        account_links.invite(db, invited, ids["admin@example.org"])
        with writing(db):
            account_links.send_reset(db, accounts.get_user(db, ids["inductee2@example.org"]))
    except mail.NoPublicAddress:
        click.echo("No TRACKER_PUBLIC_URL: the demo's invitation and password reset were not sent", err=True)


def demo_supervision_and_reflection(db, inductee: int, manager: int, start: dt.date) -> None:
    with writing(db):
        db.conn.execute(
            "INSERT INTO supervision_agreements (inductee_id, purpose, confidentiality, timing, location, recording,"
            " inductee_agreed_at, manager_agreed_at, manager_agreed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (inductee, "Support, learning and accountability during induction.",
             "What we discuss stays between us unless a child's safety is at risk.",
             "Every two weeks for an hour during induction, then monthly.", "The small meeting room at the team base.",
             "Rhian writes the record within two working days; Dafydd confirms it.",
             start.isoformat(), start.isoformat(), manager))
        session = db.conn.execute(
            "INSERT INTO supervision_sessions (inductee_id, manager_id, session_date, agenda, discussion, decisions,"
            " next_date, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (inductee, manager, start.isoformat(), "Induction plan; first school visits.",
             "Talked through the plan and the priorities for the first four weeks.",
             "Start with Section 1; shadow a home visit in week three.",
             (start + dt.timedelta(days=14)).isoformat(), start.isoformat())).lastrowid
        db.conn.execute("INSERT INTO supervision_actions (session_id, inductee_id, description, owner, due_date)"
                        " VALUES (?, ?, ?, 'inductee', ?)",
                        (session, inductee, "Read the school attendance policies of my schools",
                         (start + dt.timedelta(days=10)).isoformat()))
        db.conn.execute(
            "INSERT INTO reflections (author_id, entry_date, title, what, so_what, now_what, activity_id, shared_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (inductee, start.isoformat(), "My first team meeting",
             "I listened to how colleagues talked about families who do not engage.",
             "I noticed I assumed the worst about parents who miss meetings. That is not fair to them.",
             "Before a first visit I will write down what I know and what I am assuming.",
             "1.3" if content.activity("1.3") else None, start.isoformat()))


bp = Blueprint("demo", __name__, cli_group=None)


@bp.cli.command("demo-data")
@click.option("--inductees", type=click.IntRange(0, 100_000), default=0,
              help="Also make this many more inductees at every stage, across both teams (for benchmarks).")
def demo_data_command(inductees: int):
    """Create demo accounts and records (safe to run twice)."""
    ids = create_demo_data(get_db())
    if inductees:
        second_team(get_db(), ids["manager2@example.org"], extra=inductees)
    click.echo("Demo accounts (password: %s):" % DEMO_PASSWORD)
    for email, name, role in PEOPLE:
        click.echo(f"  {role:9} {email:24} {name}")
    email, name, role = INVITED
    click.echo(f"  {role:9} {email:24} {name} (invited: her invitation is on the Outbox page)")
