"""The append-only audit trail: who did what, when, as a tamper-evident chain.

Triggers in the schema refuse DELETE on audit_log and any UPDATE of an entry's fields, so
entries can only be added. Each entry also carries `hash` = HMAC-SHA-256, under a key kept
outside the database, of its fields and of the previous entry's hash (`prev_hash`): someone who
can write the database file directly (and drop the triggers) still cannot edit, insert, delete
or reorder an entry without `flask --app tracker verify-audit` noticing, and cannot cut the tail
without contradicting an anchor (the chain's head, printed on portfolios and exports and written
with every backup).

Only ids, actions, states, times and a hash of `detail` are chained, never personal text, so an
erasure leaves the chain verifiable (and is itself an entry).

Nothing the tracker runs ever signs an entry it did not write: an entry without a hash is tampering,
which verify-audit reports. The one exception is the upgrade of a database made before the chain
existed: the migration that adds the chain chains the entries already there, once, and records that it
did (`audit.chain_started`, with how many). verify-audit only reads.

Anchors (an entry's number and hash) are also written outside the database as the chain grows: after a
write, at most every AUDIT_ANCHOR_SECONDS per process, to the anchors file and the log.
verify-audit checks the chain against every anchor recorded since the last restore, so an edit, or a cut
tail, after the newest anchor is the most that can go unseen, not everything since the last backup.

The key: `TRACKER_AUDIT_KEY`, else `INSTANCE/audit_key` (made by `flask --app tracker migrate`, or by the
first entry). Rotation: move the
old key to a line of `INSTANCE/audit_keys.old` (or `AUDIT_OLD_KEYS`), then set the new one; each
entry names its key (`key_id`), so old entries still verify. docs/deployment.md says more.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

import click
from flask import Blueprint, current_app, has_app_context
from sqlite_utils import Database

from . import db as _db
from .audit_actions import Action
from .config import instance_secret

logger = logging.getLogger(__name__)

GENESIS = "0" * 64  # the previous hash of the first chained entry
FIELDS = ("id", "at", "actor_id", "action", "subject_id", "activity_id", "record_id", "from_state", "to_state")


# ---- keys ---------------------------------------------------------------------------------

def key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


def instance_key(instance: Path) -> bytes:
    """The chain key in the instance folder, made if missing (never in the repository or the database)."""
    return instance_secret(instance, "audit_key").encode()


def keys(config: dict, instance: Path) -> tuple[bytes, dict[str, bytes]]:
    """(the current key, every key by its id: current and old ones, for verifying)."""
    current = (config["AUDIT_KEY"] or "").encode() or instance_key(instance)
    old = config["AUDIT_OLD_KEYS"] or []
    old = old.split(",") if isinstance(old, str) else list(old)
    old_file = instance / "audit_keys.old"
    if old_file.exists():
        old += old_file.read_text().split()
    every = {key_id(k.encode()): k.encode() for k in old if k.strip()}
    every[key_id(current)] = current
    return current, every


def app_keys() -> tuple[bytes, dict[str, bytes]]:
    """The app's keys, read (and the key file made, on a new instance) on first use."""
    found = current_app.extensions.get("audit_keys")
    if found is None:
        found = current_app.extensions["audit_keys"] = keys(current_app.config, Path(current_app.instance_path))
    return found


# ---- the chain ----------------------------------------------------------------------------

def entry_hash(key: bytes, entry: dict, prev_hash: str) -> str:
    """HMAC-SHA-256 over the entry's canonical fields, a hash of its detail, its key id and the previous hash."""
    canonical = [entry[name] for name in FIELDS]
    canonical += [hashlib.sha256((entry["detail"] or "").encode()).hexdigest(), key_id(key), prev_hash]
    message = json.dumps(canonical, separators=(",", ":"), ensure_ascii=False).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _last(db: Database) -> tuple[int, str]:
    row = db.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return (row[0], row[1] or GENESIS) if row else (0, GENESIS)


