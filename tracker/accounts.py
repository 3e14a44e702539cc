"""User accounts: creation, password hashing (argon2), teams, lockout bookkeeping."""
from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import hmac
import io
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask import current_app, has_app_context
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlite_utils import Database

from . import audit, mail
from .audit_actions import Action
from .config import default
from .db import writing

ROLES = ("inductee", "manager", "admin", "lead")
ROLE_LABELS = {"inductee": _l("Inductee"), "manager": _l("Manager"), "admin": _l("Administrator"),
               "lead": _l("Service lead")}
MIN_PASSWORD_LENGTH = 10
# The password hash of an account whose person has not chosen a password yet (invited): no password
# matches it (argon2 refuses it as a hash), so no one can sign in with it.
NO_PASSWORD = "!"


class User(UserMixin):
    def __init__(self, row: dict):
        self.row = row
        self.id = row["id"]
        self.email = row["email"]
        self.name = row["name"]
        self.role = row["role"]

    def get_id(self) -> str:
        # The session version changes on password change, which ends other sessions.
        return f"{self.id}:{self.row['session_version']}"

    @property
    def is_active(self) -> bool:
        return bool(self.row["active"])

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_inductee(self) -> bool:
        return self.role == "inductee"

    @property
    def is_lead(self) -> bool:
        """The head of service: reads every team's induction (tracker/reports/), changes nothing."""
        return self.role == "lead"


@functools.cache
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)


