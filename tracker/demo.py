"""Demo data: a manager, two inductees, an administrator and a realistic mix of records."""
from __future__ import annotations

import datetime as dt

import click

from . import accounts, content, plans, records
from .db import get_db

DEMO_PASSWORD = "induction-demo-2026"
PEOPLE = [
    ("admin@example.org", "Alex Admin", "admin"),
    ("manager@example.org", "Rhian Evans", "manager"),
    ("inductee@example.org", "Dafydd Morgan", "inductee"),
    ("inductee2@example.org", "Ceri Williams", "inductee"),
]


def create_demo_data(db) -> dict[str, int]:
    ids = {}
    for email, name, role in PEOPLE:
        existing = accounts.find_by_email(db, email)
        ids[email] = existing["id"] if existing else accounts.create_user(
            db, email=email, name=name, role=role, password=DEMO_PASSWORD)
    manager = ids["manager@example.org"]
    for inductee in ("inductee@example.org", "inductee2@example.org"):
        accounts.set_managers(db, ids[inductee], [manager], actor_id=ids["admin@example.org"])
    first, second = ids["inductee@example.org"], ids["inductee2@example.org"]

    start = dt.date.today() - dt.timedelta(days=14)
    for inductee in (first, second):
        current = plans.load_plan(db, inductee)
        submitted = plans.PlanInput(start.isoformat(), "Agreed at our first supervision.", {})
        for index, activity in enumerate(content.activities()):
            row = plans.PlanRow(activity.id, (start + dt.timedelta(days=3 * index + 2)).isoformat(), index < 4)
            submitted.rows[activity.id] = row
        plans.save_plan(db, inductee, submitted, current, manager)

    def title(activity_id):
        item = content.activity(activity_id)
        return item.title if item else activity_id

    def work(inductee, activity_id, notes):
        return records.save_notes(db, inductee, activity_id, title(activity_id), notes, inductee)

    if records.get(db, first, "1.1") is None and content.activity("1.1"):
        rec = work(first, "1.1", "Met Rhian to go through how our service allocates time to schools and what I do day to day.")
        records.add_evidence(db, first, "1.1", title("1.1"), first, kind="witness", witness_name="Rhian Evans",
                             witness_role="Team manager", body="We discussed local arrangements in detail.")
        records.transition(db, rec["id"], "submit", first)
        records.transition(db, rec["id"], "sign_off", manager, "A thorough discussion. Well done.")
        rec = work(first, "1.2", "For each value I listed three things I will do, such as explaining my role at every first visit.")
        records.transition(db, rec["id"], "submit", first)
        rec = work(first, "1.3", "My reflection on what I believe about attendance.")
        records.transition(db, rec["id"], "submit", first)
        records.transition(db, rec["id"], "return", manager,
                           "Please add what you would do differently, using the 'Now what?' step of Borton's model.")
        work(first, "1.4", "Started the two lists with a colleague.")
    if records.get(db, second, "1.1") is None and content.activity("1.1"):
        work(second, "1.1", "Booked a meeting with Rhian for Thursday.")
    return ids


def init_app(app) -> None:
    @app.cli.command("demo-data")
    def demo_data_command():
        """Create demo accounts and records (safe to run twice)."""
        create_demo_data(get_db())
        click.echo("Demo accounts (password: %s):" % DEMO_PASSWORD)
        for email, name, role in PEOPLE:
            click.echo(f"  {role:9} {email:24} {name}")