def log(db: Database, actor_id: int | None, action: Action, *, subject_id: int | None = None,
        activity_id: str | None = None, record_id: int | None = None,
        from_state: str | None = None, to_state: str | None = None, detail: str = "",
        key: bytes | None = None) -> None:
    """Add an entry, chained to the one before. Call inside the write transaction (db.writing)
    that makes the change: it holds SQLite's write lock, so no other writer can take the same
    previous entry and fork the chain."""
    if not db.conn.in_transaction:
        raise RuntimeError("audit.log must be called inside the write transaction of the change it records")
    action = Action(action)  # only the registered actions (tracker/audit_actions.py): ValueError otherwise
    key = key or app_keys()[0]
    last_id, prev_hash = _last(db)
    entry = {"id": last_id + 1, "at": now(), "actor_id": actor_id, "action": action, "subject_id": subject_id,
             "activity_id": activity_id, "record_id": record_id, "from_state": from_state, "to_state": to_state,
             "detail": detail}
    db.conn.execute(
        "INSERT INTO audit_log (id, at, actor_id, action, subject_id, activity_id, record_id, from_state, to_state,"
        " detail, key_id, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (*entry.values(), key_id(key), prev_hash, entry_hash(key, entry, prev_hash)))
    if has_app_context():
        config = current_app.config
        _db.after_commit(db, lambda: anchor_after_commit(db, config), key="audit anchor")


def now() -> str:
    """The same form as the schema's default: 2026-12-01T10:00:00.000Z."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def chain_at_upgrade(db: Database, context: dict) -> int:
    """Run once, by the migration that adds the chain (tracker/migrations/0008_audit_chain.py): chain the
    entries made before
    the chain existed, in order, and record that this was done and how many. Never run at any other time:
    an unchained entry found later is tampering. The schema lets an entry's chain columns be set once."""
    rows = list(db.query("SELECT * FROM audit_log WHERE hash IS NULL ORDER BY id"))
    if not rows:
        return 0
    key = context["audit_key"]()
    prev_hash = GENESIS
    for row in rows:
        digest = entry_hash(key, row, prev_hash)
        db.conn.execute("UPDATE audit_log SET key_id = ?, prev_hash = ?, hash = ? WHERE id = ?",
                        (key_id(key), prev_hash, digest, row["id"]))
        prev_hash = digest
    log(db, None, Action.AUDIT_CHAIN_STARTED, detail=f"chained={rows[0]['id']}-{rows[-1]['id']} count={len(rows)}",
        key=key)
    return len(rows)



@dataclass(frozen=True)
class Anchor:
    """The head of the chain at some moment: entry `seq` had hash `hash`."""

    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> "Anchor":
        seq, _, digest = text.strip().partition(":")
        if not seq.isdigit() or len(digest) != 64:
            raise ValueError(f"an anchor looks like 42:<64 hex digits>, not {text!r}")
        return cls(int(seq), digest.lower())


def head(db: Database) -> Anchor:
    seq, digest = _last(db)
    return Anchor(seq, digest)


def verify(db: Database, every_key: dict[str, bytes], anchors: list[Anchor] = ()) -> list[str]:
    """Walk the chain from the start; return the problems, the first broken entry first."""
    problems: list[str] = []
    prev_hash, prev_id, hashes = GENESIS, 0, {}
    for row in db.query("SELECT * FROM audit_log ORDER BY id"):
        where = f"entry {row['id']} ({row['action']}, {row['at']})"
        if row["hash"] is None:
            problems.append(f"{where}: has no hash: it was added or altered outside the tracker (every entry the"
                            " tracker writes is chained)")
            break
        key = every_key.get(row["key_id"])
        if key is None:
            problems.append(f"{where}: made with key {row['key_id']}, which is not configured (AUDIT_OLD_KEYS)")
            break
        if row["prev_hash"] != prev_hash:
            problems.append(f"{where}: does not follow entry {prev_id}: an entry between them was deleted or"
                            " inserted, or the entries were reordered")
            break
        if not hmac.compare_digest(row["hash"], entry_hash(key, row, row["prev_hash"])):
            problems.append(f"{where}: its fields do not match its hash: the entry was edited")
            break
        prev_hash, prev_id = row["hash"], row["id"]
        hashes[row["id"]] = row["hash"]
    for anchor in anchors:
        if anchor.seq not in hashes and not problems:
            problems.append(f"anchor {anchor.seq}: the chain ends at entry {prev_id}, so entries up to"
                            f" {anchor.seq} were cut from its end")
        elif anchor.seq in hashes and hashes[anchor.seq] != anchor.hash:
            problems.append(f"anchor {anchor.seq}: entry {anchor.seq}'s hash is not the anchor's: history was"
                            " rewritten after the anchor was given out")
    return problems


def anchors_file(config: dict) -> Path:
    """One anchor per line, added as the chain grows and by each backup: AUDIT_ANCHORS_FILE (by default
    INSTANCE/audit_anchors.txt). Put it where whoever can write the database cannot rewrite it (another
    folder, another owner, a log host): it is only appended to."""
    return Path(config["AUDIT_ANCHORS_FILE"])


# A line "restore SEQ:HASH <when> cut=N <backup>": a restore cut the chain back to entry N on purpose, then
# recorded itself as entry SEQ.
RESTORE_MARK = "restore"


def recorded_anchors(file: Path) -> list[Anchor]:
    """The anchors that still hold: every anchor after the newest restore, and, from before it, those the
    restored chain still reaches (a restore cuts the chain back to the backup's head on purpose)."""
    if not file.exists():
        return []
    anchors: list[Anchor] = []
    for line in file.read_text(encoding="utf-8").splitlines():
        words = line.split()
        if not words:
            continue
        if words[0] == RESTORE_MARK:
            cut = next((int(w[4:]) for w in words if w.startswith("cut=") and w[4:].isdigit()), 0)
            anchors = [a for a in anchors if a.seq <= cut] + [Anchor.parse(words[1])]
        else:
            anchors.append(Anchor.parse(words[0]))
    return anchors


def record_anchor(file: Path, anchor: Anchor, why: str, mark: str = "") -> None:
    """Append one line; one write of a short line in append mode, so lines from several processes never mix."""
    file.parent.mkdir(parents=True, exist_ok=True)
    line = f"{mark + ' ' if mark else ''}{anchor} {now()} {why}\n"
    fd = os.open(file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode("utf-8"))
    finally:
        os.close(fd)


_last_anchor_at: dict[str, float] = {}  # per anchors file, in this process


def anchor_after_commit(db: Database, config: dict) -> None:
    """After a write that added entries: if this process has written no anchor for AUDIT_ANCHOR_SECONDS,
    write the head of the (committed) chain to the anchors file and the log."""
    file = anchors_file(config)
    interval = float(config["AUDIT_ANCHOR_SECONDS"])
    last = _last_anchor_at.get(str(file))
    if last is not None and time.monotonic() - last < interval:
        return
    _last_anchor_at[str(file)] = time.monotonic()
    anchor = head(db)
    try:
        record_anchor(file, anchor, "as the chain grows")
    except OSError as error:  # the write that made the entry has committed; say so, loudly
        logger.error("audit anchor %s could not be written to %s: %s", anchor, file, error)
    logger.info("audit anchor %s", anchor)


def entries_for_record(db: Database, record_id: int) -> list[dict]:
    return list(db.query(
        "SELECT a.*, u.name AS actor_name FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id"
        " WHERE a.record_id = ? ORDER BY a.id", [record_id]))


bp = Blueprint("audit", __name__, cli_group=None)


@bp.cli.command("verify-audit")
@click.option("--anchor", "anchors", multiple=True, help="a chain head given out earlier: SEQ:HASH")
def verify_audit_command(anchors):
    """Check the audit chain: the first edited, deleted, inserted, reordered or unchained entry,
    and whether the chain still reaches every anchor (given, and recorded as it grew and by backups).
    It only reads: it never writes the database or the anchors."""
    try:
        given = [Anchor.parse(a) for a in anchors]
    except ValueError as error:
        raise click.BadParameter(str(error)) from error
    db = _db.get_db()
    problems = verify(db, app_keys()[1], given + recorded_anchors(anchors_file(current_app.config)))
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise SystemExit(1)
    click.echo(f"audit chain OK: {head(db).seq} entries, head {head(db)}")
