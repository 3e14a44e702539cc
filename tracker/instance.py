"""The instance folder and its database, made by the one explicit step, `flask --app tracker migrate`
(when installing and after every upgrade): the folder, its keys if missing (never replaced), the database,
and its pending migrations. Nothing else migrates, unless MIGRATE_ON_START is set (the demo and tests)."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Blueprint, current_app

from . import audit, signing
from .config import instance_secret, setting_on
from .db import built_schema, connect, migrate, schema_version

bp = Blueprint("instance", __name__, cli_group=None)


def make_instance(app) -> list[str]:
    """What first use needs, made if missing and never replaced: the instance folder and its keys (the
    session key unless SECRET_KEY is set, the audit chain's unless AUDIT_KEY is, and the portfolio signing
    key). Returns the files and folders it made."""
    instance = Path(app.instance_path)
    places = [instance, instance / "secret_key", instance / "audit_key", instance / signing.KEY_FILE]
    there = [place.exists() for place in places]
    instance.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not dict.get(app.config, "SECRET_KEY"):  # as configured: reading it through Settings would make it
        instance_secret(instance, "secret_key")
    if not app.config["AUDIT_KEY"]:
        audit.instance_key(instance)
    signing.instance_signing_key(instance)
    return [str(place) for place, was in zip(places, there, strict=True) if not was and place.exists()]


def migrate_app_database(app) -> tuple[int, int]:
    """Make the app's database if there is none and apply its pending migrations: (applied, schema version)."""
    path = Path(app.config["DATABASE"])
    path.parent.mkdir(parents=True, exist_ok=True)
    db = connect(path, app.config["DATABASE_BUSY_TIMEOUT"])
    try:
        return migrate(db, migration_context(app)), schema_version(db)
    finally:
        db.conn.close()


def migration_context(app) -> dict:
    """What a Python migration step may need: the audit chain's key, read (or made) only if asked for."""
    return {"audit_key": lambda: audit.keys(app.config, Path(app.instance_path))[0]}


def migrate_on_start(state) -> None:
    if setting_on(state.app.config["MIGRATE_ON_START"]):
        migrate_app_database(state.app)


bp.record_once(migrate_on_start)


@bp.cli.command("migrate")
def migrate_command():
    """Make the database, or bring it up to this version of the tracker, and make the instance folder and
    its keys if they are missing (never replaced). Run it when installing and after every upgrade, before
    starting the server: nothing else migrates (unless MIGRATE_ON_START is set)."""
    app = current_app._get_current_object()
    for made in make_instance(app):
        click.echo(f"made {made}")
    applied, version = migrate_app_database(app)
    click.echo(f"{applied} migrations applied; schema version {version}")


@bp.cli.command("schema")
def schema_command():
    """Print the schema the migration files make (tracker/schema.sql is this, checked in)."""
    click.echo(built_schema(), nl=False)
