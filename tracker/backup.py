"""Backups that restore: SQLite's online backup API plus the uploaded files.

    flask --app tracker backup [--to DIR]       # writes DIR/tracker-YYYYmmdd-HHMMSS/{tracker.sqlite,uploads/}
    flask --app tracker restore BACKUP_DIR      # checks the backup first, then replaces database and uploads
    flask --app tracker check-db [--remove-orphans]  # integrity and foreign-key checks; orphaned uploads
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
from pathlib import Path

import click
from flask import Blueprint, current_app
from sqlite_utils import Database

from . import audit
from .audit_actions import Action
from .db import connect, forget_connection, writing
from .server_lock import ServerRunning, no_server_running


class BackupError(Exception):
    pass


def check_database(path: Path) -> list[str]:
    """Problems found by SQLite's integrity and foreign-key checks; empty when healthy."""
    if not path.exists():
        return [f"{path} does not exist"]
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
            problems += [f"foreign key: {table} row {rowid} refers to missing {parent}"
                         for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check")]
            conn.execute("SELECT count(*) FROM users").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        problems = [f"not a readable tracker database: {error}"]
    return problems


def backup(database: Path, uploads: Path, target_root: Path, now: dt.datetime | None = None) -> Path:
    """Copy the live database with the online backup API (safe while the tracker runs). Made in a
    .partial folder, renamed when complete: a backup that fails (a full disk) leaves nothing behind."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = target_root / f"tracker-{stamp}"
    partial = target_root / f".tracker-{stamp}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        _copy(database, uploads, partial)
        problems = check_database(partial / "tracker.sqlite")
        if problems:
            raise BackupError("; ".join(problems))
        partial.rename(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return target


def _copy(database: Path, uploads: Path, folder: Path) -> None:
    source = sqlite3.connect(str(database))
    destination = sqlite3.connect(str(folder / "tracker.sqlite"))
    try:
        source.backup(destination)
    finally:
        destination.close()
        source.close()
    if uploads.is_dir():
        shutil.copytree(uploads, folder / "uploads")
    else:
        (folder / "uploads").mkdir()


# An upload's file is written just before its evidence row is saved: an unnamed file younger than
# this may be one being saved now, so it is never called an orphan.
ORPHAN_MARGIN = dt.timedelta(hours=1)
STORED_NAME = re.compile(r"[0-9a-f]{32}")  # how tracker/files.py names what it stores


def unnamed_uploads(database: Path, uploads: Path) -> tuple[list[Path], list[Path]]:
    """Files in the upload folder that no evidence row names, as (orphans, recent): orphans are older
    than ORPHAN_MARGIN (left by a save that was cut off, such as a server killed mid-upload); recent
    ones may still be being saved. Only files named as the tracker names uploads are considered:
    anything else in the folder is not the tracker's. Raises sqlite3.DatabaseError if the
    database cannot be read."""
    if not uploads.is_dir():
        return [], []
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        named = {row[0] for row in conn.execute("SELECT stored_name FROM evidence WHERE stored_name IS NOT NULL")}
    finally:
        conn.close()
    cutoff = (dt.datetime.now() - ORPHAN_MARGIN).timestamp()
    orphans, recent = [], []
    for path in sorted(uploads.iterdir()):
        if STORED_NAME.fullmatch(path.name) and path.name not in named and path.is_file():
            (orphans if path.stat().st_mtime < cutoff else recent).append(path)
    return orphans, recent


def check_uploads(database: Path, uploads: Path, remove: bool) -> int:
    """Report orphaned uploads, removing them if asked; the number found and left in place."""
    try:
        orphans, recent = unnamed_uploads(database, uploads)
    except sqlite3.DatabaseError as error:
        click.echo(f"uploads not checked: the database cannot be read ({error})", err=True)
        return 0
    for path in orphans:
        changed = dt.datetime.fromtimestamp(path.stat().st_mtime).isoformat(" ", "seconds")
        if remove:
            path.unlink(missing_ok=True)
            click.echo(f"removed orphaned upload {path.name} (no evidence row names it; last changed {changed})")
        else:
            click.echo(f"orphaned upload {path.name}: no evidence row names it (last changed {changed})", err=True)
    if orphans and not remove:
        click.echo(f"{len(orphans)} orphaned uploads in {uploads}: run 'flask check-db --remove-orphans'"
                   " to remove them", err=True)
    if recent:
        minutes = ORPHAN_MARGIN.total_seconds() / 60
        click.echo(f"{len(recent)} unnamed uploads younger than {minutes:.0f} minutes left alone:"
                   " they may be uploads being saved now")
    if not orphans and not recent:
        click.echo("uploads OK: every stored file is named by an evidence row")
    return 0 if remove else len(orphans)


def write_anchor(folder: Path, anchors: Path):
    """The audit chain's head as the backup holds it, written into the backup and added to the
    instance's anchors: cutting entries from the live chain later contradicts both."""
    conn = sqlite3.connect(f"file:{folder / 'tracker.sqlite'}?mode=ro", uri=True)  # read only: the copy stays as made
    try:
        anchor = audit.head(Database(conn))
    finally:
        conn.close()
    (folder / "audit_anchor.txt").write_text(f"{anchor}\n", encoding="utf-8")
    audit.record_anchor(anchors, anchor, f"backup {folder.name}")
    return anchor


def restore(backup_dir: Path, database: Path, uploads: Path) -> None:
    """Replace the database and uploads with a backup, only after the backup passes its checks.
    The tracker must be stopped while restoring (restore_command checks: server_lock)."""
    saved = backup_dir / "tracker.sqlite"
    problems = check_database(saved)
    if problems:
        raise BackupError(f"{backup_dir} failed its checks, nothing was changed: " + "; ".join(problems))
    database.parent.mkdir(parents=True, exist_ok=True)
    incoming = database.with_name(database.name + ".restoring")
    shutil.copyfile(saved, incoming)
    for suffix in ("-wal", "-shm"):
        Path(str(database) + suffix).unlink(missing_ok=True)
    os.replace(incoming, database)
    if uploads.exists():
        old = uploads.with_name(uploads.name + ".before-restore")
        shutil.rmtree(old, ignore_errors=True)
        uploads.rename(old)
        shutil.copytree(backup_dir / "uploads", uploads) if (backup_dir / "uploads").is_dir() else uploads.mkdir()
        shutil.rmtree(old, ignore_errors=True)
    elif (backup_dir / "uploads").is_dir():
        shutil.copytree(backup_dir / "uploads", uploads)


def record_restore(database: Path, backup_dir: Path):
    """The restore, in the restored audit chain and in the anchors: anchors given out after the backup was
    made point at entries the restore took away on purpose, so from here on verify-audit checks only those
    the restored chain still reaches, and every anchor made after."""
    db = connect(database)
    try:
        cut = audit.head(db)
        with writing(db):
            audit.log(db, None, Action.BACKUP_RESTORED, detail=f"backup={backup_dir.name} head={cut}")
        anchor = audit.head(db)
    finally:
        db.conn.close()
    audit.record_anchor(audit.anchors_file(current_app.config), anchor, f"cut={cut.seq} {backup_dir.name}",
                        mark=audit.RESTORE_MARK)
    return anchor


bp = Blueprint("backup", __name__, cli_group=None)


def paths():
    return Path(current_app.config["DATABASE"]), Path(current_app.config["UPLOAD_FOLDER"])

@bp.cli.command("backup")
@click.option("--to", "target", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="folder for backups (default: INSTANCE/backups)")
def backup_command(target):
    """Back up the database and uploaded files to a timestamped folder."""
    database, uploads = paths()
    target = target or Path(current_app.instance_path) / "backups"
    try:
        folder = backup(database, uploads, target)
    except BackupError as error:
        raise click.ClickException(f"backup failed its check: {error}") from error
    anchor = write_anchor(folder, audit.anchors_file(current_app.config))
    click.echo(f"audit chain head {anchor} (written with the backup)")
    click.echo(f"backed up to {folder}")

@bp.cli.command("restore")
@click.argument("backup_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
def restore_command(backup_dir):
    """Restore a backup folder made by 'backup' (stop the tracker first)."""
    database, uploads = paths()
    forget_connection()  # nothing of ours may hold the old file open
    try:
        with no_server_running(database):
            restore(backup_dir, database, uploads)
            anchor = record_restore(database, backup_dir)
    except ServerRunning as error:
        raise click.ClickException(f"nothing was restored: {error}") from error
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"restored {backup_dir}; the audit chain carries on from {anchor}")

@bp.cli.command("check-db")
@click.option("--remove-orphans", is_flag=True,
              help="remove orphaned uploads (files older than an hour that no evidence row names)")
def check_db_command(remove_orphans):
    """Run SQLite's integrity and foreign-key checks, and look for orphaned uploads: files in the
    upload folder that no evidence row names, older than an hour (younger ones may be uploads
    being saved, and are left alone). Each orphan is listed, and removed with --remove-orphans.

    Exit status 1 if the database has a problem, or orphans were found and not removed."""
    database, uploads = paths()
    problems = check_database(database)
    for problem in problems:
        click.echo(problem, err=True)
    if not problems:
        click.echo("database OK: integrity and foreign keys checked")
    orphans_left = check_uploads(database, uploads, remove_orphans)
    if problems or orphans_left:
        raise SystemExit(1)