def hasher() -> PasswordHasher:
    """argon2 with the app's cost settings (the defaults outside an app). Verifying uses the cost written in
    the stored hash, so a change of settings applies to new hashes only."""
    setting = current_app.config.__getitem__ if has_app_context() else default
    return _hasher(int(setting("PASSWORD_HASH_TIME_COST")), int(setting("PASSWORD_HASH_MEMORY_KIB")))


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether the password matches. An account with no usable hash (invited, or reset by an administrator)
    still costs one argon2 check, against the dummy hash: how long the answer takes never tells anyone
    that an address has an account waiting for its password."""
    if not stored_hash.startswith("$argon2"):
        stored_hash, usable = dummy_hash(), False
    else:
        usable = True
    try:
        return hasher().verify(stored_hash, password) and usable
    except (VerificationError, InvalidHashError):
        return False


def valid_email(address: str) -> bool:
    """The one check of an email address, for the account form, CSV import and the command line:
    email_validator's syntax rules, as WTForms' Email() applies them (no DNS lookup)."""
    try:
        validate_email(address, check_deliverability=False, allow_smtputf8=True, allow_empty_local=False)
    except EmailNotValidError:
        return False
    return True


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return gettext("Password must be at least %(count)s characters", count=MIN_PASSWORD_LENGTH)
    if password.lower() in {"password123", "changeme123", "1234567890"}:
        return gettext("Choose a password that is harder to guess")
    return None


def get_user(db: Database, user_id: int) -> dict | None:
    return next(db.query("SELECT * FROM users WHERE id = ?", [user_id]), None)


def find_by_email(db: Database, email: str) -> dict | None:
    return next(db.query("SELECT * FROM users WHERE email = ? COLLATE NOCASE", [email.strip()]), None)


def create_user(db: Database, *, email: str, name: str, role: str, password: str | None,
                manager_ids: list[int] = (), actor_id: int | None = None, language: str | None = None) -> int:
    """Create one account inside its own transaction; the caller has validated the input.
    language: 'cy' or 'en' if the person's choice is known (tracker/i18n.py), else None.
    password None: the person chooses one through an invitation (tracker/account_links.py)."""
    with writing(db):
        cursor = db.conn.execute(
            "INSERT INTO users (email, name, role, password_hash, language) VALUES (?, ?, ?, ?, ?)",
            (email.strip(), name.strip(), role, hash_password(password) if password else NO_PASSWORD, language))
        user_id = cursor.lastrowid
        for manager_id in dict.fromkeys(manager_ids):  # a manager chosen twice is one manager
            db.conn.execute("INSERT INTO team_members (manager_id, inductee_id, since) VALUES (?, ?, ?)",
                            (manager_id, user_id, _stamp()))
        audit.log(db, actor_id, Action.USER_CREATED, subject_id=user_id, detail=f"role={role}")
    return user_id


def set_password(db: Database, user_id: int, password: str, actor_id: int | None) -> None:
    with writing(db):
        store_password(db, user_id, password)
        audit.log(db, actor_id, Action.USER_PASSWORD_CHANGED, subject_id=user_id)


def store_password(db: Database, user_id: int, password: str) -> None:
    """Inside the caller's transaction: the new hash, every session of the person ended, and every
    invitation or reset link of theirs still open ended (a link asked for before the change is not a way
    back in after it)."""
    db.conn.execute(
        "UPDATE users SET password_hash = ?, session_version = session_version + 1,"
        " failed_logins = 0, locked_until = NULL WHERE id = ?", (hash_password(password), user_id))
    end_links(db, user_id)


def end_links(db: Database, user_id: int) -> int:
    """Inside the caller's transaction: end the person's open invitation and reset links."""
    return db.conn.execute("UPDATE account_tokens SET replaced_at = ? WHERE user_id = ? AND used_at IS NULL"
                           " AND replaced_at IS NULL", (_stamp(), user_id)).rowcount


def _stamp() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def end_sessions(db: Database, user_id: int) -> None:
    """End every session of this person: the session version in each cookie no longer matches
    (the user loader refuses it), so a copy of the cookie is worthless after sign-out."""
    with writing(db):
        db.conn.execute("UPDATE users SET session_version = session_version + 1 WHERE id = ?", (user_id,))


def set_managers(db: Database, inductee_id: int, manager_ids: list[int], actor_id: int) -> bool:
    """Who manages an inductee (and so may read and sign off their records). A change is audited and
    emailed, in each person's language, to the inductee and to every manager before and after it: nobody
    gains or loses a manager unseen. Managers kept keep their `since`. Returns whether anything changed."""
    with writing(db):
        before = [m["id"] for m in managers_of(db, inductee_id)]
        wanted = list(dict.fromkeys(manager_ids))
        if set(before) == set(wanted):
            return False
        db.conn.execute(f"DELETE FROM team_members WHERE inductee_id = ? AND manager_id NOT IN"
                        f" ({','.join('?' * len(wanted))})", (inductee_id, *wanted))
        for manager_id in wanted:
            db.conn.execute("INSERT OR IGNORE INTO team_members (manager_id, inductee_id, since) VALUES (?, ?, ?)",
                            (manager_id, inductee_id, _stamp()))
        audit.log(db, actor_id, Action.USER_MANAGERS_SET, subject_id=inductee_id,
                  detail="managers=" + ",".join(map(str, wanted)))
        inductee = get_user(db, inductee_id)
        context = {"inductee": inductee, "removed": _people(db, set(before) - set(wanted)),
                   "added": _people(db, set(wanted) - set(before)), "now": managers_of(db, inductee_id)}
        for person_id in dict.fromkeys([inductee_id, *before, *wanted]):
            person = get_user(db, person_id)
            if person is not None and person["active"]:
                mail.queue_to_user(db, person, "managers_changed", about_id=inductee_id, **context)
    return True


def _people(db: Database, ids) -> list[dict]:
    return sorted((get_user(db, i) for i in ids), key=lambda person: person["name"])


def managers(db: Database) -> list[dict]:
    return list(db.query("SELECT id, name, email FROM users WHERE role = 'manager' AND active ORDER BY name"))


def team_of(db: Database, manager_id: int) -> list[dict]:
    return list(db.query(
        "SELECT u.* FROM users u JOIN team_members t ON t.inductee_id = u.id"
        " WHERE t.manager_id = ? AND u.active ORDER BY u.name", [manager_id]))


def managers_of(db: Database, inductee_id: int) -> list[dict]:
    """The inductee's managers, each with `since` (NULL: from before the tracker kept it)."""
    return list(db.query(
        "SELECT u.id, u.name, u.email, t.since FROM users u JOIN team_members t ON t.manager_id = u.id"
        " WHERE t.inductee_id = ? ORDER BY u.name", [inductee_id]))


def manages(db: Database, manager_id: int, inductee_id: int) -> bool:
    return db.execute("SELECT 1 FROM team_members WHERE manager_id = ? AND inductee_id = ?",
                      [manager_id, inductee_id]).fetchone() is not None


def all_users(db: Database) -> list[dict]:
    return list(db.query(
        "SELECT u.*, (SELECT group_concat(m.name, ', ') FROM team_members t JOIN users m ON m.id = t.manager_id"
        "             WHERE t.inductee_id = u.id) AS manager_names"
        " FROM users u ORDER BY u.role, u.name"))


# ---- login throttling ---------------------------------------------------------

def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def dummy_hash() -> str:
    """A hash of a random password, made once for each cost: sign-ins for unknown addresses are checked
    against it, so they cost the same argon2 time as a wrong password for a real account."""
    return _dummy_hash(hasher())


@functools.cache
def _dummy_hash(made_by: PasswordHasher) -> str:
    return made_by.hash(secrets.token_urlsafe(24))


def throttle_key(secret_key: str, email: str, client: str) -> str:
    """Failed sign-ins are counted per (address, client) pair, under a keyed hash of the two:
    neither the address typed nor the client's IP address is stored."""
    message = f"{email.strip().casefold()}\n{client}".encode("utf-8", "surrogatepass")
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def pair_locked(db: Database, key: str) -> bool:
    row = db.execute("SELECT locked_until FROM login_failures WHERE key = ?", [key]).fetchone()
    return bool(row and row[0] and row[0] > now().isoformat())


def note_failed_login(db: Database, key: str, user_id: int | None, max_failures: int, lockout_minutes: int) -> None:
    """Count a failure for this (address, client) pair, in one write transaction whatever the case
    (unknown address, wrong password, already locked), so each costs the same. After max_failures
    within lockout_minutes of each other the pair is locked for lockout_minutes: that address
    from that client only, so no one can lock a colleague out from elsewhere. Rows expire."""
    current = now()
    stamp, window = current.isoformat(), (current - dt.timedelta(minutes=lockout_minutes)).isoformat()
    with writing(db):
        db.conn.execute("DELETE FROM login_failures WHERE last_at < ? AND (locked_until IS NULL OR locked_until < ?)",
                        (window, stamp))
        row = db.conn.execute("SELECT failures, locked_until FROM login_failures WHERE key = ?", (key,)).fetchone()
        failures, until = (row[0], row[1]) if row else (0, None)
        if until and until > stamp:  # already locked: the lock is not extended
            db.conn.execute("UPDATE login_failures SET last_at = ? WHERE key = ?", (stamp, key))
            return
        failures += 1
        until = None
        if failures >= max_failures:
            failures, until = 0, (current + dt.timedelta(minutes=lockout_minutes)).isoformat()
            if user_id is not None:
                audit.log(db, None, Action.USER_LOCKED_OUT, subject_id=user_id,
                          detail=f"{max_failures} failed logins from one client")
        db.conn.execute("INSERT INTO login_failures (key, failures, last_at, locked_until) VALUES (?, ?, ?, ?)"
                        " ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_at = excluded.last_at,"
                        " locked_until = excluded.locked_until", (key, failures, stamp, until))


def note_successful_login(db: Database, key: str) -> None:
    if db.execute("SELECT 1 FROM login_failures WHERE key = ?", [key]).fetchone():
        with writing(db):
            db.conn.execute("DELETE FROM login_failures WHERE key = ?", (key,))


# ---- bulk import ----------------------------------------------------------------

@dataclass
class ImportResult:
    created: list[str]
    problems: list[str]  # 'row 3: email is not valid'


CSV_COLUMNS = ("email", "name", "role", "password", "managers")


def import_csv(db: Database, text: str, actor_id: int | None, invite=None) -> ImportResult:
    """Import users from CSV (email,name,role[,password][,managers]). Good rows are imported,
    each bad row is reported by its line number and reason. A row with no password makes an invited
    account: invite(user_id) sends the invitation and returns a problem to report, or None."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CSV_COLUMNS[:3] if c not in (reader.fieldnames or [])]
    if missing:
        return ImportResult([], [gettext("row 1: the header must include %(columns)s", columns=", ".join(missing))])
    created, problems, seen = [], [], set()
    for line, row in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in row.items() if k}
        problem = row_problem(db, row, seen)
        manager_ids = []
        if not problem and row.get("managers"):
            for email in filter(None, (e.strip() for e in row["managers"].split(";"))):
                manager = find_by_email(db, email)
                if not manager or manager["role"] != "manager":
                    problem = gettext("manager %(email)s is not a manager account", email=email)
                    break
                manager_ids.append(manager["id"])
        if problem:
            problems.append(gettext("row %(line)s: %(problem)s", line=line, problem=problem))
            continue
        user_id = create_user(db, email=row["email"], name=row["name"], role=row["role"],
                              password=row.get("password") or None, manager_ids=manager_ids, actor_id=actor_id)
        seen.add(row["email"].lower())
        created.append(row["email"])
        if not row.get("password") and invite is not None:
            problem = invite(user_id)
            if problem:
                problems.append(gettext("row %(line)s: %(problem)s", line=line, problem=problem))
    return ImportResult(created, problems)


def row_problem(db: Database, row: dict, seen: set[str]) -> str | None:
    if not valid_email(row.get("email", "")):
        return gettext("email is not a valid email address")
    if row["email"].lower() in seen or find_by_email(db, row["email"]):
        return gettext("an account for %(email)s already exists", email=row["email"])
    if not row.get("name"):
        return gettext("name is missing")
    if row.get("role") not in ROLES:
        return gettext("role must be one of %(roles)s", roles=", ".join(ROLES))
    if not row.get("password"):
        return None  # an invitation lets the person choose their own
    return password_problem(row["password"])
